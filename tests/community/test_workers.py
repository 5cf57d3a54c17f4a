"""Jobs run by real worker processes: the database backend's ``db_worker`` (on the suite's
database, SQLite or PostgreSQL) and RQ's worker against the Redis at 127.0.0.1:6379. An edit
enqueues the watchers' job; the worker tells the watcher and e-mails them; a job that raises is
tried again; nothing is enqueued for a transaction rolled back."""

import email
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from heatwiki.community.models import Notification
from heatwiki.community.tasks import enqueue_on_commit, send_notification_email
from tests import factories

ROOT = Path(settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number of the suite's own
TIMEOUT = 120

# Run in a process of its own, on the database the worker uses: Alice watches a page and wants
# e-mail at once; Bob edits it (the edit enqueues the watchers' job after its commit).
SCENARIO = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from heatwiki.community.models import Preferences, Watch
from heatwiki.wiki.services import record_revision, save_page
from heatwiki.wiki.snapshot import take
from heatwiki.works.models import Work
User = get_user_model()
alice = User.objects.create_user("alice", "alice@example.com", "pw")
bob = User.objects.create_user("bob", "bob@example.com", "pw")
for user in (alice, bob):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
work = Work.objects.create(title="Worker test work", slug="worker-test-work", kind="film")
record_revision(page=work, author=bob, summary="created")
Watch.objects.create(user=alice, page=work, seen_number=1)
Preferences.objects.create(user=alice, page="email")
work = Work.objects.get(pk=work.pk)
save_page(page=work, data={**take(work), "body": "Bob's change."}, author=bob, summary="hello")
"""

REPORT = """
import json
from django_tasks_db.models import DBTaskResult
from heatwiki.community.models import Notification, Watch
rows = []
try:
    rows = list(DBTaskResult.objects.values_list("task_path", "status"))
except Exception:
    pass
print(json.dumps({
    "notifications": list(Notification.objects.values_list("user__username", "kind")),
    "emailed": Notification.objects.filter(emailed_at__isnull=False).count(),
    "bob_watches": Watch.objects.filter(user__username="bob").count(),
    "results": rows,
}))
"""


def database_url(tmp_path: Path) -> str:
    """SQLite: a file of the test's own (the suite's is in memory); PostgreSQL: the suite's
    test database, which a transactional test commits to."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def environment(tmp_path: Path, *, backend: str, mail_backend: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        "DJANGO_SECRET_KEY": "worker-test-key-0123456789abcdef0123456789abcdef",
        "EMAIL_BACKEND": mail_backend,
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "HEATWIKI_TASKS_BACKEND": backend,
        "HEATWIKI_TASK_RETRY_DELAY": "0",
        "HEATWIKI_SITE_URL": "https://heatwiki.test",
    }
    env.pop("DJANGO_DEBUG", None)
    if backend == "rq":
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    if connection.vendor == "sqlite":
        run(["migrate", "--noinput", "-v0"], env)
    return env


def sent_mail(tmp_path: Path) -> list[str]:
    return [p.read_text() for p in sorted((tmp_path / "mail").glob("*.log"))]


def scenario_then_worker(tmp_path: Path, worker: list[str], env: dict) -> dict:
    run(["shell", "-c", SCENARIO], env)
    run(worker, env)
    return json.loads(run(["shell", "-c", REPORT], env).strip().splitlines()[-1])


# The worker `make run` starts and docs/deploy.md names, in burst mode: what is queued, then exit.
DB_WORKER = RQ_WORKER = ["worker", "--burst"]
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"
FLAKY_MAIL = "tests.community.flaky_mail.FailOnceBackend"


@pytest.fixture
def redis_queue():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis must answer at 127.0.0.1:6379 (CI runs one; locally: redis-server)")
    client.flushdb()  # database 14 is the suite's own
    yield client
    client.flushdb()


def check_delivered(report: dict, tmp_path: Path) -> None:
    assert report["notifications"] == [["alice", "page"]]
    assert report["emailed"] == 1
    assert report["bob_watches"] == 1  # the editor watches the page he edited
    (text,) = sent_mail(tmp_path)
    message = email.message_from_string(text.split("\n" + "-" * 79)[0])
    assert message["To"] == "alice@example.com"
    assert "bob changed Worker test work" in message.get_payload()
    unsubscribe = message["List-Unsubscribe"].strip()
    assert re.fullmatch(r"<https://heatwiki\.test/unsubscribe/[^>\s]+/>", unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_edits_jobs_and_mails(tmp_path):
    env = environment(tmp_path, backend="database", mail_backend=FILE_MAIL)
    report = scenario_then_worker(tmp_path, DB_WORKER, env)
    check_delivered(report, tmp_path)
    jobs = sorted((path.rpartition(".")[2], status) for path, status in report["results"])
    # The watchers' job of each revision (the page's creation and Bob's edit), then the e-mail.
    assert jobs == [
        ("fan_out_revision", "SUCCESSFUL"),
        ("fan_out_revision", "SUCCESSFUL"),
        ("send_notification_email", "SUCCESSFUL"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_retries_a_job_that_raises(tmp_path):
    env = environment(tmp_path, backend="database", mail_backend=FLAKY_MAIL)
    report = scenario_then_worker(tmp_path, DB_WORKER, env)
    check_delivered(report, tmp_path)
    mails = [status for path, status in report["results"] if path.endswith("email")]
    # The failed try stays visible to operators (the admin's task results), then the retry.
    assert sorted(mails) == ["FAILED", "SUCCESSFUL"]
    failures = run(["failed_tasks"], env)
    assert "send_notification_email" in failures and "ConnectionRefusedError" in failures


@pytest.mark.django_db(transaction=True)
def test_the_rq_worker_runs_an_edits_jobs_and_retries(tmp_path, redis_queue):
    env = environment(tmp_path, backend="rq", mail_backend=FLAKY_MAIL)
    report = scenario_then_worker(tmp_path, RQ_WORKER, env)
    check_delivered(report, tmp_path)
    assert report["results"] == []  # nothing went to the database's queue
    from rq import Queue
    from rq.registry import FailedJobRegistry

    failed = FailedJobRegistry(queue=Queue("default", connection=redis_queue))
    assert len(failed) == 1  # the first try of the e-mail, kept for operators
    failures = run(["failed_tasks"], env)
    assert "send_notification_email" in failures and "ConnectionRefusedError" in failures


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_or_sent_when_the_transaction_rolls_back(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    alice = factories.UserFactory(username="alice")
    notification = Notification.objects.create(
        user=alice, kind=Notification.Kind.THANKS, text="Thanks", url="/", delivery="email"
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_notification_email, notification.pk)
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    with transaction.atomic():
        enqueue_on_commit(send_notification_email, notification.pk)
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_job_leaves_no_row_for_the_database_worker(settings):
    from django_tasks_db.models import DBTaskResult

    alice = factories.UserFactory(username="alice")
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(send_notification_email, alice.pk)
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()
