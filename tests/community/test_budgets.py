"""What the community costs in queries: a save costs the same with 1 or 1,000 watchers (they
are told by a background job), and its pages cost the same however much they list."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heatwiki.community.models import Notification, TalkPost, TalkTopic, Watch
from heatwiki.wiki.services import record_revision, save_page
from heatwiki.wiki.snapshot import take
from heatwiki.works.models import Work
from tests.community.conftest import edit

pytestmark = pytest.mark.django_db
real_on_commit = transaction.on_commit


@pytest.fixture
def after_commit(monkeypatch, django_capture_on_commit_callbacks):
    """What runs after the commit runs once the block ends, as in production."""
    monkeypatch.setattr(transaction, "on_commit", real_on_commit)
    return django_capture_on_commit_callbacks


def watchers(page, count: int) -> None:
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"watcher-{page.pk}-{n}", email=f"w{page.pk}-{n}@example.com")
        for n in range(count)
    )
    Watch.objects.bulk_create(Watch(user=u, page=page, seen_number=1) for u in users)


def save_queries(page, author, after_commit) -> int:
    page = Work.objects.get(pk=page.pk)
    data = {**take(page), "body": page.body + " more"}
    with CaptureQueriesContext(connection) as queries, after_commit(execute=True):
        save_page(page=page, data=data, author=author)
    return len(queries)


def test_a_save_costs_the_same_with_1_or_1000_watchers(alice, after_commit):
    few = Work.objects.create(title="Few watchers", slug="few-watchers", kind="film")
    many = Work.objects.create(title="Many watchers", slug="many-watchers", kind="film")
    for page in (few, many):
        record_revision(page=page, author=alice)
    watchers(few, 1)
    watchers(many, 1000)
    # A first save of each warms what a save reads once per process or page.
    save_queries(few, alice, after_commit)
    save_queries(many, alice, after_commit)
    assert save_queries(few, alice, after_commit) == save_queries(many, alice, after_commit)
    assert not Notification.objects.exists()  # told by the job, not by the request


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def watched_pages(user, n: int, editor) -> None:
    for i in range(n):
        page = Work.objects.create(
            title=f"Watched {user.pk}-{i}", slug=f"w-{user.pk}-{i}", kind="film"
        )
        record_revision(page=page, author=editor)
        Watch.objects.create(user=user, page=page, seen_number=0)
        topic = TalkTopic.objects.create(page=page, title=f"Topic {i}", author=editor)
        TalkPost.objects.create(topic=topic, author=editor, body="x", body_html="<p>x</p>")


WATCHLIST_BUDGET = 6  # session, user, bell, watches, revisions, talk posts


def test_the_watchlist_costs_the_same_for_1_or_200_watched_pages(client, alice, bob, carol):
    watched_pages(alice, 1, bob)
    watched_pages(carol, 200, bob)
    client.force_login(alice)
    one = count(client, reverse("community:watchlist"))
    client.force_login(carol)
    many = count(client, reverse("community:watchlist"))
    assert one == many == WATCHLIST_BUDGET
    for params in ("?hideminor=1&hidemine=1", "?fields=1"):
        assert count(client, reverse("community:watchlist") + params) <= WATCHLIST_BUDGET


@pytest.fixture
def carol(db):
    from tests import factories

    return factories.UserFactory(username="carol")


def test_notifications_cost_the_same_for_1_or_100(client, alice, carol):
    Notification.objects.create(user=alice, kind="thanks", text="t", url="/")
    Notification.objects.bulk_create(
        Notification(user=carol, kind="thanks", text=f"t{n}", url="/") for n in range(100)
    )
    client.force_login(alice)
    one = count(client, reverse("community:notifications"))
    client.force_login(carol)
    assert count(client, reverse("community:notifications")) == one == 4


def test_talk_pages_cost_the_same_however_long(client, alice, bob, work):
    short = TalkTopic.objects.create(page=work, title="Short", author=alice)
    TalkPost.objects.create(topic=short, author=alice, body="x", body_html="<p>x</p>")
    long = TalkTopic.objects.create(page=work, title="Long", author=alice)
    first = TalkPost.objects.create(topic=long, author=alice, body="x", body_html="<p>x</p>")
    for n in range(60):
        TalkPost.objects.create(
            topic=long, parent=first, author=bob if n % 2 else alice, body="y", body_html="<p>y</p>"
        )
    for n in range(60):
        TalkTopic.objects.create(page=work, title=f"More {n}", author=bob)

    def topic(t):
        return reverse(
            "community:topic", kwargs={"kind": "works", "slug": work.slug, "topic": t.pk}
        )

    client.force_login(alice)
    assert count(client, topic(short)) == count(client, topic(long))
    talk = reverse("community:talk", kwargs={"kind": "works", "slug": work.slug})
    assert count(client, talk) <= 8
    assert count(client, reverse("community:talk-changes")) <= 6
    edit(work, bob, body="thanks me")
    assert count(client, reverse("community:thanks", args=["bob"])) <= 7
