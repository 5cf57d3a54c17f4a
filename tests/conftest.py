import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages do not carry over from one test to the next."""
    cache.clear()
    yield
    cache.clear()


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
