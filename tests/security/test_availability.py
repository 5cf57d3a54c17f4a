"""Degrading, not dying: a database that is away answers 503 with what was typed; a read-only
database (or HEATWIKI_READ_ONLY) shows a banner and refuses writes with the text kept; a Redis
that cannot be reached (a real closed port) slows the site, never takes it down; /readyz says
what is down."""

import socket

import pytest
from django.db import OperationalError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.test import Client, override_settings
from django.urls import reverse

from heatwiki.edge import availability
from heatwiki.pagecache.cache import PageCacheMiddleware
from heatwiki.wiki.models import Revision
from scenes.models import Scene
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

TYPED = "A paragraph typed while the database was away, kept word for word."


def closed_port() -> int:
    """A port on this machine that nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def scene():
    return Scene.objects.get(slug="coffee-shop-stand-off")


@pytest.fixture(autouse=True)
def _writable_again():
    availability._read_only_until = 0.0
    PageCacheMiddleware.last_generation = None
    yield
    availability._read_only_until = 0.0
    PageCacheMiddleware.last_generation = None


@pytest.fixture
def database_away(monkeypatch):
    """From now on every query fails as it does when PostgreSQL restarts or refuses."""

    def refuse(self, sql, params=None):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")

    def start():
        monkeypatch.setattr(CursorWrapper, "execute", refuse)

    return start


def edit_data(client, scene) -> dict:
    data = form_data(client.get(scene.kind_url("edit")))
    data["body"] = f"{data['body']}\n\n{TYPED}"
    data["summary"] = "Typed during an outage"
    return data


def test_a_page_view_during_an_outage_is_a_503_with_retry_after(client, scene, database_away):
    database_away()

    response = client.get(scene.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "back in a moment" in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_cached_before_the_outage_is_still_served(client, scene, database_away):
    assert client.get(scene.get_absolute_url()).status_code == 200
    database_away()

    response = client.get(scene.get_absolute_url())

    assert response.status_code == 200
    assert scene.title in response.content.decode()


def test_a_save_during_an_outage_gives_the_form_back_with_the_text(
    client, editor, scene, database_away
):
    client.force_login(editor)
    data = edit_data(client, scene)
    database_away()

    response = client.post(scene.kind_url("edit"), data)

    assert response.status_code == 503
    html = response.content.decode()
    assert TYPED in html
    assert 'value="Typed during an outage"' in html
    assert f'action="{scene.kind_url("edit")}"' in html
    assert f'name="base_revision" value="{data["base_revision"]}"' in html


def test_a_sign_in_during_an_outage_is_a_503_that_keeps_no_password(client, editor, database_away):
    database_away()

    response = client.post(
        reverse("account_login"), {"login": editor.username, "password": "secret-typed"}
    )

    assert response.status_code == 503
    assert "secret-typed" not in response.content.decode()


def test_a_write_the_database_refuses_makes_the_wiki_read_only(client, editor, scene, monkeypatch):
    client.force_login(editor)
    data = edit_data(client, scene)
    real_execute = CursorWrapper.execute

    def read_only(self, sql, params=None):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise OperationalError("attempt to write a readonly database")
        return real_execute(self, sql, params)

    # PostgreSQL refuses the writes itself, in a savepoint the test rolls back afterwards (the
    # refusal leaves the test's transaction unusable, as it would a request's).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        else:
            monkeypatch.setattr(CursorWrapper, "execute", read_only)
        response = client.post(scene.kind_url("edit"), data)
        transaction.set_rollback(True)
    monkeypatch.undo()

    assert response.status_code == 503
    assert TYPED in response.content.decode()
    assert "read-only" in response.content.decode()
    # Until the database takes writes again, every page says so and forms are not offered.
    page = client.get(scene.get_absolute_url())
    assert "Read-only:" in page.content.decode()
    assert client.get(scene.kind_url("edit")).status_code == 503


@override_settings(HEATWIKI_READ_ONLY=True, HEATWIKI_READ_ONLY_REASON="Moving to a new server.")
def test_read_only_mode_reads_everything_and_writes_nothing(client, editor, scene):
    client.force_login(editor)
    before = Revision.objects.count()

    page = client.get(scene.get_absolute_url())
    form = client.get(scene.kind_url("edit"))
    save = client.post(scene.kind_url("edit"), {"body": TYPED, "summary": "s"})
    history = client.get(scene.kind_url("history"))
    search = client.get("/search/", {"q": "coffee"})
    feed = client.get(reverse("wiki:recent-changes-feed"))

    assert page.status_code == 200 and "Moving to a new server." in page.content.decode()
    assert form.status_code == 503 and "Moving to a new server." in form.content.decode()
    assert save.status_code == 503 and TYPED in save.content.decode()
    assert (history.status_code, search.status_code, feed.status_code) == (200, 200, 200)
    assert Revision.objects.count() == before


@override_settings(HEATWIKI_READ_ONLY=True)
def test_sign_in_in_read_only_mode_says_why_not(client, editor):
    response = client.post(reverse("account_login"), {"login": editor.username, "password": "x"})

    assert response.status_code == 503
    assert "read-only" in response.content.decode()


def redis_at_closed_port():
    url = f"redis://127.0.0.1:{closed_port()}/0"
    return override_settings(
        CACHES={
            alias: {
                "BACKEND": "heatwiki.edge.cache.ResilientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": f"test:{alias}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
            for alias in ("default", "pages")
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


def test_without_redis_page_views_and_editing_go_on(client, editor, scene):
    with redis_at_closed_port():
        assert client.get(scene.get_absolute_url()).status_code == 200
        assert client.get(scene.get_absolute_url()).status_code == 200
        client.force_login(editor)
        response = client.post(scene.kind_url("edit"), edit_data(client, scene))
        assert response.status_code == 302
    assert TYPED in Scene.objects.get(pk=scene.pk).body


def test_without_redis_sign_in_fails_closed_with_a_message(client, editor):
    with redis_at_closed_port():
        response = client.post(
            reverse("account_login"), {"login": editor.username, "password": "wrong"}
        )

    # allauth cannot take its counter's lock, so it refuses: closed, and the page says why.
    assert response.status_code == 429
    assert "cannot count attempts just now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_readyz_answers_200_when_all_is_well(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_readyz_names_the_cache_when_redis_is_unreachable(client):
    with redis_at_closed_port():
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down"}


def test_readyz_names_the_database_when_it_is_away(client, database_away):
    database_away()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"
