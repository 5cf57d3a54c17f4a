import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from tests import factories


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    # Hashed static names need collectstatic, which test_static.py exercises on its own; the
    # other tests serve static files straight from the source folders. MD5 keeps logins fast.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
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
    """Rate-limit counters and cached pages do not carry over from one test to the next."""
    for cache in _in_memory_caches():
        cache.clear()
    yield
    for cache in _in_memory_caches():
        cache.clear()


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test starts from the seeded wiki."""
    with django_db_blocker.unblock():
        call_command("seed_content", verbosity=0)


@pytest.fixture
def moderator(db):
    user = factories.UserFactory(username="mod", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="fan")
