"""Serving anonymous readers from rendered pages, with ETags for conditional GETs.

A page is stored under its full address and the content generation, so a change anywhere on
the wiki (a title shown in a relation, a link turning blue, a hidden revision) is a new key:
nothing has to know which pages showed what. Signed-in readers always get a fresh page with
their own controls, and their responses are never stored by anyone.

Views opt in with :func:`cached_for_readers`; :class:`PageCacheMiddleware` does the work. It
sits right after WhiteNoise, so a stored page is answered without loading a session, a user
or a CSRF token: faster than the bare view that the benchmark measures as its floor.
"""

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .invalidation import current_generation
from .variants import variant

View = Callable[..., HttpResponse]
CACHE_ALIAS = "pages"


def cached_for_readers(view: View, *, query: Iterable[str] = ()) -> View:
    """Mark ``view`` as the same for every anonymous reader, so its pages may be stored.

    ``query`` names the query parameters the view reads (``page``, ``kind`` …). For anonymous
    readers every other parameter is dropped before the view runs, and from the page's key: a
    stranger adding ``?utm=1``, ``?utm=2`` … gets the stored page, not a new entry each time.
    """

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(request, "page_cache_key"):
            request.page_cache_storable = True
        else:
            # Signed in (or a session or messages waiting): this reader's own page.
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        return response

    serve.cached_for_readers = True
    serve.page_cache_query = frozenset(query)
    return serve


def cached_match(request: HttpRequest) -> ResolverMatch | None:
    """The address's view, when it is marked ``cached_for_readers``.

    Resolved here, before the view: other addresses (the health check, search, sign-in) must
    not pay for reading the generation.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if getattr(match.func, "cached_for_readers", False) else None


def cached_view(request: HttpRequest) -> View | None:
    match = cached_match(request)
    return match.func if match else None


def declared_query(request: HttpRequest, names: frozenset[str]) -> QueryDict:
    """The request's parameters that the view reads (``names``), in the order given."""
    kept = QueryDict(mutable=True)
    for name in [name for name in request.GET if name in names]:
        kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    return kept


def keep_declared_query(request: HttpRequest, names: frozenset[str]) -> None:
    """Only the parameters the view reads, for the view and the key alike.

    The address the view sees (``get_full_path``, in the sign-in link) is rewritten too, so
    the stored page shows nothing of what was dropped.
    """
    if not request.META.get("QUERY_STRING"):
        return
    kept = declared_query(request, names)
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def is_anonymous_reader(request: HttpRequest) -> bool:
    """A GET with no session (so nobody is signed in) and no messages waiting to be shown.

    Decided from the cookies alone: looking at request.user would load the session.
    """
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


class PageCacheMiddleware:
    last_generation: int | None = None

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous_reader(request):
            return self.get_response(request)
        view = cached_view(request)
        if view is None:
            return self.get_response(request)
        keep_declared_query(request, view.page_cache_query)
        try:
            generation = current_generation()
            self.last_generation = generation
        except DatabaseError:
            # The database is away: pages stored under the last generation seen are served on,
            # and a page not stored meets the outage (a 503) when its view asks for the data.
            generation = self.last_generation
        if generation is None:
            return self.get_response(request)
        # The host and scheme are part of the page: link previews carry absolute addresses.
        # The reader's variant (what they chose to see) too: each variant is its own page.
        address = f"{request.build_absolute_uri()} {variant(request)}".encode()
        key = f"{generation}-{hashlib.blake2b(address, digest_size=16).hexdigest()}"
        etag = f'W/"{key}"'
        # Only a page served under this key carries this ETag, so it may be answered anywhere.
        if not_modified := get_conditional_response(request, etag=etag):
            return self._for_readers(not_modified, etag)
        # Looked up per request: each thread has its own cache connection.
        page_cache = caches[CACHE_ALIAS]
        if stored := page_cache.get(key):
            content, headers = stored
            return HttpResponse(content, headers=headers)
        request.page_cache_key = key
        # The view's shared fragments are keyed by the same generation: read once.
        request._content_generation = generation
        response = self.get_response(request)
        if getattr(request, "page_cache_storable", False) and self._storable(request, response):
            self._for_readers(response, etag)
            stored = (response.content, dict(response.items()))
            page_cache.set(key, stored, settings.HEATWIKI_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            # A session, a message or a CSRF cookie belongs to one visitor.
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _for_readers(response: HttpResponse, etag: str) -> HttpResponse:
        response["ETag"] = etag
        # Browsers and shared caches may keep the page but must ask again (a cheap 304) each
        # time.
        patch_cache_control(response, public=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response
