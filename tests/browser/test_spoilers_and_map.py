"""In Chromium: a reader of the film alone reads Chris Shiherlis without the novel, then
chooses the novel and sees it; the map shows LAX and its popup leads to the place."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOVEL_SENTENCE = "follows Shiherlis in the aftermath of the shootout"
NOVEL_SCENE = "After the shootout"


def choose(page, base: str, works: set[str], next_path: str) -> None:
    page.goto(f"{base}/my-heat/?next={next_path}")
    for box in page.locator("input[name=seen]").all():
        if (box.get_attribute("value") in works) != box.is_checked():
            box.click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{next_path}")


def test_film_only_then_the_novel(live_server, page, artifacts):
    call_command("seed_content", verbosity=0)
    base = live_server.url
    character = "/characters/chris-shiherlis/"
    page.goto(base + character)
    # A first visit: everything, with the prompt to choose.
    assert page.get_by_role("note", name="Spoilers").is_visible()
    assert NOVEL_SENTENCE in page.content()

    choose(page, base, {"heat"}, character)
    html = page.content()
    assert NOVEL_SENTENCE not in html and NOVEL_SCENE not in html
    assert "Leonardo DiCaprio" not in html  # the second film's casting too
    notice = page.locator('.spoiler-notice[data-layer="heat-2-novel"]')
    assert "about the novel Heat 2 hidden" in notice.inner_text()
    page.screenshot(path=artifacts / "spoilers-film-only.png", full_page=True)

    # Search: neither the novel's text nor its scene.
    page.locator("#site-search-q").fill("Shiherlis")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/search/?q=Shiherlis")
    results = page.locator("main").inner_text()
    assert "Chris Shiherlis" in results
    assert "aftermath" not in results and NOVEL_SCENE not in results

    # The notice's link ticks the novel; saving brings the section back.
    page.goto(base + character)
    notice.get_by_role("link", name="show").click()
    page.wait_for_url("**/my-heat/?show=heat-2-novel**")
    assert page.locator('input[value="heat-2-novel"]').is_checked()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + character)
    assert NOVEL_SENTENCE in page.content()
    assert page.get_by_role("link", name=NOVEL_SCENE).is_visible()
    page.screenshot(path=artifacts / "spoilers-with-novel.png", full_page=True)


def test_the_map_shows_lax_and_its_popup_links_to_it(live_server, page, artifacts):
    call_command("seed_content", verbosity=0)
    # Tiles come from the network, which tests have not: the map works without them.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(live_server.url + "/map/")
    marker = page.locator(
        'img.leaflet-marker-icon[title="Los Angeles International Airport (LAX)"]'
    )
    marker.wait_for()
    marker.click()
    popup_link = page.locator(".leaflet-popup-content a").first
    popup_link.wait_for()
    assert popup_link.get_attribute("href") == "/locations/lax/"
    page.screenshot(path=artifacts / "map.png", full_page=True)
    popup_link.click()
    page.wait_for_url("**/locations/lax/")
    assert page.locator(".map--small .leaflet-marker-icon").count() == 1
    # The list beside the map names the same place, for readers without JavaScript.
    page.goto(live_server.url + "/map/")
    assert page.locator('.map-list__place[data-location="lax"] a').first.get_attribute("href") == (
        "/locations/lax/"
    )


def test_the_timeline_reads_on_a_phone(live_server, page, artifacts):
    call_command("seed_content", verbosity=0)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + "/timeline/?order=chronology")
    assert page.get_by_role("heading", name="Before Heat").is_visible()
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.screenshot(path=artifacts / "timeline-390.png", full_page=True)
