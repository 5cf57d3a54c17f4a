"""The moderators' admin: protection, hidden revisions, reverts and blocks, each with a reason."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from heatwiki.accounts.blocks import block_account
from heatwiki.accounts.models import Block, ModerationLog
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.services import save_page
from scenes.models import Scene
from tests import factories

pytestmark = pytest.mark.django_db

SCENES = reverse("admin:scenes_scene_changelist")
REVISIONS = reverse("admin:wiki_revision_changelist")
BLOCKS = reverse("admin:accounts_block_changelist")
ADD_BLOCK = reverse("admin:accounts_block_add")
VANDAL = "VANDAL-TEXT-123"


@pytest.fixture
def mod_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def scene() -> Scene:
    return Scene.objects.get(slug="coffee-shop-stand-off")


def action(client: Client, url: str, name: str, objects, reason: str = ""):
    """Run an admin action from the list's action bar; the answer is the list it leads back to,
    so that its messages are shown (and used up) there."""
    data = {"action": name, "_selected_action": [o.pk for o in objects], "index": 0}
    if reason:
        data["reason"] = reason
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def edit(page, author, summary="", **data) -> Revision:
    outcome = save_page(
        page=type(page).objects.get(pk=page.pk), data=data, author=author, summary=summary
    )
    return outcome.revision


def log_entries(action: str) -> list[tuple]:
    return list(
        ModerationLog.objects.filter(action=action).values_list("moderator__username", "reason")
    )


# Protection -------------------------------------------------------------------------------------


def test_a_moderator_protects_a_page_with_a_reason(mod_client, moderator, scene, editor):
    response = action(mod_client, SCENES, "protect", [scene], "Edit war over the diner's name")

    assert messages_of(response) == ["Protected 1 page(s)."]
    scene = Scene.objects.get(pk=scene.pk)
    assert scene.is_protected
    assert (scene.protected_by, scene.protection_reason) == (
        moderator,
        "Edit war over the diner's name",
    )
    assert log_entries("protect") == [("mod", "Edit war over the diner's name")]
    assert ModerationLog.objects.get().target == scene.title
    # The site shows the lock, and editors may no longer change the page.
    html = Client().get(scene.get_absolute_url()).content.decode()
    assert "Protected by mod: Edit war over the diner&#x27;s name." in html
    client = Client()
    client.force_login(editor)
    response = client.get(scene.kind_url("edit"))
    assert response.status_code == 403
    assert "This page is protected by mod" in response.content.decode()


def test_protecting_without_a_reason_is_refused_and_changes_nothing(mod_client, scene):
    response = action(mod_client, SCENES, "protect", [scene], reason="   ")

    assert messages_of(response) == ["Give a reason: it is recorded."]
    assert not Scene.objects.get(pk=scene.pk).is_protected
    assert not ModerationLog.objects.exists()


def test_a_moderator_unprotects_a_page(mod_client, moderator, scene, editor):
    action(mod_client, SCENES, "protect", [scene], "Edit war")

    response = action(mod_client, SCENES, "unprotect", [scene], "Calmer now")

    assert messages_of(response)[-1] == "Unprotected 1 page(s)."
    scene = Scene.objects.get(pk=scene.pk)
    assert not scene.is_protected
    assert (scene.protected_by, scene.protection_reason) == (None, "")
    assert log_entries("unprotect") == [("mod", "Calmer now")]
    client = Client()
    client.force_login(editor)
    assert client.get(scene.kind_url("edit")).status_code == 200


def test_every_kind_can_be_protected_from_its_admin(mod_client):
    kinds = {}
    for page in WikiPage.objects.order_by("pk"):
        kinds.setdefault(page.page_kind, page)
    for kind, page in kinds.items():
        concrete = type(page).objects.get(pk=page.pk)
        model = {
            "works": "works_work",
            "scenes": "scenes_scene",
            "locations": "scenes_location",
            "people": "people_person",
            "characters": "people_character",
            "news": "news_newsitem",
            "files": "wiki_filepage",
        }[kind]
        url = reverse(f"admin:{model}_changelist")
        action(mod_client, url, "protect", [concrete], "Protect them all")
        assert WikiPage.objects.get(pk=page.pk).is_protected, kind


# Hiding and unhiding ----------------------------------------------------------------------------


@pytest.fixture
def vandalised(scene, editor):
    edit(scene, editor, summary=f"{VANDAL} summary", body=f"{VANDAL} body")
    return Scene.objects.get(pk=scene.pk)


def test_a_moderator_hides_a_revision_from_the_revision_admin(mod_client, moderator, vandalised):
    revision = vandalised.current_revision

    response = action(mod_client, REVISIONS, "hide", [revision], "Vandalism")

    assert messages_of(response) == ["Hidden."]
    revision.refresh_from_db()
    assert (revision.is_hidden, revision.hidden_by, revision.hidden_reason) == (
        True,
        moderator,
        "Vandalism",
    )
    page = Scene.objects.get(pk=vandalised.pk)
    assert VANDAL not in page.body
    assert page.current_revision.author == moderator
    assert log_entries("hide") == [("mod", "Vandalism")]
    assert VANDAL not in Client().get(reverse("wiki:recent-changes")).content.decode()


def test_hiding_without_a_reason_is_refused(mod_client, vandalised):
    response = action(mod_client, REVISIONS, "hide", [vandalised.current_revision])
    assert messages_of(response) == ["Give a reason: it is recorded."]
    assert not Revision.objects.filter(hidden_at__isnull=False).exists()


def test_a_moderator_unhides_a_revision(mod_client, vandalised):
    revision = vandalised.current_revision
    action(mod_client, REVISIONS, "hide", [revision], "Vandalism")

    response = action(mod_client, REVISIONS, "unhide", [revision], "My mistake")

    assert messages_of(response)[-1] == "Unhidden."
    revision.refresh_from_db()
    assert not revision.is_hidden
    assert log_entries("unhide") == [("mod", "My mistake")]
    assert Client().get(vandalised.kind_url("revision", number=revision.number)).status_code == 200


def test_the_revision_admin_marks_hidden_revisions(mod_client, vandalised):
    action(mod_client, REVISIONS, "hide", [vandalised.current_revision], "Vandalism")
    response = mod_client.get(REVISIONS, {"hidden_at__isnull": "False"})
    assert [r.pk for r in response.context["cl"].result_list] == [vandalised.current_revision.pk]


def test_hiding_two_vandal_revisions_at_once_leaves_no_vandal_text(mod_client, vandalised, editor):
    edit(vandalised, editor, summary="more", body=f"More {VANDAL}")
    both = vandalised.revisions.filter(number__gt=1)

    action(mod_client, REVISIONS, "hide", both, "Vandal spree")

    page = Scene.objects.get(pk=vandalised.pk)
    assert VANDAL not in page.body
    assert not page.revisions.filter(hidden_at__isnull=True, body_html__contains=VANDAL).exists()


def test_hiding_the_only_revision_in_the_admin_is_refused_with_a_message(mod_client):
    lone = factories.SceneFactory(title="Lone scene")

    response = action(mod_client, REVISIONS, "hide", [lone.revisions.get()], "Vandalism")

    assert not lone.revisions.get().is_hidden
    assert messages_of(response) == [
        "Revision 1 is the only visible content of “Lone scene”: nothing to go back to."
    ]


# Reverting to a chosen revision -----------------------------------------------------------------


def test_a_moderator_reverts_a_page_to_a_chosen_revision(mod_client, moderator, vandalised):
    first = vandalised.revisions.get(number=1)

    response = action(mod_client, REVISIONS, "revert_to", [first], "Back to the seed text")

    assert messages_of(response) == [f"Reverted {vandalised.title} to revision 1."]
    page = Scene.objects.get(pk=vandalised.pk)
    revision = page.current_revision
    assert (revision.number, revision.author, revision.summary) == (
        3,
        moderator,
        "Reverted to revision 1",
    )
    assert revision.snapshot == first.snapshot
    assert VANDAL not in page.body
    assert log_entries("revert") == [("mod", "Back to the seed text")]
    assert ModerationLog.objects.get().target == f"{page.title} to revision 1"


def test_revert_to_needs_exactly_one_revision_and_a_reason(mod_client, vandalised):
    revisions = list(vandalised.revisions.all())
    response = action(mod_client, REVISIONS, "revert_to", revisions, "Two at once")
    assert messages_of(response) == ["Select exactly one revision."]
    response = action(mod_client, REVISIONS, "revert_to", revisions[-1:])
    assert messages_of(response) == ["Give a reason: it is recorded."]
    assert Scene.objects.get(pk=vandalised.pk).current_revision.number == 2
    assert not ModerationLog.objects.exists()


def test_reverting_to_a_hidden_revision_is_refused(mod_client, vandalised):
    vandal_revision = vandalised.current_revision
    edit(vandalised, vandalised.current_revision.author, body="Cleaned by hand.")
    action(mod_client, REVISIONS, "hide", [vandal_revision], "Vandalism")

    response = action(mod_client, REVISIONS, "revert_to", [vandal_revision], "Oops")

    assert messages_of(response) == [
        "Revision 2 is hidden: unhide it first if its content should come back. "
        "Nothing was changed."
    ]
    page = Scene.objects.get(pk=vandalised.pk)
    assert (page.current_revision.number, page.body) == (3, "Cleaned by hand.")
    assert not ModerationLog.objects.filter(action=ModerationLog.Action.REVERT).exists()


def test_reverting_to_the_current_content_says_so(mod_client, vandalised):
    response = action(mod_client, REVISIONS, "revert_to", [vandalised.current_revision], "Again")
    assert messages_of(response) == ["The page already has that content."]
    assert Scene.objects.get(pk=vandalised.pk).current_revision.number == 2


# Blocks -----------------------------------------------------------------------------------------


def block_form(username: str, reason: str = "Vandalism", date="2099-05-04", time="13:30:00"):
    return {"username": username, "reason": reason, "expires_at_0": date, "expires_at_1": time}


def test_a_moderator_blocks_an_account_by_username(mod_client, moderator, editor):
    response = mod_client.post(ADD_BLOCK, block_form("Fan"))

    assert response.status_code == 302
    block = Block.objects.get()
    assert (block.user, block.blocked_by, block.reason) == (editor, moderator, "Vandalism")
    assert block.expires_at.isoformat() == "2099-05-04T13:30:00+00:00"
    assert block.is_active
    assert log_entries("block") == [("mod", "Vandalism")]
    client = Client()
    client.force_login(editor)
    assert client.get(Scene.objects.first().kind_url("edit")).status_code == 403


def test_a_block_without_an_end_date(mod_client, editor):
    response = mod_client.post(ADD_BLOCK, block_form("fan", date="", time=""))
    assert response.status_code == 302
    assert Block.objects.get().expires_at is None


@pytest.mark.parametrize(
    "username, error",
    [
        ("nobody-by-that-name", "There is no account “nobody-by-that-name”."),
        ("root", "Superusers cannot be blocked."),
    ],
)
def test_blocking_an_unknown_account_or_a_superuser_is_a_form_error(mod_client, username, error):
    factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    response = mod_client.post(ADD_BLOCK, block_form(username))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == [error]
    assert not Block.objects.exists()
    assert not ModerationLog.objects.exists()


def test_a_block_that_would_have_ended_already_is_a_form_error(mod_client, editor):
    response = mod_client.post(ADD_BLOCK, block_form("fan", date="2001-01-01"))
    assert response.status_code == 200
    assert "This date has passed" in response.context["adminform"].form.errors["expires_at"][0]
    assert not Block.objects.exists()


def test_usernames_that_differ_only_in_case_need_the_exact_spelling(mod_client):
    factories.UserFactory(username="Twin")
    factories.UserFactory(username="twin")
    factories.UserFactory(username="Triplet")
    factories.UserFactory(username="TRIPLET")

    assert mod_client.post(ADD_BLOCK, block_form("twin")).status_code == 302
    assert Block.objects.get().user.username == "twin"
    response = mod_client.post(ADD_BLOCK, block_form("triplet"))
    assert "type the exact username" in response.context["adminform"].form.errors["username"][0]


def test_a_moderator_lifts_a_block(mod_client, moderator, editor):
    block = block_account(user=editor, moderator=moderator, reason="Vandalism")

    response = action(mod_client, BLOCKS, "lift", [block], "Apologised")

    assert messages_of(response) == ["Lifted."]
    block.refresh_from_db()
    assert not block.is_active and block.lifted_by == moderator
    assert log_entries("unblock") == [("mod", "Apologised")]
    client = Client()
    client.force_login(editor)
    assert client.get(Scene.objects.first().kind_url("edit")).status_code == 200


def test_the_block_list_shows_which_blocks_are_in_force(mod_client, moderator, editor):
    block_account(user=editor, moderator=moderator, reason="Vandalism")
    response = mod_client.get(BLOCKS)
    assert response.status_code == 200
    assert "Vandalism" in response.content.decode()


def test_a_block_cannot_be_deleted(mod_client, moderator, editor):
    block = block_account(user=editor, moderator=moderator, reason="Vandalism")
    response = mod_client.post(
        reverse("admin:accounts_block_delete", args=[block.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Block.objects.filter(pk=block.pk).exists()


def test_the_moderation_log_is_read_only(mod_client, moderator, editor):
    block_account(user=editor, moderator=moderator, reason="Vandalism")
    entry = ModerationLog.objects.get()
    assert mod_client.get(reverse("admin:accounts_moderationlog_changelist")).status_code == 200
    assert mod_client.get(reverse("admin:accounts_moderationlog_add")).status_code == 403
    url = reverse("admin:accounts_moderationlog_change", args=[entry.pk])
    assert mod_client.post(url, {"reason": "rewritten"}).status_code == 403
    assert ModerationLog.objects.get().reason == "Vandalism"


# The revision list ------------------------------------------------------------------------------


def listed(client: Client, **query) -> list[Revision]:
    response = client.get(REVISIONS, query)
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def test_the_revision_admin_filters_by_page_kind(mod_client, editor, vandalised):
    edit(factories.LocationFactory(), editor, body="A location edit.")

    scenes = listed(mod_client, page__page_kind__exact="scenes")
    locations = listed(mod_client, page__page_kind__exact="locations")

    assert scenes and {r.page.page_kind for r in scenes} == {"scenes"}
    assert vandalised.current_revision in scenes
    assert locations and {r.page.page_kind for r in locations} == {"locations"}


def test_the_revision_admin_searches_page_titles_and_usernames(mod_client, editor, vandalised):
    by_title = listed(mod_client, q='"coffee-shop stand-off"')
    by_user = listed(mod_client, q="fan")

    assert {r.page_id for r in by_title} == {vandalised.pk}
    assert by_user == [vandalised.current_revision]


def test_a_revision_can_be_viewed_but_not_edited_added_or_deleted(mod_client, vandalised):
    revision = vandalised.current_revision
    change = reverse("admin:wiki_revision_change", args=[revision.pk])

    response = mod_client.get(change)
    assert response.status_code == 200
    assert VANDAL in response.content.decode()
    assert mod_client.get(reverse("admin:wiki_revision_add")).status_code == 403
    delete = reverse("admin:wiki_revision_delete", args=[revision.pk])
    assert mod_client.get(delete).status_code == 403
    assert mod_client.post(delete, {"post": "yes"}).status_code == 403
    # Nor through the list's actions: there is no delete action to choose.
    response = mod_client.get(REVISIONS)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in choices
    assert set(choices) >= {"hide", "unhide", "revert_to"}
    action(mod_client, REVISIONS, "delete_selected", [revision])
    assert Revision.objects.filter(pk=revision.pk).exists()


# What moderators cannot reach --------------------------------------------------------------------


def test_a_moderator_cannot_reach_users_groups_or_permissions(mod_client, editor):
    group = Group.objects.get(name="Moderators")
    refused = [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[editor.pk]),
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:account_emailaddress_changelist"),
    ]
    for url in refused:
        assert mod_client.get(url).status_code == 403, url
    # Permissions have no admin page at all, and the auth section is not there for them.
    permission = Permission.objects.first()
    assert mod_client.get(f"/admin/auth/permission/{permission.pk}/change/").status_code == 404
    assert mod_client.get(reverse("admin:app_list", args=["auth"])).status_code == 404
    # Posting to them changes nothing either.
    url = reverse("admin:auth_user_change", args=[editor.pk])
    assert mod_client.post(url, {"username": "fan", "is_superuser": "on"}).status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


# The admin index --------------------------------------------------------------------------------


def test_the_admin_index_shows_recent_changes_to_review(mod_client, vandalised):
    response = mod_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert 'id="recent-changes-to-review"' in html
    section = html.split('id="recent-changes-to-review"')[1]
    assert vandalised.title in section
    assert f"{VANDAL} summary" in section
    change = reverse("admin:wiki_revision_change", args=[vandalised.current_revision.pk])
    assert f'href="{change}"' in section


def test_the_admin_index_marks_hidden_revisions(mod_client, vandalised):
    action(mod_client, REVISIONS, "hide", [vandalised.current_revision], "Vandalism")
    html = mod_client.get(reverse("admin:index")).content.decode()
    assert "(hidden)" in html.split('id="recent-changes-to-review"')[1]
