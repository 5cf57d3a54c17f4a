from django.core.management.base import BaseCommand, CommandError

from heatwiki.api.dumps import DumpError, load_dump


class Command(BaseCommand):
    help = "Load a dump's pages.ndjson.gz (from dump_wiki) into an empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="A pages.ndjson.gz file.")

    def handle(self, *args, path: str, **options) -> None:
        try:
            counts = load_dump(path)
        except (DumpError, OSError) as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS("Loaded."))
