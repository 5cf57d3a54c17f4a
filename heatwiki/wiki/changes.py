"""Recent changes across every kind, and one person's contributions."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from heatwiki.pagecache.fragments import deferred, generation, open_fragments

from .kinds import page_kinds
from .layers import hidden_pages, reader_layers
from .models import Revision, RevisionQuerySet
from .paging import UncountedPaginator
from .permissions import is_moderator

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


def change_filters(params) -> dict:
    """The ``kind``, ``user``, ``hideminor`` and ``moves`` parameters, as the list applies them."""
    kinds = {model.url_namespace for model in page_kinds()}
    return {
        "kind": params.get("kind", "") if params.get("kind", "") in kinds else "",
        "user": params.get("user", "").strip()[:150],
        "hideminor": params.get("hideminor") in {"1", "on", "true"},
        "moves": params.get("moves") in {"1", "on", "true"},
    }


def filtered_changes(params) -> tuple[RevisionQuerySet, dict]:
    """Revisions newest first, filtered by the ``kind``, ``user`` and ``hideminor`` parameters."""
    filters = change_filters(params)
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
    """Every edit to every page, newest first; the list is shared by every reader of the same
    standing (moderators see hidden revisions' summaries)."""
    # The filters alone: the revisions' query is built only when the list is rendered.
    filters = change_filters(request.GET)
    number = request.GET.get("page") or ""
    generation(request)  # first: the reader's account is then kept under it (accounts.readers)
    scope = ("recent-changes", sorted(filters.items()), number, is_moderator(request.user))
    open_fragments(request, *scope, query=["kind", "user", "hideminor", "moves", "page"])
    query = request.GET.copy()
    query.pop("page", None)

    def listed() -> dict:
        revisions, _ = filtered_changes(request.GET)
        page_obj = UncountedPaginator(revisions, CHANGES_PAGE_SIZE).get_page(number)
        page_obj.object_list = _seen_only(request, list(page_obj.object_list))
        return {"page_obj": page_obj, "revisions": page_obj.object_list}

    context = {
        **deferred(listed, "page_obj", "revisions"),
        "filters": filters,
        "kinds": page_kinds(),
        "query": query.urlencode(),
    }
    response = render(request, "wiki/recent_changes.html", context)
    request.shared_fragments.save()
    return response


def contributions(request: HttpRequest, username: str) -> HttpResponse:
    """One account's edits, newest first; shared like recent changes, but for the moderation
    tabs (which are not shown to the account itself)."""
    number = request.GET.get("page") or ""
    generation(request)  # first: the reader's account is then kept under it (accounts.readers)
    moderator = is_moderator(request.user)
    fragments = open_fragments(
        request, "contributions", username, number, moderator, query=["page"]
    )
    User = get_user_model()
    if stored := fragments.extra.get("person"):
        # Enough for the tabs: whose contributions these are.
        person = User(pk=stored[0], username=stored[1])
    else:
        person = get_object_or_404(User, username=username)

    def listed() -> dict:
        edits = Revision.objects.filter(author=person).order_by()
        edit_count = edits.values("pk")[: EDIT_COUNT_LIMIT + 1].count()
        revisions = with_hidden_predecessor(
            Revision.objects.for_list().of_live_pages().filter(author=person)
        )
        page_obj = UncountedPaginator(revisions, CHANGES_PAGE_SIZE).get_page(number)
        page_obj.object_list = _seen_only(request, list(page_obj.object_list))
        return {
            "page_obj": page_obj,
            "revisions": page_obj.object_list,
            "edit_count": min(edit_count, EDIT_COUNT_LIMIT),
            "more_edits": edit_count > EDIT_COUNT_LIMIT,
            "joined": person.date_joined,
        }

    names = ("page_obj", "revisions", "edit_count", "more_edits", "joined")
    context = {"person": person, **deferred(listed, *names)}
    response = render(request, "wiki/contributions.html", context)
    fragments.save(person=(person.pk, person.username))
    return response
