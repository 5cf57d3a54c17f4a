"""Revisions in the read API: histories, single revisions with their snapshots and diffs, with
hidden revisions withheld as on the site (moderators signed in see them; tokens never do)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from heatwiki.accounts.models import MODERATORS_GROUP
from heatwiki.api.models import ApiToken
from heatwiki.wiki.moderation import hide_revision
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from scenes.models import Location
from tests import factories
from tests.api.conftest import RATE_COUNTER, results

SLUG = "stand-off-coffee-shop"


@pytest.fixture(scope="module")
def history(module_db):
    """A location edited twice, the second edit vandalism that a moderator hid: revisions 1
    (seeded), 2 (an edit), 3 (hidden) and 4 (the moderator's restoring of 2)."""
    editor = factories.UserFactory(username="api-fan")
    moderator = factories.UserFactory(username="api-mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    page = Location.objects.get(slug=SLUG)
    data = take(page)
    save_page(page=page, data={**data, "city": "Beverly Hills"}, author=editor, summary="City")
    page = Location.objects.get(pk=page.pk)
    vandal = {**take(page), "title": "Rude words", "body": "Rude words."}
    outcome = save_page(page=page, data=vandal, author=editor, summary="Insults")
    hide_revision(revision=outcome.revision, moderator=moderator, reason="Vandalism")
    return {"editor": editor, "moderator": moderator, "page": Location.objects.get(pk=page.pk)}


pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"api:locations-{name}", kwargs={"slug": SLUG, **kwargs})


def test_a_history_lists_revisions_newest_first_with_hidden_ones_withheld(client, history):
    revisions = results(client.get(url("revisions")))
    assert [r["number"] for r in revisions] == [4, 3, 2, 1]
    hidden = revisions[1]
    assert hidden["hidden"] and hidden["title"] is None and hidden["summary"] is None
    assert hidden["author"] == "api-fan"  # as the site's history shows it
    assert (
        revisions[2]["summary"] == "City"
        and revisions[2]["title"] == "The coffee shop of the stand-off"
    )


def test_a_history_pages_by_cursor(client, history):
    first = client.get(url("revisions") + "?limit=3").json()
    assert [r["number"] for r in first["results"]] == [4, 3, 2]
    assert [r["number"] for r in results(client.get(first["next"]))] == [1]


def test_a_revision_has_its_snapshot_and_body(client, history):
    data = client.get(url("revision", number=2)).json()
    assert data["snapshot"]["city"] == "Beverly Hills"
    assert data["body_html"]


def test_a_hidden_revision_and_its_diffs_are_refused_to_readers(client, history):
    assert client.get(url("revision", number=3)).status_code == 403
    assert client.get(url("diff") + "?from=2&to=3").status_code == 403
    assert client.get(url("diff") + "?from=3&to=4").status_code == 403
    assert "Rude" not in client.get(url("revisions")).content.decode()


def test_a_signed_in_moderator_sees_hidden_revisions(client, history):
    client.force_login(history["moderator"])
    assert client.get(url("revision", number=3)).json()["title"] == "Rude words"
    assert results(client.get(url("revisions")))[1]["summary"] == "Insults"


def test_a_moderators_token_does_not_show_hidden_revisions(client, history):
    _, key = ApiToken.issue(user=history["moderator"], name="bot")
    response = client.get(url("revision", number=3), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403


def test_a_diff_compares_fields_relations_and_the_body(client, history):
    changes = client.get(url("diff") + "?from=1&to=2").json()["changes"]
    assert changes == [{"field": "city", "label": "city", "old": "", "new": "Beverly Hills"}]
    # By default the latest revision against the one before: here a hidden one.
    assert client.get(url("diff")).status_code == 403
    client.force_login(history["moderator"])
    latest = client.get(url("diff")).json()
    assert (latest["from_revision"], latest["to_revision"]) == (3, 4)
    body = next(change for change in latest["changes"] if change["field"] == "body")
    assert "-Rude words." in body["diff"]


def test_revision_numbers_that_do_not_exist_are_404s_and_bad_ones_400s(client, history):
    assert client.get(url("revision", number=99)).status_code == 404
    assert client.get(url("revision", number=2**40)).status_code == 404
    assert client.get(url("diff") + "?from=1&to=99").status_code == 404
    assert client.get(url("diff") + "?from=x&to=2").status_code == 400
    assert client.get(url("diff") + "?from=0").status_code == 400
    assert client.get(url("diff") + f"?to={2**70}").status_code == 400


def test_revisions_by_page_id_lead_to_their_address(client, history):
    page = history["page"]
    response = client.get(reverse("api:revision-by-id", kwargs={"pk": page.pk, "number": 2}))
    assert response.status_code == 302 and response.url == url("revision", number=2)
    assert client.get(reverse("api:page-by-id", kwargs={"pk": 2**63})).status_code == 404


def test_recent_changes_withhold_hidden_summaries(client, history):
    changes = results(client.get(reverse("api:recent-changes") + "?kind=locations&limit=4"))
    assert [c["number"] for c in changes] == [4, 3, 2, 1]
    assert changes[1]["summary"] is None and changes[0]["page"]["slug"] == SLUG


@pytest.mark.parametrize("name", ["revisions", "revision"])
def test_revisions_cost_the_same_queries_whatever_the_page_size(
    client, history, name, django_assert_num_queries, rate_counted
):
    # The page, its revisions (with their authors), the feed's latest time.
    for limit in (1, 50):
        target = url(name, number=2) if name == "revision" else url(name) + f"?limit={limit}"
        with django_assert_num_queries(3 + RATE_COUNTER):
            assert client.get(target).status_code == 200
