"""Render every stored body again with today's Markdown pipeline, after the pipeline changed.

Bodies are rendered once per revision and stored (pages never render Markdown on a view), so
a pipeline that learns something new (footnotes, heading anchors, a table of contents) shows
it on old pages only once their HTML is made again. This command does that for every page's
current body and every revision's, and writes only the HTML that differs. Wiki links are
compared without their resolution (where each points today), which is not the pipeline's
business and is kept current by the revision service.
"""

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import QuerySet

from heatwiki.pagecache.invalidation import content_changed
from heatwiki.wiki.links import resolve_links
from heatwiki.wiki.markdown import render_unlinked
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.wikilinks import ANCHOR_RE

BATCH = 500


def unresolved(html: str) -> str:
    """``html`` with its wiki links as the pipeline writes them, before they are resolved."""
    return ANCHOR_RE.sub(lambda match: f'<a data-wikilink="{match[1]}">', html)


def rerendered(body: str, stored: str) -> str | None:
    """The body's HTML made afresh, links resolved, or None when it is what is stored."""
    html = render_unlinked(body)
    if html == unresolved(stored):
        return None
    return resolve_links(html)[0]


class Command(BaseCommand):
    help = (
        "Render every page's body and every revision's again with the current Markdown "
        "pipeline, writing only the HTML that differs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        pages = revisions = 0
        for batch in batches(WikiPage.objects.all()):
            for page in batch.only("id", "body", "body_html"):
                html = rerendered(page.body, page.body_html)
                # Only if the body is still the one rendered: a save meanwhile wrote its own.
                if html is not None:
                    same_body = WikiPage.objects.filter(pk=page.pk, body=page.body)
                    pages += same_body.update(body_html=html)
        for batch in batches(Revision.objects.all()):
            for revision in batch.only("id", "snapshot", "body_html"):
                html = rerendered((revision.snapshot or {}).get("body") or "", revision.body_html)
                if html is not None:
                    revisions += Revision.objects.filter(pk=revision.pk).update(body_html=html)
        if pages or revisions:
            content_changed()  # outside a transaction: readers' pages are stale at once
        self.stdout.write(
            f"Rendered again: {pages} page bodies and {revisions} revisions had changed."
        )


def batches(queryset: QuerySet) -> Iterator[QuerySet]:
    """The rows of ``queryset`` as querysets of BATCH rows each, by primary key.

    Not one cursor over the table: SQLite does not isolate a cursor from the writes made on
    its connection while it is read.
    """
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        yield queryset.filter(pk__in=pks[start : start + BATCH]).order_by("pk")
