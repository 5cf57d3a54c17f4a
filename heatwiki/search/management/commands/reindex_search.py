"""Rebuild every page's search document from its current revision (after a restore, say)."""

from typing import Any

from django.core.management.base import BaseCommand

from heatwiki.search.index import index_page
from heatwiki.wiki.kinds import page_kinds


class Command(BaseCommand):
    help = "Rebuild the search index from each page's current revision."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for model in page_kinds():
            pages = model.objects.select_related("current_revision").exclude(current_revision=None)
            for page in pages.iterator(chunk_size=500):
                revision = page.current_revision
                index_page(page, revision.snapshot, revision.body_html)
                count += 1
        self.stdout.write(f"Indexed {count} pages.")
