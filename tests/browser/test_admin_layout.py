"""The admin as moderators meet it, at a phone's and a desktop's width: column heads on one
line, the hidden flag visible, nothing scrolling the whole page sideways."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import EDITOR_PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_admin_index_and_revisions_read_at_every_width(
    page, live_server, artifacts, moderators_group, width
):
    call_command("seed_content", verbosity=0)
    moderator = UserFactory(username="admin-mod", password=EDITOR_PASSWORD, is_staff=True)
    moderator.groups.add(moderators_group)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin-mod")
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")

    if width >= 768:
        head = page.locator("#recent-changes-to-review th", has_text="Revision")
        assert head.bounding_box()["height"] < 40, "the column head wraps"
    # At a phone's width each change is a short card: its revision number is on screen.
    number = page.locator("#recent-changes-to-review td:nth-child(2) a").first
    box = number.bounding_box()
    assert box and box["x"] + box["width"] <= width
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    author = page.locator("#recent-changes-to-review td a", has_text="HeatWiki").first
    assert author.get_attribute("href") == "/users/HeatWiki/"
    page.screenshot(path=artifacts / f"admin-index-{width}.png", full_page=True)

    page.goto(live_server.url + "/admin/wiki/revision/")
    hidden = page.locator("#result_list th", has_text="Hidden").bounding_box()
    assert hidden and hidden["x"] + hidden["width"] <= width, "the hidden flag is off screen"
    assert not page.evaluate(PAGE_SCROLLS_SIDEWAYS)
    page.screenshot(path=artifacts / f"admin-revisions-{width}.png", full_page=True)
