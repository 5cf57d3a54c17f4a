"""The revision service: the one way page content changes, from the site, the admin or a seed.

Every write locks the page row, so concurrent saves of one page queue up: each sees the
revision before it, merges against it, and takes the next number.

Saves of pages that link to each other never wait for each other: a page's row is locked
``FOR NO KEY UPDATE``, which the foreign-key checks of other pages' new links (``FOR KEY
SHARE``) do not conflict with, and the pages linking to a renamed or new page are relinked
after the save commits, in a transaction of their own. A deadlock or serialization failure
that still happens is retried a few times before it reaches anyone.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from django.db.models import Q

from heatwiki.pagecache.invalidation import content_changed

from .kinds import kind_model
from .links import resolve_links
from .markdown import render
from .merge import Conflict, MergeResult, merge_snapshots
from .models import PageLink, PageRedirect, Revision, WikiPage
from .replay import apply_fields, apply_relations
from .signals import revision_committed
from .snapshot import Snapshot, field_names, same_content, scalar_fields, take
from .titles import title_key
from .wikilinks import Target

SYSTEM_USERNAME = "HeatWiki"
# PostgreSQL's deadlock_detected and serialization_failure: the transaction can simply run again.
TRANSIENT_SQLSTATES = {"40P01", "40001"}
RETRIES = 4

log = logging.getLogger(__name__)
T = TypeVar("T")


def _transient(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in TRANSIENT_SQLSTATES


def with_retries(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` (one whole transaction), again after a deadlock or serialization
    failure, a bounded number of times. Inside a caller's transaction nothing can be retried
    here: the error goes up to the caller."""
    for tries in range(RETRIES + 1):
        try:
            return attempt()
        except OperationalError as error:
            if tries == RETRIES or connection.in_atomic_block or not _transient(error):
                raise
            log.warning("Retrying a save after %s (attempt %d)", error, tries + 1)
            time.sleep(random.uniform(0.005, 0.02) * 2**tries)
    raise AssertionError("unreachable")


def system_account():
    """The author of content HeatWiki itself loads. It cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass
class SaveOutcome:
    """What became of a save: a new revision, nothing to save, or conflicts to resolve."""

    page: WikiPage
    revision: Revision | None = None
    merged: bool = False
    conflicts: list[Conflict] = field(default_factory=list)
    data: Snapshot | None = None

    @property
    def unchanged(self) -> bool:
        return self.revision is None and not self.conflicts


def save_page(
    *,
    page: WikiPage,
    data: Snapshot,
    author,
    summary: str = "",
    minor: bool = False,
    base_revision: int | None = None,
) -> SaveOutcome:
    """Create the page (when unsaved) or change it to ``data``, as a new revision.

    ``base_revision`` is the revision the editor started from. When the page has moved on
    since, the edit is merged three-way with what was saved meanwhile; overlapping changes
    come back as conflicts and nothing is written.
    """
    save = partial(
        _save_page,
        page=page,
        data=data,
        author=author,
        summary=summary,
        minor=minor,
        base_revision=base_revision,
    )
    # A new page holds no row another save waits for; an attempt rolled back would also leave
    # its id on the unsaved page.
    return save() if page.pk is None else with_retries(save)


def _save_page(*, page, data, author, summary, minor, base_revision) -> SaveOutcome:
    with transaction.atomic():
        current = None
        if page.pk is not None:
            page, current = _lock(page)
        merged = False
        if current is not None:
            if base_revision is not None and base_revision != current.number:
                base = page.revisions.filter(number=base_revision).first()
                result = merge_snapshots(base.snapshot if base else {}, current.snapshot, data)
                merged_data, conflicts = _in_field_order(type(page), result)
                if conflicts:
                    return SaveOutcome(page, conflicts=conflicts, data=merged_data)
                data, merged = merged_data, True
            if same_content({**current.snapshot, **data}, current.snapshot):
                return SaveOutcome(page, data=data)
        apply_fields(page, data)
        if current is None:
            page.save()
        apply_relations(page, data, current=current.snapshot if current else None)
        # An existing page's changed columns are written with its new current revision.
        revision = _commit(
            page, current, author=author, summary=summary, minor=minor, save_fields=bool(current)
        )
    return SaveOutcome(page, revision, merged=merged, data=data)


def _in_field_order(model: type[WikiPage], result: MergeResult) -> tuple[Snapshot, list]:
    """The merge's fields and conflicts in the page's field order, title first.

    Snapshots read back from PostgreSQL's jsonb have their keys in jsonb's own order.
    """
    rank = {name: i for i, name in enumerate(field_names(model))}

    def position(name: str) -> int:
        return rank.get(name, len(rank))

    data = dict(sorted(result.merged.items(), key=lambda item: position(item[0])))
    return data, sorted(result.conflicts, key=lambda conflict: position(conflict.field))


def revert_page(
    *,
    page: WikiPage,
    number: int,
    author,
    base_revision: int | None = None,
    summary: str = "",
) -> SaveOutcome:
    """A new revision whose content is that of revision ``number``.

    ``base_revision`` is the revision the reverting user was looking at: what was saved since
    is kept where it does not overlap what the revert changes, and comes back as conflicts
    where it does. Without it the page becomes revision ``number`` whatever happened since.
    """
    old = page.revisions.get(number=number)
    return save_page(
        page=page,
        data=old.snapshot,
        author=author,
        summary=summary or f"Reverted to revision {number}",
        base_revision=base_revision,
    )


class CannotUndo(Exception):
    """The revision has nothing before it to go back to."""


def undo_revision(*, page: WikiPage, number: int, author, summary: str = "") -> SaveOutcome:
    """Take back the change revision ``number`` made, keeping everything saved since.

    A three-way merge of the revision before it (the editor's side) with the current page,
    from revision ``number`` as their common base: later edits stay, and where they touched
    what revision ``number`` changed, the undo comes back as conflicts.
    """
    if number <= 1:
        raise CannotUndo("Revision 1 created the page: there is no earlier version to go back to.")
    before = page.revisions.get(number=number - 1)
    return save_page(
        page=page,
        data=before.snapshot,
        author=author,
        summary=summary or f"Undid revision {number}",
        base_revision=number,
    )


def undo_preview(page: WikiPage, number: int) -> MergeResult:
    """What undoing revision ``number`` would make of the page now, without saving it."""
    if number <= 1:
        raise CannotUndo("Revision 1 created the page: there is no earlier version to go back to.")
    snapshots = dict(
        page.revisions.filter(number__in=[number - 1, number]).values_list("number", "snapshot")
    )
    current = page.current_revision.snapshot
    result = merge_snapshots(snapshots[number], current, snapshots[number - 1])
    merged, conflicts = _in_field_order(type(page), result)
    return MergeResult(merged, conflicts)


def record_revision(*, page: WikiPage, author, summary: str = "") -> Revision | None:
    """Make a revision of a page already saved by other means (the admin, the seed)."""

    def attempt() -> Revision | None:
        with transaction.atomic():
            locked, current = _lock(page)
            return _commit(locked, current, author=author, summary=summary, minor=False)

    return with_retries(attempt)


def _lock(page: WikiPage) -> tuple[WikiPage, Revision | None]:
    """Lock the page's row and read it and its current revision afresh."""
    current_id = (
        WikiPage.objects.select_for_update(no_key=True)
        .filter(pk=page.pk)
        .values_list("current_revision", flat=True)
        .get()
    )
    # The kind's own model, also when called with a plain WikiPage (from a revision, a link).
    fresh = kind_model(page.page_kind).objects.get(pk=page.pk)
    current = Revision.objects.get(pk=current_id) if current_id else None
    return fresh, current


def _commit(
    page: WikiPage,
    previous: Revision | None,
    *,
    author,
    summary: str,
    minor: bool,
    save_fields: bool = False,
) -> Revision | None:
    """Record the page's state as its next revision, unless it is the previous one's.

    With ``save_fields``, the page's columns set from the snapshot are written here too, in
    the same statement as its new current revision (and only the columns that changed).
    """
    data = take(page)
    if previous is not None and same_content(previous.snapshot, data):
        return None
    # Kept by save(), which for an edited page comes after the revision is recorded.
    page.title_key = title_key(page.title)
    html, found = render(page.body)
    size = len(page.body.encode())
    before = previous.snapshot if previous else {}
    # Names from a hidden revision (the page going back from vandalism) are never repeated in
    # a summary nor kept as redirects.
    named_before = {} if previous is not None and previous.is_hidden else before
    moved = _move(named_before, page)
    revision = Revision.objects.create(
        page=page,
        number=previous.number + 1 if previous else 1,
        author=author,
        summary=summary,
        minor=minor,
        title=page.title,
        size=size,
        size_change=size - (previous.size if previous else 0),
        snapshot=data,
        body_html=html,
        moved_from_title=before.get("title", "") if moved else "",
        moved_from_slug=before.get("slug", "") if moved else "",
    )
    page.current_revision, page.body_html, page.updated_at = revision, html, revision.created_at
    if previous is None or moved or named_before is not before:
        _redirect_old_names(page, named_before)
    if save_fields:
        changed = [
            f.attname for f in scalar_fields(type(page)) if data[f.name] != before.get(f.name)
        ]
        page.save(update_fields=[*changed, "current_revision", "body_html", "updated_at"])
    else:
        WikiPage.objects.filter(pk=page.pk).update(
            current_revision=revision, body_html=html, updated_at=revision.created_at
        )
    content_changed()
    _record_links(page, found)
    before = previous.snapshot if previous else {}
    transaction.on_commit(
        partial(
            revision_committed.send,
            type(page),
            page=page,
            revision=revision,
            snapshot=data,
            previous=previous.snapshot if previous else None,
        )
    )
    # Links elsewhere find pages by title and point at their address: refresh them when either
    # changes (or the page is new).
    old_key = title_key(before.get("title", ""))
    if old_key != page.title_key or before.get("slug") != page.slug:
        keys = {page.title_key, old_key} - {""}
        # After the commit, in a transaction of its own: locking the linking pages here, while
        # this page's row is held, is how two linked pages' saves would deadlock.
        transaction.on_commit(partial(relink_pages_linking_to, keys, exclude=page), robust=True)
    return revision


def _move(before: Snapshot, page: WikiPage) -> bool:
    """Whether the revision changes the page's title (beyond case and spacing) or address."""
    if not before:
        return False
    return title_key(before["title"]) != page.title_key or before["slug"] != page.slug


def _redirect_old_names(page: WikiPage, before: Snapshot) -> None:
    """Keep a moved page's old title and address leading to it; a page's own names are never
    redirects (a move back, or a new page taking over a redirect's name, which its form has
    asked the editor to confirm)."""
    redirects = PageRedirect.objects.filter(page_kind=page.page_kind)
    redirects.filter(Q(slug=page.slug) | Q(title_key=page.title_key)).delete()
    old_slug = before.get("slug", "")
    old_key = title_key(before.get("title", ""))
    old = {
        "slug": old_slug if old_slug != page.slug else "",
        "title_key": old_key if old_key != page.title_key else "",
    }
    if any(old.values()):
        # Another page's redirect from the same old name gives way: the name was this page's.
        for name, value in old.items():
            if value:
                redirects.filter(**{name: value}).delete()
        PageRedirect.objects.create(page=page, page_kind=page.page_kind, **old)


def _record_links(page: WikiPage, found: dict[Target, WikiPage | None]) -> None:
    links = {
        (t.kind, t.key): PageLink(source=page, target_kind=t.kind, target_key=t.key, target=p)
        for t, p in found.items()
    }
    PageLink.objects.filter(source=page).delete()
    PageLink.objects.bulk_create(links.values())


def relink_pages_linking_to(keys: set[str], exclude: WikiPage | None = None) -> int:
    """Re-resolve the stored links of every page linking to these titles; count them.

    Called when a page appears, is renamed or is deleted, so red links turn blue (and back)
    everywhere at once, without rendering any Markdown.
    """
    sources = WikiPage.objects.filter(links_out__target_key__in=keys)
    if exclude is not None:
        sources = sources.exclude(pk=exclude.pk)
    pks = set(sources.values_list("pk", flat=True))

    def attempt() -> int:
        count = 0
        with transaction.atomic():
            # Each source is locked and read afresh, as saving it does: an edit of it being
            # saved meanwhile is waited for, and its new body is relinked rather than
            # overwritten. In one order, so two relinkings never hold each other's pages.
            locked = WikiPage.objects.select_for_update(no_key=True).filter(pk__in=pks)
            for source in locked.order_by("pk").only("id", "body_html"):
                html, found = resolve_links(source.body_html)
                WikiPage.objects.filter(pk=source.pk).update(body_html=html)
                content_changed()
                _record_links(source, found)
                count += 1
        return count

    return with_retries(attempt) if pks else 0
