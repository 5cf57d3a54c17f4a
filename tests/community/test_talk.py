"""Talk pages: who may post, what a post may hold, mentions, moderation and the edit window."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.models import Block
from heatwiki.community.models import Notification, TalkPost, TalkPostVersion, TalkTopic
from heatwiki.community.views import render_post
from heatwiki.wiki.moderation import delete_page
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from tests import factories
from tests.wiki.html_safety import script_capable_markup
from tests.wiki.test_markdown import payloads

pytestmark = pytest.mark.django_db


def talk_url(page) -> str:
    return reverse("community:talk", kwargs={"kind": page.page_kind, "slug": page.slug})


def topic_url(topic) -> str:
    page = topic.page
    return reverse(
        "community:topic", kwargs={"kind": page.page_kind, "slug": page.slug, "topic": topic.pk}
    )


def new_topic(client, page, body="Where was the bank heist filmed?", title="Locations"):
    return client.post(talk_url(page), {"title": title, "body": body})


@pytest.fixture
def topic(alice, work):
    topic = TalkTopic.objects.create(page=work, title="Casting", author=alice)
    TalkPost.objects.create(topic=topic, author=alice, body="First", body_html="<p>First</p>")
    return topic


def test_anyone_reads_the_talk_page_and_the_tab_is_there(client, topic, work):
    assert client.get(talk_url(work)).status_code == 200
    response = client.get(topic_url(topic))
    assert response.status_code == 200 and b"First" in response.content
    assert talk_url(work).encode() in client.get(work.get_absolute_url()).content


def test_an_unknown_kind_or_page_is_404(client):
    assert client.get("/nosuchkind/x/talk/").status_code == 404
    assert client.get("/works/no-such-page/talk/").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("unconfirmed", 403), ("blocked", 403), ("confirmed", 302)],
)
def test_who_may_start_a_topic(client, moderator, work, who, status):
    if who != "anonymous":
        user = factories.UserFactory(username=who, email_address__verified=who != "unconfirmed")
        if who == "blocked":
            Block.objects.create(user=user, reason="spam", blocked_by=moderator)
        client.force_login(user)
    response = new_topic(client, work)
    assert response.status_code == status
    assert TalkTopic.objects.exists() == (who == "confirmed")
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["anonymous", "unconfirmed", "blocked"])
def test_who_may_not_reply(client, moderator, topic, who):
    if who != "anonymous":
        user = factories.UserFactory(username=who, email_address__verified=who != "unconfirmed")
        if who == "blocked":
            Block.objects.create(user=user, reason="spam", blocked_by=moderator)
        client.force_login(user)
    client.post(topic_url(topic), {"body": "Let me in"})
    assert topic.posts.count() == 1


@override_settings(HEATWIKI_READ_ONLY=True)
def test_read_only_mode_takes_no_posts(client, bob, topic, work):
    client.force_login(bob)
    assert client.post(topic_url(topic), {"body": "During maintenance"}).status_code == 503
    assert new_topic(client, work).status_code == 503
    assert topic.posts.count() == 1


def test_posting_is_rate_limited(client, settings, bob, topic):
    settings.HEATWIKI_TALK_RATE = settings.HEATWIKI_NEW_ACCOUNT_TALK_RATE = "2/h"
    client.force_login(bob)
    codes = [client.post(topic_url(topic), {"body": f"Reply {n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert topic.posts.count() == 3


def test_empty_or_oversized_posts_are_refused_with_the_text_kept(client, bob, topic, work):
    client.force_login(bob)
    assert client.post(topic_url(topic), {"body": "   "}).status_code == 400
    response = new_topic(client, work, title="", body="Kept text")
    assert response.status_code == 400 and b"Kept text" in response.content
    assert client.post(topic_url(topic), {"body": "x" * 20_001}).status_code == 400


def test_replies_thread_under_the_post_they_answer(client, bob, topic):
    client.force_login(bob)
    first = topic.posts.get()
    client.post(topic_url(topic), {"body": "An answer", "parent": first.pk})
    reply = TalkPost.objects.get(body="An answer")
    assert reply.parent == first
    page = client.get(topic_url(topic)).content.decode()
    assert "talk-post--depth-1" in page
    other = TalkTopic.objects.create(page=topic.page, title="Other", author=bob)
    response = client.post(topic_url(other), {"body": "Wrong thread", "parent": first.pk})
    assert response.status_code == 400


def test_markdown_wiki_links_and_mentions_in_posts(client, run_jobs, alice, bob, topic):
    client.force_login(bob)
    client.post(topic_url(topic), {"body": "**Yes**, see [[Heat]], @alice and @nobody."})
    post = TalkPost.objects.get(author=bob)
    assert "<strong>Yes</strong>" in post.body_html
    assert 'href="/users/alice/"' in post.body_html
    assert "@nobody" in post.body_html and "/users/nobody/" not in post.body_html
    assert Notification.objects.filter(user=alice, kind__in=["mention"]).count() == 1


def test_no_xss_payload_survives_a_post():
    survivors = [
        (payload, html)
        for payload in payloads()
        if script_capable_markup(html := render_post(payload + " @alice"))
    ]
    assert survivors == []


def test_a_stored_post_is_sanitised(client, bob, topic):
    client.force_login(bob)
    body = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    client.post(topic_url(topic), {"body": body})
    post = TalkPost.objects.get(author=bob)
    assert not script_capable_markup(post.body_html)
    page = client.get(topic_url(topic)).content.decode()
    assert "<script>alert(1)" not in page


def test_edits_within_the_window_replace_quietly(client, alice, topic):
    post = topic.posts.get()
    client.force_login(alice)
    url = reverse("community:edit-post", args=[post.pk])
    assert client.post(url, {"body": "First, corrected"}).status_code == 302
    post.refresh_from_db()
    assert post.body == "First, corrected" and post.edited_at is None
    assert not TalkPostVersion.objects.exists()


def test_edits_after_the_window_show_as_edited_with_history(client, alice, topic):
    post = topic.posts.get()
    TalkPost.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(alice)
    client.post(reverse("community:edit-post", args=[post.pk]), {"body": "Second thoughts"})
    post.refresh_from_db()
    assert post.edited_at is not None
    assert [v.body for v in post.versions.all()] == ["First"]
    page = client.get(topic_url(topic)).content.decode()
    assert "edited" in page
    history = client.get(reverse("community:post-history", args=[post.pk])).content.decode()
    assert "First" in history and "Second thoughts" in history


def test_only_the_author_edits_a_post(client, bob, topic):
    client.force_login(bob)
    post = topic.posts.get()
    assert (
        client.post(
            reverse("community:edit-post", args=[post.pk]), {"body": "Mine now"}
        ).status_code
        == 403
    )


def test_moderators_hide_posts_with_a_reason(client, run_jobs, moderator, alice, bob, topic):
    post = topic.posts.get()
    hide = reverse("community:hide-post", args=[post.pk])
    client.force_login(bob)
    assert client.post(hide, {"reason": "rude"}).status_code == 403
    client.force_login(moderator)
    client.post(hide, {"reason": ""})
    post.refresh_from_db()
    assert not post.is_hidden  # a reason is needed
    client.post(hide, {"reason": "Personal attack"})
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_reason == "Personal attack"
    assert Notification.objects.filter(user=alice, kind="moderation").exists()
    client.force_login(bob)
    page = client.get(topic_url(topic)).content.decode()
    assert "Personal attack" in page and "<p>First</p>" not in page
    client.force_login(alice)
    assert (
        client.post(reverse("community:edit-post", args=[post.pk]), {"body": "x"}).status_code
        == 403
    )


def test_moderators_lock_topics(client, moderator, bob, topic):
    lock = reverse("community:lock-topic", args=[topic.pk])
    client.force_login(bob)
    assert client.post(lock, {"reason": "done"}).status_code == 403
    client.force_login(moderator)
    client.post(lock, {"action": "lock", "reason": "Settled"})
    topic.refresh_from_db()
    assert topic.is_locked
    client.force_login(bob)
    assert client.post(topic_url(topic), {"body": "One more thing"}).status_code == 403
    assert b"data-locked" in client.get(topic_url(topic)).content
    client.force_login(moderator)
    client.post(lock, {"action": "unlock"})
    topic.refresh_from_db()
    assert not topic.is_locked


def test_following_a_topic_by_toggle(client, run_jobs, alice, bob, topic):
    carol = factories.UserFactory(username="carol")
    client.force_login(carol)
    client.post(reverse("community:follow-topic", args=[topic.pk]), {"action": "follow"})
    client.force_login(bob)
    client.post(topic_url(topic), {"body": "News!"})
    assert Notification.objects.filter(user=carol, kind="reply").count() == 1
    client.force_login(carol)
    client.post(reverse("community:follow-topic", args=[topic.pk]), {"action": "unfollow"})
    client.force_login(bob)
    client.post(topic_url(topic), {"body": "More news!"})
    assert Notification.objects.filter(user=carol, kind="reply").count() == 1


def test_talk_appears_in_recent_changes_and_the_watchlist(client, bob, alice, topic, work):
    from heatwiki.community.models import Watch

    Watch.objects.create(user=alice, page=work, seen_number=1)
    client.force_login(bob)
    client.post(topic_url(topic), {"body": "Watchers see me"})
    changes = client.get(reverse("community:talk-changes")).content.decode()
    assert "Casting" in changes and "bob" in changes
    assert (
        reverse("community:talk-changes")
        in client.get(reverse("wiki:recent-changes")).content.decode()
    )
    client.force_login(alice)
    watchlist = client.get(reverse("community:watchlist")).content.decode()
    assert "Casting" in watchlist


def test_a_moved_page_s_talk_follows_it_and_a_deleted_one_s_is_gone(
    client, alice, moderator, topic, work
):
    old_talk, old_topic = talk_url(work), topic_url(topic)
    fresh = type(work).objects.get(pk=work.pk)
    data = {**take(fresh), "slug": "a-new-address"}
    save_page(page=fresh, data=data, author=alice, base_revision=fresh.current_revision.number)
    response = client.get(old_talk)
    assert response.status_code == 301 and response["Location"] == "/works/a-new-address/talk/"
    response = client.get(old_topic)
    assert response["Location"] == f"/works/a-new-address/talk/{topic.pk}/"
    assert b"First" in client.get(response["Location"]).content
    delete_page(page=type(work).objects.get(pk=work.pk), moderator=moderator, reason="Duplicate")
    assert client.get("/works/a-new-address/talk/").status_code == 410
