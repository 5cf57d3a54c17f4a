"""A reader in a real browser: home → a scene → its location, on a phone (where a page that
scrolls sideways shows; the editing and account journeys check both widths)."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HAS_HORIZONTAL_OVERFLOW = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


@pytest.mark.parametrize("width", [390])
def test_reader_follows_home_to_scene_to_location(live_server, page, artifacts, width):
    call_command("seed_content", verbosity=0)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/")
    assert "HeatWiki" in page.title()
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    page.screenshot(path=artifacts / f"home-{width}.png", full_page=True)

    page.get_by_role("link", name="Read about the scene").click()
    page.wait_for_url("**/scenes/coffee-shop-stand-off/")
    assert page.get_by_role("heading", level=1).inner_text().strip()
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    page.screenshot(path=artifacts / f"scene-{width}.png", full_page=True)

    page.locator(".infobox").get_by_role("link").last.click()
    page.wait_for_url("**/locations/**")
    assert page.get_by_role("heading", name="Scenes filmed here").is_visible()
    assert not page.evaluate(HAS_HORIZONTAL_OVERFLOW)
    page.screenshot(path=artifacts / f"location-{width}.png", full_page=True)


def test_stylesheet_loads(live_server, page):
    page.goto(live_server.url + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)"
