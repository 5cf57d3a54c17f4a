"""Serving anonymous readers from rendered pages, with ETags for conditional GETs.

A page is stored under its full address and the content generation, so a change anywhere on
the wiki (a title shown in a relation, a link turning blue, a hidden revision) is a new key:
nothing has to know which pages showed what. Signed-in readers always get a fresh page with
their own controls, and their responses are never stored by anyone.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .invalidation import current_generation

View = Callable[..., HttpResponse]
CACHE_ALIAS = "pages"


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


def _key(request: HttpRequest, generation: int) -> str:
    # The host and scheme are part of the page: link previews carry absolute addresses.
    address = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
    return f"page:{generation}:{address}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A form's CSRF token belongs to one visitor's cookie.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def _for_readers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # Browsers and shared caches may keep the page but must ask again (a cheap 304) each time.
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def cached_for_readers(view: View) -> View:
    """Serve ``view`` to anonymous readers from the page cache; compute it for everyone else."""

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        generation = current_generation() if is_anonymous_reader(request) else None
        if generation is None:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
            return response
        key = _key(request, generation)
        etag = f'W/"{key.removeprefix("page:").replace(":", "-")}"'
        if not_modified := get_conditional_response(request, etag=etag):
            return _for_readers(not_modified, etag)
        page_cache = caches[CACHE_ALIAS]
        if stored := page_cache.get(key):
            content, headers = stored
            return _for_readers(HttpResponse(content, headers=headers), etag)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if not _storable(request, response):
            return response
        timeout = settings.HEATWIKI_PAGE_CACHE_SECONDS
        page_cache.set(key, (response.content, dict(response.items())), timeout)
        return _for_readers(response, etag)

    return serve
