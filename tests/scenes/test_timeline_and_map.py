"""/timeline/ (story order and chronology, filters) and /map/ (its GeoJSON and its list)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from heatwiki.wiki.layers import COOKIE
from scenes.models import Location, Scene
from tests.factories import CharacterFactory, LocationFactory, SceneFactory, WorkFactory


@pytest.fixture
def story(db):
    """Two works; scenes whose story order differs from their chronology."""
    film = WorkFactory(title="Zq Film", slug="zq-film", year=2195)
    novel = WorkFactory(title="Zq Novel", slug="zq-novel", year=2196, kind="novel")
    neil = CharacterFactory(title="Zq Neil", slug="zq-neil")
    chris = CharacterFactory(title="Zq Chris", slug="zq-chris")
    lax = LocationFactory(
        title="Zq Airport", slug="zq-airport", latitude=Decimal("33.9"), longitude=Decimal("-118.4")
    )
    diner = LocationFactory(title="Zq Diner", slug="zq-diner")
    scenes = {}
    for slug, work, position, when, period, characters, places in [
        ("zq-robbery", film, 1, date(1995, 3, 1), "1995", [neil, chris], [lax]),
        ("zq-ending", film, 2, date(1995, 4, 1), "1995", [neil], [lax]),
        ("zq-prequel", novel, 1, date(1988, 6, 1), "Summer 1988", [neil], [diner]),
        ("zq-sequel", novel, 2, date(1996, 1, 1), "After the shootout", [chris], []),
        ("zq-undated", novel, 3, None, "", [chris], []),
    ]:
        scene = SceneFactory(
            title=slug, slug=slug, work=work, position=position, story_date=when,
            story_period=period, body="A scene.",
        )  # fmt: skip
        scene.characters.set(characters)
        scene.locations.set(places)
        scenes[slug] = scene
    return scenes


def listed(html: str) -> list[str]:
    return [s for s in re.findall(r'data-scene="([^"]+)"', html) if s.startswith("zq-")]


def test_story_order_goes_work_by_work(story):
    html = Client().get("/timeline/").content.decode()
    assert listed(html) == ["zq-robbery", "zq-ending", "zq-prequel", "zq-sequel", "zq-undated"]


def test_chronology_goes_by_in_universe_date_in_eras(story):
    html = Client().get("/timeline/", {"order": "chronology"}).content.decode()
    assert listed(html) == ["zq-prequel", "zq-robbery", "zq-ending", "zq-sequel", "zq-undated"]
    headings = re.findall(r'class="timeline__heading">([^<]+)<', html)
    assert headings == ["Before Heat", "1995", "After 1995", "When unknown"]
    assert "Summer 1988" in html and "After the shootout" in html


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"character": "zq-chris"}, ["zq-robbery", "zq-sequel", "zq-undated"]),
        ({"location": "zq-airport"}, ["zq-robbery", "zq-ending"]),
        ({"work": "zq-novel"}, ["zq-prequel", "zq-sequel", "zq-undated"]),
        (
            {"character": "zq-neil", "order": "chronology"},
            ["zq-prequel", "zq-robbery", "zq-ending"],
        ),
        ({"character": "zq-neil", "location": "zq-diner"}, ["zq-prequel"]),
        # Unknown values are no filter at all, not an error.
        ({"character": "nobody", "order": "sideways"}, None),
    ],
)
def test_filters(story, filters, expected):
    response = Client().get("/timeline/", filters)
    assert response.status_code == 200
    everything = ["zq-robbery", "zq-ending", "zq-prequel", "zq-sequel", "zq-undated"]
    assert listed(response.content.decode()) == (expected or everything)


def test_timeline_shows_places_characters_and_timecodes(story):
    from datetime import timedelta

    Scene.objects.filter(slug="zq-robbery").update(start_timecode=timedelta(hours=1, minutes=2))
    html = Client().get("/timeline/", {"work": "zq-film"}).content.decode()
    assert "1:02:00" in html and "Zq Airport" in html and "Zq Chris" in html


def test_timeline_leaves_out_works_the_reader_has_not_seen(story):
    client = Client()
    client.cookies[COOKIE] = "heat"  # the seeded film only: neither test work
    assert listed(client.get("/timeline/").content.decode()) == []


def test_geojson_lists_exactly_the_located_places(story):
    data = Client().get("/map/locations.geojson").json()
    assert data["type"] == "FeatureCollection"
    located = Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
    assert {f["properties"]["slug"] for f in data["features"]} == {p.slug for p in located}
    airport = next(f for f in data["features"] if f["properties"]["slug"] == "zq-airport")
    assert airport["geometry"] == {"type": "Point", "coordinates": [-118.4, 33.9]}
    assert airport["properties"]["url"] == "/locations/zq-airport/"
    assert [s["title"] for s in airport["properties"]["scenes"]] == ["zq-robbery", "zq-ending"]
    assert "zq-diner" not in {f["properties"]["slug"] for f in data["features"]}


def test_the_list_without_javascript_matches_the_geojson(story):
    data = Client().get("/map/locations.geojson").json()
    html = Client().get("/map/").content.decode()
    items = re.findall(
        r'<li class="map-list__place" data-location="([^"]+)" data-lat="([^"]+)" '
        r'data-lon="([^"]+)">\s*<a href="([^"]+)">',
        html,
    )
    from_geojson = [
        (
            f["properties"]["slug"],
            f["geometry"]["coordinates"][1],
            f["geometry"]["coordinates"][0],
            f["properties"]["url"],
        )
        for f in data["features"]
    ]
    assert [(s, float(lat), float(lon), url) for s, lat, lon, url in items] == from_geojson
    assert "zq-diner" not in [item[0] for item in items]
    assert "Zq Diner" in html  # named as a place not on the map yet


def test_the_map_page_loads_leaflet_and_names_the_tiles(story, settings):
    html = Client().get("/map/").content.decode()
    assert "vendor/leaflet/leaflet" in html and "js/map.js" in html
    assert 'data-map-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "OpenStreetMap" in html


def test_the_policy_names_the_tile_host(story):
    policy = Client().get("/map/")["Content-Security-Policy"]
    img = next(d for d in policy.split(";") if d.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img.split()
    # Scripts, styles and connections still come from the site alone.
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script.split()[1:] == ["'self'"]


def test_a_located_place_has_its_small_map(story):
    html = Client().get("/locations/zq-airport/").content.decode()
    assert 'class="map map--small"' in html and 'data-lat="33.90000"' in html
    unlocated = Client().get("/locations/zq-diner/").content.decode()
    assert "map--small" not in unlocated and "leaflet.js" not in unlocated


def test_geojson_and_the_list_leave_out_scenes_of_works_not_seen(story):
    client = Client()
    client.cookies[COOKIE] = "heat"
    data = client.get("/map/locations.geojson").json()
    airport = next(f for f in data["features"] if f["properties"]["slug"] == "zq-airport")
    assert airport["properties"]["scenes"] == []
    assert "zq-robbery" not in client.get("/map/").content.decode()


def test_seeded_places_are_on_the_map(db):
    slugs = {
        f["properties"]["slug"] for f in Client().get("/map/locations.geojson").json()["features"]
    }
    assert {"lax", "fifth-and-flower"} <= slugs


def test_seeded_scenes_have_their_periods(db):
    html = Client().get("/timeline/", {"order": "chronology"}).content.decode()
    assert listed(html) == []  # the seeded scenes are not "zq-" ones
    order = re.findall(r'data-scene="([^"]+)"', html)
    assert order.index("the-1988-storyline") < order.index("coffee-shop-stand-off")
    assert order.index("showdown-at-lax") < order.index("after-the-shootout")


@pytest.mark.parametrize("address", ["/timeline/", "/map/", "/map/locations.geojson"])
def test_query_budget_does_not_grow_with_the_wiki(story, address, django_assert_num_queries):
    """The generation, then the page: the same number of queries with twice the scenes and
    places, for a reader who sees everything and one who has chosen."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(cookie: str | None) -> int:
        caches["pages"].clear()
        client = Client()
        if cookie:
            client.cookies[COOKIE] = cookie
            client.get("/my-heat/")  # the works are read once per process, then kept
            caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    before = {cookie: count(cookie) for cookie in (None, "heat.zq-film")}
    work = story["zq-robbery"].work
    for n in range(5):
        place = LocationFactory(
            title=f"Zq more {n}",
            slug=f"zq-more-{n}",
            latitude=Decimal("34"),
            longitude=Decimal("-118"),
        )
        scene = SceneFactory(title=f"zq-more-{n}", slug=f"zq-more-{n}", work=work, position=10 + n)
        scene.locations.set([place])
        scene.characters.set([CharacterFactory(title=f"Zq extra {n}", slug=f"zq-extra-{n}")])
    after = {cookie: count(cookie) for cookie in (None, "heat.zq-film")}
    assert after == before
    assert before[None] <= {"/timeline/": 7, "/map/": 5, "/map/locations.geojson": 4}[address]
