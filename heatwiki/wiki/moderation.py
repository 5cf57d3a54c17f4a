"""What moderators do to pages and revisions: protect, hide, revert. Each is logged with why."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from heatwiki.accounts.models import ModerationLog
from heatwiki.pagecache.invalidation import content_changed

from .models import Revision, WikiPage
from .services import SaveOutcome, revert_page, save_page
from .signals import revisions_hidden


def protect_page(*, page: WikiPage, moderator, reason: str) -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=timezone.now(), protected_by=moderator, protection_reason=reason[:300]
    )
    content_changed()
    ModerationLog.record(moderator, ModerationLog.Action.PROTECT, page, reason)


def unprotect_page(*, page: WikiPage, moderator, reason: str = "") -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=None, protected_by=None, protection_reason=""
    )
    content_changed()
    ModerationLog.record(moderator, ModerationLog.Action.UNPROTECT, page, reason)


class CannotHide(Exception):
    """The revision is the page's only visible content."""


def hide_revision(*, revision: Revision, moderator, reason: str) -> SaveOutcome | None:
    """Hide a revision's content, title and summary from everyone but moderators.

    When it is the page's current revision, the page goes back to the newest visible one (a
    new revision by the moderator), so current content never comes from hidden text.
    """
    return _hide(revision.page_id, [revision], moderator=moderator, reason=reason)


def hide_revisions(*, revisions, moderator, reason: str) -> list[CannotHide]:
    """Hide several revisions, of one page or many, and say which pages refused.

    Each page's revisions are hidden together before the page goes back to its newest visible
    revision: one by one, hiding the current revision first could restore the next revision
    to hide (say, an earlier edit by the same vandal) and make its text current again.
    """
    by_page: dict[int, list[Revision]] = {}
    for revision in revisions:
        by_page.setdefault(revision.page_id, []).append(revision)
    refusals = []
    for page_id, page_revisions in by_page.items():
        try:
            _hide(page_id, page_revisions, moderator=moderator, reason=reason)
        except CannotHide as refusal:
            refusals.append(refusal)
    return refusals


def _hide(page_id: int, revisions: list[Revision], *, moderator, reason: str):
    with transaction.atomic():
        # Locked and read afresh: the current revision may have changed since it was loaded.
        page = WikiPage.objects.select_for_update(no_key=True).get(pk=page_id)
        hiding = {revision.pk for revision in revisions}
        numbers = sorted(revision.number for revision in revisions)
        restore = None
        if page.current_revision_id in hiding:
            restore = (
                page.revisions.filter(hidden_at__isnull=True)
                .exclude(pk__in=hiding)
                .order_by("-number")
                .first()
            )
            if restore is None:
                which = "Revision {} is" if len(numbers) == 1 else "Revisions {} are"
                raise CannotHide(
                    f"{which.format(_numbers(numbers))} the only visible content of “{page}”: "
                    "nothing to go back to."
                )
        Revision.objects.filter(pk__in=hiding).update(
            hidden_at=timezone.now(), hidden_by=moderator, hidden_reason=reason[:300]
        )
        content_changed()
        _announce(page_id, revisions, hidden=True)
        for revision in sorted(revisions, key=lambda r: r.number):
            ModerationLog.record(moderator, ModerationLog.Action.HIDE, revision, reason)
        if restore is None:
            return None
        hidden = ("revision {} was" if len(numbers) == 1 else "revisions {} were").format(
            _numbers(numbers)
        )
        return save_page(
            page=page,
            data=restore.snapshot,
            author=moderator,
            summary=f"Restored revision {restore.number}: {hidden} hidden",
        )


def _announce(page_id: int, revisions: list[Revision], *, hidden: bool) -> None:
    """Tell the apps built on the engine (the API's change feed) once the change commits."""
    revisions = sorted(revisions, key=lambda r: r.number)
    transaction.on_commit(
        partial(
            revisions_hidden.send, Revision, page_id=page_id, revisions=revisions, hidden=hidden
        )
    )


def _numbers(numbers: list[int]) -> str:
    """[2] → "2"; [2, 3, 5] → "2, 3 and 5"."""
    text = [str(number) for number in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} and {text[-1]}"


def unhide_revision(*, revision: Revision, moderator, reason: str = "") -> None:
    Revision.objects.filter(pk=revision.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")
    content_changed()
    _announce(revision.page_id, [revision], hidden=False)
    ModerationLog.record(moderator, ModerationLog.Action.UNHIDE, revision, reason)


def moderator_revert(*, page: WikiPage, number: int, moderator, reason: str) -> SaveOutcome:
    outcome = revert_page(page=page, number=number, author=moderator)
    ModerationLog.record(
        moderator, ModerationLog.Action.REVERT, f"{page} to revision {number}", reason
    )
    return outcome
