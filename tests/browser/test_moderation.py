"""A moderator protects a page and hides a revision from the wiki's own pages; an editor then
sees the page protected and the revision hidden."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from scenes.models import Scene
from tests.browser.conftest import EDITOR_PASSWORD, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VANDALISM = "Vandal text nobody should read."


def test_a_moderator_protects_and_hides_from_the_page_and_an_editor_sees_it(
    browser, live_server, artifacts, moderators_group
):
    call_command("seed_content", verbosity=0)
    moderator = UserFactory(username="page-mod", password=EDITOR_PASSWORD, is_staff=True)
    moderator.groups.add(moderators_group)
    UserFactory(username="page-fan", password=EDITOR_PASSWORD)
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    save_page(
        page=scene,
        data={**take(scene), "body": scene.body + "\n\n" + VANDALISM},
        author=UserFactory(username="vandal"),
        summary=VANDALISM,
        base_revision=1,
    )
    scene_url = live_server.url + scene.get_absolute_url()

    mod_context = browser.new_context()
    mod = mod_context.new_page()
    sign_in(mod, live_server, "page-mod")
    mod.goto(scene_url)
    mod.locator(".page-tabs").get_by_role("link", name="Protect").click()
    mod.get_by_label("Reason").fill("Edit war over the diner")
    mod.get_by_label("For").select_option("1w")
    mod.get_by_role("button", name="Protect").click()
    expect(mod.locator(".messages")).to_contain_text("only moderators may edit it")
    expect(mod.locator(".lock")).to_contain_text("Edit war over the diner")

    mod.goto(scene_url + "history/")
    mod.get_by_role("link", name="Hide revision 2").click()
    mod.get_by_label("Reason").fill("Vandalism")
    mod.get_by_role("button", name="Hide").click()
    expect(mod.locator(".messages")).to_contain_text("Revision 2 is hidden")
    mod.screenshot(path=artifacts / "moderation-history.png", full_page=True)
    mod_context.close()

    fan_context = browser.new_context()
    fan = fan_context.new_page()
    sign_in(fan, live_server, "page-fan")
    fan.goto(scene_url)
    expect(fan.locator(".lock")).to_contain_text("Protected by page-mod")
    assert VANDALISM not in fan.content()
    fan.goto(scene_url + "history/")
    expect(fan.locator("main")).to_contain_text("Hidden by a moderator")
    assert VANDALISM not in fan.content()
    fan.screenshot(path=artifacts / "moderation-history-editor.png", full_page=True)
    fan_context.close()
