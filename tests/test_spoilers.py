"""Spoiler layers: what a reader leaves out is withheld by the server everywhere it could show.

Every layer set (each subset of the three works, and no choice at all) is checked against
marker strings placed in each work's content: passages of a body, a scene with its quote, a
credit, a news item. A marker of a work the reader left out must be in no page, no link
preview, no JSON-LD, no search snippet, no suggestion and no feed; one of a work they chose
must be shown.
"""

import itertools
import json
import re

import pytest
from django.test import Client

from heatwiki.wiki.layers import COOKIE, encode, known_layers
from heatwiki.works.models import Work
from people.models import Credit
from tests.factories import (
    CharacterFactory,
    CreditFactory,
    NewsItemFactory,
    PersonFactory,
    QuoteFactory,
    SceneFactory,
    UserFactory,
)

WORKS = ["heat", "heat-2-novel", "heat-2-film"]
# What each work's content says, in bodies, titles and rows; no other text has these.
BODY = {"heat": "zqfilmonebody", "heat-2-novel": "zqnovelbody", "heat-2-film": "zqfilmtwobody"}
SCENE = {"heat": "Zqfilmonescene", "heat-2-novel": "Zqnovelscene", "heat-2-film": "Zqfilmtwoscene"}
QUOTE = {"heat": "zqfilmonequote", "heat-2-novel": "zqnovelquote", "heat-2-film": "zqfilmtwoquote"}
ACTOR = {"heat": "Zqfilmoneactor", "heat-2-film": "Zqfilmtwoactor"}
NEWS = {"heat": "Zqfilmonenews", "heat-2-film": "Zqfilmtwonews"}
LAYER_SETS = [
    frozenset(chosen) for n in range(len(WORKS) + 1) for chosen in itertools.combinations(WORKS, n)
]


def markers(work: str) -> list[str]:
    # An actor's own page is no spoiler (the person exists); their credit is: see below.
    return [BODY[work], SCENE[work], QUOTE[work]] + ([NEWS[work]] if work in NEWS else [])


@pytest.fixture
def content(db):
    works = {work.slug: work for work in Work.objects.filter(slug__in=WORKS)}
    body = "Chris is a thief.\n\n" + "\n\n".join(
        f"::: spoiler {slug}\nIn this work: {BODY[slug]}.\n:::" for slug in WORKS
    )
    chris = CharacterFactory(title="Zqchris Shiherlis", slug="zqchris", body=body)
    chris.works.set(works.values())
    pages = {"character": chris}
    for slug, work in works.items():
        scene = SceneFactory(
            title=SCENE[slug], slug=f"scene-{slug}", work=work, position=900, body="A scene."
        )
        scene.characters.add(chris)
        QuoteFactory(scene=scene, text=QUOTE[slug], speaker=chris)
        pages[f"scene-{slug}"] = scene
        if slug in ACTOR:
            actor = PersonFactory(title=ACTOR[slug], slug=f"actor-{slug}")
            CreditFactory(person=actor, work=work, character=chris, status=Credit.Status.IN_TALKS)
        if slug in NEWS:
            item = NewsItemFactory(
                title=NEWS[slug], slug=f"news-{slug}", body=f"News {NEWS[slug].lower()}body."
            )
            item.works.set([work])
            pages[f"news-{slug}"] = item
    return pages


def reader(seen: frozenset | None) -> Client:
    client = Client()
    if seen is not None:
        client.cookies[COOKIE] = encode(seen, known_layers())
    return client


def everything_text(client: Client, pages: dict) -> str:
    """All a reader can get: the pages (with their JSON-LD and link previews), lists, the
    home page, search results and suggestions for every marker, and the feeds."""
    texts = []
    for page in pages.values():
        texts.append(client.get(page.get_absolute_url()).content.decode())
    addresses = ["/", "/scenes/", "/news/", "/news/feed/", "/recent-changes/", "/timeline/"]
    for address in [*addresses, "/recent-changes/feed/", "/users/HeatWiki/", "/map/"]:
        texts.append(client.get(address).content.decode())
    for work in WORKS:
        for marker in markers(work):
            texts.append(searched(client, marker))
            texts.append(client.get("/search/suggest/", {"q": marker[:8]}).content.decode())
    texts.append(searched(client, "Zqchris"))
    return "\n".join(texts)


def searched(client: Client, query: str) -> str:
    """A results page without the query it repeats (in its title, its box, its links)."""
    html = client.get("/search/", {"q": query}).content.decode()
    return re.sub(re.escape(query), "", html, flags=re.IGNORECASE)


@pytest.mark.parametrize("seen", LAYER_SETS, ids=lambda s: "+".join(sorted(s)) or "nothing")
def test_each_layer_set_withholds_exactly_the_works_left_out(content, seen):
    text = everything_text(reader(seen), content)
    for work in WORKS:
        for marker in markers(work):
            if work in seen:
                assert marker.lower() in text.lower(), f"{marker} of {work} is missing"
            else:
                assert marker.lower() not in text.lower(), f"{marker} of {work} leaked"
    # Who plays the character in each work: on the character's page only for works seen.
    client = reader(seen)
    character = client.get(content["character"].get_absolute_url()).content.decode()
    for work, actor in ACTOR.items():
        assert (actor in character) == (work in seen), f"{actor}'s credit in {work}"


@pytest.mark.parametrize("seen", LAYER_SETS, ids=lambda s: "+".join(sorted(s)) or "nothing")
def test_the_sitemap_lists_only_the_pages_of_works_seen(content, seen):
    sitemap = reader(seen).get("/sitemap.xml").content.decode()
    for work in WORKS:
        address = content[f"scene-{work}"].get_absolute_url()
        assert (address in sitemap) == (work in seen), f"{address} for {sorted(seen)}"
    # In every work: hidden only when none is seen.
    assert (content["character"].get_absolute_url() in sitemap) == bool(seen)


def test_no_choice_and_a_junk_cookie_show_everything(content):
    for client in (reader(None), Client()):
        client.cookies[COOKIE] = "heat.not-a-work"
        html = client.get(content["character"].get_absolute_url()).content.decode()
        assert all(BODY[work] in html for work in WORKS)
        assert "Spoilers?" in html  # the first-visit prompt, as for no cookie at all


def structured(html: str) -> str:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(match.group(1)) if match else {}


def test_json_ld_and_link_previews_leave_out_hidden_casting(content):
    work = Work.objects.get(slug="heat-2-film")
    for status in (Credit.Status.CONFIRMED,):
        Credit.objects.filter(work=work, person__title=ACTOR["heat-2-film"]).update(status=status)
    film_only = reader(frozenset({"heat"}))
    html = film_only.get(work.get_absolute_url()).content.decode()
    assert ACTOR["heat-2-film"] not in json.dumps(structured(html))
    assert ACTOR["heat-2-film"] not in html
    everything = reader(frozenset(WORKS)).get(work.get_absolute_url()).content.decode()
    assert ACTOR["heat-2-film"] in json.dumps(structured(everything))
    # A scene of the novel, for a reader of the film alone: a notice, not even its title.
    scene = film_only.get(content["scene-heat-2-novel"].get_absolute_url()).content.decode()
    assert SCENE["heat-2-novel"] not in scene
    assert 'og:title" content="Hidden' not in scene or SCENE["heat-2-novel"] not in scene
    assert "the novel Heat 2" in scene and "/my-heat/?show=heat-2-novel" in scene


def test_the_notice_names_the_work_and_counts_what_it_hides(content):
    client = reader(frozenset({"heat"}))
    html = client.get(content["character"].get_absolute_url()).content.decode()
    assert "1 paragraph about the novel Heat 2 hidden" in html
    assert "1 paragraph about the film Heat 2 hidden" in html
    assert "show=heat-2-novel" in html and "next=%2Fcharacters%2Fzqchris%2F" in html


def test_the_page_cache_never_serves_one_layer_set_to_another(content):
    address = content["character"].get_absolute_url()
    film_only, everything = reader(frozenset({"heat"})), reader(frozenset(WORKS))
    for _ in range(2):  # the second round is served from the page cache
        first = film_only.get(address)
        second = everything.get(address)
        assert BODY["heat-2-novel"] not in first.content.decode()
        assert BODY["heat-2-novel"] in second.content.decode()
        assert first["ETag"] != second["ETag"]
    # A stored page of one set answers 304 to no other set's ETag.
    assert everything.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_junk_cookies_share_the_default_page(content):
    from heatwiki.pagecache.variants import variant

    keys = set()
    for value in ["", "junk", "heat.heat", "heat.nope", "x" * 500, "all", "heat-2-novel.heat"]:
        client = reader(None)
        client.cookies[COOKIE] = value
        request = client.get("/").wsgi_request
        keys.add(variant(request))
    # Junk is the default; "heat-2-novel.heat" is the canonical "heat.heat-2-novel".
    assert keys == {"unset", "all", "heat.heat-2-novel"}


def test_switching_takes_effect_at_once(content):
    client = Client()
    address = content["character"].get_absolute_url()
    assert BODY["heat-2-novel"] in client.get(address).content.decode()
    response = client.post("/my-heat/", {"seen": ["heat"], "next": address})
    assert response.status_code == 302 and response["Location"] == address
    assert client.cookies[COOKIE].value == "heat"
    html = client.get(address).content.decode()
    assert BODY["heat-2-novel"] not in html and BODY["heat"] in html
    # The notice's link ticks the work; saving shows it again.
    form = client.get("/my-heat/", {"show": "heat-2-novel", "next": address}).content.decode()
    assert re.search(r'value="heat-2-novel"[^>]*checked', form)
    client.post("/my-heat/", {"seen": ["heat", "heat-2-novel"], "next": address})
    assert BODY["heat-2-novel"] in client.get(address).content.decode()


def test_my_heat_refuses_unknown_works_and_foreign_next(content):
    client = Client()
    assert client.post("/my-heat/", {"seen": ["nope"]}).status_code == 400
    response = client.post("/my-heat/", {"seen": ["heat"], "next": "https://evil.example/"})
    assert response["Location"] == "/my-heat/"


def test_signed_in_choice_is_kept_with_the_account(content):
    user = UserFactory(username="layered")
    client = Client()
    client.force_login(user)
    client.post("/my-heat/", {"seen": ["heat", "heat-2-film"]})
    assert user.layer_choice.seen == "heat.heat-2-film"
    # Another browser: signing in brings the choice, and its cookie.
    other = Client()
    other.post("/accounts/login/", {"login": "layered", "password": "correct horse battery staple"})
    assert other.cookies[COOKIE].value == "heat.heat-2-film"
    html = other.get(content["character"].get_absolute_url()).content.decode()
    assert BODY["heat-2-novel"] not in html and BODY["heat-2-film"] in html


def test_a_choice_made_before_signing_in_is_saved_with_the_account(content):
    user = UserFactory(username="newcomer-layers")
    client = reader(frozenset({"heat"}))
    client.post(
        "/accounts/login/", {"login": user.username, "password": "correct horse battery staple"}
    )
    user.refresh_from_db()
    assert user.layer_choice.seen == "heat"


def test_old_revisions_withhold_too(content):
    character = content["character"]
    html = reader(frozenset({"heat"})).get(character.kind_url("revision", number=1)).content
    assert BODY["heat-2-novel"] not in html.decode() and BODY["heat"] in html.decode()


def test_a_reader_who_sees_everything_costs_no_query_more(content, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    address = content["character"].get_absolute_url()
    counts = []
    for seen in (None, frozenset(WORKS)):
        client = reader(seen)
        client.get("/")  # the list of works is read once per process, then kept
        from django.core.cache import caches

        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_my_heat_query_budget(content, django_assert_max_num_queries):
    client = Client()
    client.get("/my-heat/")
    with django_assert_max_num_queries(1):
        assert client.get("/my-heat/").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.post("/my-heat/", {"seen": ["heat"]}).status_code == 302
