"""The change feed's rows and the readers' API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class ChangeAction(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    MOVE = "move", "Moved (new address)"
    DELETE = "delete", "Deleted"
    UNDELETE = "undelete", "Undeleted (back, with its history)"
    HIDE = "hide", "Revision hidden"
    UNHIDE = "unhide", "Revision shown again"


class Change(models.Model):
    """One committed change to the wiki, in the order the feed gives them.

    The id is the feed's cursor: it only grows, and it lives in the database, so a consumer's
    position survives restarts of the site and of the consumer. Rows name the page by id, kind
    and address rather than by a foreign key: a deleted page's changes stay in the feed.
    """

    Action = ChangeAction

    id = models.BigAutoField(primary_key=True)
    action = models.CharField(max_length=10, choices=ChangeAction)
    page_id = models.BigIntegerField(db_index=True)
    page_kind = models.CharField(max_length=20)
    slug = models.CharField(max_length=200, help_text="The page's address after the change.")
    old_slug = models.CharField(max_length=200, blank=True, help_text="Before a move.")
    title = models.CharField(max_length=200, blank=True, help_text="The revision's title.")
    # The revision the change made (or hid, or showed again).
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    # Whether that revision is hidden now: its title is then withheld, as on the site.
    hidden = models.BooleanField(default=False)
    fields = models.JSONField(default=list, blank=True, help_text="The fields that changed.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.page_kind}/{self.slug}"


TOKEN_PREFIX = "hw_"


def hash_token(key: str) -> str:
    """Tokens are long random strings, so one round of SHA-256 is as good as a password hash
    and cheap enough for every request."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the read API: higher rate limits, read access only.

    Only its hash is stored; the token itself is shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """A new token and its key, which is not kept anywhere: show it once."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=hash_token(key)
        )
        return token, key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
