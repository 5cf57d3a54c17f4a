"""What crawlers and feed readers find: the sitemap with the home and list pages, shown by the
browser; /favicon.ico; feed links in the head of home, news, recent changes and every page;
a page's own history feed."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from heatwiki.wiki.models import Revision
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from scenes.models import Scene

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY_FEED_BUDGET = 4


def feed_links(html: str) -> list[str]:
    return re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
    )


def test_the_sitemap_lists_the_home_page_and_every_list(client):
    response = client.get("/sitemap.xml")

    locations = {
        element.text.removeprefix("http://testserver")
        for element in ET.fromstring(response.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    }
    assert {"/", "/works/", "/scenes/", "/people/", "/characters/", "/locations/", "/news/"} <= (
        locations
    )
    assert "/scenes/coffee-shop-stand-off/" in locations


def test_the_sitemap_has_a_policy_the_browsers_xml_viewer_can_style_with(client):
    policy = client.get("/sitemap.xml")["Content-Security-Policy"]

    assert "style-src 'unsafe-inline'" in policy
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_feeds_are_announced_in_the_head(client):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")

    assert set(feed_links(client.get("/").content.decode())) == {
        reverse("wiki:recent-changes-feed"),
        reverse("news:feed"),
    }
    news = client.get(reverse("news:list")).content.decode()
    assert feed_links(news) == [reverse("news:feed")]
    assert f'<a href="{reverse("news:feed")}">Atom feed</a>' in news
    changes = client.get(reverse("wiki:recent-changes")).content.decode()
    assert feed_links(changes) == [reverse("wiki:recent-changes-feed")]
    page = client.get(scene.get_absolute_url()).content.decode()
    assert feed_links(page) == [scene.kind_url("history-feed")]


def test_a_pages_history_feed_lists_its_revisions_newest_first(client, editor, moderator):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    data = {**take(scene), "description": "Changed for the feed."}
    save_page(page=scene, data=data, author=editor, summary="A secret summary", base_revision=1)
    Revision.objects.filter(page=scene, number=2).update(hidden_at="2026-01-01T00:00Z")

    feed = ET.fromstring(client.get(scene.kind_url("history-feed")).content)

    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"{scene.title} (revision 2)",
        f"{scene.title} (revision 1)",
    ]
    assert b"A secret summary" not in ET.tostring(feed)


def test_the_history_feed_costs_a_fixed_number_of_queries(editor, django_assert_max_num_queries):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    for n in range(5):
        fresh = Scene.objects.get(pk=scene.pk)
        data = {**take(fresh), "description": f"Edit {n}."}
        save_page(page=fresh, data=data, author=editor, base_revision=fresh.current_revision.number)

    with django_assert_max_num_queries(HISTORY_FEED_BUDGET):
        assert Client().get(scene.kind_url("history-feed")).status_code == 200
