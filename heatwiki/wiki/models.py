"""What every wiki page kind shares: title, slug, Markdown body rendered once on save."""

from typing import ClassVar

from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .markdown import render_markdown

BODY_MAX_LENGTH = 100_000

web_url = URLValidator(schemes=["http", "https"])


def web_url_constraint(field: str, name: str) -> models.CheckConstraint:
    """Only empty or http(s) URLs reach the database, whichever path wrote them."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__startswith": "http://"})
        | Q(**{f"{field}__startswith": "https://"}),
        name=name,
    )


class WikiPageQuerySet(models.QuerySet):
    """Page kinds override these to fetch what their pages show in a fixed number of queries."""

    def for_list(self) -> "WikiPageQuerySet":
        return self

    def for_page(self) -> "WikiPageQuerySet":
        return self


class WikiPage(models.Model):
    """Abstract base of every page kind.

    A kind sets ``url_namespace`` (its URL prefix and namespace, e.g. ``"scenes"``) and
    ``nav_order`` (its place in the site navigation).
    """

    url_namespace: ClassVar[str]
    nav_order: ClassVar[int]

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown in lists and link previews."
    )
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text="Markdown.",
    )
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WikiPageQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Rendered here, once per save, so that a page view never runs the Markdown pipeline.
        self.body_html = render_markdown(self.body)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(f"{self.url_namespace}:detail", kwargs={"slug": self.slug})

    @classmethod
    def kind_label(cls) -> str:
        """The kind's name as the site shows it: "Scenes", "People", "News" …"""
        return str(cls._meta.verbose_name_plural).capitalize()
