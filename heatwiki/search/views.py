"""Search, title suggestions, and what crawlers read: the sitemap and robots.txt."""

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
from heatwiki.wiki.kinds import kind_model, page_kinds
from heatwiki.wiki.models import WikiPage, title_key

from .query import COUNT_LIMIT, QUERY_MAX_LENGTH, clean_query, count_matches, search

RESULTS_PER_PAGE = 20
SUGGESTIONS = 8


class SearchResults(list):
    """One page of hits that knows the total, so Django's Paginator can page through it.

    The total is counted up to COUNT_LIMIT: past that, the results page says "more than".
    """

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query
        self.total: int | None = None

    def count(self) -> int:
        if self.total is None:
            self.total = count_matches(self.query)
        return min(self.total, COUNT_LIMIT)

    @property
    def more_than_counted(self) -> bool:
        return self.count() < (self.total or 0)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start = index.start or 0
            return search(self.query, offset=start, limit=index.stop - start)
        return super().__getitem__(index)


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
        page_obj = Paginator(SearchResults(query), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        exact = WikiPage.objects.filter(title_key=title_key(query)).first()
        context.update(
            page_obj=page_obj,
            hits=page_obj.object_list,
            exact=exact,
            exact_kind=kind_model(exact.page_kind)._meta.verbose_name if exact else "",
            query_string=urlencode({"q": query}),
        )
    return render(request, "search/results.html", context)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Titles starting with (then containing) ``q``, with their kinds: public data only."""
    # The client's address, also behind proxies (ALLAUTH_TRUSTED_PROXY_COUNT).
    address = get_adapter(request).get_client_ip(request)
    if not within_rate(f"suggest:{address}", settings.HEATWIKI_SUGGEST_RATE):
        return JsonResponse({"error": "Too many requests: wait a moment."}, status=429)
    key = title_key(clean_query(request.GET.get("q", "")))[:QUERY_MAX_LENGTH]
    if not key:
        return JsonResponse({"results": []})
    fields = ("id", "title", "slug", "page_kind")
    pages = list(
        WikiPage.objects.filter(title_key__startswith=key)
        .only(*fields)
        .order_by("title_key", "pk")[:SUGGESTIONS]
    )
    if len(pages) < SUGGESTIONS:
        pages += (
            WikiPage.objects.filter(title_key__contains=key)
            .exclude(pk__in=[p.pk for p in pages])
            .only(*fields)
            .order_by("title_key", "pk")[: SUGGESTIONS - len(pages)]
        )
    results = [
        {
            "title": page.title,
            "kind": page.page_kind,
            "kind_name": str(kind_model(page.page_kind)._meta.verbose_name),
            "url": page.get_absolute_url(),
        }
        for page in pages
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
