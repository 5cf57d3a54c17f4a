"""Search, title suggestions, and what crawlers read: the sitemap and robots.txt."""

import math
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from heatwiki.accounts.ratelimit import within_rate
from heatwiki.pagecache.fragments import deferred, open_fragments
from heatwiki.wiki.kinds import kind_model, page_kinds
from heatwiki.wiki.layers import EVERYONE, Reading, cookie_layers, hidden_pages, reader_layers
from heatwiki.wiki.models import WikiPage
from heatwiki.wiki.titles import title_key

from .query import (
    COUNT_LIMIT,
    HIT_FIELDS,
    QUERY_MAX_LENGTH,
    Hit,
    Hits,
    clean_query,
    search,
)

RESULTS_PER_PAGE = 20
SUGGESTIONS = 8


class SearchResults:
    """The hits of a query for Django's Paginator, which asks for the total before the page.

    The total comes with the hits of ``page`` (the one the reader asked for) in one search,
    so that page is kept for when the Paginator slices it; any other page is searched anew.
    The total is counted up to COUNT_LIMIT: past that, the results page says "more than".
    """

    def __init__(self, query: str, page: str | None, reading: Reading = EVERYONE) -> None:
        self.query = query
        self.reading = reading
        try:
            number = int(page or 1)
        except ValueError:
            number = 1
        # No further than results are counted: the Paginator shows the last page past it.
        number = min(max(number, 1), math.ceil(COUNT_LIMIT / RESULTS_PER_PAGE))
        self.offset = (number - 1) * RESULTS_PER_PAGE
        self.found: Hits | None = None

    def count(self) -> int:
        if self.found is None:
            self.found = search(
                self.query, offset=self.offset, limit=RESULTS_PER_PAGE, reading=self.reading
            )
        return min(self.found.total, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.found is not None and self.found.total > COUNT_LIMIT

    def __getitem__(self, index: slice) -> list[Hit]:
        start, stop = index.start or 0, index.stop
        self.count()
        if start == self.offset:
            return self.found[: stop - start]
        return search(self.query, offset=start, limit=stop - start, reading=self.reading)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    context = {"query": query, "kinds": page_kinds()}
    if len(query) > QUERY_MAX_LENGTH:
        context["error"] = (
            f"Your search is {len(query)} characters long: searches can be at most "
            f"{QUERY_MAX_LENGTH} characters. Try fewer words."
        )
        return render(request, "search/results.html", context, status=400)
    if query:
        page_number = request.GET.get("page") or ""
        reading = reader_layers(request)
        # The results are the same for every reader of the same My Heat choice (part of the
        # fragments' key): searched once per change to the wiki.
        open_fragments(request, "search", query, page_number, query=["q", "page"])

        def results() -> dict:
            results = SearchResults(query, page_number, reading)
            page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(page_number)
            exact = WikiPage.objects.only(*HIT_FIELDS).filter(title_key=title_key(query)).first()
            if exact is not None and hidden_pages([exact], reading):
                exact = None
            return {
                "page_obj": page_obj,
                "hits": page_obj.object_list,
                "exact": exact,
                "exact_kind": kind_model(exact.page_kind)._meta.verbose_name if exact else "",
            }

        context.update(
            deferred(results, "page_obj", "hits", "exact", "exact_kind"),
            query_string=urlencode({"q": query}),
        )
    response = render(request, "search/results.html", context)
    if query:
        request.shared_fragments.save()
    return response


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Titles starting with (then containing) ``q``, with their kinds: public data only.

    ``kind=<namespace>`` keeps to one kind: the edit form's relation pickers search their
    table this way, and use each result's ``id`` as the value they submit."""
    # The client's address, also behind proxies (ALLAUTH_TRUSTED_PROXY_COUNT).
    address = get_adapter(request).get_client_ip(request)
    if not within_rate(f"suggest:{address}", settings.HEATWIKI_SUGGEST_RATE):
        return JsonResponse({"error": "Too many requests: wait a moment."}, status=429)
    key = title_key(clean_query(request.GET.get("q", "")))[:QUERY_MAX_LENGTH]
    if not key:
        return JsonResponse({"results": []})
    fields = ("id", "title", "slug", "page_kind")
    candidates = WikiPage.objects.all()
    kind = request.GET.get("kind", "")
    if kind:
        if kind not in {model.url_namespace for model in page_kinds()}:
            return JsonResponse({"error": f"No kind of page is called {kind!r}."}, status=400)
        candidates = candidates.filter(page_kind=kind)
    pages = list(
        candidates.filter(title_key__startswith=key)
        .only(*fields)
        .order_by("title_key", "pk")[:SUGGESTIONS]
    )
    if len(pages) < SUGGESTIONS:
        pages += (
            candidates.filter(title_key__contains=key)
            .exclude(pk__in=[p.pk for p in pages])
            .only(*fields)
            .order_by("title_key", "pk")[: SUGGESTIONS - len(pages)]
        )
    gone = hidden_pages(pages, cookie_layers(request))
    results = [
        {
            "id": str(page.pk),
            "title": page.title,
            "kind": page.page_kind,
            "kind_name": str(kind_model(page.page_kind)._meta.verbose_name),
            "url": page.get_absolute_url(),
        }
        for page in pages
        if page.pk not in gone
    ]
    return JsonResponse({"results": results})


# Everything but the pages themselves: old versions, edit forms, searches and accounts.
ROBOTS_DISALLOW = [
    "/*/history/",
    "/*/diff/",
    "/*/edit/",
    "/*/new/",
    "/*/revert/",
    "/*/links/",
    "/new/",
    "/search/",
    "/editor/",
    "/accounts/",
    "/admin/",
    "/recent-changes/",
    "/users/",
]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
