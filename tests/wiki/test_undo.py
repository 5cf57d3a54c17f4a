"""Reverts and undo are edits with a base: what was saved meanwhile is merged, or reported as a
conflict with both versions, never dropped. Admin saves carry their base revision too."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import strip_tags

from heatwiki.wiki.models import Revision
from heatwiki.wiki.services import CannotUndo, save_page, undo_revision
from heatwiki.wiki.snapshot import take
from scenes.models import Scene
from tests import factories
from tests.formdata import form_data
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

# Session, user, page, the two revisions and the related titles of the diff: the same
# number of queries whatever the page's history.
UNDO_PREVIEW_BUDGET = 10
ORIGINAL = "Alpha as it was.\n\nBeta as it was.\n\nGamma as it was."


@pytest.fixture
def page(editor):
    return factories.WorkFactory(body=ORIGINAL)


def edit(page, author, old: str, new: str) -> Revision:
    fresh = type(page).objects.get(pk=page.pk)
    data = {**take(fresh), "body": fresh.body.replace(old, new)}
    outcome = save_page(
        page=fresh, data=data, author=author, base_revision=fresh.current_revision.number
    )
    assert outcome.revision is not None
    return outcome.revision


def body(page) -> str:
    return type(page).objects.get(pk=page.pk).body


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Reverts


def test_a_revert_keeps_an_edit_saved_after_the_revision_the_user_looked_at(client, page, editor):
    other = factories.UserFactory(username="other")
    edit(page, editor, "Alpha as it was.", "Alpha vandalised.")  # revision 2
    client.force_login(editor)
    # The reverter looks at revision 2; meanwhile someone else improves another paragraph.
    edit(page, other, "Gamma as it was.", "Gamma improved.")  # revision 3

    response = client.post(page.kind_url("revert", number=1), {"base_revision": "2"})

    assert response.status_code == 302
    assert body(page) == "Alpha as it was.\n\nBeta as it was.\n\nGamma improved."
    assert messages_of(response) == [
        "Reverted to revision 1, keeping the changes saved since you looked: revision 4."
    ]


def test_a_revert_overlapping_an_edit_saved_meanwhile_is_a_conflict_showing_both(
    client, page, editor
):
    other = factories.UserFactory(username="other")
    edit(page, editor, "Alpha as it was.", "Alpha vandalised.")  # revision 2
    client.force_login(editor)
    edit(page, other, "Alpha vandalised.", "Alpha rewritten by other.")  # revision 3

    response = client.post(
        page.kind_url("revert", number=1), {"base_revision": "2", "summary": "Vandalism"}
    )

    assert response.status_code == 409
    text = strip_tags(response.content.decode())
    assert "Alpha rewritten by other." in text  # theirs, in the conflict
    assert "Alpha as it was." in text  # the revert's side, in the form
    html = response.content.decode()
    assert f'action="{page.kind_url("edit")}"' in html
    assert response.context["form"]["summary"].value() == "Vandalism"
    assert response.context["form"]["base_revision"].value() == 3
    assert page.revisions.count() == 3, "nothing saved"


def test_a_revert_without_a_base_still_restores_the_revision(client, page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha vandalised.")
    client.force_login(editor)

    response = client.post(page.kind_url("revert", number=1), {"summary": "Back to the start"})

    assert response.status_code == 302
    assert body(page) == ORIGINAL
    assert page.revisions.get(number=3).summary == "Back to the start"


# Undo


def test_undo_of_an_old_revision_merges_with_the_edits_after_it(page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha changed.")  # revision 2
    edit(page, editor, "Gamma as it was.", "Gamma changed.")  # revision 3

    outcome = undo_revision(page=page, number=2, author=editor)

    assert outcome.revision.number == 4
    assert outcome.revision.summary == "Undid revision 2"
    assert body(page) == "Alpha as it was.\n\nBeta as it was.\n\nGamma changed."


def test_undo_that_overlaps_a_later_edit_conflicts_and_saves_nothing(page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha changed.")  # revision 2
    edit(page, editor, "Alpha changed.", "Alpha changed again.")  # revision 3

    outcome = undo_revision(page=page, number=2, author=editor)

    assert [conflict.field for conflict in outcome.conflicts] == ["body"]
    assert outcome.revision is None
    assert body(page).startswith("Alpha changed again.")


def test_undo_of_revision_1_is_refused(page, editor):
    with pytest.raises(CannotUndo):
        undo_revision(page=page, number=1, author=editor)


def test_the_undo_page_previews_the_result_and_its_summary(client, page, editor):
    edit(page, editor, "Beta as it was.", "Beta changed.")  # revision 2
    edit(page, editor, "Gamma as it was.", "Gamma changed.")  # revision 3
    client.force_login(editor)

    response = client.get(page.kind_url("undo", number=2))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Beta changed." in strip_tags(html) and "Beta as it was." in strip_tags(html)
    assert f'value="Undid revision 2 by {editor.username}"' in html
    assert page.revisions.count() == 3, "a preview saves nothing"


def test_confirming_an_undo_saves_it_with_the_summary(client, page, editor):
    edit(page, editor, "Beta as it was.", "Beta changed.")  # revision 2
    edit(page, editor, "Gamma as it was.", "Gamma changed.")  # revision 3
    client.force_login(editor)

    response = client.post(page.kind_url("undo", number=2), {"summary": "Beta was right before"})

    assert response.status_code == 302
    assert body(page) == "Alpha as it was.\n\nBeta as it was.\n\nGamma changed."
    assert page.revisions.get(number=4).summary == "Beta was right before"
    assert messages_of(response) == ["Undid revision 2, saved as revision 4."]


def test_an_undo_that_conflicts_shows_the_edit_form_with_both_versions(client, page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha changed.")  # revision 2
    edit(page, editor, "Alpha changed.", "Alpha changed again.")  # revision 3
    client.force_login(editor)

    response = client.get(page.kind_url("undo", number=2))

    assert response.status_code == 200
    assert response.context["conflicts"][0]["name"] == "body"
    assert "Alpha changed again." in strip_tags(response.content.decode())
    # Saving the form as it comes is an ordinary edit of the current page.
    data = form_data(response)
    saved = client.post(page.kind_url("edit"), data)
    assert saved.status_code == 302
    assert page.revisions.count() == 4


@pytest.mark.parametrize("later_edits", [1, 30])
def test_the_undo_preview_costs_the_same_however_long_the_history(
    client, editor, later_edits, django_assert_max_num_queries
):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    edit(scene, editor, "Hanna", "Vincent Hanna")
    undone = Scene.objects.get(pk=scene.pk).current_revision.number
    for n in range(later_edits):
        fresh = Scene.objects.get(pk=scene.pk)
        data = {**take(fresh), "description": f"Edit {n}."}
        save_page(page=fresh, data=data, author=editor, base_revision=fresh.current_revision.number)
    client.force_login(editor)

    with django_assert_max_num_queries(UNDO_PREVIEW_BUDGET):
        response = client.get(scene.kind_url("undo", number=undone))

    assert response.status_code == 200


def test_undo_of_revision_1_answers_400(client, page, editor):
    client.force_login(editor)

    assert client.get(page.kind_url("undo", number=1)).status_code == 400


def test_undo_of_a_missing_revision_answers_404(client, page, editor):
    client.force_login(editor)

    assert client.get(page.kind_url("undo", number=99)).status_code == 404


def test_anonymous_undo_goes_to_sign_in(client, page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha changed.")

    response = client.post(page.kind_url("undo", number=2))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert page.revisions.count() == 2


def test_history_and_diff_offer_undo_to_signed_in_editors(client, page, editor):
    edit(page, editor, "Alpha as it was.", "Alpha changed.")
    client.force_login(editor)
    undo = page.kind_url("undo", number=2)

    assert f'href="{undo}"' in client.get(page.kind_url("history")).content.decode()
    diff = client.get(f"{page.kind_url('diff')}?from=1&to=2").content.decode()
    assert f'href="{undo}"' in diff


# The admin


def test_an_admin_save_of_a_page_edited_meanwhile_is_refused(client, moderator, editor):
    scene = Scene.objects.get(slug="showdown-at-lax")
    url = reverse("admin:scenes_scene_change", args=[scene.pk])
    client.force_login(moderator)
    data = change_form_data(client.get(url))
    edit(scene, editor, scene.body, "Edited on the site meanwhile.")
    data["description"] = "Changed in the admin."

    response = client.post(url, data)

    assert response.status_code == 200
    assert "after you opened this form" in response.content.decode()
    fresh = Scene.objects.get(pk=scene.pk)
    assert fresh.body == "Edited on the site meanwhile."
    assert fresh.description != "Changed in the admin."
