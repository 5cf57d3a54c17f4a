"""Blocking and unblocking accounts."""

from datetime import datetime

from django.utils import timezone

from heatwiki.pagecache.invalidation import content_changed

from .models import Block, ModerationLog


def active_block(user) -> Block | None:
    """The block in force on this account, if any."""
    if not user.is_authenticated:
        return None
    return Block.objects.active().filter(user=user).order_by("-created_at").first()


def block_message(block: Block) -> str:
    until = (
        f"until {block.expires_at:%-d %B %Y, %H:%M} UTC" if block.expires_at else "with no end date"
    )
    return f"Your account is blocked from editing {until}. Reason: {block.reason}"


def block_refusal(user, moderator) -> str | None:
    """Why this block would be a mistake, or None: nobody blocks themself, superusers are
    never blocked, and only a superuser may block a staff account (another moderator)."""
    if user.pk == moderator.pk:
        return "You cannot block yourself."
    if user.is_superuser:
        return "Superusers cannot be blocked."
    if user.is_staff and not moderator.is_superuser:
        return f"{user.username} is a moderator: only a superuser may block a moderator."
    if active_block(user) is not None:
        return f"{user.username} is blocked already: lift that block first to change it."
    return None


def block_account(*, user, moderator, reason: str, expires_at: datetime | None = None) -> Block:
    block = Block.objects.create(
        user=user, reason=reason[:300], expires_at=expires_at, blocked_by=moderator
    )
    content_changed()
    ModerationLog.record(moderator, ModerationLog.Action.BLOCK, user.username, reason)
    return block


def lift_block(*, block: Block, moderator, reason: str = "") -> bool:
    """Lift ``block``; False (and nothing logged) when it had been lifted already."""
    lifted = Block.objects.filter(pk=block.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=moderator
    )
    if lifted:
        content_changed()
        ModerationLog.record(moderator, ModerationLog.Action.UNBLOCK, block.user.username, reason)
    return bool(lifted)
