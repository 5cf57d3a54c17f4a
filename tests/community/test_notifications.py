"""Notifications: each kind made by its event and never for the actor; preferences; e-mail,
the daily digest and the unsubscribe link; the bell."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from heatwiki.accounts.models import Block
from heatwiki.community import notify
from heatwiki.community.models import Notification, Preferences, TalkTopic, TopicFollow, Watch
from heatwiki.community.tasks import queue_digests
from heatwiki.wiki.moderation import hide_revisions
from tests.community.conftest import edit

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_watched_page_changing_notifies_watchers_not_the_editor(run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1)
    Watch.objects.create(user=bob, page=work, seen_number=1)
    edit(work, bob, body="Changed by Bob.")
    assert kinds(alice) == [Kind.PAGE_CHANGED]
    assert kinds(bob) == []


def test_a_mention_in_an_edit_summary(run_jobs, alice, bob, work):
    edit(work, bob, body="x", summary="Thanks @alice and @bob for the sources")
    assert kinds(alice) == [Kind.MENTION]
    assert kinds(bob) == []


def test_a_reply_in_a_followed_topic_and_a_mention_in_a_post(client, run_jobs, alice, bob, work):
    carol = type(alice).objects.create_user("carol", "carol@example.com", "pw")
    client.force_login(alice)
    talk = reverse("community:talk", kwargs={"kind": "works", "slug": work.slug})
    client.post(talk, {"title": "Casting", "body": "Who plays Chris?"})
    topic = TalkTopic.objects.get()
    assert TopicFollow.objects.filter(user=alice, topic=topic).exists()
    client.force_login(bob)
    url = reverse("community:topic", kwargs={"kind": "works", "slug": work.slug, "topic": topic.pk})
    assert client.post(url, {"body": "Not known yet, @carol may know."}).status_code == 302
    assert kinds(alice) == [Kind.TALK_REPLY]
    assert kinds(carol) == [Kind.MENTION]
    assert kinds(bob) == []  # his own reply


def test_thanks_notify_the_author_and_never_yourself(client, run_jobs, alice, bob, work):
    revision = edit(work, bob, body="Good work by Bob.")
    client.force_login(alice)
    response = client.post(reverse("community:thank", args=[revision.pk]))
    assert response.status_code == 302
    assert kinds(bob) == [Kind.THANKS]
    client.force_login(bob)
    client.post(reverse("community:thank", args=[revision.pk]))
    assert kinds(bob) == [Kind.THANKS]  # no thanks to himself
    thanks_page = client.get(reverse("community:thanks", args=["bob"])).content.decode()
    assert "alice thanked bob for revision" in thanks_page
    contributions = client.get(reverse("wiki:contributions", args=["bob"])).content.decode()
    assert "Thanked 1 time" in contributions


def test_thanks_are_rate_limited(client, settings, alice, bob, work):
    settings.HEATWIKI_THANKS_RATE = "2/h"
    revisions = [edit(work, bob, body=f"Edit {n}") for n in range(3)]
    client.force_login(alice)
    codes = [client.post(reverse("community:thank", args=[r.pk])).status_code for r in revisions]
    assert codes == [302, 302, 429]


def test_moderators_actions_notify_the_author(run_jobs, moderator, alice, bob, work):
    revision = edit(work, bob, body="Vandalism")
    hide_revisions(revisions=[revision], moderator=moderator, reason="spam")
    Block.objects.create(user=alice, reason="edit warring", blocked_by=moderator)
    # Hiding the newest revision also puts the page back as a revision (Bob watches the page).
    assert Kind.MODERATION in kinds(bob)
    assert "spam" in Notification.objects.get(user=bob, kind=Kind.MODERATION).text
    assert kinds(alice) == [Kind.MODERATION]
    assert "edit warring" in Notification.objects.get(user=alice).text
    assert kinds(moderator) == []


def test_preferences_are_honoured(run_jobs, alice, bob, work):
    Preferences.objects.create(user=alice, page="off", mention="email")
    Watch.objects.create(user=alice, page=work, seen_number=1)
    edit(work, bob, body="Nobody is told of this.")
    assert kinds(alice) == []
    assert mail.outbox == []
    edit(work, bob, body="Again", summary="cc @alice")
    assert kinds(alice) == [Kind.MENTION]
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "bob mentioned you" in message.subject


def test_in_site_only_sends_no_mail(run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1)  # page changes: site by default
    edit(work, bob, body="Seen on the site only.")
    assert kinds(alice) == [Kind.PAGE_CHANGED]
    assert mail.outbox == []


def test_the_preferences_form(client, alice):
    client.force_login(alice)
    url = reverse("community:preferences")
    assert client.get(url).status_code == 200
    data = {"watch_edits": "", "page": "digest", "field": "email", "reply": "site"}
    data |= {"mention": "off", "thanks": "site", "moderation": "email"}
    assert client.post(url, data).status_code == 302
    prefs = Preferences.objects.get(user=alice)
    assert (prefs.watch_edits, prefs.page, prefs.mention) == (False, "digest", "off")
    assert client.post(url, {**data, "page": "sometimes"}).status_code == 400


def test_the_digest_groups_a_days_events_into_one_mail(run_jobs, alice, bob, work):
    other = type(work).objects.create(title="Digest two", slug="digest-two", kind="film")
    edit(other, bob, body="created by the service")
    Preferences.objects.create(user=alice, page="digest")
    Watch.objects.create(user=alice, page=work, seen_number=1)
    Watch.objects.create(user=alice, page=other, seen_number=1)
    edit(work, bob, body="one")
    edit(work, bob, body="two")
    edit(other, bob, body="three")
    assert mail.outbox == []  # nothing at once
    assert queue_digests() == 1
    (message,) = mail.outbox
    assert "3 notifications" in message.subject
    assert message.body.count("bob changed") == 3
    assert "Watched work" in message.body and "Digest two" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    # Sent once: the next day's digest starts afresh.
    assert queue_digests() == 0
    assert len(mail.outbox) == 1


def test_the_unsubscribe_link_works_without_a_sign_in(client, alice):
    Preferences.objects.create(user=alice, mention="email")
    token = notify.unsubscribe_token(alice.pk, Kind.MENTION)
    url = reverse("community:unsubscribe", args=[token])
    assert client.get(url).status_code == 200
    assert Preferences.objects.get(user=alice).mention == "email"  # a GET changes nothing
    response = client.post(url)  # the page's button, or the mail client's one-click POST
    assert response.status_code == 200 and b"data-unsubscribed" in response.content
    assert Preferences.objects.get(user=alice).mention == "site"


def test_the_unsubscribe_link_cannot_be_forged(client, alice, bob):
    Preferences.objects.create(user=alice, mention="email")
    token = notify.unsubscribe_token(bob.pk, Kind.MENTION)
    payload, _, signature = token.partition(":")
    forged = notify.unsubscribe_token(alice.pk, Kind.MENTION).split(":")[0] + ":" + signature
    unsigned = signing.dumps({"u": alice.pk, "k": "mention"}, salt="another salt")
    for bad in (forged, unsigned, "garbage", token[:-3] + "abc"):
        response = client.post(reverse("community:unsubscribe", args=[bad]))
        assert response.status_code == 400, bad
    assert Preferences.objects.get(user=alice).mention == "email"


def test_the_bell_counts_unread_and_notifications_mark_read(client, alice):
    for n in range(3):
        Notification.objects.create(user=alice, kind=Kind.THANKS, text=f"Thanks {n}", url="/")
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert re.search(r"data-bell-count>3<", page)
    first = Notification.objects.order_by("id").first()
    assert client.get(reverse("community:open-notification", args=[first.pk])).status_code == 302
    assert re.search(r"data-bell-count>2<", client.get("/").content.decode())
    client.post(reverse("community:notifications"))
    assert "data-bell-count" not in client.get("/").content.decode()


def test_others_notifications_are_not_yours(client, alice, bob):
    theirs = Notification.objects.create(user=bob, kind=Kind.THANKS, text="Bob's", url="/")
    client.force_login(alice)
    assert client.get(reverse("community:open-notification", args=[theirs.pk])).status_code == 404
    assert b"Bob's" not in client.get(reverse("community:notifications")).content


def test_history_and_diff_offer_thanks_for_others_edits_only(client, alice, bob, work):
    theirs = edit(work, bob, body="Bob's words.")
    mine = edit(work, alice, body="Alice's words.")
    client.force_login(alice)
    for url in (work.kind_url("history"), work.kind_url("diff") + "?from=2&to=3"):
        html = client.get(url).content.decode()
        thank = reverse("community:thank", args=[theirs.pk])
        assert f'form="thank" formaction="{thank}" data-thank data-author="bob"' in html
        # The buttons are shared by every signed-in reader; the one form they submit is the
        # reader's own and names them, so static/js/community.js hides the buttons on their
        # own edits (the server refuses those thanks in any case).
        assert re.search(r'<form id="thank" method="post" hidden data-reader="alice">', html)
        assert 'name="csrfmiddlewaretoken"' in html.split('id="thank"')[1].split("</form>")[0]
        assert 'data-author="alice"' in html and mine.author == alice
    assert 'form="thank"' not in Client().get(work.kind_url("history")).content.decode()
