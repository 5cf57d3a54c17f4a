"""What crawlers and link previews read: the sitemap, robots.txt, JSON-LD and OpenGraph tags."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from heatwiki.news.models import NewsItem
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.services import save_page
from heatwiki.works.models import Work
from people.models import Character, Person
from scenes.models import Location, Scene
from tests import factories

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE_TITLE = "Evil </script><script>alert(1)</script> & \"quotes\" <!-- 'n' <b>"


class Head(HTMLParser):
    """The meta tags (property or name → content) and the JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[str] = []
        self.scripts = 0
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "script":
            self.scripts += 1
            self._in_json_ld = attrs.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False


def head_of(client, page) -> Head:
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    head = Head()
    head.feed(response.content.decode())
    head.close()
    return head


def json_ld(client, page) -> dict:
    head = head_of(client, page)
    assert len(head.json_ld) == 1
    return json.loads(head.json_ld[0])


def robots_rules(text: str) -> tuple[list[str], list[str]]:
    disallow, sitemaps = [], []
    for line in text.splitlines():
        field, _, value = line.partition(":")
        if field.strip().lower() == "disallow" and value.strip():
            disallow.append(value.strip())
        elif field.strip().lower() == "sitemap":
            sitemaps.append(value.strip())
    return disallow, sitemaps


def blocked(path: str, disallow: list[str]) -> bool:
    """Google's reading of a Disallow rule: a prefix where * stands for any characters."""
    for rule in disallow:
        pattern = re.escape(rule).replace(r"\*", ".*")
        if rule.endswith("$"):
            pattern = pattern[: -len(r"\$")] + "$"
        if re.match(pattern, path):
            return True
    return False


# Sitemap.


def test_the_sitemap_lists_every_page_with_its_last_change(client):
    factories.SceneFactory(title="Made for the sitemap")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    pages = [url for url in urls if url.findtext(f"{SITEMAP}lastmod")]
    assert len(pages) == WikiPage.objects.count()
    locations = {url.findtext(f"{SITEMAP}loc") for url in pages}
    assert locations == {
        f"http://testserver{page.get_absolute_url()}" for page in WikiPage.objects.all()
    }
    for url in pages:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.findtext(f"{SITEMAP}lastmod"))
    # The home page and the lists come first, without a time of change.
    assert len(urls) - len(pages) == 1 + len(page_kinds())


def test_the_sitemap_shows_the_latest_change(client, editor):
    page = factories.LocationFactory(title="Changing place")
    page.updated_at = page.updated_at.replace(year=2001)
    WikiPage.objects.filter(pk=page.pk).update(updated_at=page.updated_at)
    save_page(page=Location.objects.get(pk=page.pk), data={"body": "Changed."}, author=editor)
    page.refresh_from_db()
    urls = ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")
    mine = [u for u in urls if u.findtext(f"{SITEMAP}loc").endswith(page.get_absolute_url())]
    assert mine[0].findtext(f"{SITEMAP}lastmod") == page.updated_at.date().isoformat()
    assert not page.updated_at.year == 2001


def test_the_sitemap_queries_do_not_grow_with_pages(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/sitemap.xml")


# robots.txt.


def test_robots_keeps_crawlers_out_of_history_diffs_forms_and_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    disallow, sitemaps = robots_rules(response.content.decode())
    assert response.content.decode().startswith("User-agent: *\n")
    assert sitemaps == ["http://testserver/sitemap.xml"]
    for model in [Work, Scene, Person, Character, Location, NewsItem]:
        page = model.objects.first()
        number = page.current_revision.number
        for path in [
            page.kind_url("history"),
            page.kind_url("revision", number=number),
            f"{page.kind_url('diff')}?from=1&to={number}",
            page.kind_url("edit"),
            page.kind_url("revert", number=number),
            page.kind_url("links"),
            reverse(f"{page.page_kind}:create"),
        ]:
            assert blocked(path, disallow), path
        assert not blocked(page.get_absolute_url(), disallow)
        assert not blocked(reverse(f"{page.page_kind}:list"), disallow)
    for path in [
        reverse("search") + "?q=heat",
        reverse("search-suggest") + "?q=heat",
        reverse("wiki:create"),
        reverse("wiki:recent-changes"),
        reverse("account_login"),
        reverse("admin:index"),
        reverse("editor:preview") if _has("editor:preview") else "/editor/preview/",
    ]:
        assert blocked(path, disallow), path
    for path in ["/", "/sitemap.xml", reverse("news:feed")]:
        assert not blocked(path, disallow), path


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# JSON-LD.


def test_a_film_is_a_movie(client):
    data = json_ld(client, Work.objects.get(slug="heat"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Movie"
    assert data["name"] == "Heat"
    assert data["datePublished"] == "1995"
    assert data["url"] == "http://testserver/works/heat/"
    assert data["director"] == [{"@type": "Person", "name": "Michael Mann"}]
    actors = {actor["name"] for actor in data["actor"]}
    assert {"Al Pacino", "Robert De Niro", "Val Kilmer"} <= actors
    assert data["description"].startswith("Michael Mann's 1995")


def test_the_planned_film_is_a_movie_with_only_confirmed_people(client):
    data = json_ld(client, Work.objects.get(slug="heat-2-film"))
    assert data["@type"] == "Movie"
    assert "datePublished" not in data
    # DiCaprio and Bale have joined without final deals, Driver and Graham are in talks:
    # structured data states facts, so none of them is listed as an actor yet.
    assert "actor" not in data
    assert "Adam Driver" not in json.dumps(data)


def test_an_actor_in_two_roles_is_listed_once(client):
    work = factories.WorkFactory(title="Double act")
    person = factories.PersonFactory(title="Twin player")
    factories.CreditFactory(work=work, person=person)
    factories.CreditFactory(work=work, person=person)
    factories.CreditFactory(work=work, status="rumoured")
    data = json_ld(client, work)
    assert data["actor"] == [{"@type": "Person", "name": "Twin player"}]


def test_the_novel_is_a_book(client):
    data = json_ld(client, Work.objects.get(slug="heat-2-novel"))
    assert data["@type"] == "Book"
    assert data["datePublished"] == "2022"
    assert {author["name"] for author in data["author"]} == {"Michael Mann", "Meg Gardiner"}
    assert "actor" not in data and "director" not in data


def test_a_scene_is_a_creative_work_part_of_its_movie(client):
    data = json_ld(client, Scene.objects.get(slug="coffee-shop-stand-off"))
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "The coffee-shop stand-off"
    assert data["isPartOf"] == {"@type": "Movie", "name": "Heat"}
    assert data["contentLocation"] == [
        {"@type": "Place", "name": "The coffee shop of the stand-off"}
    ]
    novel = Work.objects.get(slug="heat-2-novel")
    data = json_ld(client, factories.SceneFactory(title="A chapter", work=novel))
    assert data["isPartOf"] == {"@type": "Book", "name": "Heat 2 (novel)"}
    assert "contentLocation" not in data


def test_people_and_characters_are_persons(client):
    data = json_ld(client, Person.objects.get(slug="robert-de-niro"))
    assert data["@type"] == "Person"
    assert data["name"] == "Robert De Niro"
    data = json_ld(client, Character.objects.get(slug="vincent-hanna"))
    assert data["@type"] == "Person"
    assert data["name"] == "Vincent Hanna"


def test_a_location_is_a_place_with_coordinates(client):
    data = json_ld(client, Location.objects.get(slug="lax"))
    assert data["@type"] == "Place"
    assert data["name"] == "Los Angeles International Airport (LAX)"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 33.9425, "longitude": -118.4081}
    assert "Los Angeles" in data["address"]


def test_a_location_without_coordinates_has_no_geo(client):
    data = json_ld(client, factories.LocationFactory(title="Somewhere", city=""))
    assert data["@type"] == "Place"
    assert "geo" not in data and "address" not in data


def test_news_is_a_news_article(client):
    page = NewsItem.objects.get(slug="dicaprio-and-bale-join-heat-2")
    data = json_ld(client, page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.title
    expected = (page.published_on or page.created_at.date()).isoformat()
    assert data["datePublished"].startswith(expected)
    assert data["dateModified"].startswith(page.updated_at.date().isoformat())
    if page.source_name:
        assert data["sourceOrganization"] == {"@type": "Organization", "name": page.source_name}
    if page.source_url:
        assert data["isBasedOn"] == page.source_url


@pytest.mark.parametrize(
    "factory",
    [
        factories.WorkFactory,
        factories.SceneFactory,
        factories.PersonFactory,
        factories.CharacterFactory,
        factories.LocationFactory,
        factories.NewsItemFactory,
    ],
)
def test_a_hostile_title_stays_inside_the_json_ld_script(client, factory):
    page = factory(title=HOSTILE_TITLE, description=f"About {HOSTILE_TITLE}")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "</script><script>" not in html
    head = head_of(client, page)
    assert len(head.json_ld) == 1
    text = head.json_ld[0]
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["name"] == HOSTILE_TITLE
    assert data["description"] == f"About {HOSTILE_TITLE}"
    # The only scripts: JSON-LD and the site's own.
    assert head.scripts == len(re.findall(r"<script[ >]", html))


def test_an_old_revision_has_no_json_ld_and_is_not_indexed(client, editor):
    page = factories.PersonFactory(title="Before")
    save_page(page=Person.objects.get(pk=page.pk), data={"title": "After"}, author=editor)
    response = client.get(page.kind_url("revision", number=1))
    head = Head()
    head.feed(response.content.decode())
    assert head.json_ld == []
    assert head.meta["robots"] == ["noindex"]


# OpenGraph.


def test_pages_have_opengraph_and_twitter_tags(client):
    page = Scene.objects.get(slug="coffee-shop-stand-off")
    head = head_of(client, page)
    assert head.meta["og:title"] == [page.title]
    assert head.meta["og:description"] == [page.description]
    assert head.meta["og:type"] == ["website"]
    assert head.meta["og:site_name"] == ["HeatWiki"]
    assert head.meta["og:url"] == [f"http://testserver{page.get_absolute_url()}"]
    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["twitter:title"] == [page.title]
    assert head.meta["description"] == [page.description]
    news = head_of(client, NewsItem.objects.first())
    assert news.meta["og:type"] == ["article"]


def test_opengraph_falls_back_to_the_title_for_an_empty_description(client):
    page = factories.CharacterFactory(title="No words", description="")
    head = head_of(client, page)
    assert head.meta["og:description"] == ["No words"]


def test_opengraph_tags_are_escaped(client):
    page = factories.PersonFactory(title=HOSTILE_TITLE, description=f'Says "{HOSTILE_TITLE}"')
    html = client.get(page.get_absolute_url()).content.decode()
    head = head_of(client, page)
    # Parsed back, the attributes hold the text exactly: nothing broke out of them.
    assert head.meta["og:title"] == [HOSTILE_TITLE]
    assert head.meta["twitter:title"] == [HOSTILE_TITLE]
    assert head.meta["og:description"] == [f'Says "{HOSTILE_TITLE}"']
    assert "<b>" not in html
    assert 'content="Evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; ' in html


@pytest.mark.parametrize(
    "reader, url",
    [
        # Parameters the home page does not read are left out of its address: by the page
        # cache for readers, and from the shared parts for everyone.
        ("anonymous", "http://testserver/"),
        ("editor", "http://testserver/"),
    ],
)
def test_other_pages_have_the_site_opengraph_tags(client, editor, reader, url):
    if reader == "editor":
        client.force_login(editor)
    response = client.get("/", {"x": '"><b>'})
    head = Head()
    head.feed(response.content.decode())
    assert head.meta["og:title"] == ["HeatWiki: the Heat universe wiki"]
    assert head.meta["og:url"] == [url]
    assert "<b>" not in response.content.decode()
