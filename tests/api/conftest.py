import time
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client

from heatwiki.accounts import ratelimit
from tests.conftest import _on_commit_or_now


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """A transaction around a whole module, for data its tests share: made once, rolled back
    after the module's last test. Each test still runs in a savepoint of its own."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        # As in a test case's transaction, what runs after a commit runs at once (conftest).
        atomic._from_testcase = True
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(transaction, "on_commit", _on_commit_or_now)
                yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


# Every API request counts against its rate: one statement on the shared counter table (when
# there is no Redis), which query budgets include.
RATE_COUNTER = 1


@pytest.fixture
def rate_counted(monkeypatch):
    """For query budgets: the rate window stands still and this address has been counted in it
    already, so each request costs its one counting statement (the first of a window also
    clears past windows' counters)."""
    fixed = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: fixed))
    Client().get("/api/v1/")
