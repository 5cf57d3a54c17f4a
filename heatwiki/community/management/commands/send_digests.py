from django.core.management.base import BaseCommand

from heatwiki.community.tasks import queue_digests


class Command(BaseCommand):
    help = (
        "Enqueue the daily e-mail digest of everyone with digest notifications waiting; the "
        "workers send them. Run once a day (see docs/deploy.md)."
    )

    def handle(self, *args, **options) -> None:
        count = queue_digests()
        self.stdout.write(f"Enqueued {count} digest{'s' if count != 1 else ''}.")
