"""The API's representations, built for each page kind from what the kind declares.

A kind's fields, relations and owned rows come from the engine's snapshot lists
(``scalar_fields``, ``m2m_fields``, ``owned_relations``), the same ones its edit form and
revisions are built from, so a new kind or field appears in the API (and its schema) by itself.
Links to other pages are their API addresses with an embedded summary.
"""

from functools import cache

from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.snapshot import m2m_fields, owned_relations, scalar_fields

from .access import withheld
from .models import Change

LICENSE = {
    "name": "CC BY-SA 4.0",
    "url": "https://creativecommons.org/licenses/by-sa/4.0/",
}
# Shown at the top of every page's representation rather than among its own fields.
ENVELOPE = {"title", "slug", "description", "body"}


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def page_api_url(request, kind: str, slug: str, view: str = "detail", **kwargs) -> str:
    return absolute(request, reverse(f"api:{kind}-{view}", kwargs={"slug": slug, **kwargs}))


class PageLinkSerializer(serializers.Serializer):
    """Another page, as links to it show it: enough to list it, and where to read it all."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(source="page_kind", read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The page in this API.")
    html_url = serializers.SerializerMethodField(help_text="The page on the site.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page: WikiPage) -> str:
        return page_api_url(self.context.get("request"), page.page_kind, page.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, page: WikiPage) -> str:
        return absolute(self.context.get("request"), page.get_absolute_url())


class RowRefSerializer(serializers.Serializer):
    """A related row that is not a page (a person's role): its id and name."""

    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


def _link_field(f: models.Field, **kwargs) -> serializers.Field:
    target = PageLinkSerializer if issubclass(f.related_model, WikiPage) else RowRefSerializer
    return target(read_only=True, help_text=str(f.help_text or f.verbose_name), **kwargs)


def _model_serializer(model: type[models.Model], names: list[str], name: str) -> type:
    """A read-only ModelSerializer of these fields; links to other rows as summaries."""
    attrs = {}
    for f in (model._meta.get_field(n) for n in names):
        if f.is_relation:
            attrs[f.name] = _link_field(f, allow_null=f.null)
        elif isinstance(f, models.URLField):
            # Empty when there is none: not a URI, which is what a URL field says it holds.
            attrs[f.name] = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    meta = type("Meta", (), {"model": model, "fields": names, "read_only_fields": names})
    return type(name, (serializers.ModelSerializer,), {**attrs, "Meta": meta})


@cache
def fields_serializer(model: type[WikiPage]) -> type:
    names = [f.name for f in scalar_fields(model) if f.name not in ENVELOPE]
    return _model_serializer(model, names, f"{model.__name__}Fields")


@cache
def relations_serializer(model: type[WikiPage]) -> type:
    attrs = {f.name: _link_field(f, many=True) for f in m2m_fields(model)}
    for name, row_model, row_fields in owned_relations(model):
        rows = _model_serializer(
            row_model, [f.name for f in row_fields], f"{row_model.__name__}Row"
        )
        attrs[name] = rows(many=True, read_only=True)
    return type(f"{model.__name__}Relations", (serializers.Serializer,), attrs)


class PageSerializer(PageLinkSerializer):
    description = serializers.CharField(read_only=True)
    revision = serializers.IntegerField(
        source="revision_number", read_only=True, allow_null=True, help_text="Current revision."
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PageDetailSerializer(PageSerializer):
    body = serializers.CharField(read_only=True, help_text="Markdown source.")
    body_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised.")
    revisions_url = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_revisions_url(self, page: WikiPage) -> str:
        return page_api_url(self.context.get("request"), page.page_kind, page.slug, "revisions")

    @extend_schema_field(
        {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}}}
    )
    def get_license(self, page: WikiPage) -> dict:
        return LICENSE


@cache
def page_serializer(model: type[WikiPage], *, detail: bool) -> type:
    """A kind's pages in lists (their own fields) or alone (with the body and relations)."""
    attrs = {"fields": fields_serializer(model)(source="*", read_only=True)}
    if detail:
        attrs["relations"] = relations_serializer(model)(source="*", read_only=True)
    name = f"{model.__name__}{'Page' if detail else 'ListItem'}"
    return type(name, (PageDetailSerializer if detail else PageSerializer,), attrs)


class RevisionSerializer(serializers.ModelSerializer):
    """A revision in a history. A hidden revision's title and summary are withheld (null)
    from everyone but moderators; its number, time, author and size are not."""

    author = serializers.CharField(source="author.username", read_only=True)
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)
    title = serializers.CharField(read_only=True, allow_null=True)
    summary = serializers.CharField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "number",
            "created_at",
            "author",
            "minor",
            "size",
            "size_change",
            "hidden",
            "title",
            "summary",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, revision: Revision) -> str:
        page = revision.page
        return page_api_url(
            self.context.get("request"),
            page.page_kind,
            page.slug,
            "revision",
            number=revision.number,
        )

    def to_representation(self, revision: Revision) -> dict:
        data = super().to_representation(revision)
        request = self.context.get("request")
        if request is not None and withheld(request, revision):
            data["title"] = data["summary"] = None
        return data


class RevisionDetailSerializer(RevisionSerializer):
    snapshot = serializers.JSONField(
        read_only=True,
        help_text="Every field and relation of the page in this revision, as stored: related "
        "pages and rows by id, owned rows as objects.",
    )
    body_html = serializers.CharField(read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "snapshot", "body_html"]
        read_only_fields = fields


class RecentChangeSerializer(RevisionSerializer):
    page = PageLinkSerializer(read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = ["page", *RevisionSerializer.Meta.fields]
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(required=False, help_text="A single value before (as shown).")
    new = serializers.CharField(required=False, help_text="A single value after (as shown).")
    removed = serializers.ListField(child=serializers.CharField(), required=False)
    added = serializers.ListField(child=serializers.CharField(), required=False)
    diff = serializers.CharField(required=False, help_text="The body: a unified line diff.")


class DiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField()
    to_revision = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


class ChangeSerializer(serializers.ModelSerializer):
    """One entry of the change feed. ``id`` is the cursor: pass it as ``since``."""

    kind = serializers.CharField(source="page_kind", read_only=True)
    revision = serializers.IntegerField(source="revision_number", read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True, allow_null=True)
    fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()
    revision_url = serializers.SerializerMethodField()

    class Meta:
        model = Change
        fields = [
            "id",
            "action",
            "kind",
            "page_id",
            "slug",
            "old_slug",
            "title",
            "revision",
            "hidden",
            "fields",
            "created_at",
            "url",
            "revision_url",
        ]
        read_only_fields = fields

    def _address(self, change: Change) -> tuple[str, str] | None:
        """Where the page is now (``addresses`` in the context: one query for a whole page of
        entries); None once it is deleted."""
        if change.action == Change.Action.DELETE:
            return None
        return self.context.get("addresses", {}).get(change.page_id)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, change: Change) -> str | None:
        """The page at its address now, wherever it has moved since; null once deleted."""
        address = self._address(change)
        return page_api_url(self.context.get("request"), *address) if address else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_revision_url(self, change: Change) -> str | None:
        address = self._address(change)
        if address is None or change.revision_number is None:
            return None
        return page_api_url(
            self.context.get("request"), *address, "revision", number=change.revision_number
        )

    def to_representation(self, change: Change) -> dict:
        data = super().to_representation(change)
        if change.hidden and not self.context.get("sees_hidden"):
            data["title"] = None
        return data
