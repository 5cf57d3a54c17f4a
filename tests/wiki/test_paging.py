"""Paging without counting: recent changes and contributions fetch one row more than they
show, contributions count edits only up to a limit, and history pages go by revision number."""

import pytest
from django.urls import reverse

from heatwiki.news.models import NewsItem
from heatwiki.wiki import changes
from heatwiki.wiki.changes import CHANGES_PAGE_SIZE
from heatwiki.wiki.models import Revision
from heatwiki.wiki.views import HISTORY_PAGE_SIZE
from tests.history import long_history
from tests.wiki.test_views import change, seeded

pytestmark = pytest.mark.django_db


def numbers(response) -> list[int]:
    return [revision.number for revision in response.context["revisions"]]


def test_a_full_last_page_of_changes_has_no_next_link(client, editor):
    page = seeded(NewsItem)
    long_history(page, editor, CHANGES_PAGE_SIZE)
    url = reverse("wiki:contributions", args=["fan"])

    first = client.get(url)
    beyond = client.get(url, {"page": 2})

    html = first.content.decode()
    assert len(first.context["revisions"]) == CHANGES_PAGE_SIZE
    assert 'rel="next"' not in html
    # Past the end: the first page, as for any page number that is not one.
    assert beyond.context["page_obj"].number == 1


def test_pages_of_changes_say_their_number_without_a_total(client, editor):
    page = seeded(NewsItem)
    long_history(page, editor, CHANGES_PAGE_SIZE + 1)

    html = client.get(reverse("wiki:recent-changes"), {"user": "fan"}).content.decode()

    assert 'aria-current="page">Page 1</span>' in html
    assert 'rel="next" href="?page=2&amp;user=fan"' in html


def test_contributions_count_edits_up_to_a_limit(client, editor, monkeypatch):
    monkeypatch.setattr(changes, "EDIT_COUNT_LIMIT", 3)
    page = seeded(NewsItem)
    url = reverse("wiki:contributions", args=["fan"])
    for n in range(3):
        change(page, editor, body=f"Version {n}.")
    exactly = client.get(url).content.decode()
    change(page, editor, body="One more.")

    more = client.get(url).content.decode()

    assert " · 3 edits</p>" in exactly
    assert " · 3+ edits</p>" in more


def test_history_pages_go_by_revision_number(client, editor):
    page = seeded(NewsItem)
    long_history(page, editor, HISTORY_PAGE_SIZE + 5)
    latest = page.revisions.count()
    url = page.kind_url("history")

    first, second = client.get(url), client.get(url, {"page": 2})
    beyond, bogus = client.get(url, {"page": 99}), client.get(url, {"page": "x"})

    assert numbers(first) == list(range(latest, latest - HISTORY_PAGE_SIZE, -1))
    assert numbers(second) == list(range(latest - HISTORY_PAGE_SIZE, 0, -1))
    assert "Page 2 of 2" in second.content.decode()
    assert numbers(beyond) == numbers(second)
    assert numbers(bogus) == numbers(first)
    assert Revision.objects.filter(page=page).count() == latest
