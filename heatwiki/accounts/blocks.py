"""Blocking and unblocking accounts."""

from datetime import datetime

from django.utils import timezone

from heatwiki.pagecache.invalidation import content_changed

from .models import Block, ModerationLog


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
