"""Filling the change feed from the engine's announcements, after each change commits.

Every new revision, hiding, unhiding and deletion becomes one row of ``Change``; the feed
serves them in id order. The receivers run after the commit, so a change rolled back never
reaches the feed.
"""

from functools import partial

from django.db import transaction

from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.snapshot import Snapshot, field_names, same_content

from .models import Change


def changed_fields(model: type[WikiPage], before: Snapshot | None, after: Snapshot) -> list[str]:
    """The names of the fields and relations that differ, in the page's field order."""
    before = before or {}
    return [
        name
        for name in field_names(model)
        if name in after and not same_content({name: before.get(name)}, {name: after[name]})
    ]


def record_revision(
    sender, *, page: WikiPage, revision: Revision, snapshot: Snapshot, previous=None, **kwargs
) -> None:
    """``revision_committed`` receiver: one row per revision: a creation, an edit or a move."""
    if previous is None:
        action, old_slug = Change.Action.CREATE, ""
    elif previous.get("slug") != snapshot.get("slug"):
        action, old_slug = Change.Action.MOVE, previous.get("slug", "")
    else:
        action, old_slug = Change.Action.EDIT, ""
    Change.objects.create(
        action=action,
        page_id=page.pk,
        page_kind=page.page_kind,
        slug=page.slug,
        old_slug=old_slug,
        title=revision.title,
        revision_number=revision.number,
        hidden=revision.is_hidden,
        fields=changed_fields(type(page), previous, snapshot),
        created_at=revision.created_at,
    )


def record_hiding(sender, *, page_id: int, revisions: list[Revision], hidden: bool, **kwargs):
    """``revisions_hidden`` receiver: a row per revision hidden or shown again, and the
    earlier rows of those revisions withhold (or show again) their titles."""
    page = WikiPage.objects.only("page_kind", "slug").get(pk=page_id)
    numbers = [revision.number for revision in revisions]
    Change.objects.filter(page_id=page_id, revision_number__in=numbers).update(hidden=hidden)
    action = Change.Action.HIDE if hidden else Change.Action.UNHIDE
    Change.objects.bulk_create(
        Change(
            action=action,
            page_id=page_id,
            page_kind=page.page_kind,
            slug=page.slug,
            title=revision.title,
            revision_number=revision.number,
            hidden=hidden,
        )
        for revision in revisions
    )


def record_deletion(sender, *, instance: WikiPage, **kwargs) -> None:
    """``post_delete`` receiver for pages (the admin deletes them; so may a cascade)."""
    row = Change(
        action=Change.Action.DELETE,
        page_id=instance.pk,
        page_kind=instance.page_kind,
        slug=instance.slug,
        title=instance.title,
    )
    transaction.on_commit(partial(_save, row), robust=True)


def record_soft_deletion(sender, *, page: WikiPage, **kwargs) -> None:
    """``page_deleted`` receiver: a moderator took the page off the wiki (sent after commit)."""
    _page_change(Change.Action.DELETE, page)


def record_undeletion(sender, *, page: WikiPage, **kwargs) -> None:
    """``page_undeleted`` receiver: the page is back, as its current revision has it."""
    _page_change(Change.Action.UNDELETE, page)


def _page_change(action: str, page: WikiPage) -> None:
    revision = page.current_revision
    Change.objects.create(
        action=action,
        page_id=page.pk,
        page_kind=page.page_kind,
        slug=page.slug,
        title=page.title,
        revision_number=revision.number if revision else None,
    )


def _save(row: Change) -> None:
    row.save()
