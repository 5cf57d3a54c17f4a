"""Who may do what: every role against every action, one test per cell of the matrix.

Roles: an anonymous reader, a signed-in account whose e-mail address is not confirmed, an editor
(confirmed), a blocked editor, a moderator (staff in the Moderators group) and a superuser.
Each cell checks the answer and, for anything that writes, that refused roles changed nothing.
"""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from heatwiki.accounts.blocks import block_account
from heatwiki.accounts.models import MODERATORS_GROUP, Block, ModerationLog
from heatwiki.wiki.models import Revision
from heatwiki.wiki.moderation import hide_revision, protect_page
from heatwiki.wiki.permissions import can_edit, is_moderator
from heatwiki.wiki.services import save_page, system_account
from scenes.models import Scene
from tests.factories import UserFactory
from tests.formdata import form_data as edit_form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unverified", "editor", "blocked", "moderator", "superuser"]
SCENE = "coffee-shop-stand-off"

BLOCK_REASON = "Replaced the diner scene with adverts"
PROTECT_REASON = "Edit war over who blinked first"
HIDE_REASON = "Personal details of a crew member"

# Expected outcomes besides plain status codes.
LOGIN = "302 to the site's sign-in"
ADMIN_LOGIN = "302 to the admin sign-in"
DONE = "302 after doing it"

A, U, E, B, M, S = ROLES
EDITORS_ONLY = {A: LOGIN, U: 403, E: 200, B: 403, M: 200, S: 200}
MATRIX = {
    "view": dict.fromkeys(ROLES, 200),
    "create": EDITORS_ONLY,
    "edit": EDITORS_ONLY,
    "edit_protected": {A: LOGIN, U: 403, E: 403, B: 403, M: 200, S: 200},
    "revert": {A: LOGIN, U: 403, E: DONE, B: 403, M: DONE, S: DONE},
    "preview": EDITORS_ONLY,
    "upload": EDITORS_ONLY,
    "hidden_history": {A: 403, U: 403, E: 403, B: 403, M: 200, S: 200},
    "protect": {A: ADMIN_LOGIN, U: ADMIN_LOGIN, E: ADMIN_LOGIN, B: ADMIN_LOGIN, M: DONE, S: DONE},
    "hide": {A: ADMIN_LOGIN, U: ADMIN_LOGIN, E: ADMIN_LOGIN, B: ADMIN_LOGIN, M: DONE, S: DONE},
    "block": {A: ADMIN_LOGIN, U: ADMIN_LOGIN, E: ADMIN_LOGIN, B: ADMIN_LOGIN, M: DONE, S: DONE},
    "admin_index": {A: ADMIN_LOGIN, U: ADMIN_LOGIN, E: ADMIN_LOGIN, B: ADMIN_LOGIN, M: 200, S: 200},
    "admin_group_change": {
        A: ADMIN_LOGIN,
        U: ADMIN_LOGIN,
        E: ADMIN_LOGIN,
        B: ADMIN_LOGIN,
        M: 403,
        S: 200,
    },
}


# The accounts ---------------------------------------------------------------------------------


@pytest.fixture
def warden(db):
    """A second moderator, who blocks, protects and hides things before the test begins."""
    user = UserFactory(username="warden", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def make_user(role: str, warden):
    if role == "anonymous":
        return None
    if role == "unverified":
        return UserFactory(username="newcomer", email_address__verified=False)
    if role == "editor":
        return UserFactory(username="fan")
    if role == "blocked":
        user = UserFactory(username="vandal")
        block_account(user=user, moderator=warden, reason=BLOCK_REASON, expires_at=block_expiry())
        return user
    if role == "moderator":
        user = UserFactory(username="mod", is_staff=True)
        user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        return user
    if role == "superuser":
        return UserFactory(username="boss", is_staff=True, is_superuser=True)
    raise AssertionError(role)


def block_expiry():
    return (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)


def sign_in(client, role, warden):
    user = make_user(role, warden)
    if user is not None:
        client.force_login(user)
    return user


# Helpers --------------------------------------------------------------------------------------


def scene() -> Scene:
    return Scene.objects.select_related("current_revision").get(slug=SCENE)


def second_revision(page) -> Revision:
    """A later revision by someone else, so the page has two to choose between."""
    outcome = save_page(
        page=page,
        data={"description": "Vandalised description."},
        author=system_account(),
        summary="A change to revert",
    )
    assert outcome.revision.number == 2
    return outcome.revision


def body(response) -> str:
    return response.content.decode()


def check(response, expected, *, done_url: str | None = None) -> None:
    """The response is the ``expected`` outcome (a status code or one of the redirects)."""
    if expected == LOGIN:
        assert response.status_code == 302, body(response)[:500]
        assert response.url.startswith(reverse("account_login") + "?next=")
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, body(response)[:500]
        assert response.url.startswith(reverse("admin:login") + "?next=")
    elif expected == DONE:
        assert response.status_code == 302, body(response)[:500]
        assert response.url == done_url
    else:
        assert response.status_code == expected, body(response)[:500]


def refusal_says_why(response, role: str) -> None:
    """A 403 for a signed-in account tells it what stands in its way."""
    if role == "unverified":
        assert "Confirm your e-mail address" in body(response)
    elif role == "blocked":
        assert BLOCK_REASON in body(response)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def admin_action(client, changelist: str, action: str, pks, reason: str):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], "index": 0}
    data["reason"] = reason
    return client.post(reverse(changelist), data)


# One function per action ----------------------------------------------------------------------


def do_view(client, user, role, expected, **_):
    page = scene()
    response = client.get(page.get_absolute_url())
    check(response, expected)
    assert page.title in body(response)


def do_create(client, user, role, expected, **_):
    response = client.get(reverse("scenes:create"))
    check(response, expected)
    if expected == 200:
        assert 'name="title"' in body(response)
    if expected == 403:
        refusal_says_why(response, role)


def do_edit(client, user, role, expected, **_):
    response = client.get(scene().kind_url("edit"))
    check(response, expected)
    if expected == 200:
        assert 'name="base_revision"' in body(response)
    if expected == 403:
        refusal_says_why(response, role)


def do_edit_protected(client, user, role, expected, warden, **_):
    page = scene()
    protect_page(page=page, moderator=warden, reason=PROTECT_REASON)
    response = client.get(page.kind_url("edit"))
    check(response, expected)
    if role == "editor":
        # Nothing else stands in a confirmed editor's way: the refusal is the protection.
        assert "This page is protected by warden" in body(response)
        assert PROTECT_REASON in body(response)
    elif expected == 403:
        refusal_says_why(response, role)


def do_revert(client, user, role, expected, **_):
    page = scene()
    original = page.description
    second_revision(page)
    response = client.post(page.kind_url("revert", number=1))
    check(response, expected, done_url=page.get_absolute_url())
    page = scene()
    if expected == DONE:
        assert page.current_revision.number == 3
        assert page.current_revision.author == user
        assert page.description == original
    else:
        assert page.current_revision.number == 2
        assert page.description == "Vandalised description."
    if expected == 403:
        refusal_says_why(response, role)


def do_preview(client, user, role, expected, **_):
    response = client.post(reverse("editor:preview"), {"content": "**x**"})
    check(response, expected)
    if expected == 200:
        assert body(response).strip() == "<p><strong>x</strong></p>"
    else:
        assert "<strong>x</strong>" not in body(response)
    if expected == 403:
        refusal_says_why(response, role)


def do_upload(client, user, role, expected, settings, tmp_path, **_):
    settings.MEDIA_ROOT = tmp_path
    image = SimpleUploadedFile("still.png", png_bytes(), content_type="image/png")
    details = {"alt": "A still", "credit": "A fan", "licence": "cc0"}
    response = client.post(reverse("editor:upload"), {"image": image, **details})
    check(response, expected)
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    if expected == 200:
        assert len(stored) == 1
        assert stored[0].name == "original.png"
        assert response.json()["image_code"].startswith("![A still](file:still")
    else:
        assert stored == []
    if expected == 403:
        refusal_says_why(response, role)


def do_hidden_history(client, user, role, expected, warden, **_):
    page = scene()
    second = second_revision(page)
    hide_revision(revision=second, moderator=warden, reason=HIDE_REASON)
    response = client.get(page.kind_url("revision", number=2))
    check(response, expected)
    if expected == 200:
        assert "Vandalised description." in body(response)
    else:
        assert "Vandalised description." not in body(response)
        assert "hidden by a moderator" in body(response)


def do_protect(client, user, role, expected, **_):
    page = scene()
    changelist = "admin:scenes_scene_changelist"
    response = admin_action(client, changelist, "protect", [page.pk], PROTECT_REASON)
    check(response, expected, done_url=reverse(changelist))
    page = scene()
    if expected == DONE:
        assert page.is_protected
        assert page.protected_by == user
        assert page.protection_reason == PROTECT_REASON
        log = ModerationLog.objects.get(action=ModerationLog.Action.PROTECT)
        assert (log.moderator, log.reason, log.target) == (user, PROTECT_REASON, page.title)
    else:
        assert not page.is_protected
        assert not ModerationLog.objects.filter(action=ModerationLog.Action.PROTECT).exists()


def do_hide(client, user, role, expected, **_):
    page = scene()
    second_revision(page)
    first = page.revisions.get(number=1)
    changelist = "admin:wiki_revision_changelist"
    response = admin_action(client, changelist, "hide", [first.pk], HIDE_REASON)
    check(response, expected, done_url=reverse(changelist))
    first.refresh_from_db()
    if expected == DONE:
        assert first.is_hidden
        assert (first.hidden_by, first.hidden_reason) == (user, HIDE_REASON)
        log = ModerationLog.objects.get(action=ModerationLog.Action.HIDE)
        assert (log.moderator, log.reason) == (user, HIDE_REASON)
    else:
        assert not first.is_hidden
        assert not ModerationLog.objects.filter(action=ModerationLog.Action.HIDE).exists()


def do_block(client, user, role, expected, **_):
    target = UserFactory(username="troll")
    until = block_expiry() + timedelta(days=1)
    response = client.post(
        reverse("admin:accounts_block_add"),
        {
            "username": "troll",
            "reason": "Spam links",
            "expires_at_0": f"{until:%Y-%m-%d}",
            "expires_at_1": f"{until:%H:%M:%S}",
        },
    )
    check(response, expected, done_url=reverse("admin:accounts_block_changelist"))
    blocks = Block.objects.filter(user=target)
    if expected == DONE:
        block = blocks.active().get()
        assert (block.blocked_by, block.reason, block.expires_at) == (user, "Spam links", until)
        log = ModerationLog.objects.get(action=ModerationLog.Action.BLOCK)
        assert (log.moderator, log.target) == (user, "troll")
    else:
        assert not blocks.exists()


def do_admin_index(client, user, role, expected, **_):
    response = client.get(reverse("admin:index"))
    check(response, expected)
    if expected == 200:
        assert 'id="recent-changes-to-review"' in body(response)


def do_admin_group_change(client, user, role, expected, warden, **_):
    group = Group.objects.get(name=MODERATORS_GROUP)
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = client.get(url)
    check(response, expected)
    if role != "moderator":
        return
    # Nor can a moderator give the group (or anyone) more power by posting.
    before = set(group.permissions.values_list("pk", flat=True))
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    response = client.post(url, {"name": MODERATORS_GROUP, "permissions": everything})
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before

    user_url = reverse("admin:auth_user_change", args=[user.pk])
    assert client.get(user_url).status_code == 403
    for someone in (user, warden):
        response = client.post(
            reverse("admin:auth_user_change", args=[someone.pk]),
            {
                "username": someone.username,
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "groups": [str(group.pk)],
                "user_permissions": everything,
            },
        )
        assert response.status_code == 403
        someone.refresh_from_db()
        assert not someone.is_superuser
        assert not someone.user_permissions.exists()


ACTIONS = {name[3:]: function for name, function in globals().items() if name.startswith("do_")}
assert set(ACTIONS) == set(MATRIX)

CELLS = [pytest.param(role, action, id=f"{role}-{action}") for action in MATRIX for role in ROLES]


@pytest.mark.parametrize(("role", "action"), CELLS)
def test_matrix(role, action, client, warden, settings, tmp_path):
    user = sign_in(client, role, warden)
    ACTIONS[action](
        client,
        user,
        role,
        MATRIX[action][role],
        warden=warden,
        settings=settings,
        tmp_path=tmp_path,
    )


# Each role is what it claims to be ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_role_is_what_it_claims(role, client, warden):
    user = sign_in(client, role, warden)
    response = client.get(reverse("scenes:create"))
    signed_in = response.wsgi_request.user
    if role == "anonymous":
        assert not signed_in.is_authenticated
        assert user is None
        return
    assert signed_in == user
    confirmed = EmailAddress.objects.filter(user=user, verified=True).exists()
    assert is_moderator(user) == (role in {"moderator", "superuser"})
    assert can_edit(user) == (role in {"editor", "moderator", "superuser"})
    assert user.is_superuser == (role == "superuser")
    assert user.is_staff == (role in {"moderator", "superuser"})
    assert Block.objects.active().filter(user=user).exists() == (role == "blocked")
    assert confirmed == (role != "unverified")
    if role == "unverified":
        assert response.status_code == 403
        assert "Confirm your e-mail address before you edit" in body(response)
    elif role == "blocked":
        assert response.status_code == 403
        expiry = Block.objects.get(user=user).expires_at
        assert f"until {expiry:%-d %B %Y, %H:%M} UTC" in body(response)
        assert f"Reason: {BLOCK_REASON}" in body(response)
    else:
        assert response.status_code == 200
    if role == "moderator":
        assert user.groups.filter(name=MODERATORS_GROUP).exists()


# Edit rate ------------------------------------------------------------------------------------


def save_edits(client, count: int) -> list:
    """``count`` saves of the scene, each a real change, as the edit form would send them."""
    page = scene()
    url = page.kind_url("edit")
    responses = []
    for n in range(count):
        data = edit_form_data(client.get(url))
        data["description"] = f"Edited {n + 1} times."
        responses.append(client.post(url, data))
    return responses


def test_new_accounts_over_the_edit_rate_get_a_429(client, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    client.force_login(UserFactory(username="fan"))

    first, second, third = save_edits(client, 3)

    assert [first.status_code, second.status_code] == [302, 302]
    assert third.status_code == 429
    assert "You have sent 2 edits in a short while" in body(third)
    assert "new accounts have a lower limit" in body(third)
    page = scene()
    assert page.description == "Edited 2 times."
    assert page.current_revision.number == 3


def test_reverts_count_against_the_edit_rate(client, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    client.force_login(UserFactory(username="fan"))
    page = scene()
    second_revision(page)

    assert client.post(page.kind_url("revert", number=1)).status_code == 302
    assert client.post(page.kind_url("revert", number=2)).status_code == 302
    response = client.post(page.kind_url("revert", number=1))

    assert response.status_code == 429
    assert scene().current_revision.number == 4


def test_established_accounts_get_the_higher_edit_rate(client, settings):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "2/h"
    settings.HEATWIKI_EDIT_RATE = "3/h"
    fan = UserFactory(username="fan")
    get_user_model().objects.filter(pk=fan.pk).update(
        date_joined=timezone.now() - timedelta(days=2)
    )
    client.force_login(fan)

    responses = save_edits(client, 4)

    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert "You have sent 3 edits in a short while" in body(responses[3])
    assert "new accounts" not in body(responses[3])
    assert scene().description == "Edited 3 times."


# Hidden text stays hidden, even from a moderator's revert -------------------------------------


def hidden_second_revision(warden):
    """The scene at revision 3: revision 2 (the vandal's) hidden, revision 1's text restored."""
    page = scene()
    hide_revision(revision=second_revision(page), moderator=warden, reason=HIDE_REASON)
    page = scene()
    assert page.current_revision.number == 3
    return page


def test_a_moderator_cannot_revert_a_page_to_a_hidden_revision(client, warden):
    page = hidden_second_revision(warden)
    client.force_login(warden)
    # The moderator sees the hidden revision, and its revert button.
    assert client.get(page.kind_url("revision", number=2)).status_code == 200

    response = client.post(page.kind_url("revert", number=2), follow=True)

    assert response.redirect_chain == [(page.kind_url("history"), 302)]
    assert "Revision 2 is hidden" in body(response)
    page = scene()
    assert page.current_revision.number == 3
    assert "Vandalised description." not in Client().get(page.get_absolute_url()).content.decode()


def test_the_admin_will_not_revert_a_page_to_a_hidden_revision(client, warden):
    page = hidden_second_revision(warden)
    client.force_login(warden)
    hidden = page.revisions.get(number=2)
    changelist = reverse("admin:wiki_revision_changelist")

    response = client.post(
        changelist,
        {"action": "revert_to", "_selected_action": [hidden.pk], "reason": "Undo", "index": 0},
        follow=True,
    )

    assert response.redirect_chain == [(changelist, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Revision 2 is hidden: unhide it first if its content should come back. "
        "Nothing was changed."
    ]
    assert scene().current_revision.number == 3
    assert not ModerationLog.objects.filter(action=ModerationLog.Action.REVERT).exists()
