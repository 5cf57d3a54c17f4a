"""Blocks on accounts, and the record of what moderators did and why."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The group the site's moderators are in; what it may do is in its permissions (migrations).
MODERATORS_GROUP = "Moderators"


class BlockQuerySet(models.QuerySet):
    def active(self) -> "BlockQuerySet":
        """Blocks in force now: not lifted, and not past their expiry (which lapses by itself)."""
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class Block(models.Model):
    """An account may not edit, create, revert, preview or upload while a block is active."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    reason = models.CharField(max_length=300)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty for a block without an end."
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "lifted_at"], name="block_by_user")]

    def __str__(self) -> str:
        return f"{self.user} blocked: {self.reason}"

    @property
    def is_active(self) -> bool:
        if self.lifted_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class ModerationAction(models.TextChoices):
    PROTECT = "protect", "Protected a page"
    UNPROTECT = "unprotect", "Unprotected a page"
    HIDE = "hide", "Hid a revision"
    UNHIDE = "unhide", "Unhid a revision"
    REVERT = "revert", "Reverted a page"
    BLOCK = "block", "Blocked an account"
    UNBLOCK = "unblock", "Lifted a block"
    DELETE = "delete", "Deleted a page"
    UNDELETE = "undelete", "Undeleted a page"
    ROLLBACK = "rollback", "Rolled back an account's edits"


class ModerationLog(models.Model):
    """Who did what to which page, revision or account, and why. Written, never edited."""

    Action = ModerationAction

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_log"
    )
    action = models.CharField(max_length=20, choices=ModerationAction)
    target = models.CharField(max_length=300, help_text="The page, revision or account.")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"

    def __str__(self) -> str:
        return f"{self.moderator}: {self.get_action_display()} ({self.target})"

    @classmethod
    def record(cls, moderator, action: str, target: object, reason: str = "") -> "ModerationLog":
        return cls.objects.create(
            moderator=moderator, action=action, target=str(target)[:300], reason=reason[:300]
        )


class CacheEntry(models.Model):
    """A row of the cache all app servers and workers share when there is no Redis.

    Rate-limit counters (failed sign-ins, sign-ups, edits, uploads, suggestions) live in the
    cache; in each process's memory, every gunicorn worker would count on its own. This is the
    table of Django's database cache backend (settings.CACHES, without REDIS_URL), declared as
    a model so that the migrations create it. The backend reads and writes it in SQL itself.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "heatwiki_cache"
        verbose_name = "shared cache entry"
        verbose_name_plural = "shared cache entries"
        default_permissions = ()

    def __str__(self) -> str:
        return self.cache_key


class RateCounter(models.Model):
    """Hits on one rate limit (an account's saves, an address's suggestions …) in one window,
    counted by the database in one atomic statement (heatwiki.accounts.ratelimit), so every
    worker and app server adds to the same number. Used when there is no Redis."""

    key = models.CharField(max_length=255, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "heatwiki_rate_counter"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
