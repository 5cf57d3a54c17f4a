from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run a background worker for the configured queue: `db_worker` (jobs in the database) "
        "or, with HEATWIKI_TASKS_BACKEND=rq (the default with REDIS_URL), RQ's worker with its "
        "scheduler (for retries after a delay). Run as many as the jobs need, on any machine."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args, burst: bool = False, **options) -> None:
        if settings.HEATWIKI_TASKS_BACKEND == "rq":
            call_command(
                "rqworker", "default", job_class="django_tasks_rq.Job", with_scheduler=True,
                burst=burst,
            )  # fmt: skip
        elif burst:
            call_command("db_worker", batch=True, startup_delay=False)
        else:
            call_command("db_worker")
