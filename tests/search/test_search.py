"""Full-text search: the same tests on SQLite (FTS5) and PostgreSQL (tsvector), over the seed.

Only typo tolerance is PostgreSQL's alone (pg_trgm); everything else behaves the same on both.
"""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from heatwiki.edge.inputs import CONTROL_CHARACTERS
from heatwiki.news.models import NewsItem
from heatwiki.search import query as query_module
from heatwiki.search.models import SearchDocument
from heatwiki.search.query import QUERY_MAX_LENGTH, count_matches, fts5_query, search
from heatwiki.search.views import RESULTS_PER_PAGE
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.moderation import hide_revision
from heatwiki.wiki.services import save_page
from heatwiki.works.models import Work
from people.models import Character, Person
from scenes.models import Location, Scene
from tests import factories
from tests.wiki.test_views import form_data

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="typo tolerance uses PostgreSQL's pg_trgm"
)


def titles(query: str, limit: int = 100) -> list[str]:
    """The titles of the hits for ``query``, best first."""
    return [hit.page.title for hit in search(query, limit=limit)]


def slugs(query: str, limit: int = 100) -> list[tuple[str, str]]:
    return [(hit.page.page_kind, hit.page.slug) for hit in search(query, limit=limit)]


def edit(page, author, **data):
    outcome = save_page(page=type(page).objects.get(pk=page.pk), data=data, author=author)
    assert outcome.revision is not None
    return outcome.revision


class SnippetMarkup(HTMLParser):
    """The tags inside each search result snippet of a results page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.snippets = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag == "p"
            self.tags.append(tag)
        elif tag == "p" and ("class", "search-result__snippet") in attrs:
            self.depth, self.snippets = 1, self.snippets + 1

    def handle_endtag(self, tag):
        if self.depth and tag == "p":
            self.depth -= 1


# Ranking over the seeded content.


def test_a_place_name_finds_the_place_first():
    assert slugs("5th and Flower")[0] == ("locations", "fifth-and-flower")


def test_a_surname_finds_the_characters_before_pages_that_mention_them():
    hits = slugs("Shiherlis")
    assert set(hits[:2]) == {
        ("characters", "chris-shiherlis"),
        ("characters", "charlene-shiherlis"),
    }
    # Pages that only mention the Shiherlises follow: their players, their scenes, the film.
    assert ("people", "val-kilmer") in hits[2:]
    assert ("scenes", "charlene-s-warning") in hits[2:]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Heat", ("works", "heat")),
        ("heat", ("works", "heat")),
        ("Heat 2 (novel)", ("works", "heat-2-novel")),
        ("the coffee-shop stand-off", ("scenes", "coffee-shop-stand-off")),
        ("Waingro", ("characters", "waingro")),
        ("Los Angeles International Airport (LAX)", ("locations", "lax")),
    ],
)
def test_a_query_equal_to_a_title_finds_that_page_first(query, expected):
    assert slugs(query)[0] == expected


def test_a_title_shared_by_two_kinds_puts_both_first():
    assert set(slugs("Neil McCauley")[:2]) == {
        ("characters", "neil-mccauley"),
        ("people", "neil-mccauley"),
    }


def test_a_title_match_ranks_above_a_body_only_match():
    # The body-only page says the word more often and is shorter: only the title (not equal
    # to the query) tells them apart, and it must win.
    mentions = factories.LocationFactory(
        title="Quarry by the river",
        body="Zorblax. Zorblax again, and Zorblax once more: the Zorblax of it all.",
        description="Where Zorblax happens.",
    )
    titled = factories.LocationFactory(
        title="The Zorblax works",
        description="A place.",
        body=(
            "A long account of an unremarkable place, told at length, with many sentences "
            "about the weather, the streets, the light and the people who pass by. "
        )
        * 6,
    )
    assert titles("zorblax") == [titled.title, mentions.title]
    assert titles("ZORBLAX river") == [mentions.title]


def test_a_phrase_in_the_title_outranks_the_same_phrase_in_bodies():
    page = factories.SceneFactory(title="Grimsby ferry crossing", body="Nothing to say.")
    factories.PersonFactory(
        title="Ferry captain", body="He ran the Grimsby ferry crossing. Grimsby ferry crossing!"
    )
    assert titles('"grimsby ferry crossing"')[0] == page.title


# Every kind can be found.


@pytest.mark.parametrize(
    ("query", "model", "slug"),
    [
        ("tactical training Amazon", Work, "heat-2-film"),
        ("180-degree rule", Scene, "coffee-shop-stand-off"),
        ("Godfather Pacino", Person, "al-pacino"),
        ("remnants of dead people", Scene, "hanna-comes-home"),
        ("Chuck Adamson detective", Character, "vincent-hanna"),
        ("runways airport", Location, "lax"),
        ("TheWrap", NewsItem, "dicaprio-and-bale-join-heat-2"),
    ],
)
def test_every_kind_is_found_by_its_words(query, model, slug):
    hits = search(query, limit=100)
    found = {(hit.page.slug, hit.kind_name) for hit in hits}
    assert (slug, str(model._meta.verbose_name)) in found


def test_every_kind_is_found_by_a_word_of_its_fields():
    # Fields and relations are indexed too, not only the title and body.
    work = factories.WorkFactory(title="Blank one", body="", description="Quixotry of a film.")
    person = factories.PersonFactory(title="Blank two", body="", description="Quixotry, a man.")
    scene = factories.SceneFactory(title="Blank three", body="", work=work)
    character = factories.CharacterFactory(title="Blank four", body="", description="Quixotry.")
    location = factories.LocationFactory(title="Blank five", body="", address="Quixotry Lane")
    news = factories.NewsItemFactory(title="Blank six", body="", source_name="Quixotry Times")
    found = set(titles("quixotry"))
    assert {work.title, person.title, character.title, location.title, news.title} <= found
    # A scene is found by the title of its work, which is one of its fields.
    assert scene.title in titles("Blank one")


# Query syntax.


@pytest.fixture
def shootout_pages():
    together = factories.SceneFactory(
        title="Together", body="The whole downtown shootout was filmed in nine days."
    )
    apart = factories.SceneFactory(
        title="Apart", body="Downtown was quiet. Later, a shootout far from there."
    )
    return together, apart


def test_a_quoted_phrase_finds_the_words_together_only(shootout_pages):
    together, apart = shootout_pages
    found = titles('"downtown shootout"')
    assert together.title in found
    assert apart.title not in found
    assert {"Heat", "Chris Shiherlis"} <= set(found)  # seeded pages with the phrase
    # Without quotes the words may stand apart.
    assert {together.title, apart.title} <= set(titles("downtown shootout"))


def test_an_unclosed_quote_is_a_phrase_to_the_end(shootout_pages):
    together, apart = shootout_pages
    found = titles('"downtown shootout')
    assert together.title in found
    assert apart.title not in found


def test_a_minus_leaves_a_word_out(shootout_pages):
    together, apart = shootout_pages
    assert titles("shootout nine -quiet") == [together.title]
    assert apart.title in titles("shootout quiet")
    assert apart.title not in titles("shootout -quiet")
    # Seeded: pages about the novel are left out, the others stay.
    found = titles("heat 2 -novel")
    assert {"Otis Wardell", "Adam Driver"} <= set(found)
    assert "Heat 2 (novel)" not in found
    assert "Heat 2 (film)" not in found  # "… adaptation of Michael Mann's 2022 novel"
    assert not any("novel" in hit.snippet.lower() for hit in search("heat 2 -novel"))


def test_a_minus_leaves_a_phrase_out(shootout_pages):
    together, apart = shootout_pages
    found = titles('shootout -"downtown shootout"')
    assert apart.title in found
    assert together.title not in found


def test_or_finds_either_word():
    first = factories.CharacterFactory(title="First", body="A zebulon.")
    second = factories.CharacterFactory(title="Second", body="A xanthippe.")
    assert set(titles("zebulon or xanthippe")) == {first.title, second.title}
    assert set(titles("zebulon OR xanthippe")) == {first.title, second.title}
    assert titles("zebulon xanthippe") == []
    # Seeded: the airport and the balcony.
    found = set(titles("airport or balcony"))
    assert {"Los Angeles International Airport (LAX)", "Charlene's balcony"} <= found


@pytest.mark.parametrize(
    "query", ["-heat", "-xyzzy", '-"no such phrase"', "-", "*", "OR", '""', "--", "- * ( )"]
)
def test_a_query_with_nothing_to_look_for_finds_nothing(query):
    # Only exclusions would be every page but those (PostgreSQL's reading of "-xyzzy"): no.
    assert search(query) == [] and count_matches(query) == 0


def test_punctuation_terms_do_not_stop_the_other_words_matching():
    heat = set(titles("heat"))
    assert heat
    for query in ["heat -", "heat *", "heat ( )", 'heat "-"', "heat _"]:
        assert set(titles(query)) == heat, query


def test_every_term_reaches_fts5_quoted():
    assert fts5_query('heat "coffee shop" -novel or film') == (
        '"heat" AND ("coffee shop" OR "film") NOT "novel"'
    )
    assert fts5_query('NEAR( AND a"b') == '"NEAR(" AND "AND" AND "a b"'
    assert fts5_query("-heat") == ""


# Typos (PostgreSQL).


@postgresql_only
def test_misspelt_names_find_the_titles():
    assert set(slugs("shierlis")[:2]) == {
        ("characters", "chris-shiherlis"),
        ("characters", "charlene-shiherlis"),
    }
    assert slugs("De Nero")[0] == ("people", "robert-de-niro")
    assert slugs("Neil McCauly")[0][1] == "neil-mccauley"
    assert ("scenes", "coffee-shop-stand-off") in slugs("the coffe-shop stnad-off")[:2]
    # Phrases, exclusions and "or" say exactly what to find: no guessing.
    for query in ('"shierlis"', "shierlis -heat", "shierlis or x"):
        assert search(query) == [] and count_matches(query) == 0


@postgresql_only
def test_typo_matching_does_not_add_to_words_that_match():
    # "Michael Cheritto" looks like "Michael Mann", but the words themselves find pages.
    found = titles("Michael Mann")
    assert found[0] == "Michael Mann"
    assert "Michael Cheritto" not in found


# The index follows the revisions.


def test_a_page_edited_a_moment_ago_is_found_by_its_new_words(editor):
    page = factories.LocationFactory(title="Old name", body="A marmalade factory.")
    assert titles("marmalade") == ["Old name"]
    edit(page, editor, title="New name", body="A tangerine warehouse.")
    assert titles("marmalade") == []
    assert titles("tangerine") == ["New name"]
    assert titles("New name")[0] == "New name"
    assert "Old name" not in titles("old name")


def test_a_page_edited_through_the_site_is_found_at_once(editor, client):
    client.force_login(editor)
    page = Location.objects.get(slug="lax")
    data = form_data(client.get(page.kind_url("edit")))
    data["body"] = "Planes and a quokkaesque runway."
    response = client.post(page.kind_url("edit"), data)
    assert response.status_code == 302
    assert titles("quokkaesque") == [page.title]
    assert page.title not in titles('"flicker across the two men"')


def test_hidden_revisions_are_never_found(editor, moderator):
    page = factories.CharacterFactory(title="Victim", body="A decent page about a character.")
    vandalism = edit(
        page, editor, title="Victim xylovandal", body="xylovandal wuz here, xylovandal rules"
    )
    assert titles("xylovandal") == ["Victim xylovandal"]
    hide_revision(revision=vandalism, moderator=moderator, reason="Vandalism")
    assert titles("xylovandal") == []
    assert titles('"decent page"') == ["Victim"]
    document = SearchDocument.objects.get(page=page)
    assert "xylovandal" not in f"{document.title} {document.fields_text} {document.body_text}"


def test_hiding_an_old_revision_leaves_the_index_alone(editor, moderator):
    page = factories.CharacterFactory(title="Patient", body="Calm text.")
    vandalism = edit(page, editor, body="Calm text. qwertyvandal")
    edit(page, editor, body="Calm text, cleaned up.")
    hide_revision(revision=vandalism, moderator=moderator, reason="Vandalism")
    assert titles("qwertyvandal") == []
    assert titles("cleaned") == ["Patient"]


def test_a_deleted_page_is_not_found():
    page = factories.NewsItemFactory(title="Short-lived", body="Ephemeralish news.")
    assert titles("ephemeralish") == ["Short-lived"]
    page.delete()
    assert titles("ephemeralish") == []
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()


def test_the_index_can_be_rebuilt_from_the_revisions():
    factories.WorkFactory(title="Rebuilt", body="A palimpsest.")
    expected = titles("palimpsest"), count_matches("Shiherlis")
    SearchDocument.objects.all().delete()
    assert search("palimpsest") == [] and count_matches("palimpsest") == 0
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert out.getvalue() == f"Indexed {WikiPage.objects.count()} pages.\n"
    assert (titles("palimpsest"), count_matches("Shiherlis")) == expected


# Snippets.


def test_snippets_escape_text_and_mark_only_the_matches():
    page = factories.SceneFactory(
        title="Zanzibar <b>bold</b> & <i>co</i>",
        body=(
            "Zanzibar starts here <script>alert(1)</script> and `<script>alert(2)</script>` "
            "then <b>zanzibar</b> & more."
        ),
    )
    total, hits = count_matches("zanzibar"), search("zanzibar")
    assert total == 1 and hits[0].page.pk == page.pk
    snippet = str(hits[0].snippet)
    assert "<mark>" in snippet
    assert "alert(2)" in snippet
    # SQLite shows the text as it is, escaped; PostgreSQL's ts_headline drops what looks
    # like a tag. Either way no markup but <mark> comes out.
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    if connection.vendor == "sqlite":
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in snippet


def test_snippets_cannot_take_markers_from_the_text():
    # STX/ETX mark matches inside the database; a body holding them must not open a <mark>.
    for body in ["", "Un\x02opened quinquagenarian \x02"]:
        page = factories.SceneFactory(
            title="Control", description="Un\x02opened quinquagenarian \x02", body=body
        )
        snippet = str(search("quinquagenarian")[0].snippet)
        assert snippet.count("<mark>") == snippet.count("</mark>") <= 1
        assert "<mark>opened" not in snippet
        page.delete()


def test_the_results_page_escapes_titles_bodies_and_the_query(client):
    factories.SceneFactory(
        title="Zanzibar <b>bold</b>",
        body="Zanzibar <script>alert(1)</script> and `<script>alert(2)</script>` <b>x</b>.",
    )
    response = client.get(reverse("search"), {"q": "<b>Zanzibar</b> <script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>" not in html
    assert "<script>" not in html
    site_scripts = (
        '<script src="/static/js/suggest.js" defer>',
        '<script src="/static/js/site.js" defer>',
        '<script src="/static/js/community.js" defer>',
    )
    for script in site_scripts:
        html = html.replace(script, "")
    assert "<script" not in html
    assert "&lt;b&gt;Zanzibar&lt;/b&gt;" in html  # the query, echoed back escaped

    response = client.get(reverse("search"), {"q": "zanzibar"})
    html = response.content.decode()
    assert "Zanzibar &lt;b&gt;bold&lt;/b&gt;" in html
    snippets = SnippetMarkup()
    snippets.feed(html)
    assert snippets.snippets == 1
    assert set(snippets.tags) == {"mark"}


def test_the_results_page_shows_kind_snippet_and_link(client):
    response = client.get(reverse("search"), {"q": "5th and Flower"})
    hit = response.context["hits"][0]
    html = response.content.decode()
    assert hit.page.slug == "fifth-and-flower"
    assert hit.kind_name == "location"
    assert f'href="{hit.page.get_absolute_url()}"' in html
    assert re.search(r"<mark>[^<]*Flower</mark>", html)


def test_an_exact_title_is_offered_above_the_results(client):
    response = client.get(reverse("search"), {"q": "al pacino"})
    assert response.context["exact"].slug == "al-pacino"
    assert 'class="search-exact"' in response.content.decode()


# The search page.


def test_an_empty_query_shows_help(client):
    for params in [{}, {"q": ""}, {"q": "   "}]:
        response = client.get(reverse("search"), params)
        assert response.status_code == 200
        assert 'class="search-help"' in response.content.decode()
        assert "hits" not in response.context


def test_a_query_too_long_is_refused_with_a_reason(client):
    response = client.get(reverse("search"), {"q": "a" * QUERY_MAX_LENGTH})
    assert response.status_code == 200
    response = client.get(reverse("search"), {"q": "a" * (QUERY_MAX_LENGTH + 1)})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"at most {QUERY_MAX_LENGTH} characters" in html
    assert 'role="alert"' in html
    assert "hits" not in response.context


def test_results_come_in_pages(client):
    made = {
        factories.NewsItemFactory(title=f"Paginated {n:02}", body="Pagerific news.").pk
        for n in range(RESULTS_PER_PAGE + 5)
    }
    first = client.get(reverse("search"), {"q": "pagerific"})
    second = client.get(reverse("search"), {"q": "pagerific", "page": 2})
    assert first.status_code == second.status_code == 200
    on_first = [hit.page.pk for hit in first.context["hits"]]
    on_second = [hit.page.pk for hit in second.context["hits"]]
    assert len(on_first) == RESULTS_PER_PAGE
    assert len(on_second) == 5
    assert set(on_first) | set(on_second) == made
    assert not set(on_first) & set(on_second)
    assert first.context["page_obj"].paginator.count == RESULTS_PER_PAGE + 5
    assert "25 results" in first.content.decode()
    assert 'href="?page=2&amp;q=pagerific"' in first.content.decode()
    assert 'start="21"' in second.content.decode()
    # Past the end: the last page, not an error; not a number: the first.
    past_the_end = client.get(reverse("search"), {"q": "pagerific", "page": 9})
    assert [hit.page.pk for hit in past_the_end.context["hits"]] == on_second
    not_a_number = client.get(reverse("search"), {"q": "pagerific", "page": "x"})
    assert [hit.page.pk for hit in not_a_number.context["hits"]] == on_first
    far_past_the_end = client.get(reverse("search"), {"q": "pagerific", "page": 10**30})
    assert [hit.page.pk for hit in far_past_the_end.context["hits"]] == on_second


def test_nothing_found_says_so(client):
    response = client.get(reverse("search"), {"q": "xyzzyplugh"})
    assert response.status_code == 200
    assert "0 results" in response.content.decode()
    assert "Nothing matches" in response.content.decode()


MALFORMED = [
    '"',
    '"unbalanced quote',
    'two "quotes" "and one',
    "-",
    "- -",
    "--heat",
    "-heat",
    "heat -",
    "AND",
    "heat AND",
    "AND heat",
    "OR",
    "heat or",
    "or heat",
    "NOT heat",
    "NEAR(",
    "NEAR(heat coffee, 2)",
    "*",
    "heat*",
    "*heat",
    "^heat",
    "title:heat",
    "{title}: heat",
    "heat:",
    "(",
    ")",
    "((heat)",
    "'",
    "' OR 1=1 --",
    "%",
    "%_%",
    "\\",
    "heat\x00",
    "\x00",
    "\x02heat\x03",
    "日本語",
    "😀",
    "!!!",
    "&",
    "<->",
    "heat <-> coffee",
    "heat | coffee",
    "heat & !coffee",
    "a:*",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_syntax_never_fails(client, query):
    # Control characters are refused with a 400 before search (heatwiki.edge.middleware).
    expected = 400 if CONTROL_CHARACTERS.search(query) else 200
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == expected
    assert client.get(reverse("search-suggest"), {"q": query}).status_code == expected


# Common words.


def test_a_word_on_more_pages_than_are_counted_says_more_than(client, monkeypatch):
    from heatwiki.search import views as search_views

    monkeypatch.setattr(query_module, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search_views, "COUNT_LIMIT", 3)
    for n in range(5):
        factories.SceneFactory(title=f"Scene {n}", body="The quokka crosses the road.")
    assert count_matches("quokka") == 4
    html = client.get("/search/", {"q": "quokka"}).content.decode()
    assert "More than 3 results for" in html


def test_every_result_shown_of_a_word_on_many_pages_has_been_ranked(client, monkeypatch):
    from heatwiki.search import views as search_views

    monkeypatch.setattr(query_module, "RANK_LIMIT", 4)
    monkeypatch.setattr(query_module, "COUNT_LIMIT", 4)
    monkeypatch.setattr(search_views, "COUNT_LIMIT", 4)
    monkeypatch.setattr(search_views, "RESULTS_PER_PAGE", 2)
    for n in range(7):
        factories.SceneFactory(title=f"Scene {n}", body="The wombat crosses the road.")
    pages = [client.get("/search/", {"q": "wombat", "page": n}) for n in (1, 2, 3)]
    assert "More than 4 results for" in pages[0].content.decode()
    shown = [[hit.page.pk for hit in page.context["hits"]] for page in pages]
    # Two full pages, then the last page again: four distinct results, as counted.
    assert len(shown[0]) == len(shown[1]) == 2 and shown[2] == shown[1]
    assert len(set(shown[0] + shown[1])) == 4


@postgresql_only
def test_when_a_word_is_everywhere_titles_still_rank_first(monkeypatch):
    """Only RANK_LIMIT pages matching in their text are ranked, besides every title match."""
    monkeypatch.setattr(query_module, "RANK_LIMIT", 2)
    for n in range(6):
        factories.SceneFactory(title=f"Scene {n}", body="The quokka crosses the road.")
    factories.LocationFactory(title="Quokka Island", body="Off the coast.")
    factories.CharacterFactory(title="Quokka", body="A small marsupial.")
    found = titles("quokka")
    assert found[:2] == ["Quokka", "Quokka Island"]
    assert len(found) == 4  # the two titles and two of the six scenes
