from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "List the background jobs that failed (each failed try; a job is tried again after a "
        "back-off up to HEATWIKI_TASK_ATTEMPTS times), newest first, with the error."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args, limit: int = 50, **options) -> None:
        rows = self._rq(limit) if settings.HEATWIKI_TASKS_BACKEND == "rq" else self._db(limit)
        for when, name, args, error in rows:
            self.stdout.write(f"{when:%Y-%m-%d %H:%M:%S}  {name}{args}  {error}")
        if not rows:
            self.stdout.write("No failed jobs.")

    def _db(self, limit: int) -> list[tuple]:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        rows = []
        for row in failed.order_by("-finished_at")[:limit]:
            name = row.task_path.rpartition(".")[2]
            args = tuple(row.args_kwargs.get("args", []))
            error = row.exception_class_path or "an error"
            rows.append((row.finished_at, name, args, error))
        return rows

    def _rq(self, limit: int) -> list[tuple]:
        import django_rq
        from rq.registry import FailedJobRegistry

        queue = django_rq.get_queue("default")
        registry = FailedJobRegistry(queue=queue)
        rows = []
        for job in queue.job_class.fetch_many(registry.get_job_ids()[:limit], queue.connection):
            if job is not None:
                error = (job.exc_info or "").strip().splitlines()[-1:] or ["an error"]
                rows.append((job.ended_at or job.enqueued_at, job.func_name, job.args, error[0]))
        return rows
