"""Pages of every kind in the read API: lists with cursors, pages with their fields and
relations as links, 404s and 400s, and the queries each costs whatever its size."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heatwiki.wiki.kinds import kind_model, page_kinds
from heatwiki.wiki.snapshot import m2m_fields, owned_relations, scalar_fields
from people.models import Character
from scenes.models import Location, Quote, Scene, SceneCharacter
from tests.api.conftest import RATE_COUNTER, results

pytestmark = pytest.mark.django_db

KINDS = [model.url_namespace for model in page_kinds()]
ENVELOPE = {"title", "slug", "description", "body"}
SUMMARY = {"id", "kind", "title", "slug", "url", "html_url"}
LIST_ITEM = SUMMARY | {"description", "revision", "created_at", "updated_at", "fields"}
DETAIL = LIST_ITEM | {"body", "body_html", "relations", "revisions_url", "license"}

# Queries per request, anonymous: the rows, one per relation and owned rows the kind has, and
# the change feed's latest time (Last-Modified). Pinned for pages big and small.
LIST_QUERIES = 2 + RATE_COUNTER
DETAIL_QUERIES = {
    kind: count + RATE_COUNTER
    for kind, count in {
        "works": 2,
        "scenes": 5,
        "people": 4,
        "characters": 3,
        "locations": 2,
        "news": 4,
        "files": 2,
    }.items()
}


def list_url(kind: str, **query) -> str:
    url = reverse(f"api:{kind}-list")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_root_links_every_kind_and_the_licence(client):
    data = client.get(reverse("api:root")).json()
    assert set(data["kinds"]) == set(KINDS)
    assert data["license"]["name"] == "CC BY-SA 4.0"


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_pages_through_every_page_of_the_kind_by_cursor(client, kind):
    seen, url = [], list_url(kind, limit=3)
    while url:
        response = client.get(url)
        page = response.json()
        for item in results(response):
            assert set(item) == LIST_ITEM and item["kind"] == kind
            seen.append(item["id"])
        url = page["next"]
    model = kind_model(kind)
    assert seen == sorted(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_has_its_fields_relations_and_links(client, kind):
    model = kind_model(kind)
    page = model.objects.order_by("pk").last()
    data = client.get(reverse(f"api:{kind}-detail", kwargs={"slug": page.slug})).json()
    assert set(data) == DETAIL
    assert data["title"] == page.title and data["body"] == page.body
    assert data["revision"] == page.current_revision.number
    assert set(data["fields"]) == {f.name for f in scalar_fields(model)} - ENVELOPE
    relations = {f.name for f in m2m_fields(model)} | {n for n, _, _ in owned_relations(model)}
    assert set(data["relations"]) == relations
    assert data["license"]["url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert client.get(data["revisions_url"]).status_code == 200


def test_links_to_pages_are_summaries_with_their_api_and_site_addresses(client):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    data = client.get(reverse("api:scenes-detail", kwargs={"slug": scene.slug})).json()
    work = data["fields"]["work"]
    assert set(work) == SUMMARY and work["title"] == scene.work.title
    assert client.get(work["url"]).json()["id"] == scene.work_id
    assert work["html_url"] == f"http://testserver{scene.work.get_absolute_url()}"
    characters = {c["title"] for c in data["relations"]["characters"]}
    assert characters == {c.title for c in scene.characters.all()}
    quote = data["relations"]["quotes"][0]
    assert set(quote) == {"position", "speaker", "text"}
    assert quote["speaker"] is None or set(quote["speaker"]) == SUMMARY


def test_rows_that_are_not_pages_are_named(client):
    data = client.get(reverse("api:people-detail", kwargs={"slug": "al-pacino"})).json()
    assert {"id", "name"} == set(data["relations"]["roles"][0])
    credit = data["relations"]["credits"][0]
    assert credit["work"]["kind"] == "works" and credit["status"]


def test_unknown_pages_and_cursors_are_404s_and_bad_limits_400s(client):
    assert client.get(reverse("api:scenes-detail", kwargs={"slug": "no-such"})).status_code == 404
    missing = client.get("/api/v1/nothing-here/é/")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert client.get(list_url("scenes", cursor="garbage")).status_code == 404
    assert client.get(list_url("scenes", cursor="cD1hYmM=")).status_code == 404  # p=abc
    assert client.get(list_url("scenes", limit="lots")).status_code == 400
    assert client.get(list_url("scenes", limit="0")).status_code == 400
    assert client.get(list_url("scenes", limit="9" * 5000)).status_code == 400
    long_position = base64.b64encode(("p=" + "9" * 5000).encode()).decode()
    assert client.get(list_url("scenes", cursor=long_position)).status_code == 404


def test_only_reading_is_allowed(client):
    url = list_url("scenes")
    assert client.post(url, {}).status_code in {403, 405}
    assert client.delete(reverse("api:scenes-detail", kwargs={"slug": "heat"})).status_code in {
        403,
        405,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_costs_the_same_queries_whatever_its_size(
    client, kind, django_assert_num_queries, rate_counted
):
    for limit in (1, 200):
        with django_assert_num_queries(LIST_QUERIES):
            assert client.get(list_url(kind, limit=limit)).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_costs_the_same_queries_whatever_its_size(
    client, kind, django_assert_num_queries, rate_counted
):
    model = kind_model(kind)
    for page in (model.objects.order_by("pk").first(), model.objects.order_by("pk").last()):
        with django_assert_num_queries(DETAIL_QUERIES[kind]):
            url = reverse(f"api:{kind}-detail", kwargs={"slug": page.slug})
            assert client.get(url).status_code == 200


def test_a_scene_with_thirty_of_each_relation_costs_what_a_small_one_does(
    client, django_assert_num_queries, rate_counted
):
    scene = Scene.objects.order_by("pk").first()
    for n in range(30):
        place = Location.objects.create(title=f"Budget place {n}", slug=f"budget-place-{n}")
        person = Character.objects.create(title=f"Budget role {n}", slug=f"budget-role-{n}")
        scene.locations.add(place)
        SceneCharacter.objects.create(scene=scene, character=person)
        Quote.objects.create(scene=scene, speaker=person, text="A line.", position=n + 1)
    url = reverse("api:scenes-detail", kwargs={"slug": scene.slug})
    with django_assert_num_queries(DETAIL_QUERIES["scenes"]):
        data = client.get(url).json()
    assert len(data["relations"]["quotes"]) >= 30


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/recent-changes/?limit={limit}",
        "/api/v1/recent-changes/?kind=people&hideminor=true&limit={limit}",
        "/api/v1/search/?q=heat&limit={limit}",
    ],
)
def test_recent_changes_and_search_cost_the_same_queries_whatever_their_size(
    client, url, rate_counted
):
    counts = []
    for limit in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(limit=limit)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6 + RATE_COUNTER, counts


def test_search_finds_pages_and_refuses_empty_or_long_queries(client):
    data = client.get("/api/v1/search/?q=coffee").json()
    assert data["results"][0]["url"].startswith("http://testserver/api/v1/")
    assert "<mark>" in data["results"][0]["snippet_html"]
    assert client.get("/api/v1/search/?q=").status_code == 400
    assert client.get("/api/v1/search/?q=" + "x" * 201).status_code == 400
    assert client.get("/api/v1/search/?q=heat&offset=-1").status_code == 400
