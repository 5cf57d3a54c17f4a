"""Moderation on the wiki's own pages: who may do what, the refusals, the log, rollback."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.blocks import active_block
from heatwiki.accounts.models import ModerationLog
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from tests import factories

pytestmark = pytest.mark.django_db

FORM_BUDGET = 8


@pytest.fixture
def page(editor):
    work = factories.WorkFactory(body="One.\n\nTwo.\n\nThree.")
    edit(work, editor, "Two.", "Two, edited.")
    return type(work).objects.get(pk=work.pk)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def edit(page, author, old, new):
    fresh = type(page).objects.get(pk=page.pk)
    data = {**take(fresh), "body": fresh.body.replace(old, new)}
    return save_page(
        page=fresh, data=data, author=author, base_revision=fresh.current_revision.number
    )


def fresh(page) -> WikiPage:
    return WikiPage.objects.get(pk=page.pk)


def urls(page, person) -> dict[str, str]:
    return {
        "protect": page.kind_url("protect"),
        "unprotect": page.kind_url("unprotect"),
        "hide": page.kind_url("hide", number=2),
        "unhide": page.kind_url("unhide", number=2),
        "block": reverse("wiki:block", args=[person.username]),
        "unblock": reverse("wiki:unblock", args=[person.username]),
        "rollback": reverse("wiki:rollback", args=[person.username]),
    }


ACTIONS = ["protect", "unprotect", "hide", "unhide", "block", "unblock", "rollback"]


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitors_go_to_sign_in(client, page, editor, action):
    response = client.post(urls(page, editor)[action], {"reason": "r"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("action", ACTIONS)
def test_editors_are_refused_and_nothing_changes(client, page, editor, action):
    other = factories.UserFactory(username="other")
    client.force_login(other)
    before = ModerationLog.objects.count()

    response = client.post(urls(page, editor)[action], {"reason": "r", "hours": "24"})

    assert response.status_code == 403
    assert ModerationLog.objects.count() == before
    assert not fresh(page).is_protected and active_block(editor) is None


@pytest.mark.parametrize("action", ACTIONS)
def test_moderators_get_the_form_in_a_fixed_number_of_queries(
    client, page, editor, moderator, action, django_assert_max_num_queries
):
    client.force_login(moderator)
    url = urls(page, editor)[action]
    if action == "unblock":
        client.post(urls(page, editor)["block"], {"reason": "spam"})

    with django_assert_max_num_queries(FORM_BUDGET):
        response = client.get(url)

    assert response.status_code in {200, 302}


def test_protect_from_the_page_with_an_expiry_is_logged(client, page, moderator, editor):
    client.force_login(moderator)

    response = client.post(page.kind_url("protect"), {"reason": "Edit war", "duration": "1w"})

    assert response.status_code == 302
    protected = fresh(page)
    assert protected.is_protected
    assert timedelta(days=6) < protected.protected_until - timezone.now() <= timedelta(days=7)
    log = ModerationLog.objects.get(action=ModerationLog.Action.PROTECT)
    assert (log.moderator, log.reason) == (moderator, "Edit war")
    # The editor now sees the page protected and may not edit it.
    client.force_login(editor)
    assert client.get(page.kind_url("edit")).status_code == 403


def test_a_protection_lapses_at_its_expiry(page, moderator):
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=timezone.now() - timedelta(days=2),
        protected_by=moderator,
        protected_until=timezone.now() - timedelta(days=1),
    )

    assert not fresh(page).is_protected


def test_shortening_a_protection_unawares_is_refused(client, page, moderator):
    client.force_login(moderator)
    client.post(page.kind_url("protect"), {"reason": "Long war", "duration": ""})

    refused = client.post(page.kind_url("protect"), {"reason": "Shorter", "duration": "1d"})
    assert refused.status_code == 400
    assert "end its protection sooner" in refused.content.decode()
    assert fresh(page).protected_until is None

    meant = client.post(
        page.kind_url("protect"), {"reason": "Shorter", "duration": "1d", "shorten": "on"}
    )
    assert meant.status_code == 302
    assert fresh(page).protected_until is not None


def test_hide_and_unhide_from_history(client, page, moderator):
    client.force_login(moderator)
    history = client.get(page.kind_url("history")).content.decode()
    assert page.kind_url("hide", number=2) in history

    assert client.post(page.kind_url("hide", number=2), {"reason": "Privacy"}).status_code == 302
    revision = Revision.objects.get(page=page, number=2)
    assert revision.is_hidden and revision.hidden_reason == "Privacy"

    assert client.post(page.kind_url("unhide", number=2), {"reason": "Fine"}).status_code == 302
    assert not Revision.objects.get(page=page, number=2).is_hidden


def test_an_action_without_a_reason_is_refused(client, page, moderator):
    client.force_login(moderator)

    response = client.post(page.kind_url("protect"), {"reason": " "})

    assert response.status_code == 400
    assert not fresh(page).is_protected


def test_block_and_unblock_from_contributions(client, editor, moderator):
    client.force_login(moderator)
    contributions = client.get(reverse("wiki:contributions", args=[editor.username]))
    assert reverse("wiki:block", args=[editor.username]) in contributions.content.decode()

    response = client.post(
        reverse("wiki:block", args=[editor.username]), {"reason": "Vandalism", "duration": "1d"}
    )
    assert response.status_code == 302
    block = active_block(editor)
    assert block.reason == "Vandalism" and block.expires_at is not None

    client.post(reverse("wiki:unblock", args=[editor.username]), {"reason": "Apologised"})
    assert active_block(editor) is None
    assert ModerationLog.objects.filter(action=ModerationLog.Action.UNBLOCK).exists()


def test_a_moderator_cannot_block_themself(client, moderator):
    client.force_login(moderator)

    response = client.post(reverse("wiki:block", args=[moderator.username]), {"reason": "Oops"})

    assert response.status_code == 400
    assert "cannot block yourself" in response.content.decode()
    assert active_block(moderator) is None


def test_only_a_superuser_blocks_a_moderator(client, moderator, superuser):
    other = factories.UserFactory(username="mod2", is_staff=True)
    other.groups.add(*moderator.groups.all())
    client.force_login(moderator)

    refused = client.post(reverse("wiki:block", args=["mod2"]), {"reason": "Disagreement"})
    assert refused.status_code == 400
    assert "only a superuser may block a moderator" in refused.content.decode()
    assert active_block(other) is None

    client.force_login(superuser)
    assert client.post(reverse("wiki:block", args=["mod2"]), {"reason": "Abuse"}).status_code == 302
    assert active_block(other) is not None


def test_the_admin_refuses_a_self_block_too(client, moderator):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:accounts_block_add"), {"username": moderator.username, "reason": "Oops"}
    )

    assert response.status_code == 200
    assert "cannot block yourself" in response.content.decode()
    assert active_block(moderator) is None


def test_rollback_takes_back_a_users_edits_on_several_pages_keeping_later_edits(
    client, editor, moderator
):
    vandal = factories.UserFactory(username="vandal")
    other = factories.UserFactory(username="other")
    first = factories.WorkFactory(body="Alpha.\n\nBeta.\n\nGamma.")
    second = factories.LocationFactory(body="North.\n\nSouth.")
    edit(first, vandal, "Alpha.", "Alpha SPAM.")
    edit(first, vandal, "Beta.", "Beta SPAM.")
    edit(first, other, "Gamma.", "Gamma improved.")  # a later edit by someone else
    edit(second, vandal, "South.", "South SPAM.")
    client.force_login(moderator)

    response = client.post(
        reverse("wiki:rollback", args=["vandal"]), {"reason": "Spam run", "hours": "24"}
    )

    assert response.status_code == 302
    assert type(first).objects.get(pk=first.pk).body == "Alpha.\n\nBeta.\n\nGamma improved."
    assert type(second).objects.get(pk=second.pk).body == "North.\n\nSouth."
    summaries = Revision.objects.filter(author=moderator).values_list("summary", flat=True)
    assert sorted(summaries) == [
        "Rolled back vandal's edits (revisions 2): Spam run",
        "Rolled back vandal's edits (revisions 2–3): Spam run",
    ]
    assert ModerationLog.objects.filter(action=ModerationLog.Action.ROLLBACK).exists()
