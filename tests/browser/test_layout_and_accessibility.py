"""The phone layout (a compact header with a menu, history as cards) and an automated
accessibility check (axe-core, static/vendor/axe-core, run in Chromium) of the edit form, a
page, its history and the sign-in page."""

import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from heatwiki.wiki.services import save_page
from scenes.models import Scene

from .test_editing import HAS_HORIZONTAL_OVERFLOW, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "coffee-shop-stand-off"


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_content", verbosity=0)


def test_the_phone_header_folds_the_navigation_into_a_menu(
    browser_problems, seeded, page, live_server, artifacts
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/scenes/{SLUG}/")
    header = page.locator(".site-header")
    nav = page.get_by_role("navigation", name="Page kinds")
    menu = page.get_by_role("button", name="Menu")
    search = page.get_by_role("combobox", name="Search HeatWiki")
    assert header.bounding_box()["height"] < 130
    expect(search).to_be_visible()
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Characters")).to_be_visible()
    expect(page.locator(".user-menu").get_by_role("link", name="Sign in")).to_be_visible()
    expect(search).to_be_visible()
    page.screenshot(path=artifacts / "header-menu-open-390.png")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()

    # On a desktop everything is in the header at once, and there is no menu button.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(nav).to_be_visible()
    expect(menu).to_be_hidden()
    assert browser_problems == []


def test_the_history_is_a_list_of_cards_on_a_phone(
    browser_problems, seeded, page, live_server, artifacts
):
    scene = Scene.objects.get(slug=SLUG)
    data = {**scene.current_revision.snapshot, "description": "Changed for the history."}
    save_page(page=scene, data=data, author=scene.current_revision.author, summary="A summary")
    page.goto(f"{live_server.url}/scenes/{SLUG}/history/")
    overflowing = screenshots(page, artifacts, "history")
    assert not overflowing, f"the history scrolls sideways at {overflowing} px"
    page.set_viewport_size({"width": 390, "height": 844})
    summary = page.locator(".history__table td[data-label=Summary]").first
    expect(summary).to_contain_text("A summary")
    expect(summary).to_be_in_viewport()
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    assert browser_problems == []


def axe_violations(page, live_server) -> list[dict]:
    """Serious and critical violations axe-core finds on the page as it is now."""
    page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
        }"""
    )
    return results


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_pass_an_automated_accessibility_check(
    browser_problems, seeded, signed_in_page, live_server, width
):
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for name, path in [
        ("page", f"/scenes/{SLUG}/"),
        ("history", f"/scenes/{SLUG}/history/"),
        ("edit form", f"/scenes/{SLUG}/edit/"),
    ]:
        page.goto(live_server.url + path)
        if name == "edit form":
            expect(page.locator("#id_characters-ts-control")).to_be_visible()
            expect(page.locator(".markdownx-preview h2").first).to_be_visible(timeout=15_000)
        found[name] = axe_violations(page, live_server)
    # Sign-in, as a visitor.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    found["sign-in"] = axe_violations(page, live_server)
    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1)
    assert browser_problems == []
