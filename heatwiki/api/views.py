"""The read API's views, shared by every page kind as the site's views are: URL patterns pass
the kind's model in (see ``urls``)."""

import difflib

from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers as drf
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView, RetrieveAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heatwiki.wiki.changes import filtered_changes
from heatwiki.wiki.describe import describe_many
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.snapshot import m2m_fields, owned_relations, scalar_fields

from . import access
from .models import Change
from .pagination import (
    BIGINT_MAX,
    ApiCursorPagination,
    NewestFirstPagination,
    RevisionCursorPagination,
)
from .renderers import NDJSONRenderer
from .schema import ErrorSerializer
from .serializers import (
    LICENSE,
    ChangeSerializer,
    DiffSerializer,
    RecentChangeSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    absolute,
    page_serializer,
)

# The largest number a revision can have: the top of a PositiveIntegerField in every database.
REVISION_NUMBER_MAX = 2**31 - 1
CHANGES_PAGE_SIZE = 100
CHANGES_MAX = 1000
NDJSON_MAX = 10_000

HIDDEN = {
    403: OpenApiResponse(ErrorSerializer, description="The revision was hidden by a moderator.")
}


def whole(low: int, high: int) -> dict:
    """A parameter's schema: a whole number in a range (outside it is a 400)."""
    return {"type": "integer", "minimum": low, "maximum": high}


def _whole_number(value: str | None, name: str, *, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    # Python refuses to read numbers of thousands of digits: those are out of range too.
    if not value.isdecimal() or len(value) > 20 or not low <= int(value) <= high:
        raise ParseError(f"{name} is a whole number from {low} to {high}.")
    return int(value)


# Pages of each kind -------------------------------------------------------------------------


def _link_fields(model: type[WikiPage]) -> list[str]:
    return [f.name for f in scalar_fields(model) if f.is_relation]


def _with_revision(queryset):
    # The current revision's number only: its snapshot and rendered body stay in the database.
    return queryset.annotate(revision_number=F("current_revision__number"))


class KindView(GenericAPIView):
    """A view of one page kind; ``model`` is given by the URL pattern."""

    model: type[WikiPage] = WikiPage

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "sees_hidden": access.sees_hidden(self.request)}


class PageList(KindView, ListAPIView):
    """Every page of the kind, oldest first, with its own fields; by cursor."""

    pagination_class = ApiCursorPagination

    def get_serializer_class(self):
        return page_serializer(self.model, detail=False)

    def get_queryset(self):
        pages = access.pages(self.model).select_related(*_link_fields(self.model))
        return _with_revision(pages).defer("body", "body_html")


class PageDetail(KindView, RetrieveAPIView):
    """One page: its fields, relations and owned rows, the Markdown body and its HTML."""

    lookup_field = "slug"

    def get_serializer_class(self):
        return page_serializer(self.model, detail=True)

    def get_queryset(self):
        model = self.model
        prefetches = [
            Prefetch(f.name, queryset=f.related_model._default_manager.all())
            for f in m2m_fields(model)
        ]
        for name, row_model, row_fields in owned_relations(model):
            links = [f.name for f in row_fields if f.is_relation]
            prefetches.append(
                Prefetch(name, queryset=row_model._default_manager.select_related(*links))
            )
        pages = access.pages(model).select_related(*_link_fields(model))
        return _with_revision(pages).prefetch_related(*prefetches)


# Revisions ----------------------------------------------------------------------------------


def _page(model: type[WikiPage], slug: str) -> WikiPage:
    fields = ("id", "page_kind", "title", "slug", "current_revision")
    return get_object_or_404(access.pages(model).only(*fields), slug=slug)


class RevisionList(KindView, ListAPIView):
    """The page's revisions, newest first; hidden ones without their title and summary."""

    serializer_class = RevisionSerializer
    pagination_class = RevisionCursorPagination

    def get_queryset(self):
        # The page is looked up when the list is asked for (the schema asks for the model).
        page = getattr(self, "page", None)
        revisions = access.revisions_of(page) if page else Revision.objects.none()
        return revisions.select_related("author").defer("snapshot", "body_html")

    def list(self, request, *args, **kwargs):
        self.page = _page(self.model, self.kwargs["slug"])
        revisions = self.paginate_queryset(self.get_queryset())
        for revision in revisions:
            revision.page = self.page
        return self.get_paginated_response(self.get_serializer(revisions, many=True).data)


def _revision_number(value: str | int) -> int:
    number = int(value)
    if not 1 <= number <= REVISION_NUMBER_MAX:
        raise Http404
    return number


class RevisionDetail(KindView, RetrieveAPIView):
    serializer_class = RevisionDetailSerializer

    @extend_schema(responses={200: RevisionDetailSerializer, **HIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Revision:
        page = _page(self.model, self.kwargs["slug"])
        revision = get_object_or_404(
            access.revisions_of(page).select_related("author"),
            number=_revision_number(self.kwargs["number"]),
        )
        revision.page = page
        if access.withheld(self.request, revision):
            raise PermissionDenied("This revision was hidden by a moderator.")
        return revision


class RevisionDiff(KindView):
    """Two revisions compared field by field; the body as a unified line diff."""

    serializer_class = DiffSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("from", whole(1, REVISION_NUMBER_MAX), description="Default: to − 1."),
            OpenApiParameter(
                "to", whole(1, REVISION_NUMBER_MAX), description="Default: the latest."
            ),
        ],
        responses={200: DiffSerializer, **HIDDEN},
    )
    def get(self, request: Request, slug: str) -> Response:
        page = _page(self.model, slug)
        latest = page.current_revision.number if page.current_revision_id else 1
        high = REVISION_NUMBER_MAX
        to_number = _whole_number(
            request.query_params.get("to"), "to", default=latest, low=1, high=high
        )
        from_default = max(to_number - 1, 1)
        from_number = _whole_number(
            request.query_params.get("from"), "from", default=from_default, low=1, high=high
        )
        found = {
            r.number: r
            for r in access.revisions_of(page).filter(number__in=[from_number, to_number])
        }
        for number in (from_number, to_number):
            if number not in found:
                raise Http404(f"{page.title} has no revision {number}.")
        old, new = found[from_number], found[to_number]
        if access.withheld(request, old) or access.withheld(request, new):
            raise PermissionDenied("This revision was hidden by a moderator.")
        data = {
            "from_revision": from_number,
            "to_revision": to_number,
            "changes": field_changes(self.model, old.snapshot, new.snapshot),
        }
        return Response(DiffSerializer(data).data)


def field_changes(model: type[WikiPage], old: dict, new: dict) -> list[dict]:
    changes = []
    for before, after in zip(*describe_many(model, [old, new]), strict=True):
        change = {"field": before.name, "label": before.label}
        if before.is_body:
            lines = difflib.unified_diff(
                before.text.splitlines(), after.text.splitlines(), lineterm="", n=3
            )
            change["diff"] = "\n".join(list(lines)[2:])
            if change["diff"]:
                changes.append(change)
        elif before.is_list:
            change["removed"] = [item for item in before.items if item not in after.items]
            change["added"] = [item for item in after.items if item not in before.items]
            if change["removed"] or change["added"]:
                changes.append(change)
        elif before.text != after.text:
            change["old"], change["new"] = before.text, after.text
            changes.append(change)
    return changes


# Pages by id, wherever they are now ---------------------------------------------------------


def _page_by_id(pk: int) -> WikiPage:
    if pk > BIGINT_MAX:
        raise Http404
    return get_object_or_404(access.all_pages().only("page_kind", "slug"), pk=pk)


class PageById(APIView):
    """The page with this id, wherever it is now: a redirect to its address in the API."""

    @extend_schema(responses={302: OpenApiResponse(description="To the page's address.")})
    def get(self, request: Request, pk: int):
        page = _page_by_id(pk)
        return redirect(reverse(f"api:{page.page_kind}-detail", kwargs={"slug": page.slug}))


class RevisionById(APIView):
    @extend_schema(responses={302: OpenApiResponse(description="To the revision's address.")})
    def get(self, request: Request, pk: int, number: int):
        page = _page_by_id(pk)
        url = reverse(
            f"api:{page.page_kind}-revision",
            kwargs={"slug": page.slug, "number": _revision_number(number)},
        )
        return redirect(url)


# Across the wiki ----------------------------------------------------------------------------


class RecentChanges(ListAPIView):
    """Every revision of every page, newest first (the site's recent changes)."""

    serializer_class = RecentChangeSerializer
    pagination_class = NewestFirstPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", str, enum=[m.url_namespace for m in page_kinds()], description="One kind."
            ),
            OpenApiParameter(
                "user", {"type": "string", "maxLength": 150}, description="One author's username."
            ),
            OpenApiParameter("hideminor", bool, description="Leave out minor edits."),
        ],
        responses={200: RecentChangeSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        params = request.query_params
        kinds = {model.url_namespace for model in page_kinds()}
        if params.get("kind", "") not in {"", *kinds}:
            raise ParseError(f"kind is one of {', '.join(sorted(kinds))}.")
        if params.get("hideminor", "") not in {"", "true", "false", "1", "0"}:
            raise ParseError("hideminor is true or false.")
        if len(params.get("user", "")) > 150:
            raise ParseError("user is a username: 150 characters at most.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Revisions of live pages only, as the site's recent changes.
        return filtered_changes(self.request.query_params)[0]


class ChangeFeed(APIView):
    """Every committed change in order, for mirroring the wiki by polling.

    Start with ``since=0``; each answer's ``next`` carries the cursor to poll with next, also
    when there is nothing new yet. Entries are creations, edits, moves (``old_slug``),
    deletions and revisions hidden or shown again; ``fields`` names what an edit changed.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", whole(0, BIGINT_MAX), description="The cursor: entries after this id."
            ),
            OpenApiParameter("limit", whole(1, CHANGES_MAX), description="Default: 100."),
        ],
        responses={
            200: inline_serializer(
                "ChangePage",
                {
                    "results": ChangeSerializer(many=True),
                    "next": drf.URLField(help_text="Poll this next."),
                    "cursor": drf.IntegerField(help_text="The id of the last entry given."),
                    "has_more": drf.BooleanField(help_text="More entries wait already."),
                },
            ),
        },
    )
    def get(self, request: Request) -> Response:
        changes, cursor, has_more = _changes(request, default=CHANGES_PAGE_SIZE, high=CHANGES_MAX)
        context = _feed_context(request, changes)
        return Response(
            {
                "results": ChangeSerializer(changes, many=True, context=context).data,
                "next": absolute(request, f"{reverse('api:changes')}?since={cursor}"),
                "cursor": cursor,
                "has_more": has_more,
            }
        )


class ChangeFeedNDJSON(APIView):
    """The change feed for bulk reading: one JSON entry per line, up to 10,000 at a time.
    The last line's ``id`` is the cursor to go on from."""

    renderer_classes = [NDJSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", whole(0, BIGINT_MAX), description="The cursor: entries after this id."
            ),
            OpenApiParameter("limit", whole(1, NDJSON_MAX), description="Default: 10,000."),
        ],
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR},
    )
    def get(self, request: Request) -> Response:
        changes, _, _ = _changes(request, default=NDJSON_MAX, high=NDJSON_MAX)
        context = _feed_context(request, changes)
        lines = NDJSONRenderer().render(ChangeSerializer(changes, many=True, context=context).data)
        # Rendered here: DRF would drop the Content-Type of an empty body (nothing new yet).
        return HttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")

    def handle_exception(self, exc):
        # Errors are JSON, as everywhere in the API.
        self.request.accepted_renderer, self.request.accepted_media_type = (
            JSONRenderer(),
            JSONRenderer.media_type,
        )
        return super().handle_exception(exc)


def _feed_context(request: Request, changes: list[Change]) -> dict:
    """What the entries link to: each page's address now, in one query."""
    ids = {change.page_id for change in changes}
    pages = access.all_pages().filter(pk__in=ids).values_list("pk", "page_kind", "slug")
    return {
        "request": request,
        "sees_hidden": access.sees_hidden(request),
        "addresses": {pk: (kind, slug) for pk, kind, slug in pages} if ids else {},
    }


def _changes(request: Request, *, default: int, high: int) -> tuple[list[Change], int, bool]:
    params = request.query_params
    since = _whole_number(params.get("since"), "since", default=0, low=0, high=BIGINT_MAX)
    limit = _whole_number(params.get("limit"), "limit", default=default, low=1, high=high)
    changes = list(Change.objects.filter(id__gt=since).order_by("id")[: limit + 1])
    has_more = len(changes) > limit
    changes = changes[:limit]
    return changes, changes[-1].id if changes else since, has_more


class ApiRoot(APIView):
    """Where everything is: each kind's pages, the change feed, search, the schema."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        def url(name: str) -> str:
            return absolute(request, reverse(name))

        return Response(
            {
                "kinds": {
                    m.url_namespace: url(f"api:{m.url_namespace}-list") for m in page_kinds()
                },
                "changes": url("api:changes"),
                "recent_changes": url("api:recent-changes"),
                "search": url("api:search"),
                "schema": url("api-schema"),
                "docs": url("api-docs"),
                "dumps": url("dumps"),
                "license": LICENSE,
            }
        )
