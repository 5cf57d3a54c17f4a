from django.core.management.base import BaseCommand

from heatwiki.api.dumps import write_dump


class Command(BaseCommand):
    help = (
        "Write an open data dump of the wiki (NDJSON and JSON-LD, gzipped, with a manifest) to "
        "the media storage under dumps/, published at /dumps/."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--revisions", action="store_true", help="Also every visible revision of every page."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address (https://heatwiki.example) for the JSON-LD's page URLs.",
        )

    def handle(self, *args, revisions: bool, base_url: str, **options) -> None:
        manifest = write_dump(with_revisions=revisions, base_url=base_url.rstrip("/"))
        for entry in manifest["files"]:
            self.stdout.write(
                f"{entry['name']}: {entry['records']} records, {entry['bytes']} bytes"
            )
        self.stdout.write(self.style.SUCCESS("Dump written; dumps/latest.json is its manifest."))
