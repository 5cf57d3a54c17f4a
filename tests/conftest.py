from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

from heatwiki.pagecache import kept
from heatwiki.wiki.models import WikiPage
from tests import factories
from tests.database import moderators_group
from tests.images import seed_test_file


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    # Hashed static names need collectstatic, which test_static.py exercises on its own; the
    # other tests serve static files straight from the source folders. MD5 keeps logins fast.
    # Uploaded images go to a folder of the session's own, never to var/media.
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Jobs wait in the database, rolled back with each test; tests of what a job does run
        # it (tests/community), and the worker tests run real workers.
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    ):
        yield


def _in_memory_caches() -> list:
    # A cache in the database (the default one, without Redis) is emptied with the rest of the
    # database after each test: rolled back, or flushed for transactional tests.
    return [caches[alias] for alias in ("default", "pages") if not _in_database(caches[alias])]


def _in_database(cache) -> bool:
    return isinstance(cache, DatabaseCache)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters, cached pages and accounts kept in memory do not carry over from
    one test to the next (nor do frames and standings kept in this process)."""
    _forget_all()
    yield
    _forget_all()


def _forget_all() -> None:
    for cache in _in_memory_caches():
        cache.clear()
    kept.forget_everything()


_on_commit = transaction.on_commit


def _on_commit_or_now(func, using=None, robust=False) -> None:
    if connection.in_atomic_block and connection.atomic_blocks[0]._from_testcase:
        func()
    else:
        _on_commit(func, using=using, robust=robust)


@pytest.fixture(autouse=True)
def _after_commit_runs_in_database_tests(monkeypatch):
    """A database test runs in a transaction that never commits, so what the site does after a
    commit (the page cache's bump, the revision-committed hook: search indexing) would never
    run: there it runs at once. Transactional tests (and so the browser tests) keep the real
    after-commit behaviour."""
    monkeypatch.setattr(transaction, "on_commit", _on_commit_or_now)


# A transactional test (live server, threads) ends by emptying every table: the seeded wiki and
# the Moderators group its migration made are gone. pytest-django runs those tests last, but
# under pytest-xdist (`--dist loadfile`) a worker goes on with the next file's tests: the first
# database test after a transactional one puts them back, outside any test's transaction.
_database = SimpleNamespace(blocker=None, maybe_emptied=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the seeded wiki."""
    with django_db_blocker.unblock():
        call_command("seed_content", verbosity=0)
        seed_test_file()
    _database.blocker = django_db_blocker


def _uses_database(item) -> tuple[bool, bool]:
    """Whether ``item`` uses the database, and whether in a transactional test (as
    pytest-django decides it)."""
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    fixtures = {"transactional_db", "live_server", "django_db_reset_sequences"}
    transactional = transaction or reset_sequences or bool(fixtures & set(item.fixturenames))
    return bool(marker) or "db" in item.fixturenames or transactional, transactional


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    uses, transactional = _uses_database(item)
    if transactional:
        _database.maybe_emptied = True
    elif uses and _database.maybe_emptied and _database.blocker is not None:
        with _database.blocker.unblock():
            moderators_group()
            if not WikiPage.objects.exists():
                call_command("seed_content", verbosity=0)
                seed_test_file()
        _database.maybe_emptied = False


@pytest.fixture
def moderator(db):
    user = factories.UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="fan")
