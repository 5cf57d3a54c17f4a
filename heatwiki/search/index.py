"""Writing a page's search document; called by the revision service on every new revision."""

import re
from html import unescape

from django.utils.html import strip_tags

from heatwiki.wiki.describe import FieldView, describe, describe_many
from heatwiki.wiki.layers import strip_spoilers
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.snapshot import Snapshot

from .models import SearchDocument

# The title has its own weight; the address and the body are not "fields".
NOT_FIELDS = {"title", "slug", "body"}
# Control characters never reach the index: snippets use STX/ETX to mark their matches.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A body's table of contents repeats its headings: indexed once, in the headings themselves.
TABLE_OF_CONTENTS = re.compile(r'<nav class="toc"[^>]*>.*?</nav>', re.DOTALL)


def clean(text: str) -> str:
    return CONTROL.sub(" ", text)


def fields_text(model: type[WikiPage], data: Snapshot) -> str:
    """The page's structured fields and relations as words: "Heat · Film · 1995 · …"."""
    return _fields_text(describe(model, data))


def fields_texts(model: type[WikiPage], snapshots: list[Snapshot]) -> list[str]:
    """``fields_text`` for many pages of one kind, in one query per related model."""
    return [_fields_text(views) for views in describe_many(model, snapshots)]


def _fields_text(views: list[FieldView]) -> str:
    parts = []
    for view in views:
        if view.name in NOT_FIELDS:
            continue
        parts.extend(view.items if view.is_list else [view.text])
    return " · ".join(part for part in parts if part)


def body_text(body_html: str) -> str:
    """The words of a rendered body, as the index holds them: without its spoiler passages,
    which no snippet may show a reader who has not chosen their work."""
    text = TABLE_OF_CONTENTS.sub(" ", strip_spoilers(body_html))
    return clean(unescape(strip_tags(text)))


def index_page(page: WikiPage, data: Snapshot, body_html: str) -> None:
    """Make the page's search document match its current revision."""
    document = {
        "title": clean(page.title),
        "fields_text": clean(fields_text(type(page), data)),
        "body_text": body_text(body_html),
    }
    # Every page but a new one has its document: one UPDATE, without update_or_create's
    # savepoint and locking read.
    if not SearchDocument.objects.filter(page_id=page.pk).update(**document):
        SearchDocument.objects.create(page_id=page.pk, **document)


def index_committed_revision(sender, *, page: WikiPage, revision, snapshot: Snapshot, **kwargs):
    """``revision_committed`` receiver: the search document follows every new revision."""
    index_page(page, snapshot, revision.body_html)


def drop_deleted_page(sender, *, page: WikiPage, **kwargs) -> None:
    """``page_deleted`` receiver: a deleted page is found by nobody."""
    SearchDocument.objects.filter(page_id=page.pk).delete()


def index_undeleted_page(sender, *, page: WikiPage, **kwargs) -> None:
    """``page_undeleted`` receiver: the page is found again, as its current revision reads."""
    revision = page.current_revision
    if revision is not None:
        index_page(page, revision.snapshot, revision.body_html)
