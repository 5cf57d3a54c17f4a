"""Recent changes across every kind, one person's contributions, and the Atom feeds."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils.html import escape

from heatwiki.news.models import NewsItem
from heatwiki.wiki.changes import CHANGES_PAGE_SIZE
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.models import Revision
from tests import factories
from tests.history import long_history
from tests.wiki.test_views import change, seeded

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def edit_every_kind(author, minor=False) -> list[Revision]:
    """One edit of a page of each kind, in navigation order, each summary naming the kind."""
    return [
        change(
            seeded(model),
            author,
            summary=f"Edit of {model.url_namespace}",
            minor=minor,
            body=f"Edited by {author.username}.",
        )
        for model in page_kinds()
    ]


def summaries(response) -> list[str]:
    return [revision.summary for revision in response.context["revisions"]]


# Recent changes --------------------------------------------------------------------------------


def test_recent_changes_lists_edits_of_every_kind_newest_first(client, editor):
    edits = edit_every_kind(editor)

    response = client.get(reverse("wiki:recent-changes"))

    assert response.status_code == 200
    assert summaries(response)[: len(edits)] == [r.summary for r in reversed(edits)]
    html = response.content.decode()
    positions = [html.index(escape(r.summary)) for r in reversed(edits)]
    assert positions == sorted(positions)
    for revision in edits:
        page = revision.page
        assert f'href="{page.get_absolute_url()}">{escape(page.title)}</a>' in html
        assert f'href="{page.kind_url("diff")}?from=1&amp;to=2">diff</a>' in html
    assert '<a class="change__author" href="/users/fan/">fan</a>' in html


@pytest.mark.parametrize("kind", [model.url_namespace for model in page_kinds()])
def test_recent_changes_filters_by_kind(client, editor, kind):
    edit_every_kind(editor)

    response = client.get(reverse("wiki:recent-changes"), {"kind": kind})

    assert {r.page.page_kind for r in response.context["revisions"]} == {kind}
    assert summaries(response)[0] == f"Edit of {kind}"
    assert f'<option value="{kind}" selected>' in response.content.decode()


def test_recent_changes_filters_by_user(client, editor):
    edit_every_kind(editor)
    edit_every_kind(factories.UserFactory(username="rival"))

    response = client.get(reverse("wiki:recent-changes"), {"user": "fan"})

    assert len(response.context["revisions"]) == len(page_kinds())
    assert {r.author.username for r in response.context["revisions"]} == {"fan"}
    assert 'name="user" id="user" value="fan"' in response.content.decode()


def test_recent_changes_can_hide_minor_edits(client, editor):
    edit_every_kind(editor)
    minor = change(seeded(NewsItem), editor, summary="Typo", minor=True, body="Fixed a typo.")

    shown = client.get(reverse("wiki:recent-changes"))
    hidden = client.get(reverse("wiki:recent-changes"), {"hideminor": "1"})

    assert summaries(shown)[0] == "Typo"
    assert minor not in hidden.context["revisions"]
    assert not any(r.minor for r in hidden.context["revisions"])
    assert summaries(hidden)[0] == f"Edit of {page_kinds()[-1].url_namespace}"
    assert 'name="hideminor" value="1" checked' in hidden.content.decode()


def test_recent_changes_marks_minor_edits_and_size_changes(client, editor):
    page = seeded(NewsItem)
    change(page, editor, summary="Shorter", minor=True, body="Short.")

    html = client.get(reverse("wiki:recent-changes")).content.decode()

    first = html.split('<li class="change')[1]
    assert first.startswith(' change--minor"')
    assert '<abbr class="minor" title="minor edit">m</abbr>' in first
    assert 'class="size-change size-change--minus">−' in first


def test_recent_changes_pagination_keeps_the_filters(client, editor):
    page = seeded(NewsItem)
    long_history(page, editor, CHANGES_PAGE_SIZE + 3, summary="Edit {n}")
    change(page, factories.UserFactory(username="rival"), body="Not by fan.")
    query = {"user": "fan", "kind": "news"}

    first = client.get(reverse("wiki:recent-changes"), query)
    second = client.get(reverse("wiki:recent-changes"), {**query, "page": "2"})

    assert 'rel="next" href="?page=2&amp;user=fan&amp;kind=news"' in first.content.decode()
    assert summaries(second) == ["Edit 2", "Edit 1", "Edit 0"]
    assert 'rel="prev" href="?page=1&amp;user=fan&amp;kind=news"' in second.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"kind": "bogus"}, {"kind": "<script>"}, {"hideminor": "maybe"}, {"page": "x"}, {"user": " "}],
)
def test_recent_changes_ignores_filter_values_it_does_not_know(client, editor, query):
    edits = edit_every_kind(editor)

    response = client.get(reverse("wiki:recent-changes"), query)

    assert response.status_code == 200
    assert summaries(response)[: len(edits)] == [r.summary for r in reversed(edits)]
    assert "<script>" not in response.content.decode()


def test_recent_changes_for_a_user_without_edits_is_empty(client):
    response = client.get(reverse("wiki:recent-changes"), {"user": "nobody"})
    assert response.status_code == 200
    assert "No changes to show." in response.content.decode()


# Contributions ----------------------------------------------------------------------------------


def test_contributions_list_the_users_edits_with_join_date_and_count(client, editor):
    edits = edit_every_kind(editor)
    edit_every_kind(factories.UserFactory(username="rival"))

    response = client.get(reverse("wiki:contributions", args=["fan"]))

    assert response.status_code == 200
    assert list(response.context["revisions"]) == list(reversed(edits))
    html = response.content.decode()
    assert f"Joined {editor.date_joined:%-d %B %Y} · {len(page_kinds())} edits" in html
    assert "<h1>fan</h1>" in html
    assert "rival" not in html


def test_contributions_of_a_user_with_one_edit_say_one_edit(client, editor):
    change(seeded(NewsItem), editor, body="Once.")
    html = client.get(reverse("wiki:contributions", args=["fan"])).content.decode()
    assert " · 1 edit</p>" in html


def test_contributions_of_an_unknown_user_are_a_404(client):
    assert client.get(reverse("wiki:contributions", args=["nobody"])).status_code == 404


# Feeds ------------------------------------------------------------------------------------------


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_recent_changes_feed_is_atom_with_entries_linking_to_diffs(client, editor):
    edits = edit_every_kind(editor)

    feed = parse(client.get(reverse("wiki:recent-changes-feed")))

    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    for entry, revision in zip(entries, reversed(edits), strict=False):
        page = revision.page
        link = entry.find(f"{ATOM}link").get("href")
        assert link == f"http://testserver{page.kind_url('diff')}?from=1&to=2"
        assert entry.find(f"{ATOM}title").text == f"{page.title} (revision 2)"
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "fan"


def test_recent_changes_feed_links_a_new_page_to_its_first_revision(client, editor):
    page = factories.NewsItemFactory()

    feed = parse(client.get(reverse("wiki:recent-changes-feed")))

    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link == f"http://testserver{page.kind_url('revision', number=1)}"


def test_recent_changes_feed_follows_the_filters(client, editor):
    edit_every_kind(editor)

    feed = parse(client.get(reverse("wiki:recent-changes-feed"), {"kind": "scenes"}))

    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert links and all(link.startswith("http://testserver/scenes/") for link in links)


def test_recent_changes_feed_escapes_html_in_summaries(client, editor):
    summary = "<script>alert(1)</script> & <b>bold</b>"
    change(seeded(NewsItem), editor, summary=summary, body="Changed.")

    response = client.get(reverse("wiki:recent-changes-feed"))

    entry = parse(response).find(f"{ATOM}entry")
    description = entry.find(f"{ATOM}summary")
    assert description.get("type") == "html"
    # The HTML a feed reader renders shows the summary as text.
    assert description.text == escape(summary)
    assert b"<script>" not in response.content


def test_news_feed_is_atom_with_entries_linking_to_news_pages(client):
    feed = parse(client.get(reverse("news:feed")))

    entries = feed.findall(f"{ATOM}entry")
    items = list(NewsItem.objects.all())
    assert len(entries) == len(items)
    for entry, item in zip(entries, items, strict=True):
        assert entry.find(f"{ATOM}title").text == item.title
        assert (
            entry.find(f"{ATOM}link").get("href") == f"http://testserver{item.get_absolute_url()}"
        )
        assert entry.find(f"{ATOM}summary").text == item.body_html


def test_news_feed_shows_the_sanitised_body(client, editor):
    item = seeded(NewsItem)
    change(item, editor, body="<script>alert(1)</script> *news*")

    response = client.get(reverse("news:feed"))

    summary = next(
        entry.find(f"{ATOM}summary").text
        for entry in parse(response).findall(f"{ATOM}entry")
        if entry.find(f"{ATOM}title").text == item.title
    )
    assert summary == "<p>&lt;script&gt;alert(1)&lt;/script&gt; <em>news</em></p>\n"
    assert b"<script>" not in response.content
