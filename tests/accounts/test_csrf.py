"""Every state-changing endpoint refuses a POST without a CSRF token, and changes nothing.

The client enforces CSRF checks as a browser's would be enforced, and each endpoint is tried
twice: without a token (after a GET of the form, so the cookie is there and only the token is
missing), which must be a 403 with nothing changed, and with the token read from the csrftoken
cookie, which must do what the endpoint does. The second run shows the first could fail.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.blocks import block_account
from heatwiki.accounts.models import MODERATORS_GROUP, Block, ModerationLog
from heatwiki.api.models import ApiToken
from heatwiki.wiki.models import Revision
from heatwiki.wiki.moderation import hide_revision, protect_page
from scenes.models import Scene
from tests.accounts.test_permission_matrix import (
    edit_form_data,
    png_bytes,
    scene,
    second_revision,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a much longer passphrase 2024"
CSRF_REFUSAL = "That form could not be accepted"
XHR = {"x-requested-with": "XMLHttpRequest"}  # as the editor's script sends it


@dataclass
class Run:
    """One try at an endpoint: the client, and whether the POST carries the token."""

    client: Client
    with_token: bool

    def sign_in(self, user):
        self.client.force_login(user)
        return user

    def signed_in_user_id(self) -> str | None:
        return self.client.session.get("_auth_user_id")

    def post(self, url: str, data: dict | None = None, **extra):
        data = dict(data or {})
        assert "csrftoken" in self.client.cookies, "GET the form first: it sets the cookie"
        if self.with_token:
            data["csrfmiddlewaretoken"] = self.client.cookies["csrftoken"].value
        return self.client.post(url, data, **extra)

    def answer(self, response, accepted_status: int = 302) -> bool:
        """Whether the endpoint went ahead; a refusal is the site's CSRF page."""
        if self.with_token:
            assert response.status_code == accepted_status, response.content.decode()[:500]
            return True
        assert response.status_code == 403
        return False


def refused_page(response) -> None:
    assert CSRF_REFUSAL in response.content.decode()


@pytest.fixture
def editor(db):
    return UserFactory(username="fan")


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


# The endpoints ----------------------------------------------------------------------------------


def create(run, editor, **_):
    run.sign_in(editor)
    url = reverse("scenes:create")
    data = edit_form_data(run.client.get(url))
    data.update(
        title="The bank job",
        slug="the-bank-job",
        description="Downtown.",
        body="Shots fired.",
        work=str(Scene.objects.get(slug="coffee-shop-stand-off").work_id),
        position="99",
    )
    response = run.post(url, data)
    done = run.answer(response)
    if not done:
        refused_page(response)
    assert Scene.objects.filter(slug="the-bank-job").exists() == done


def edit(run, editor, **_):
    run.sign_in(editor)
    page = scene()
    url = page.kind_url("edit")
    data = edit_form_data(run.client.get(url))
    data["description"] = "Changed through the form."
    response = run.post(url, data)
    done = run.answer(response)
    if done:
        assert response.url == page.get_absolute_url()
    else:
        refused_page(response)
    page = scene()
    assert (page.description == "Changed through the form.") == done
    assert page.current_revision.number == (2 if done else 1)


def revert(run, editor, **_):
    run.sign_in(editor)
    page = scene()
    second_revision(page)
    # The revert button is on the page of the old revision.
    assert run.client.get(page.kind_url("revision", number=1)).status_code == 200
    response = run.post(page.kind_url("revert", number=1))
    done = run.answer(response)
    if done:
        assert response.url == page.get_absolute_url()
    else:
        refused_page(response)
    page = scene()
    assert page.current_revision.number == (3 if done else 2)
    assert (page.description != "Vandalised description.") == done


def preview(run, editor, **_):
    run.sign_in(editor)
    run.client.get(scene().kind_url("edit"))
    response = run.post(reverse("editor:preview"), {"content": "**x**"})
    if run.answer(response, accepted_status=200):
        assert "<strong>x</strong>" in response.content.decode()
    else:
        refused_page(response)


def preview_in_the_background(run, editor, **_):
    """The editor's script gets a short note it can show in the preview, not a whole page."""
    run.sign_in(editor)
    run.client.get(scene().kind_url("edit"))
    response = run.post(reverse("editor:preview"), {"content": "**x**"}, headers=XHR)
    if run.answer(response, accepted_status=200):
        assert "<strong>x</strong>" in response.content.decode()
    else:
        note = response.content.decode()
        assert note.startswith('<p class="preview-error">This page has expired')


# What the editor's image dialog sends besides the image.
IMAGE_DETAILS = {"alt": "A still", "credit": "A fan", "licence": "cc0"}


def upload(run, editor, settings, tmp_path, **_):
    settings.MEDIA_ROOT = tmp_path
    run.sign_in(editor)
    run.client.get(scene().kind_url("edit"))
    image = SimpleUploadedFile("still.png", png_bytes(), content_type="image/png")
    response = run.post(reverse("editor:upload"), {"image": image, **IMAGE_DETAILS})
    done = run.answer(response, accepted_status=200)
    if not done:
        refused_page(response)
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == (1 if done else 0)


def upload_in_the_background(run, editor, settings, tmp_path, **_):
    settings.MEDIA_ROOT = tmp_path
    run.sign_in(editor)
    run.client.get(scene().kind_url("edit"))
    image = SimpleUploadedFile("still.png", png_bytes(), content_type="image/png")
    response = run.post(reverse("editor:upload"), {"image": image, **IMAGE_DETAILS}, headers=XHR)
    done = run.answer(response, accepted_status=200)
    if done:
        assert "image_code" in response.json()
    else:
        assert response.json()["error"].startswith("This page has expired")
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == (1 if done else 0)


def sign_out(run, editor, **_):
    run.sign_in(editor)
    run.client.get(reverse("home"))  # the sign-out button is in every page's header
    response = run.post(reverse("account_logout"))
    done = run.answer(response)
    if not done:
        refused_page(response)
    assert (run.signed_in_user_id() is None) == done


def sign_in(run, editor, **_):
    run.client.get(reverse("account_login"))
    response = run.post(reverse("account_login"), {"login": "fan", "password": PASSWORD})
    done = run.answer(response)
    if not done:
        refused_page(response)
    assert (run.signed_in_user_id() == str(editor.pk)) == done


def sign_up(run, **_):
    run.client.get(reverse("account_signup"))
    data = {
        "username": "newfan",
        "email": "newfan@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    response = run.post(reverse("account_signup"), data)
    done = run.answer(response)
    if not done:
        refused_page(response)
    assert get_user_model().objects.filter(username="newfan").exists() == done
    assert len(mail.outbox) == (1 if done else 0)


def confirm_email(run, **_):
    newcomer = UserFactory(username="newcomer", email_address__verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    url = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    run.client.get(url)
    done = run.answer(run.post(url))
    address.refresh_from_db()
    assert address.verified == done


def change_password(run, editor, **_):
    run.sign_in(editor)
    url = reverse("account_change_password")
    run.client.get(url)
    data = {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = run.post(url, data)
    done = run.answer(response)
    if not done:
        refused_page(response)
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD) == done
    assert editor.check_password(PASSWORD) != done


def reset_password(run, editor, **_):
    url = reverse("account_reset_password")
    run.client.get(url)
    done = run.answer(run.post(url, {"email": editor.email}))
    assert len(mail.outbox) == (1 if done else 0)


def add_email(run, editor, **_):
    run.sign_in(editor)
    url = reverse("account_email")
    run.client.get(url)
    done = run.answer(run.post(url, {"action_add": "", "email": "second@example.com"}))
    assert EmailAddress.objects.filter(email="second@example.com").exists() == done


def admin_sign_in(run, moderator, **_):
    url = reverse("admin:login")
    run.client.get(url)
    response = run.post(url, {"username": "mod", "password": PASSWORD, "next": "/admin/"})
    done = run.answer(response)
    assert (run.signed_in_user_id() == str(moderator.pk)) == done


def admin_action(run, changelist: str, action: str, pks, logged: str | None = None):
    url = reverse(changelist)
    assert run.client.get(url).status_code == 200
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0}
    data["reason"] = "A reason"
    response = run.post(url, data)
    done = run.answer(response)
    if done:
        assert response.url == url
    else:
        refused_page(response)
    assert ModerationLog.objects.filter(action=logged or action).exists() == done
    return done


def admin_protect(run, moderator, **_):
    run.sign_in(moderator)
    done = admin_action(run, "admin:scenes_scene_changelist", "protect", [scene().pk])
    assert scene().is_protected == done


def admin_unprotect(run, moderator, **_):
    run.sign_in(moderator)
    protect_page(page=scene(), moderator=moderator, reason="Edit war")
    done = admin_action(run, "admin:scenes_scene_changelist", "unprotect", [scene().pk])
    assert scene().is_protected != done


def admin_hide(run, moderator, **_):
    run.sign_in(moderator)
    page = scene()
    second_revision(page)
    first = page.revisions.get(number=1)
    done = admin_action(run, "admin:wiki_revision_changelist", "hide", [first.pk])
    first.refresh_from_db()
    assert first.is_hidden == done


def admin_unhide(run, moderator, **_):
    run.sign_in(moderator)
    page = scene()
    second_revision(page)
    first = page.revisions.get(number=1)
    hide_revision(revision=first, moderator=moderator, reason="Personal details")
    done = admin_action(run, "admin:wiki_revision_changelist", "unhide", [first.pk])
    first.refresh_from_db()
    assert first.is_hidden != done


def admin_revert_to(run, moderator, **_):
    run.sign_in(moderator)
    page = scene()
    second_revision(page)
    first = Revision.objects.get(page=page, number=1)
    done = admin_action(run, "admin:wiki_revision_changelist", "revert_to", [first.pk], "revert")
    assert scene().current_revision.number == (3 if done else 2)


def admin_lift_block(run, moderator, **_):
    run.sign_in(moderator)
    block = block_account(user=UserFactory(username="troll"), moderator=moderator, reason="Spam")
    done = admin_action(run, "admin:accounts_block_changelist", "lift", [block.pk], "unblock")
    assert Block.objects.active().filter(pk=block.pk).exists() != done


def admin_block(run, moderator, **_):
    run.sign_in(moderator)
    target = UserFactory(username="troll")
    url = reverse("admin:accounts_block_add")
    assert run.client.get(url).status_code == 200
    until = timezone.now() + timedelta(days=3)
    data = {
        "username": "troll",
        "reason": "Spam links",
        "expires_at_0": f"{until:%Y-%m-%d}",
        "expires_at_1": f"{until:%H:%M:%S}",
    }
    response = run.post(url, data)
    done = run.answer(response)
    if not done:
        refused_page(response)
    assert Block.objects.active().filter(user=target).exists() == done


def create_api_token(run, editor, **_):
    run.sign_in(editor)
    url = reverse("api-tokens")
    assert run.client.get(url).status_code == 200
    response = run.post(url, {"name": "map app"})
    done = run.answer(response, accepted_status=201)
    if not done:
        refused_page(response)
    assert ApiToken.objects.filter(user=editor).exists() == done


def revoke_api_token(run, editor, **_):
    run.sign_in(editor)
    token, _ = ApiToken.issue(user=editor, name="old bot")
    assert run.client.get(reverse("api-tokens")).status_code == 200
    response = run.post(reverse("api-token-revoke", args=[token.pk]))
    done = run.answer(response)
    if not done:
        refused_page(response)
    token.refresh_from_db()
    assert (not token.is_active) == done


ENDPOINTS = [
    create,
    edit,
    revert,
    preview,
    preview_in_the_background,
    upload,
    upload_in_the_background,
    sign_out,
    sign_in,
    sign_up,
    confirm_email,
    change_password,
    reset_password,
    add_email,
    admin_sign_in,
    admin_protect,
    admin_unprotect,
    admin_hide,
    admin_unhide,
    admin_revert_to,
    admin_lift_block,
    admin_block,
    create_api_token,
    revoke_api_token,
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.__name__)
@pytest.mark.parametrize("with_token", [False, True], ids=["without_token", "with_token"])
def test_post(endpoint, with_token, editor, moderator, settings, tmp_path):
    run = Run(Client(enforce_csrf_checks=True), with_token)
    endpoint(run, editor=editor, moderator=moderator, settings=settings, tmp_path=tmp_path)


def test_a_token_from_another_session_is_refused(editor):
    """The token is tied to the browser's cookie: one read from another client does not do."""
    attacker = Client(enforce_csrf_checks=True)
    attacker.get(reverse("account_login"))
    victim = Client(enforce_csrf_checks=True)
    victim.force_login(editor)
    page = scene()
    second_revision(page)
    victim.get(page.kind_url("revision", number=1))
    assert victim.cookies["csrftoken"].value != attacker.cookies["csrftoken"].value

    token = attacker.cookies["csrftoken"].value
    response = victim.post(page.kind_url("revert", number=1), {"csrfmiddlewaretoken": token})

    assert response.status_code == 403
    assert scene().current_revision.number == 2


def test_a_get_changes_nothing_where_a_post_would(editor):
    """CSRF protection covers POSTs only, so nothing that changes state may answer a GET."""
    client = Client(enforce_csrf_checks=True)
    newcomer = UserFactory(username="newcomer", email_address__verified=False)
    address = EmailAddress.objects.get(user=newcomer)
    confirm = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])
    assert client.get(confirm).status_code == 200
    address.refresh_from_db()
    assert not address.verified, "confirming takes a POST"

    client.force_login(editor)
    page = scene()
    second_revision(page)
    assert client.get(page.kind_url("revert", number=1)).status_code == 405
    assert scene().current_revision.number == 2
    assert client.get(reverse("editor:preview"), {"content": "**x**"}).status_code == 405
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.session.get("_auth_user_id") == str(editor.pk), "signing out takes a POST"
