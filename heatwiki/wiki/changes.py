"""Recent changes across every kind, and one person's contributions."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .kinds import page_kinds
from .layers import hidden_pages, reader_layers
from .models import Revision, RevisionQuerySet
from .paging import UncountedPaginator

CHANGES_PAGE_SIZE = 50
# Contributions count a user's edits up to here, then say "10000+": counting a prolific
# user's hundreds of thousands of edits would take longer than the rest of the page.
EDIT_COUNT_LIMIT = 10_000


def with_hidden_predecessor(revisions: RevisionQuerySet) -> RevisionQuerySet:
    """Mark revisions that follow a hidden one (``follows_hidden``): their diff with it is for
    moderators only, so lists link everyone else to the revision itself instead."""
    hidden_before = Revision.objects.filter(
        page=OuterRef("page"), number=OuterRef("number") - 1, hidden_at__isnull=False
    )
    return revisions.annotate(follows_hidden=Exists(hidden_before))


def filtered_changes(params) -> tuple[RevisionQuerySet, dict]:
    """Revisions newest first, filtered by the ``kind``, ``user`` and ``hideminor`` parameters."""
    kinds = {model.url_namespace for model in page_kinds()}
    filters = {
        "kind": params.get("kind", "") if params.get("kind", "") in kinds else "",
        "user": params.get("user", "").strip()[:150],
        "hideminor": params.get("hideminor") in {"1", "on", "true"},
        "moves": params.get("moves") in {"1", "on", "true"},
    }
    revisions = with_hidden_predecessor(Revision.objects.for_list().of_live_pages())
    if filters["kind"]:
        revisions = revisions.filter(page__page_kind=filters["kind"])
    if filters["user"]:
        revisions = revisions.filter(author__username=filters["user"])
    if filters["hideminor"]:
        revisions = revisions.filter(minor=False)
    if filters["moves"]:
        # The move log: revisions that changed a page's title or address.
        revisions = revisions.exclude(moved_from_title="", moved_from_slug="")
    return revisions, filters


def _seen_only(request: HttpRequest, revisions: list) -> list:
    """The revisions of pages the reader sees: edits of a work they left out are not listed
    (its scenes' titles would tell them)."""
    gone = hidden_pages([revision.page for revision in revisions], reader_layers(request))
    return [revision for revision in revisions if revision.page_id not in gone]


def recent_changes(request: HttpRequest) -> HttpResponse:
    revisions, filters = filtered_changes(request.GET)
    page_obj = UncountedPaginator(revisions, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = _seen_only(request, list(page_obj.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page_obj,
        "revisions": page_obj.object_list,
        "filters": filters,
        "kinds": page_kinds(),
        "query": query.urlencode(),
    }
    return render(request, "wiki/recent_changes.html", context)


def contributions(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(get_user_model(), username=username)
    edits = Revision.objects.filter(author=person).order_by()
    edit_count = edits.values("pk")[: EDIT_COUNT_LIMIT + 1].count()
    revisions = with_hidden_predecessor(
        Revision.objects.for_list().of_live_pages().filter(author=person)
    )
    page_obj = UncountedPaginator(revisions, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = _seen_only(request, list(page_obj.object_list))
    context = {
        "person": person,
        "page_obj": page_obj,
        "revisions": page_obj.object_list,
        "edit_count": min(edit_count, EDIT_COUNT_LIMIT),
        "more_edits": edit_count > EDIT_COUNT_LIMIT,
    }
    return render(request, "wiki/contributions.html", context)
