"""What moderators do to pages and revisions: protect, hide, revert. Each is logged with why."""

from django.db import transaction
from django.utils import timezone

from heatwiki.accounts.models import ModerationLog

from .models import Revision, WikiPage
from .services import SaveOutcome, revert_page, save_page


def protect_page(*, page: WikiPage, moderator, reason: str) -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=timezone.now(), protected_by=moderator, protection_reason=reason[:300]
    )
    ModerationLog.record(moderator, ModerationLog.Action.PROTECT, page, reason)


def unprotect_page(*, page: WikiPage, moderator, reason: str = "") -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=None, protected_by=None, protection_reason=""
    )
    ModerationLog.record(moderator, ModerationLog.Action.UNPROTECT, page, reason)


class CannotHide(Exception):
    """The revision is the page's only visible content."""


def hide_revision(*, revision: Revision, moderator, reason: str) -> SaveOutcome | None:
    """Hide a revision's content, title and summary from everyone but moderators.

    When it is the page's current revision, the page goes back to the newest visible one (a
    new revision by the moderator), so current content never comes from hidden text.
    """
    with transaction.atomic():
        page = revision.page
        restore = None
        if page.current_revision_id == revision.pk:
            restore = (
                page.revisions.filter(hidden_at__isnull=True)
                .exclude(pk=revision.pk)
                .order_by("-number")
                .first()
            )
            if restore is None:
                raise CannotHide(
                    f"Revision {revision.number} is the only visible content of “{page}”: "
                    "nothing to go back to."
                )
        Revision.objects.filter(pk=revision.pk).update(
            hidden_at=timezone.now(), hidden_by=moderator, hidden_reason=reason[:300]
        )
        ModerationLog.record(moderator, ModerationLog.Action.HIDE, revision, reason)
        if restore is None:
            return None
        return save_page(
            page=page,
            data=restore.snapshot,
            author=moderator,
            summary=f"Restored revision {restore.number}: revision {revision.number} was hidden",
        )


def unhide_revision(*, revision: Revision, moderator, reason: str = "") -> None:
    Revision.objects.filter(pk=revision.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")
    ModerationLog.record(moderator, ModerationLog.Action.UNHIDE, revision, reason)


def moderator_revert(*, page: WikiPage, number: int, moderator, reason: str) -> SaveOutcome:
    outcome = revert_page(page=page, number=number, author=moderator)
    ModerationLog.record(
        moderator, ModerationLog.Action.REVERT, f"{page} to revision {number}", reason
    )
    return outcome
