"""The change feed: every committed change in order (edits, a move, a deletion, a hidden
revision), a cursor to poll with, NDJSON for bulk, and a consumer that mirrors the wiki by
replaying it ends with what the site shows."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from heatwiki.accounts.models import MODERATORS_GROUP
from heatwiki.api.models import Change
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.moderation import delete_page, hide_revision, undelete_page
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import same_content, take
from people.models import Person
from scenes.models import Location
from tests import factories
from tests.api.conftest import RATE_COUNTER

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def story(module_db):
    """After the seed: an edit of a person, a move of a location, vandalism of the person that
    a moderator hides (which restores the page: a new revision), and a location deleted."""
    start = Change.objects.order_by("-id").values_list("id", flat=True).first() or 0
    editor = factories.UserFactory(username="feed-fan")
    moderator = factories.UserFactory(username="feed-mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    person = Person.objects.get(slug="al-pacino")
    save_page(page=person, data={**take(person), "description": "Plays Hanna."}, author=editor)
    place = Location.objects.get(slug="bobs-big-boy")
    save_page(page=place, data={**take(place), "slug": "bobs-big-boy-burbank"}, author=editor)
    person = Person.objects.get(pk=person.pk)
    vandal = save_page(page=person, data={**take(person), "title": "Rude"}, author=editor)
    hide_revision(revision=vandal.revision, moderator=moderator, reason="Vandalism")
    gone = Location.objects.get(slug="charlene-balcony")
    gone_id = gone.pk
    gone.delete()
    # A moderator's deletion keeps the page for undeletion; one is undeleted again.
    deleted = Location.objects.get(slug="hanna-house")
    delete_page(page=deleted, moderator=moderator, reason="Duplicate")
    back = Location.objects.get(slug="neil-mccauley-house")
    delete_page(page=back, moderator=moderator, reason="By mistake")
    undelete_page(page=back, moderator=moderator, reason="Mistake")
    return {
        "start": start,
        "person": person,
        "place": place,
        "gone_id": gone_id,
        "deleted": deleted,
        "back": back,
    }


def feed(client, since: int, **params) -> dict:
    query = "&".join(f"{k}={v}" for k, v in {"since": since, **params}.items())
    response = client.get(f"{reverse('api:changes')}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_changes_come_out_in_order_with_what_they_changed(client, story):
    entries = feed(client, story["start"])["results"]
    person, place = story["person"], story["place"]
    seen = [(e["action"], e["page_id"], e["revision"]) for e in entries]
    assert seen == [
        ("edit", person.pk, 2),
        ("move", place.pk, 2),
        ("edit", person.pk, 3),
        ("hide", person.pk, 3),
        ("edit", person.pk, 4),
        ("delete", story["gone_id"], None),
        ("delete", story["deleted"].pk, 1),
        ("delete", story["back"].pk, 1),
        ("undelete", story["back"].pk, 1),
    ]
    assert entries[0]["fields"] == ["description"]
    assert entries[1]["fields"] == ["slug"] and entries[1]["old_slug"] == "bobs-big-boy"
    assert entries[1]["slug"] == "bobs-big-boy-burbank"
    assert entries[5]["url"] is None and entries[5]["slug"] == "charlene-balcony"
    # Links lead to where the page is now.
    assert entries[1]["url"].endswith("/locations/bobs-big-boy-burbank/")
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids)


def test_a_hidden_revisions_title_is_withheld_from_the_feed(client, story):
    vandalism, hiding = feed(client, story["start"])["results"][2:4]
    assert vandalism["hidden"] and vandalism["title"] is None
    assert hiding["hidden"] and hiding["title"] is None
    assert "Rude" not in client.get(reverse("api:changes") + "?since=0&limit=1000").content.decode()


def test_polling_with_the_cursor_gives_each_change_once(client, story):
    first = feed(client, story["start"], limit=4)
    assert first["has_more"] and len(first["results"]) == 4
    rest = client.get(first["next"]).json()
    assert [e["id"] for e in first["results"] + rest["results"]] == [
        e["id"] for e in feed(client, story["start"])["results"]
    ]
    assert not rest["has_more"]
    # Nothing new: the same cursor comes back, to poll with again.
    assert client.get(rest["next"]).json() == {**rest, "results": [], "has_more": False}


def test_the_feed_is_also_ndjson(client, story):
    response = client.get(reverse("api:changes-ndjson") + f"?since={story['start']}")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert lines == feed(client, story["start"])["results"]


@pytest.mark.parametrize(
    "query",
    ["since=-1", "since=x", f"since={2**64}", "since=" + "9" * 5000, "limit=0", "limit=5000"],
)
def test_bad_cursors_and_limits_are_400s(client, query):
    assert client.get(f"{reverse('api:changes')}?{query}").status_code == 400


def mirror(client) -> dict[int, dict]:
    """A consumer: follows the feed from the start and keeps each page's latest snapshot."""
    pages: dict[int, dict] = {}
    url = reverse("api:changes") + "?since=0&limit=200"
    while True:
        data = client.get(url).json()
        for entry in data["results"]:
            if entry["action"] == "delete":
                pages.pop(entry["page_id"], None)
            elif entry["action"] in {"create", "edit", "move", "undelete"}:
                response = client.get(entry["revision_url"], follow=True)
                # Gone or hidden since: a later entry says what became of the page.
                if response.status_code == 200:
                    pages[entry["page_id"]] = response.json()["snapshot"]
        if not data["has_more"]:
            return pages
        url = data["next"]


def test_a_consumer_replaying_the_feed_reaches_the_sites_content(client, story, settings):
    settings.HEATWIKI_API_ANON_RATE = "1000/m"
    pages = mirror(client)
    current = {
        page.pk: page.current_revision.snapshot
        for page in WikiPage.objects.select_related("current_revision")
    }
    assert pages.keys() == current.keys()
    assert all(same_content(pages[pk], current[pk]) for pk in current)


def test_the_feed_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, rate_counted
):
    # The entries, where their pages are now, and the latest one's time (Last-Modified).
    for limit in (1, 1000):
        with django_assert_num_queries(3 + RATE_COUNTER):
            feed(client, 0, limit=limit)
