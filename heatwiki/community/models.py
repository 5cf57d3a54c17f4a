"""The community around the pages: watches, notifications, talk pages and thanks.

Nothing here is written by a page's save: watchers hear of a revision from a background job
(``tasks.fan_out_revision``), so an edit costs the same however many people watch the page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from heatwiki.wiki.models import Revision, WikiPage


class Watch(models.Model):
    """Someone following a page: every change (``whole_page``), or changes to some of its
    fields and relations (``fields``), or both. ``seen_number`` is the number of the page's
    revision they last read: later ones are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="+")
    whole_page = models.BooleanField(default=True)
    fields = models.JSONField(default=list, blank=True)
    seen_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="watch_unique")]
        indexes = [models.Index(fields=["page"], name="watch_page")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.page_id}"


class Delivery(models.TextChoices):
    SITE = "site", "On the site only"
    EMAIL = "email", "On the site and by e-mail at once"
    DIGEST = "digest", "On the site and in a daily e-mail digest"
    OFF = "off", "Off"


class Notification(models.Model):
    class Kind(models.TextChoices):
        PAGE_CHANGED = "page", "A page you watch changed"
        FIELD_CHANGED = "field", "A field you watch changed"
        TALK_REPLY = "reply", "A reply in a talk topic you follow"
        MENTION = "mention", "Someone mentioned you"
        THANKS = "thanks", "Someone thanked you for an edit"
        MODERATION = "moderation", "A moderator acted on your edit or account"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page = models.ForeignKey(WikiPage, null=True, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("TalkPost", null=True, on_delete=models.CASCADE, related_name="+")
    fields = models.JSONField(default=list, blank=True)
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=500)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.SITE)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail (immediate or digest) went out.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notification_recent"),
            # The bell: a user's unread ones, few, found without reading the rest.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notif_unread"),
            models.Index(
                fields=["delivery", "emailed_at"],
                condition=Q(delivery="digest", emailed_at__isnull=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Preferences(models.Model):
    """A user's choices; a user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_preferences"
    )
    watch_edits = models.BooleanField(
        "Watch pages I create or edit", default=True, help_text="Added to your watchlist."
    )
    page = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.SITE)
    field = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.SITE)
    reply = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    mention = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    thanks = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.SITE)
    moderation = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    def delivery(self, kind: str) -> str:
        return getattr(self, kind)


class TalkTopic(models.Model):
    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [models.Index(fields=["page", "-last_post_at"], name="talktopic_page")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class TalkPost(models.Model):
    """A topic's opening post or a reply (``parent``: the post it answers)."""

    topic = models.ForeignKey(TalkTopic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=20_000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Set by an edit after the edit window: the post shows as edited, with its versions.
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="talkpost_recent")]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        page = self.topic.page
        url = reverse(
            "community:topic",
            kwargs={"kind": page.page_kind, "slug": page.slug, "topic": self.topic_id},
        )
        return f"{url}#post-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class TalkPostVersion(models.Model):
    """What a post said before an edit made after its edit window."""

    post = models.ForeignKey(TalkPost, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(help_text="When this text was written.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Version of post {self.post_id}"


class TopicFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    topic = models.ForeignKey(TalkTopic, on_delete=models.CASCADE, related_name="follows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topicfollow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.topic_id}"


class Thanks(models.Model):
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "thanks"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["giver", "revision"], name="thanks_unique")]

    def __str__(self) -> str:
        return f"{self.giver} thanked for {self.revision_id}"
