"""The wiki engine's tables: every page kind's shared row, its revisions and its links.

Page kinds inherit from ``WikiPage`` (multi-table inheritance), so revisions, links, recent
changes and link resolution work across all kinds with one table and one query.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from .limits import validate_body_size
from .titles import title_key

web_url = URLValidator(schemes=["http", "https"])


def web_url_constraint(field: str, name: str) -> models.CheckConstraint:
    """Only empty or http(s) URLs reach the database, whichever path wrote them."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__startswith": "http://"})
        | Q(**{f"{field}__startswith": "https://"}),
        name=name,
    )


class LivePageManager(models.Manager):
    """Pages that are not deleted: every list, link, search and page view reads through it.

    A deleted page's row stays, with its revisions, for moderators and for undeletion; the
    base manager (``_base_manager``, which relations use too) still sees it.
    """

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class WikiPageQuerySet(models.QuerySet):
    """Page kinds override these to fetch what their pages show in a fixed number of queries."""

    @classmethod
    def as_manager(cls) -> models.Manager:
        """A kind's ``objects``: its QuerySet's verbs, over the pages not deleted."""
        return LivePageManager.from_queryset(cls)()

    def related_model(self, relation: str) -> type[models.Model]:
        """The model at the other end of one of the kind's relations, found through the model
        registry: kinds of other apps are reached this way, never by importing them."""
        return self.model._meta.get_field(relation).related_model

    def for_list(self) -> "WikiPageQuerySet":
        return self

    def page_prefetches(self) -> list[str | models.Prefetch]:
        """The relations a page of the kind shows, as ``prefetch_related`` lookups. An old
        revision's page fetches those its snapshot holds with the same querysets."""
        return []

    def for_page(self) -> "WikiPageQuerySet":
        # The infobox image comes in the page's own query, joined.
        related = ("image__upload",) if self.model.has_infobox_image else ()
        return self.select_related(*related).prefetch_related(*self.page_prefetches())

    def page_images(self, page: "WikiPage") -> dict:
        """Extra context about images a page of the kind shows (a gallery …): none here."""
        return {}

    def diff_images(self, old: dict, new: dict) -> dict:
        """The images two snapshots show, for a diff to put side by side: their infobox
        images' stored files, when they differ."""
        if not self.model.has_infobox_image:
            return {}
        # Read whenever either has one, changed or not: a diff costs the same queries either way.
        pages = FilePage._base_manager.select_related("upload").in_bulk(
            [pk for pk in (old.get("image"), new.get("image")) if pk]
        )
        if old.get("image") == new.get("image"):
            return {}
        before, after = pages.get(old.get("image")), pages.get(new.get("image"))
        return {
            "old": before.upload if before else None,
            "new": after.upload if after else None,
            "old_alt": before.alt_text if before else "",
            "new_alt": after.alt_text if after else "",
        }

    def gallery(self, page: "WikiPage", limit: int = 12) -> list:
        """File pages shown on the page (its infobox image, its body's images) or linking to
        it, newest first: one query. The file pages' ids come first, each by its own index
        (joining every file page to the links and then filtering read them all)."""
        ids = (
            WikiPage.objects.filter(pk=page.pk, image__isnull=False)
            .order_by()
            .values("image_id")
            .union(
                PageLink.objects.filter(source=page).values("target_id"),
                PageLink.objects.filter(target=page).values("source_id"),
            )
        )
        return list(
            FilePage.objects.filter(pk__in=ids)
            .select_related("upload")
            .order_by("-created_at")[:limit]
        )


class WikiPage(models.Model):
    """The row every page of every kind has.

    A kind subclasses it and sets ``url_namespace`` (its URL prefix and namespace, e.g.
    ``"scenes"``) and ``nav_order`` (its place in the navigation). ``link_order`` decides
    which kind a bare ``[[Title]]`` that several kinds share goes to (lowest first; the
    navigation order when unset). ``owned_rows`` names reverse relations whose rows belong
    to the page and are edited and versioned with it, with the fields that make up a row.
    The engine reads everything kind-specific from these class attributes: it never asks
    which kind a page is.
    """

    url_namespace: ClassVar[str] = ""
    nav_order: ClassVar[int] = 0
    link_order: ClassVar[int | None] = None
    owned_rows: ClassVar[dict[str, tuple[str, ...]]] = {}
    # The kind's own URLs under /<kind>/ beside the engine's (a URLconf module's dotted path,
    # included in the kind's namespace), and the slugs they take from its pages.
    extra_urls: ClassVar[str | None] = None
    reserved_slugs: ClassVar[frozenset[str]] = frozenset()
    # What link previews call the page (OpenGraph's og:type).
    og_type: ClassVar[str] = "website"
    # The URL name of an Atom feed of the kind's pages, offered on its list, if it has one.
    list_feed: ClassVar[str | None] = None
    # The work a page spoils, for spoiler layers (see layers.py): ("work", "any") for a
    # foreign key to it, ("works", "any" or "all") for several; None for a page of no layer.
    spoils: ClassVar[tuple[str, str] | None] = None
    # Whether the kind's pages have an infobox image (every kind but file pages themselves).
    has_infobox_image: ClassVar[bool] = True
    # Whether [[kind:name]] and ![alt](file:name) may name the kind's pages by their address
    # too, and whether such a link shows the page's image in place (file pages).
    links_by_slug: ClassVar[bool] = False
    embeds_in_text: ClassVar[bool] = False
    # A dotted path to the kind's edit form base, when it adds fields of its own (an upload).
    form_base: ClassVar[str | None] = None

    page_kind = models.CharField(max_length=20, editable=False, db_index=True)
    title = models.CharField(max_length=200)
    title_key = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(
        max_length=200,
        help_text="The page's address; made from the title when left empty.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown in lists and link previews."
    )
    body = models.TextField(blank=True, validators=[validate_body_size], help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    # The infobox image, part of every kind's content (and so of its snapshots and history).
    image = models.ForeignKey(
        "FilePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages_with_image",
        verbose_name="infobox image",
        help_text="A file page: pick one, or upload a new image below.",
    )
    current_revision = models.OneToOneField(
        "Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Protection: only moderators may edit or revert a protected page.
    protected_at = models.DateTimeField(null=True, blank=True, editable=False)
    protected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    protection_reason = models.CharField(max_length=300, blank=True, editable=False)
    protected_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Empty for protection without an end."
    )
    # Deletion: the page answers 410 and drops out of lists, links and search; its row and
    # revisions stay for moderators and for undeletion.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deletion_reason = models.CharField(max_length=300, blank=True, editable=False)

    objects = WikiPageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [
            ("moderate", "Can moderate: edit protected pages, protect, hide revisions, revert")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["page_kind", "slug"],
                name="wikipage_unique_slug",
                violation_error_message="Another page of this kind has this address.",
            ),
            models.UniqueConstraint(
                fields=["page_kind", "title_key"],
                name="wikipage_unique_title",
                violation_error_message="Another page of this kind has this title.",
            ),
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.page_kind:
            self.page_kind = self.url_namespace

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title_key = title_key(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.kind_url("detail")

    def structured_data(self) -> dict:
        """The page as schema.org sees it; kinds say what they are (Movie, Place …)."""
        data = {"@type": "Thing", "name": self.title}
        if self.description:
            data["description"] = self.description
        return data

    def clean(self) -> None:
        # Set here too, so that form validation checks the title constraint on the same key.
        self.title_key = title_key(self.title)

    @cached_property
    def relations(self) -> dict[str, list]:
        """The page's relations and owned rows, as its template shows them: for the current
        page those ``for_page()`` fetched, for an old revision those of its snapshot."""
        names = [f.name for f in self._meta.many_to_many] + list(self.owned_rows)
        return {name: list(getattr(self, name).all()) for name in names}

    @property
    def is_protected(self) -> bool:
        """Protected now: protection lapses by itself at its expiry."""
        if self.protected_at is None:
            return False
        return self.protected_until is None or self.protected_until > timezone.now()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def kind_url(self, name: str, **kwargs) -> str:
        """A URL of this page's engine views: "edit", "history", "links" …"""
        return reverse(f"{self.page_kind}:{name}", kwargs={"slug": self.slug, **kwargs})

    @classmethod
    def kind_label(cls) -> str:
        """The kind's name as the site shows it: "Scenes", "People", "News" …"""
        return str(cls._meta.verbose_name_plural).capitalize()


def page_ptr() -> models.OneToOneField:
    """The link from a kind's row to its WikiPage row, declared by every kind.

    Without a reverse accessor: Django's default (``wikipage.work`` …) would clash with kinds'
    own fields of the same name, such as a scene's ``work``.
    """
    return models.OneToOneField(
        WikiPage,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="+",
        db_column="page_id",
    )


class RevisionQuerySet(models.QuerySet):
    def of_live_pages(self) -> "RevisionQuerySet":
        """Revisions of pages that are not deleted: a deleted page's history is for moderators."""
        return self.filter(page__deleted_at__isnull=True)

    def for_list(self) -> "RevisionQuerySet":
        """What history, recent changes and contributions show, in one query."""
        return self.select_related("page", "author").defer(
            "snapshot", "body_html", "page__body", "page__body_html"
        )


class Revision(models.Model):
    """One saved state of a page: append-only, numbered 1, 2, 3 … per page.

    ``snapshot`` holds every field and every relation of the page as JSON, so any revision can
    be shown, compared and restored; ``body_html`` is its body rendered once, at save time.
    """

    # No index of its own: the (page, number) unique constraint's index serves lookups by page.
    # With both, PostgreSQL read all of a long history through this one to find two numbers.
    page = models.ForeignKey(
        WikiPage, on_delete=models.CASCADE, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300, blank=True)
    minor = models.BooleanField(default=False)
    title = models.CharField(max_length=200, help_text="The page's title in this revision.")
    size = models.PositiveIntegerField(help_text="Size of the body in bytes.")
    size_change = models.IntegerField(help_text="Bytes added (+) or removed (−) by this revision.")
    snapshot = models.JSONField()
    body_html = models.TextField(blank=True)
    # A hidden revision's content, title and summary are shown to moderators only.
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(max_length=300, blank=True, editable=False)
    # A move: the title and address the page had before this revision, when it changed them.
    moved_from_title = models.CharField(max_length=200, blank=True, editable=False)
    moved_from_slug = models.SlugField(max_length=200, blank=True, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="revision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="revision_recent"),
            # A user's contributions, newest first, in the list's own order: without the id
            # PostgreSQL sorted each of a prolific user's timestamps' ties again.
            models.Index(fields=["author", "-created_at", "-id"], name="revision_author_recent"),
            # Lists mark revisions that follow a hidden one; few are hidden, so without this
            # the check was a scan of every revision (a quarter second at a million).
            models.Index(
                fields=["page", "number"],
                condition=Q(hidden_at__isnull=False),
                name="revision_hidden",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, revision {self.number}"

    def get_absolute_url(self) -> str:
        return self.page.kind_url("revision", number=self.number)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_move(self) -> bool:
        return bool(self.moved_from_title or self.moved_from_slug)


class PageLink(models.Model):
    """A ``[[wiki link]]`` in a page's current body, and the page it resolves to, if any."""

    source = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="links_out")
    target_kind = models.CharField(
        max_length=20, blank=True, help_text="The kind named in [[kind:Title]]; empty for any."
    )
    target_key = models.CharField(max_length=200, db_index=True)
    target = models.ForeignKey(
        WikiPage, null=True, on_delete=models.SET_NULL, related_name="links_in"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_kind", "target_key"], name="pagelink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target_key}"


class PageRedirect(models.Model):
    """An old title or address of a moved page: ``/<kind>/<old-slug>/`` answers 301 and
    ``[[Old title]]`` resolves to the page. Always straight to the page, so never a chain."""

    page = models.ForeignKey(WikiPage, on_delete=models.CASCADE, related_name="redirects")
    page_kind = models.CharField(max_length=20)
    slug = models.SlugField(max_length=200, blank=True, help_text="An old address, or empty.")
    title_key = models.CharField(max_length=200, blank=True, help_text="An old title, or empty.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page_kind", "slug"],
                condition=~Q(slug=""),
                name="pageredirect_unique_slug",
            ),
            models.UniqueConstraint(
                fields=["page_kind", "title_key"],
                condition=~Q(title_key=""),
                name="pageredirect_unique_title",
            ),
        ]
        indexes = [models.Index(fields=["title_key"], name="pageredirect_title")]

    def __str__(self) -> str:
        return f"{self.page_kind}/{self.slug or self.title_key} → {self.page_id}"


class LayerChoice(models.Model):
    """A signed-in reader's "My Heat": the works they have seen or read (see layers.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="layer_choice"
    )
    # The canonical form: "all", "none" or work addresses joined by dots.
    seen = models.CharField(max_length=400)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.seen}"


class Licence(models.TextChoices):
    OWN_WORK = "own-cc-by-sa-4.0", "Own work, CC BY-SA 4.0"
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC0 = "cc0", "CC0 (no rights reserved)"
    PUBLIC_DOMAIN = "public-domain", "Public domain"
    FAIR_USE = "fair-use-screenshot", "Fair-use screenshot"


class StoredImage(models.Model):
    """One uploaded image as stored: the re-encoded original and its thumbnails.

    Never changed nor removed once stored, so its files are cached for good: a re-upload is a
    new row that a file page's next revision points at, and old revisions keep theirs.
    ``hidden_at`` is set while a hidden revision of the file page is the one that uploaded it:
    readers then get neither the files nor the image on pages, moderators still do.
    """

    key = models.CharField(max_length=32, unique=True, editable=False)
    format = models.CharField(max_length=4, editable=False, help_text="png or jpg")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # The thumbnail widths made (each in WebP and in the original's format), smallest first.
    widths = models.JSONField(default=list, editable=False)
    size = models.PositiveIntegerField(editable=False, help_text="The original's bytes.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The file page it was uploaded to (set once that page is saved).
    file_page = models.ForeignKey(
        "FilePage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="stored_images",
    )
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.width} × {self.height} {self.format.upper()} ({self.key[:8]})"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def storage_name(self, name: str) -> str:
        """Where one of its files is kept: ``original.png``, ``320.webp`` …"""
        return f"files/{self.key}/{name}"

    def url(self, name: str) -> str:
        return reverse("wiki:file-image", kwargs={"key": self.key, "name": name})

    @property
    def original_name(self) -> str:
        return f"original.{self.format}"

    def file_names(self) -> list[str]:
        return [
            self.original_name,
            *(f"{w}.{ext}" for w in self.widths for ext in ("webp", self.format)),
        ]


class FilePageQuerySet(WikiPageQuerySet):
    def for_list(self) -> "FilePageQuerySet":
        return self.select_related("upload")

    def for_page(self) -> "FilePageQuerySet":
        return super().for_page().select_related("upload")

    def page_images(self, page: "FilePage") -> dict:
        """Where the file is used: pages with it as their infobox image or in their text."""
        used_by = (
            WikiPage.objects.filter(Q(image=page) | Q(links_out__target=page))
            .distinct()
            .order_by("title")
            .only("title", "slug", "page_kind")[:200]
        )
        return {"used_by": list(used_by)}

    def diff_images(self, old: dict, new: dict) -> dict:
        """The stored images of two revisions of a file, when a re-upload changed it."""
        if old.get("upload") == new.get("upload"):
            return {}
        stored = StoredImage.objects.in_bulk([old.get("upload"), new.get("upload")])
        return {
            "old": stored.get(old.get("upload")),
            "new": stored.get(new.get("upload")),
            "old_alt": old.get("alt_text", ""),
            "new_alt": new.get("alt_text", ""),
        }


class FilePage(WikiPage):
    """An image as wiki content: the image, what it shows and who made it, under revision.

    ``upload`` is part of the content like any field, so a re-upload is a new revision, an old
    revision shows the image it had and reverting brings that image back.
    """

    page = page_ptr()
    url_namespace = "files"
    nav_order = 70
    og_type = "article"
    has_infobox_image = False
    links_by_slug = True
    embeds_in_text = True
    form_base = "heatwiki.wiki.files.FilePageForm"
    Licence = Licence

    upload = models.ForeignKey(
        StoredImage, on_delete=models.PROTECT, related_name="+", verbose_name="image"
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the image shows, for readers who cannot see it.",
    )
    caption = models.CharField(max_length=300, blank=True, help_text="Shown under the image.")
    credit = models.CharField(
        "author or credit", max_length=200, help_text="Who made the image, as they want it said."
    )
    source_url = models.URLField("source (URL)", max_length=500, blank=True, validators=[web_url])
    licence = models.CharField(max_length=30, choices=Licence)
    rationale = models.TextField(
        "fair-use rationale",
        blank=True,
        max_length=2000,
        help_text="For a fair-use screenshot: why HeatWiki may show it.",
    )

    objects = FilePageQuerySet.as_manager()

    class Meta:
        verbose_name = "file"
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(licence__in=Licence.values), name="filepage_licence_valid"
            ),
            models.CheckConstraint(
                condition=~Q(licence=Licence.FAIR_USE) | ~Q(rationale=""),
                name="filepage_fair_use_rationale",
                violation_error_message="A fair-use screenshot needs its rationale.",
            ),
            models.CheckConstraint(condition=~Q(alt_text=""), name="filepage_alt_text"),
            web_url_constraint("source_url", "filepage_source_url_web"),
        ]

    def structured_data(self) -> dict:
        return {**super().structured_data(), "@type": "ImageObject", "caption": self.caption}
