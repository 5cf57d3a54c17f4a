"""What moderators do to pages and revisions: protect, hide, revert. Each is logged with why."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from heatwiki.accounts.models import ModerationLog
from heatwiki.pagecache.invalidation import content_changed

from .models import Revision, WikiPage
from .services import SaveOutcome, relink_pages_linking_to, revert_page, save_page
from .signals import page_deleted, page_undeleted, revisions_hidden


def protection_refusal(page: WikiPage, until: datetime | None, *, shorten: bool) -> str | None:
    """Why protecting the page until ``until`` would be a mistake, or None."""
    if page.is_protected and not shorten:
        current = page.protected_until
        if current is None and until is not None or (current and until and until < current):
            ends = f"until {current:%-d %B %Y}" if current else "with no end"
            return (
                f"The page is protected already, {ends}: this would end its protection sooner. "
                "Tick “Shorten the protection” if that is what you mean."
            )
    return None


def protect_page(*, page: WikiPage, moderator, reason: str, until: datetime | None = None) -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=timezone.now(),
        protected_by=moderator,
        protection_reason=reason[:300],
        protected_until=until,
    )
    content_changed()
    ModerationLog.record(moderator, ModerationLog.Action.PROTECT, page, reason)


def unprotect_page(*, page: WikiPage, moderator, reason: str = "") -> None:
    WikiPage.objects.filter(pk=page.pk).update(
        protected_at=None, protected_by=None, protection_reason="", protected_until=None
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
        # A move right after a hidden revision would name its title: it no longer does.
        Revision.objects.filter(page_id=page_id, number__in=[n + 1 for n in numbers]).exclude(
            moved_from_title="", moved_from_slug=""
        ).update(moved_from_title="(a hidden title)", moved_from_slug="")
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


def _names(page: WikiPage) -> set[str]:
    """Every title links may reach the page by: its own and its old ones."""
    return {
        page.title_key,
        *page.redirects.exclude(title_key="").values_list("title_key", flat=True),
    }


def delete_page(*, page: WikiPage, moderator, reason: str) -> None:
    """Take the page off the wiki: it answers 410 with the reason, drops out of lists and
    search, and links to it turn red. Its row and every revision stay, for undeletion."""
    with transaction.atomic():
        deleted = WikiPage.objects.filter(pk=page.pk).update(
            deleted_at=timezone.now(), deleted_by=moderator, deletion_reason=reason[:300]
        )
        if not deleted:
            return
        content_changed()
        ModerationLog.record(moderator, ModerationLog.Action.DELETE, page, reason)
        _after_commit(page, page_deleted)


def undelete_page(*, page: WikiPage, moderator, reason: str = "") -> None:
    """Put a deleted page back exactly as it was, history and all."""
    with transaction.atomic():
        restored = WikiPage._base_manager.filter(pk=page.pk, deleted_at__isnull=False).update(
            deleted_at=None, deleted_by=None, deletion_reason=""
        )
        if not restored:
            return
        content_changed()
        ModerationLog.record(moderator, ModerationLog.Action.UNDELETE, page, reason)
        _after_commit(page, page_undeleted)


def _after_commit(page: WikiPage, signal) -> None:
    # Links to the page turn red (or blue again) everywhere, and the apps built on the engine
    # hear of it (search drops or restores the page's document).
    transaction.on_commit(partial(relink_pages_linking_to, _names(page)), robust=True)
    transaction.on_commit(partial(signal.send, type(page), page=page), robust=True)


def rollback_edits(*, author, since: datetime, moderator, reason: str) -> list[SaveOutcome]:
    """Take back ``author``'s edits since ``since``, one new revision per page: on each page,
    their latest run of consecutive revisions is undone as one change, merged with whatever
    others saved after it (overlaps come back as conflicts and leave that page alone)."""
    pages = (
        Revision.objects.filter(author=author, created_at__gte=since, page__deleted_at__isnull=True)
        .values_list("page_id", flat=True)
        .distinct()
    )
    outcomes = []
    for page_id in sorted(set(pages)):
        numbered = list(
            Revision.objects.filter(page_id=page_id)
            .order_by("-number")
            .values_list("number", "author_id", "created_at")
        )
        last = next(i for i, (_, who, _) in enumerate(numbered) if who == author.pk)
        first = last
        while (
            first + 1 < len(numbered)
            and numbered[first + 1][1] == author.pk
            and numbered[first + 1][2] >= since
        ):
            first += 1
        if first + 1 >= len(numbered):
            continue  # the author made the page: nothing before their edits to go back to
        page = WikiPage.objects.get(pk=page_id)
        before = page.revisions.get(number=numbered[first + 1][0])
        run = (
            f"{numbered[last][0]}" if first == last else f"{numbered[first][0]}–{numbered[last][0]}"
        )
        outcome = save_page(
            page=page,
            data=before.snapshot,
            author=moderator,
            summary=f"Rolled back {author.username}'s edits (revisions {run}): {reason}"[:300],
            base_revision=numbered[last][0],
        )
        outcomes.append(outcome)
    ModerationLog.record(
        moderator,
        ModerationLog.Action.ROLLBACK,
        f"{author.username} since {since:%Y-%m-%d %H:%M}",
        reason,
    )
    return outcomes
