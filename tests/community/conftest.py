import pytest
from django.urls import reverse

from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from tests import factories

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_jobs(settings):
    """Jobs run as soon as they are enqueued (after the commit), in this process."""
    settings.TASKS = IMMEDIATE
    return settings


@pytest.fixture
def alice(db):
    return factories.UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return factories.UserFactory(username="bob")


@pytest.fixture
def work(db):
    return factories.WorkFactory(title="Watched work", slug="watched-work")


def edit(page, author, *, summary: str = "", minor: bool = False, **changes):
    """Save a new revision of ``page`` by ``author`` with ``changes`` to its fields."""
    page = type(page).objects.get(pk=page.pk)
    data = {**take(page), **changes}
    outcome = save_page(page=page, data=data, author=author, summary=summary, minor=minor)
    assert outcome.revision is not None
    return outcome.revision


def watch_url(page) -> str:
    return reverse("community:watch", args=[page.pk])
