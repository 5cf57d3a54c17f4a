"""Hidden revisions: their text reaches moderators only, on every path that shows revisions."""

import pytest
from django.test import Client
from django.urls import reverse

from heatwiki.accounts.models import ModerationLog
from heatwiki.wiki.models import Revision
from heatwiki.wiki.moderation import CannotHide, hide_revision, hide_revisions, unhide_revision
from heatwiki.wiki.services import save_page
from scenes.models import Scene
from tests import factories

pytestmark = pytest.mark.django_db

VANDAL = "VANDAL-TEXT-123"
GOOD_BODY = "Neil and Vincent meet at **Kate Mantilini**."


def save(page, author, summary="", **data):
    outcome = save_page(
        page=type(page).objects.get(pk=page.pk), data=data, author=author, summary=summary
    )
    assert outcome.revision is not None
    return outcome.revision


@pytest.fixture
def vandal():
    return factories.UserFactory(username="vandal")


@pytest.fixture
def vandalised(editor, vandal):
    """Revision 1 (system), 2 (a good edit by the editor), 3 (vandalism: body, title, summary)."""
    page = factories.SceneFactory(title="Diner scene", slug="diner-scene", body="First body.")
    save(page, editor, summary="Described the meeting", body=GOOD_BODY)
    save(
        page,
        vandal,
        summary=f"{VANDAL} in the summary",
        title=f"{VANDAL} title",
        description=f"{VANDAL} description",
        body=f"{VANDAL} in the body with [[{VANDAL} link]].",
    )
    return Scene.objects.get(pk=page.pk)


@pytest.fixture
def hidden(vandalised, moderator):
    """Revision 3 hidden: the page goes back to revision 2's content as revision 4."""
    hide_revision(
        revision=vandalised.revisions.get(number=3), moderator=moderator, reason="Vandalism"
    )
    return Scene.objects.get(pk=vandalised.pk)


@pytest.fixture(params=["anonymous", "editor"])
def reader(request, editor) -> Client:
    client = Client()
    if request.param == "editor":
        client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


def text(response) -> str:
    return response.content.decode()


def diff_url(page, old: int, new: int) -> str:
    return f"{page.kind_url('diff')}?from={old}&to={new}"


def every_reader_path(page, vandal) -> dict[str, str]:
    """Every page that shows revisions or the page, for the 'never shows it' sweep."""
    return {
        "page": page.get_absolute_url(),
        "history": page.kind_url("history"),
        "restored revision": page.kind_url("revision", number=4),
        "diff 2 to 4": diff_url(page, 2, 4),
        "links": page.kind_url("links"),
        "list": reverse("scenes:list"),
        "recent changes": reverse("wiki:recent-changes"),
        "recent changes by the vandal": reverse("wiki:recent-changes") + "?user=vandal",
        "contributions": reverse("wiki:contributions", args=["vandal"]),
        "feed": reverse("wiki:recent-changes-feed"),
        "feed by the vandal": reverse("wiki:recent-changes-feed") + "?user=vandal",
        "home": reverse("home"),
    }


# Before hiding, the vandalism is there for all to see: the sweep below is not vacuous. -----------


def test_before_hiding_the_vandal_text_is_on_the_reader_paths(vandalised, vandal):
    client = Client()
    for name in ["page", "recent changes", "contributions", "feed"]:
        url = every_reader_path(vandalised, vandal)[name]
        assert VANDAL in text(client.get(url)), name


# Non-moderators never see it --------------------------------------------------------------------


def test_hidden_text_is_on_no_page_a_reader_can_open(hidden, vandal, reader):
    for name, url in every_reader_path(hidden, vandal).items():
        response = reader.get(url)
        assert response.status_code == 200, name
        assert VANDAL not in text(response), name


def test_history_says_hidden_instead_of_the_summary_and_does_not_link_it(hidden, reader):
    html = text(reader.get(hidden.kind_url("history")))

    assert "Hidden by a moderator" in html
    assert VANDAL not in html
    assert f'href="{hidden.kind_url("revision", number=3)}"' not in html
    assert f'href="{hidden.kind_url("revision", number=2)}"' in html
    assert "Restored revision 2: revision 3 was hidden" in html


@pytest.mark.parametrize(
    "path",
    ["revision", "diff 2 to 3", "diff 3 to 4", "diff 1 to 3", "default diff from 3"],
)
def test_the_hidden_revision_and_its_diffs_are_refused(hidden, reader, path):
    urls = {
        "revision": hidden.kind_url("revision", number=3),
        "diff 2 to 3": diff_url(hidden, 2, 3),
        "diff 3 to 4": diff_url(hidden, 3, 4),
        "diff 1 to 3": diff_url(hidden, 1, 3),
        "default diff from 3": f"{hidden.kind_url('diff')}?to=4",
    }

    response = reader.get(urls[path])

    assert response.status_code == 403
    assert VANDAL not in text(response)
    assert "hidden by a moderator" in text(response)


def test_recent_changes_and_contributions_say_hidden(hidden, reader):
    for url in [reverse("wiki:recent-changes"), reverse("wiki:contributions", args=["vandal"])]:
        html = text(reader.get(url))
        assert "Hidden by a moderator" in html
        assert diff_url(hidden, 2, 3).replace("&", "&amp;") not in html
        # The moderator's restoring revision links to itself, not to a diff with the hidden one.
        assert diff_url(hidden, 3, 4).replace("&", "&amp;") not in html


def test_recent_changes_link_the_restoring_revision_itself(hidden, reader):
    html = text(reader.get(reverse("wiki:recent-changes")))
    assert f'href="{hidden.kind_url("revision", number=4)}">view</a>' in html
    # …which readers may open.
    assert reader.get(hidden.kind_url("revision", number=4)).status_code == 200


def test_the_feed_never_carries_the_hidden_summary(hidden, reader, moderator_client):
    for client in (reader, moderator_client):  # the feed is the same for every reader
        xml = text(client.get(reverse("wiki:recent-changes-feed")))
        assert VANDAL not in xml
        assert "Hidden by a moderator." in xml
        assert diff_url(hidden, 3, 4).replace("&", "&amp;") not in xml
        assert f"http://testserver{hidden.kind_url('revision', number=4)}" in xml


def test_reverting_to_the_hidden_revision_is_refused(hidden, editor):
    client = Client()
    client.force_login(editor)

    response = client.post(hidden.kind_url("revert", number=3))

    assert response.status_code == 403
    page = Scene.objects.get(pk=hidden.pk)
    assert page.current_revision.number == 4
    assert VANDAL not in page.body


def test_anonymous_revert_to_the_hidden_revision_goes_to_sign_in(hidden):
    response = Client().post(hidden.kind_url("revert", number=3))
    assert response.status_code == 302
    assert Scene.objects.get(pk=hidden.pk).current_revision.number == 4


# Moderators see it all, marked hidden -----------------------------------------------------------


def test_a_moderator_sees_the_hidden_revision_marked_hidden(hidden, moderator_client):
    response = moderator_client.get(hidden.kind_url("revision", number=3))

    assert response.status_code == 200
    html = text(response)
    assert f"{VANDAL} in the body" in html
    assert "Hidden by mod: Vandalism. Only moderators see this revision." in html


def test_a_moderator_sees_the_hidden_summary_in_lists(hidden, moderator_client):
    urls = [
        hidden.kind_url("history"),
        reverse("wiki:recent-changes"),
        reverse("wiki:contributions", args=["vandal"]),
    ]
    for url in urls:
        html = text(moderator_client.get(url))
        assert f"Hidden by a moderator:</span> {VANDAL} in the summary" in html, url
    history = text(moderator_client.get(hidden.kind_url("history")))
    assert f'href="{hidden.kind_url("revision", number=3)}"' in history
    changes = text(moderator_client.get(reverse("wiki:recent-changes")))
    assert diff_url(hidden, 3, 4).replace("&", "&amp;") in changes


def test_hidden_text_does_not_come_back_by_a_moderators_revert_either(hidden, moderator_client):
    revert_url = hidden.kind_url("revert", number=3)
    assert f'action="{revert_url}"' not in text(
        moderator_client.get(hidden.kind_url("revision", number=3))
    )

    response = moderator_client.post(revert_url, follow=True)

    assert response.redirect_chain == [(hidden.kind_url("history"), 302)]
    assert "Revision 3 is hidden" in text(response)
    page = Scene.objects.get(pk=hidden.pk)
    assert page.current_revision.number == 4 and VANDAL not in page.body


@pytest.mark.parametrize("old, new", [(2, 3), (3, 4)])
def test_a_moderator_sees_diffs_with_the_hidden_revision(hidden, moderator_client, old, new):
    response = moderator_client.get(diff_url(hidden, old, new))
    assert response.status_code == 200
    assert VANDAL in text(response)


# What hiding does to the page --------------------------------------------------------------------


def test_hiding_the_current_revision_restores_the_newest_visible_one(vandalised, moderator):
    outcome = hide_revision(
        revision=vandalised.revisions.get(number=3), moderator=moderator, reason="Vandalism"
    )

    page = Scene.objects.get(pk=vandalised.pk)
    assert outcome.revision == page.current_revision
    assert (page.current_revision.number, page.current_revision.author) == (4, moderator)
    assert page.current_revision.summary == "Restored revision 2: revision 3 was hidden"
    assert (page.title, page.body) == ("Diner scene", GOOD_BODY)
    assert VANDAL not in page.body_html and VANDAL not in page.description
    assert "<strong>Kate Mantilini</strong>" in page.body_html
    assert VANDAL not in page.current_revision.body_html
    assert page.current_revision.snapshot == page.revisions.get(number=2).snapshot
    assert not page.links_out.filter(target_key__icontains="vandal").exists()
    hidden = page.revisions.get(number=3)
    assert (hidden.is_hidden, hidden.hidden_by, hidden.hidden_reason) == (
        True,
        moderator,
        "Vandalism",
    )
    entry = ModerationLog.objects.get(action=ModerationLog.Action.HIDE)
    assert (entry.moderator, entry.reason) == (moderator, "Vandalism")


def test_hiding_an_older_revision_leaves_the_page_as_it_is(vandalised, editor, moderator):
    save(vandalised, editor, summary="Cleaned up", title="Diner scene", body="Cleaned.")
    page = Scene.objects.get(pk=vandalised.pk)

    assert (
        hide_revision(revision=page.revisions.get(number=3), moderator=moderator, reason="x")
        is None
    )

    page = Scene.objects.get(pk=page.pk)
    assert (page.current_revision.number, page.body) == (4, "Cleaned.")


def test_hiding_the_current_revision_skips_other_hidden_ones(vandalised, vandal, moderator):
    hide_revision(revision=vandalised.revisions.get(number=2), moderator=moderator, reason="x")
    save(vandalised, vandal, body=f"{VANDAL} again.")  # revision 4

    hide_revision(revision=vandalised.revisions.get(number=4), moderator=moderator, reason="x")

    page = Scene.objects.get(pk=vandalised.pk)
    # Revision 3 is the newest visible one, vandalism or not: the moderator hides it next.
    assert page.current_revision.summary == "Restored revision 3: revision 4 was hidden"


def test_hiding_the_only_revision_is_refused(moderator):
    page = factories.SceneFactory()
    only = page.revisions.get()

    with pytest.raises(CannotHide, match="only visible content"):
        hide_revision(revision=only, moderator=moderator, reason="Vandalism")

    only.refresh_from_db()
    assert not only.is_hidden
    assert not ModerationLog.objects.exists()


def test_hiding_the_current_revision_when_all_others_are_hidden_is_refused(vandalised, moderator):
    for number in (1, 2):
        hide_revision(
            revision=vandalised.revisions.get(number=number), moderator=moderator, reason="x"
        )

    with pytest.raises(CannotHide):
        hide_revision(revision=vandalised.revisions.get(number=3), moderator=moderator, reason="x")

    assert not vandalised.revisions.get(number=3).is_hidden


def test_hiding_several_revisions_together_restores_one_from_before_them(
    vandalised, vandal, moderator
):
    save(vandalised, vandal, summary=f"{VANDAL} more", body=f"More {VANDAL}.")  # revision 4
    newest_first = list(vandalised.revisions.filter(number__in=[3, 4]).order_by("-number"))

    refusals = hide_revisions(revisions=newest_first, moderator=moderator, reason="Vandal spree")

    assert refusals == []
    page = Scene.objects.get(pk=vandalised.pk)
    assert page.current_revision.summary == "Restored revision 2: revisions 3 and 4 were hidden"
    assert page.body == GOOD_BODY
    visible = Revision.objects.filter(page=page, hidden_at__isnull=True)
    assert all(VANDAL not in r.body_html and VANDAL not in r.summary for r in visible)
    assert ModerationLog.objects.filter(action=ModerationLog.Action.HIDE).count() == 2


def test_hiding_revisions_of_several_pages_reports_the_ones_refused(vandalised, moderator):
    lone = factories.SceneFactory(title="Lone scene")
    revisions = [vandalised.revisions.get(number=3), lone.revisions.get()]

    refusals = hide_revisions(revisions=revisions, moderator=moderator, reason="x")

    assert [str(refusal) for refusal in refusals] == [
        "Revision 1 is the only visible content of “Lone scene”: nothing to go back to."
    ]
    assert vandalised.revisions.get(number=3).is_hidden
    assert not lone.revisions.get().is_hidden


def test_hiding_is_idempotent_for_the_page(hidden, moderator):
    assert (
        hide_revision(revision=hidden.revisions.get(number=3), moderator=moderator, reason="x")
        is None
    )
    assert Scene.objects.get(pk=hidden.pk).current_revision.number == 4


# Unhiding ---------------------------------------------------------------------------------------


def test_unhiding_restores_visibility(hidden, moderator, reader):
    revision = hidden.revisions.get(number=3)

    unhide_revision(revision=revision, moderator=moderator, reason="Not vandalism after all")

    revision.refresh_from_db()
    assert not revision.is_hidden
    assert (revision.hidden_by, revision.hidden_reason) == (None, "")
    assert reader.get(hidden.kind_url("revision", number=3)).status_code == 200
    assert reader.get(diff_url(hidden, 2, 3)).status_code == 200
    assert f"{VANDAL} in the summary" in text(reader.get(hidden.kind_url("history")))
    assert f"{VANDAL} in the summary" in text(reader.get(reverse("wiki:recent-changes-feed")))
    entry = ModerationLog.objects.first()
    assert (entry.action, entry.reason) == (
        ModerationLog.Action.UNHIDE,
        "Not vandalism after all",
    )
    # The page keeps the content it went back to; a moderator may revert if they wish.
    assert VANDAL not in Scene.objects.get(pk=hidden.pk).body
