"""The community's background jobs, on Django's tasks API (the backend is set in settings.TASKS).

Every job is enqueued after the commit of what caused it, so nothing goes out for a change
that was rolled back. A job that raises is enqueued again with a growing delay, up to
``HEATWIKI_TASK_ATTEMPTS`` tries in all; each failed try stays in the backend's results (the
admin's "Task results" for the database backend) for operators to see.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks.base import Task

from . import notify

log = logging.getLogger(__name__)


def enqueue_on_commit(job: Task, *args) -> None:
    """Enqueue ``job`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(job.enqueue, *args))


def retry_delay(attempt: int) -> int:
    """Seconds to wait before try ``attempt + 1``: the base delay, doubled for each try."""
    return settings.HEATWIKI_TASK_RETRY_DELAY * 2 ** (attempt - 1)


@contextmanager
def retried(job: Task, attempt: int, *args) -> Iterator[None]:
    """Run the body; should it raise, enqueue ``job(*args, attempt + 1)`` after a back-off
    (unless the tries are used up) and raise again, so this try is recorded as failed."""
    try:
        yield
    except Exception:
        if attempt >= settings.HEATWIKI_TASK_ATTEMPTS:
            log.exception("%s failed for good after %d tries", job.name, attempt)
            raise
        delay = retry_delay(attempt)
        backend = task_backends[job.backend]
        again = job
        if delay and backend.supports_defer:
            again = job.using(run_after=timezone.now() + timedelta(seconds=delay))
        log.warning("%s failed (try %d); trying again in %d s", job.name, attempt, delay)
        again.enqueue(*args, attempt + 1)
        raise


@task()
def fan_out_revision(revision_id: int, attempt: int = 1) -> int:
    """Tell a revision's watchers, mentions in its summary, and watch the page for its author."""
    with retried(fan_out_revision, attempt, revision_id):
        return queue_emails(notify.revision_saved(revision_id))


@task()
def fan_out_talk_post(post_id: int, attempt: int = 1) -> int:
    """Tell a talk post's topic followers and the people it mentions."""
    with retried(fan_out_talk_post, attempt, post_id):
        return queue_emails(notify.talk_posted(post_id))


@task()
def tell_thanked(thanks_id: int, attempt: int = 1) -> int:
    with retried(tell_thanked, attempt, thanks_id):
        return queue_emails(notify.thanked(thanks_id))


@task()
def tell_moderated(user_id: int, text: str, url: str, attempt: int = 1) -> int:
    with retried(tell_moderated, attempt, user_id, text, url):
        return queue_emails(notify.moderated(user_id, text, url))


@task()
def send_notification_email(notification_id: int, attempt: int = 1) -> bool:
    """The immediate e-mail of one notification."""
    with retried(send_notification_email, attempt, notification_id):
        return notify.email_one(notification_id)


@task()
def send_digest(user_id: int, attempt: int = 1) -> int:
    """One e-mail with every digest notification of the user not mailed yet."""
    with retried(send_digest, attempt, user_id):
        return notify.email_digest(user_id)


def queue_digests() -> int:
    """Enqueue a digest for everyone with digest notifications waiting; count them."""
    users = notify.digest_recipients()
    for user_id in users:
        send_digest.enqueue(user_id)
    return len(users)


def queue_emails(notification_ids: list[int]) -> int:
    """An e-mail job per notification to mail at once (each retried on its own); the count."""
    for notification_id in notification_ids:
        send_notification_email.enqueue(notification_id)
    return len(notification_ids)
