"""Watching pages and fields, the watchlist's unread markers, filters and marking read."""

import pytest
from django.test import Client
from django.urls import reverse

from heatwiki.community.models import Notification, Preferences, Watch
from heatwiki.pagecache import frames
from tests.community.conftest import edit, watch_url

pytestmark = pytest.mark.django_db


def test_a_page_you_edit_is_watched_by_default(run_jobs, alice, work):
    revision = edit(work, alice, body="Alice's first words.")
    watch = Watch.objects.get(user=alice, page_id=work.pk)
    assert watch.whole_page and watch.seen_number == revision.number


def test_the_default_watch_is_a_preference(run_jobs, alice, work):
    Preferences.objects.create(user=alice, watch_edits=False)
    edit(work, alice, body="Quietly.")
    assert not Watch.objects.filter(user=alice).exists()


def test_watch_and_unwatch_from_the_page(client, alice, work):
    client.force_login(alice)
    response = client.post(watch_url(work), {"action": "watch", "next": work.get_absolute_url()})
    assert response.status_code == 302
    assert Watch.objects.filter(user=alice, page_id=work.pk, whole_page=True).exists()
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'data-watch="on"' in page
    client.post(watch_url(work), {"action": "unwatch"})
    assert not Watch.objects.filter(user=alice).exists()
    assert 'data-watch="off"' in client.get(work.get_absolute_url()).content.decode()


def test_watching_needs_a_sign_in_and_a_post(client, work):
    assert client.post(watch_url(work), {"action": "watch"}).status_code == 302
    assert not Watch.objects.exists()


def test_unknown_fields_are_refused(client, alice, work):
    client.force_login(alice)
    response = client.post(watch_url(work), {"action": "fields", "fields": ["password"]})
    assert response.status_code == 400


def test_field_watches_fire_only_for_their_field(client, run_jobs, alice, bob, work):
    client.force_login(alice)
    client.post(watch_url(work), {"action": "fields", "fields": ["year"]})
    assert Watch.objects.get(user=alice).whole_page is False
    edit(work, bob, body="Only the body changes.")
    assert not Notification.objects.filter(user=alice).exists()
    edit(work, bob, year=2027)
    alert = Notification.objects.get(user=alice)
    assert alert.kind == Notification.Kind.FIELD_CHANGED
    assert alert.fields == ["year"]
    assert "year" in alert.text


def test_whole_page_watchers_hear_of_every_change_but_not_their_own(run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1)
    edit(work, bob, body="Bob was here.")
    edit(work, alice, body="Alice was here.")
    kinds = list(Notification.objects.filter(user=alice).values_list("kind", flat=True))
    assert kinds == [Notification.Kind.PAGE_CHANGED]
    # Bob watches it now (he edited it) and hears of Alice's edit.
    assert Notification.objects.filter(user=bob, actor=alice).count() == 1


def _watchlist(client, **params):
    return client.get(reverse("community:watchlist"), params)


def test_unread_markers_clear_on_viewing_the_page(client, run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1)
    revision = edit(work, bob, body="Unread by Alice.", summary="A new scene list")
    client.force_login(alice)
    page = _watchlist(client).content.decode()
    assert "data-unread" in page and "A new scene list" in page
    assert f"?from=1&amp;to={revision.number}" in page  # the diff since the last visit
    assert (
        client.get(reverse("community:notifications")).context["notifications"][0].read_at is None
    )
    client.get(work.get_absolute_url())
    assert Watch.objects.get(user=alice).seen_number == revision.number
    assert "data-unread" not in _watchlist(client).content.decode()
    assert not Notification.objects.filter(user=alice, read_at=None).exists()


def test_a_page_served_from_another_reader_s_frame_marks_it_read(
    monkeypatch, run_jobs, alice, bob, work
):
    Watch.objects.create(user=alice, page=work, seen_number=1)
    revision = edit(work, bob, body="Unread by Alice.")
    # Bob's view stores the page's frame (heatwiki.pagecache.frames); Alice is served from it.
    bobs, alices = Client(), Client()
    bobs.force_login(bob)
    alices.force_login(alice)
    assert bobs.get(work.get_absolute_url()).status_code == 200
    assembled = []
    assemble = frames.assemble
    monkeypatch.setattr(frames, "assemble", lambda *args: assembled.append(1) or assemble(*args))
    assert alices.get(work.get_absolute_url()).status_code == 200
    assert assembled  # served from Bob's frame
    assert Watch.objects.get(user=alice).seen_number == revision.number
    assert not Notification.objects.filter(user=alice, read_at=None).exists()


def test_an_old_revision_or_the_history_does_not_mark_read(client, run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1)
    edit(work, bob, body="Still unread.")
    client.force_login(alice)
    client.get(work.kind_url("history"))
    client.get(work.kind_url("revision", number=1))
    assert Watch.objects.get(user=alice).seen_number == 1


def test_mark_all_read(client, run_jobs, alice, bob, work):
    other = type(work).objects.create(
        title="Second watched work", slug="second-watched", kind="film"
    )
    edit(other, bob, body="First revision by the service.")
    Watch.objects.create(user=alice, page=work, seen_number=1)
    Watch.objects.create(user=alice, page=other, seen_number=0)
    edit(work, bob, body="One.")
    edit(other, bob, body="Two.")
    client.force_login(alice)
    assert _watchlist(client).content.decode().count("data-unread") == 2
    response = client.post(reverse("community:mark-all-read"))
    assert response.status_code == 302
    assert "data-unread" not in _watchlist(client).content.decode()
    assert not Notification.objects.filter(user=alice, read_at=None).exists()


def test_filters_hide_minor_hide_mine_and_only_field_alerts(client, run_jobs, alice, bob, work):
    Watch.objects.create(user=alice, page=work, seen_number=1, fields=["year"])
    edit(work, bob, body="Typo fix.", summary="minor-typo", minor=True)
    edit(work, alice, body="Mine.", summary="alice-own")
    edit(work, bob, year=2031, summary="bob-year")
    client.force_login(alice)
    everything = _watchlist(client).content.decode()
    assert all(s in everything for s in ("minor-typo", "alice-own", "bob-year"))
    no_minor = _watchlist(client, hideminor=1).content.decode()
    assert "minor-typo" not in no_minor and "bob-year" in no_minor
    not_mine = _watchlist(client, hidemine=1).content.decode()
    assert "alice-own" not in not_mine and "bob-year" in not_mine
    fields = _watchlist(client, fields=1).content.decode()
    assert "bob-year" in fields and "minor-typo" not in fields and "alice-own" not in fields


def test_the_watchlist_needs_a_sign_in(client):
    assert client.get(reverse("community:watchlist")).status_code == 302
