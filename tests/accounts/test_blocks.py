"""Blocked accounts: what they may not do, what they are told, and how blocks end."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from heatwiki.accounts.blocks import block_account, lift_block
from heatwiki.accounts.models import Block, ModerationLog
from heatwiki.wiki.permissions import can_edit, edit_refusal
from heatwiki.wiki.services import save_page
from scenes.models import Location
from tests import factories

pytestmark = pytest.mark.django_db

EXPIRY = datetime(2099, 5, 4, 13, 30, tzinfo=UTC)
REASON = "Repeated vandalism of the coffee-shop scene"
SEEN_EXPIRY = "until 4 May 2099, 13:30 UTC"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def page():
    page = factories.LocationFactory(body="The original body.")
    # A second revision, so there is an older one to revert to.
    save_page(page=page, data={"body": "The second body."}, author=factories.UserFactory())
    return Location.objects.get(pk=page.pk)


@pytest.fixture
def blocked(editor, moderator):
    block_account(user=editor, moderator=moderator, reason=REASON, expires_at=EXPIRY)
    return editor


@pytest.fixture
def blocked_client(client, blocked) -> Client:
    client.force_login(blocked)
    return client


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def says_blocked(response) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 403
        and "Your account is blocked from editing" in html
        and SEEN_EXPIRY in html
        and REASON in html
    )


def revisions_of(page) -> int:
    return page.revisions.count()


# What a blocked account may not do --------------------------------------------------------------


def test_a_blocked_account_cannot_open_the_edit_form_and_is_told_why(blocked_client, page):
    response = blocked_client.get(page.kind_url("edit"))
    assert says_blocked(response)
    assert 'class="site-header"' in response.content.decode()


def test_a_blocked_account_cannot_save_an_edit(blocked_client, page):
    response = blocked_client.post(
        page.kind_url("edit"),
        {"title": page.title, "city": "Nowhere", "body": "Blocked text.", "base_revision": "2"},
    )
    assert says_blocked(response)
    assert Location.objects.get(pk=page.pk).body == "The second body."
    assert revisions_of(page) == 2


def test_a_blocked_account_cannot_create_a_page(blocked_client):
    assert says_blocked(blocked_client.get(reverse("locations:create")))
    assert says_blocked(blocked_client.get(reverse("wiki:create") + "?title=Somewhere"))
    response = blocked_client.post(
        reverse("locations:create"),
        {"title": "Blocked place", "slug": "blocked-place", "city": "LA", "body": "x"},
    )
    assert says_blocked(response)
    assert not Location.objects.filter(slug="blocked-place").exists()


def test_a_blocked_account_cannot_revert(blocked_client, page):
    response = blocked_client.post(page.kind_url("revert", number=1))
    assert says_blocked(response)
    assert revisions_of(page) == 2


def test_a_blocked_account_cannot_preview(blocked_client):
    response = blocked_client.post(reverse("editor:preview"), {"content": "**bold**"})
    assert says_blocked(response)
    assert "<strong>bold</strong>" not in response.content.decode()


def test_a_blocked_accounts_background_preview_gets_the_reason_in_place(blocked_client):
    response = blocked_client.post(
        reverse("editor:preview"),
        {"content": "**bold**"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert html.startswith('<p class="preview-error">Your account is blocked from editing')
    assert SEEN_EXPIRY in html and REASON in html


def test_a_blocked_account_cannot_upload(blocked_client, media_root):
    image = SimpleUploadedFile("a.png", png(), "image/png")
    response = blocked_client.post(reverse("editor:upload"), {"image": image})
    assert says_blocked(response)

    image = SimpleUploadedFile("a.png", png(), "image/png")
    response = blocked_client.post(
        reverse("editor:upload"), {"image": image}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403
    assert response.json()["error"].startswith("Your account is blocked from editing")
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


def test_a_blocked_account_still_reads_the_wiki(blocked_client, page):
    assert blocked_client.get(page.get_absolute_url()).status_code == 200
    assert blocked_client.get(page.kind_url("history")).status_code == 200


def test_a_block_without_an_end_says_so(client, moderator):
    user = factories.UserFactory()
    block_account(user=user, moderator=moderator, reason="Spam")
    assert edit_refusal(user) == (
        "Your account is blocked from editing with no end date. Reason: Spam"
    )


def test_a_block_stops_a_moderator_editing_on_the_site_too(client, moderator, page):
    block_account(user=moderator, moderator=moderator, reason=REASON, expires_at=EXPIRY)
    client.force_login(moderator)
    assert says_blocked(client.get(page.kind_url("edit")))


def test_a_block_of_one_account_leaves_others_editing(client, blocked, page):
    client.force_login(factories.UserFactory())
    assert client.get(page.kind_url("edit")).status_code == 200


# How blocks end ---------------------------------------------------------------------------------


def test_an_expired_block_lapses_by_itself(client, editor, moderator, page):
    Block.objects.create(
        user=editor,
        reason="Cooling off",
        blocked_by=moderator,
        created_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(editor)

    assert can_edit(editor)
    assert client.get(page.kind_url("edit")).status_code == 200
    assert not Block.objects.active().exists()


def test_a_block_in_force_until_the_future_refuses(client, editor, moderator, page):
    Block.objects.create(
        user=editor,
        reason="Cooling off",
        blocked_by=moderator,
        expires_at=timezone.now() + timedelta(minutes=1),
    )
    client.force_login(editor)

    assert not can_edit(editor)
    assert client.get(page.kind_url("edit")).status_code == 403
    assert list(Block.objects.active()) == list(Block.objects.filter(user=editor))


def test_a_block_lapses_when_its_time_comes(client, editor, moderator, page, monkeypatch):
    block = block_account(
        user=editor,
        moderator=moderator,
        reason="Cooling off",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    later = timezone.now() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client.force_login(editor)

    assert not block.is_active
    assert client.get(page.kind_url("edit")).status_code == 200


def test_lifting_a_block_restores_editing_and_is_logged(client, blocked, moderator, page):
    block = Block.objects.get(user=blocked)
    other_moderator = factories.UserFactory(username="othermod")

    assert lift_block(block=block, moderator=other_moderator, reason="Apologised") is True

    block.refresh_from_db()
    assert block.lifted_by == other_moderator and block.lifted_at is not None
    assert not block.is_active
    entry = ModerationLog.objects.first()
    assert (entry.moderator, entry.action, entry.target, entry.reason) == (
        other_moderator,
        ModerationLog.Action.UNBLOCK,
        "fan",
        "Apologised",
    )
    client.force_login(blocked)
    assert client.get(page.kind_url("edit")).status_code == 200


def test_lifting_a_lifted_block_changes_and_logs_nothing(blocked, moderator):
    block = Block.objects.get(user=blocked)
    lift_block(block=block, moderator=moderator)
    lifted_at = Block.objects.get(pk=block.pk).lifted_at
    entries = ModerationLog.objects.count()

    assert lift_block(block=block, moderator=factories.UserFactory()) is False

    assert Block.objects.get(pk=block.pk).lifted_at == lifted_at
    assert ModerationLog.objects.count() == entries


def test_lifting_one_block_leaves_another_in_force(editor, moderator):
    first = block_account(user=editor, moderator=moderator, reason="First")
    block_account(user=editor, moderator=moderator, reason="Second", expires_at=EXPIRY)
    lift_block(block=first, moderator=moderator)
    assert edit_refusal(editor).endswith("Reason: Second")


def test_block_account_records_who_blocked_and_why(editor, moderator):
    block = block_account(user=editor, moderator=moderator, reason=REASON, expires_at=EXPIRY)

    assert (block.user, block.blocked_by, block.reason, block.expires_at) == (
        editor,
        moderator,
        REASON,
        EXPIRY,
    )
    assert block.is_active
    entry = ModerationLog.objects.get()
    assert (entry.moderator, entry.action, entry.target, entry.reason) == (
        moderator,
        ModerationLog.Action.BLOCK,
        "fan",
        REASON,
    )


def test_a_blocked_moderator_is_kept_out_of_the_admin(client, moderator):
    block_account(user=moderator, moderator=moderator, reason=REASON, expires_at=EXPIRY)
    client.force_login(moderator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
