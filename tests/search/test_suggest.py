"""Title suggestions: what the header search box and "[[" in the editor offer as one types."""

from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse

from heatwiki.accounts import ratelimit
from heatwiki.search.views import SUGGESTIONS
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.moderation import hide_revision
from heatwiki.wiki.services import save_page
from tests import factories

pytestmark = pytest.mark.django_db

KEYS = {"id", "title", "kind", "kind_name", "url"}


def suggest(client, q, **extra):
    response = client.get(reverse("search-suggest"), {"q": q}, **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


@pytest.mark.parametrize("typed", ["N", "Ne", "Nei", "Neil", "neil", "NEIL", "Neil ", "Neil Mc"])
def test_a_prefix_as_typed_after_brackets_offers_the_pages(client, typed):
    results = suggest(client, typed)
    mccauleys = {(r["kind"], r["url"]) for r in results if r["title"] == "Neil McCauley"}
    assert mccauleys == {
        ("characters", reverse("characters:detail", kwargs={"slug": "neil-mccauley"})),
        ("people", reverse("people:detail", kwargs={"slug": "neil-mccauley"})),
    }


def test_suggestions_give_each_page_its_kind_and_address(client):
    results = suggest(client, "Neil")
    # Titles starting with the text, in alphabetical order whatever their case, then titles
    # containing it.
    assert [r["title"] for r in results] == [
        "Neil drives home",
        "Neil McCauley",
        "Neil McCauley",
        "Neil McCauley's house",
        "Stephen Graham in talks to play Neil McCauley in Heat 2",
    ]
    for result in results:
        page = WikiPage.objects.get(title=result["title"], page_kind=result["kind"])
        assert result["url"] == page.get_absolute_url()
    assert {(r["kind"], r["kind_name"]) for r in results} == {
        ("scenes", "scene"),
        ("characters", "character"),
        ("people", "person"),
        ("locations", "location"),
        ("news", "news item"),
    }


def test_suggestions_carry_public_data_only(client):
    for q in ["Neil", "heat", "la", "the"]:
        results = suggest(client, q)
        assert results
        for result in results:
            assert set(result) == KEYS
            assert all(isinstance(value, str) for value in result.values())


def test_titles_starting_with_the_text_come_before_titles_containing_it(client):
    results = [r["title"] for r in suggest(client, "heat")]
    assert len(results) == SUGGESTIONS
    starting = [title for title in results if title.casefold().startswith("heat")]
    assert starting == ["Heat", "Heat 2 (film)", "Heat 2 (novel)", starting[3]]
    assert results[: len(starting)] == starting
    assert all("heat" in title.casefold() for title in results)
    # Titles that only contain the text.
    assert "McCauley" in suggest(client, "mccauley")[0]["title"]


@pytest.mark.parametrize("q", ["", " ", "   "])
def test_no_text_no_suggestions(client, q):
    assert suggest(client, q) == []


def test_no_query_parameter_no_suggestions(client):
    response = client.get(reverse("search-suggest"))
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_wildcards_are_plain_text(client):
    assert suggest(client, "%") == []
    assert suggest(client, "_") == []
    page = factories.PersonFactory(title="100% Fan_Name")
    assert [r["title"] for r in suggest(client, "100%")] == [page.title]
    assert [r["title"] for r in suggest(client, "fan_")] == [page.title]


def test_a_hidden_title_is_not_suggested(client, editor, moderator):
    page = factories.CharacterFactory(title="Kind words")
    data = {"title": "Zygoteslur the vandal"}
    outcome = save_page(page=type(page).objects.get(pk=page.pk), data=data, author=editor)
    assert [r["title"] for r in suggest(client, "zygote")] == ["Zygoteslur the vandal"]
    hide_revision(revision=outcome.revision, moderator=moderator, reason="Vandalism")
    assert suggest(client, "zygote") == []
    assert [r["title"] for r in suggest(client, "kind words")] == ["Kind words"]


@override_settings(HEATWIKI_SUGGEST_RATE="3/m")
def test_suggestions_are_rate_limited_per_address(client, monkeypatch):
    # One fixed minute, so the window cannot turn over during the test.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 6_000_000.0))
    for _ in range(3):
        assert suggest(client, "Neil")
    response = client.get(reverse("search-suggest"), {"q": "Neil"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "results" not in response.json()
    assert response.json()["error"]
    # Empty queries count too: the limit is on requests.
    assert client.get(reverse("search-suggest"), {"q": ""}).status_code == 429
    # Another address has its own count.
    assert suggest(client, "Neil", REMOTE_ADDR="192.0.2.7")
    # The next minute starts afresh.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 6_000_060.0))
    assert suggest(client, "Neil")


def test_the_rate_limit_is_generous_by_default(client, settings):
    assert settings.HEATWIKI_SUGGEST_RATE == "120/m"
    for _ in range(30):
        suggest(client, "h")


def test_only_get_is_allowed(client):
    assert client.post(reverse("search-suggest"), {"q": "Neil"}).status_code == 405


def test_the_search_boxes_point_at_suggestions(client, editor):
    url = reverse("search-suggest")
    assert f'data-suggest="{url}"' in client.get("/").content.decode()
    client.force_login(editor)
    form = client.get(reverse("scenes:edit", kwargs={"slug": "coffee-shop-stand-off"}))
    assert f'data-suggest="{url}"' in form.content.decode()


def test_suggestions_keep_to_one_kind_when_asked_and_give_each_page_s_id(client):
    response = client.get(reverse("search-suggest"), {"q": "Neil", "kind": "characters"})
    results = response.json()["results"]
    assert [(r["title"], r["kind"]) for r in results] == [("Neil McCauley", "characters")]
    mccauley = WikiPage.objects.get(page_kind="characters", title="Neil McCauley")
    assert results[0]["id"] == str(mccauley.pk)


def test_an_unknown_kind_is_a_400(client):
    response = client.get(reverse("search-suggest"), {"q": "Neil", "kind": "villains"})
    assert response.status_code == 400
    assert "villains" in response.json()["error"]
