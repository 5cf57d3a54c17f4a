"""Parts of pages rendered once per content generation and shared by every reader.

Signed-in readers get their own page (their name in the header, their Edit and Watch
controls, forms with their CSRF token), but most of what they read is the same for everyone:
a page's body, infobox and relations, a history table, a list of changes. Those parts are
stored here under the content generation, so they are rendered once per change to the wiki,
not once per view, and assembled with each reader's own parts around them.

A view opens a scope with :func:`open_fragments` (what the page is: ``("page", "scenes",
slug)``), and its templates mark the shared parts with ``{% shared "name" %} … {% endshared
%}`` (``{% load fragments %}``). One cache read serves every fragment of the view, and the
view may keep a few values beside them (``extra``: the page row, say) so that a view served
from the cache reads nothing else of the content from the database.

A fragment's key is the generation, the scope, the host and scheme (fragments carry absolute
addresses), and :func:`heatwiki.pagecache.variants.variant` (a reader's choices that change
what pages show), exactly as a stored page's key is. Nothing of one reader may be rendered in
a fragment: fragments are rendered without the CSRF token and without messages, and what
differs between kinds of readers (moderators see hidden revisions) goes into the fragment's
own key, as an argument of the tag.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, QueryDict
from django.utils.functional import SimpleLazyObject

from .invalidation import current_generation
from .variants import variant

CACHE_ALIAS = "pages"
_MISSING = object()


class Fragments:
    """The shared parts of one view for one generation: what was stored, what was rendered."""

    def __init__(self, key: str | None, stored: dict | None) -> None:
        self.key = key
        self.stored = stored
        self.rendered: dict[str, str] = {}
        self.extra: dict[str, Any] = dict(stored["extra"]) if stored else {}

    @property
    def hit(self) -> bool:
        """Whether the view's fragments were in the cache (all of them, when last stored)."""
        return self.stored is not None

    def get(self, name: str) -> str | None:
        if self.stored is None:
            return None
        return self.stored["fragments"].get(name)

    def put(self, name: str, html: str) -> None:
        self.rendered[name] = html

    def save(self, **extra: Any) -> None:
        """Store what this view rendered (and ``extra``), for every reader of this generation.

        Fragments found in the cache and fragments rendered now are stored together, so a
        template that gained a fragment since fills the entry in rather than starting over.
        """
        if self.key is None or not (self.rendered or extra):
            return
        fragments = dict(self.stored["fragments"]) if self.stored else {}
        fragments.update(self.rendered)
        value = {"fragments": fragments, "extra": {**self.extra, **extra}}
        caches[CACHE_ALIAS].set(self.key, value, settings.HEATWIKI_PAGE_CACHE_SECONDS)
        self.stored, self.rendered = value, {}


def generation(request: HttpRequest) -> int | None:
    """The content generation, read once per request (None when the database is away)."""
    found = getattr(request, "_content_generation", _MISSING)
    if found is _MISSING:
        try:
            found = current_generation()
        except DatabaseError:
            found = None
        request._content_generation = found
    return found


def known_generation(request: HttpRequest) -> int | None:
    """The generation if this request has read it already (for its fragments or the page
    cache), else None: for what is worth caching only when the read is paid for anyway."""
    found = getattr(request, "_content_generation", None)
    return found if isinstance(found, int) else None


def fragment_key(request: HttpRequest, scope: tuple) -> str | None:
    """The cache key of a view's fragments for this reader's variant, or None to not share."""
    current = generation(request)
    if current is None:
        return None
    # The host and scheme: fragments hold absolute addresses (link previews, JSON-LD).
    parts = [request.scheme, request.get_host(), variant(request), *map(str, scope)]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"fragment:{current}:{digest}"


def open_fragments(request: HttpRequest, *scope: object, query: Iterable[str] = ()) -> Fragments:
    """The shared fragments of the view ``scope`` names, for the ``{% shared %}`` tags.

    Reads the generation (one query) and the cache (one read); the view renders its template
    as usual and calls :meth:`Fragments.save` after. ``query`` names the parameters the view
    reads (their values must be in ``scope``): the page's address in shared parts (its link
    previews) keeps those alone, so nobody's own parameters are stored for everyone.
    """
    kept = QueryDict(mutable=True)
    for name in [name for name in request.GET if name in set(query)]:
        kept.setlist(name, request.GET.getlist(name))
    address = request.path + (f"?{kept.urlencode()}" if kept else "")
    request.shared_url = request.build_absolute_uri(address)
    key = fragment_key(request, (*scope, request.path))
    stored = caches[CACHE_ALIAS].get(key) if key else None
    fragments = Fragments(key, stored if isinstance(stored, dict) else None)
    request.shared_fragments = fragments
    return fragments


def deferred(compute: Callable[[], dict[str, Any]], *names: str) -> dict[str, Any]:
    """Context values computed only when something reads them: when every fragment that shows
    them comes from the cache, their queries are never run.

    Each name becomes a :class:`Deferred` value; the first one read runs ``compute`` once for
    all of them.
    """
    values: dict[str, Any] = {}

    def getter(name: str) -> Callable[[], Any]:
        def get() -> Any:
            if not values:
                values.update(compute())
            return values[name]

        return get

    return {name: Deferred(getter(name)) for name in names}


class Deferred(SimpleLazyObject):
    """A value computed when first read. Templates call it, and so work on the value itself
    (``date``, ``pluralize`` … need a real date or number); Python code reads it through the
    proxy."""

    def __call__(self) -> Any:
        return self._setupfunc()
