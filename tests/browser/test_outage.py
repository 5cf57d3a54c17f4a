"""An editor saves while the database is away: the 503 page gives the text back in a form,
and pressing its button once the database is back saves it."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from playwright.sync_api import expect

from heatwiki.wiki import views
from scenes.models import Scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Written during the outage, and not lost."


def test_a_save_during_an_outage_comes_back_and_saves_on_the_second_press(
    signed_in_page, live_server, artifacts, monkeypatch
):
    call_command("seed_content", verbosity=0)
    page = signed_in_page
    real_save = views.save_page
    calls = []

    def database_away_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("the database server is restarting")
        return real_save(**kwargs)

    monkeypatch.setattr(views, "save_page", database_away_once)
    page.goto(f"{live_server.url}/scenes/coffee-shop-stand-off/edit/")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill(editor.input_value() + "\n\n" + TYPED)
    page.locator("#id_summary").fill("Saved through an outage")
    page.locator("form.edit-form button[type=submit]").first.click()

    expect(page.locator("h1")).to_have_text("The wiki is back in a moment")
    kept = page.locator("form.kept-form textarea[name=body]")
    assert TYPED in kept.input_value()
    page.screenshot(path=artifacts / "outage-503.png", full_page=True)

    page.locator("form.kept-form button[type=submit]").click()

    page.wait_for_url(f"{live_server.url}/scenes/coffee-shop-stand-off/")
    expect(page.locator(".messages")).to_contain_text("Saved as revision 2")
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    assert TYPED in scene.body
    assert scene.current_revision.summary == "Saved through an outage"
