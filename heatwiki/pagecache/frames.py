"""Whole pages for signed-in readers, stored once per content generation with holes where each
reader's own parts go.

A signed-in reader's page differs from the next reader's in a few places only: their name and
bell in the header, the Edit tab (or why they may not edit), Watch, forms with their CSRF
token, messages. Templates mark those places ``{% own "name" [arg=value …] %} … {% endown
%}`` (``{% load fragments %}``). The first signed-in view of a page in a generation is rendered
as usual and stored as a *frame*: the page's text with a hole for each ``own`` block, and the
values each block was given. Every later view by a reader of the same standing (moderator or
not, staff or not) and variant renders the holes alone, in a fresh context with the request's
own values (user, CSRF token, messages), and joins them with the frame: no view, no content
query, no walk of the page's templates.

An ``own`` block reads the request's context (``user``, ``csrf_token``, ``community``,
``messages``, ``request`` …) and the arguments it names, nothing else: a variable it reads
without naming renders empty from a frame (tests compare pages served from frames with pages
rendered for the same reader). Everything outside ``own`` blocks must be the same for every
reader of the standing; parts that differ by standing read it from the key's parts
(:func:`standing_by`).

Views opt in as for anonymous readers, with :func:`heatwiki.pagecache.cache.cached_for_readers`.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template import RequestContext, TemplateDoesNotExist
from django.template.base import NodeList
from django.template.loader import get_template

from .cache import cached_match, declared_query
from .fragments import CACHE_ALIAS, generation
from .kept import KeptPerGeneration
from .variants import variant

View = Callable[..., HttpResponse]
Part = Callable[[HttpRequest], str]

# The ``own`` blocks of every template this process has compiled: (template name, block name).
_blocks: dict[tuple[str, str], NodeList] = {}
# What an ``own`` block is given, reduced before it is stored (a page row, not its relations).
_reducers: dict[type, Callable[[Any], Any]] = {}
_standing: list[Part] = []
# The frames this process served lately, unpickled: loading one from the cache again costs a
# third of serving it.
_frames = KeptPerGeneration(256)

# Marks around each ``own`` block in a page being recorded; the nonce is this process's, so no
# text a reader wrote can pass for one.
_NONCE = secrets.token_hex(8)
_MARK = re.compile(f"<!--(/?)own:{_NONCE}:([0-9]+)-->")


def standing_by(part: Part) -> Part:
    """Declare ``part(request)`` (a short string) as a difference between signed-in readers that
    pages show outside ``own`` blocks (moderators' links, say): part of every frame's key."""
    if part not in _standing:
        _standing.append(part)
    return part


def kept_as(kind: type, reduce: Callable[[Any], Any]) -> None:
    """Store ``reduce(value)`` for an ``own`` block's argument of type ``kind``."""
    _reducers[kind] = reduce


def register_block(template_name: str | None, name: str, nodelist: NodeList) -> None:
    if template_name:
        _blocks[(template_name, name)] = nodelist


@dataclass(frozen=True)
class Hole:
    template: str
    name: str
    args: dict[str, Any]


class Recorder:
    """The ``own`` blocks of one page being rendered for a frame, in order."""

    def __init__(self) -> None:
        self.holes: list[Hole] = []
        # A block of a template made from a string cannot be found again: no frame then.
        self.storable = True
        # One reduced copy of a value given to several blocks (the page), stored once.
        self._reduced: dict[int, Any] = {}

    def mark(self, template: str | None, name: str, args: dict, html: str) -> str:
        if not template:
            self.storable = False
            return html
        kept = {key: self._reduce(value) for key, value in args.items()}
        self.holes.append(Hole(template, name, kept))
        index = len(self.holes) - 1
        return f"<!--own:{_NONCE}:{index}-->{html}<!--/own:{_NONCE}:{index}-->"

    def _reduce(self, value: Any) -> Any:
        for kind, reduce in _reducers.items():
            if isinstance(value, kind):
                if id(value) not in self._reduced:
                    self._reduced[id(value)] = reduce(value)
                return self._reduced[id(value)]
        return value


def frame_key(request: HttpRequest, current: int, query: frozenset[str]) -> str:
    """The key of the page's frame: its address with the parameters its view reads (others
    appear in the reader's own parts alone), and the reader's variant and standing."""
    user = request.user
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        declared_query(request, query).urlencode(),
        variant(request),
        "staff" if user.is_staff else "",
        *(part(request) for part in _standing),
    ]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"frame:{current}:{digest}"


def split(content: str, holes: list[Hole]) -> tuple[list, str]:
    """The frame of a recorded page (its text, and a :class:`Hole` for each ``own`` block) and
    the page as this reader gets it (the marks taken out)."""
    pieces = _MARK.split(content)
    # Text, then (slash or nothing, index, text) for each mark: the text after an opening mark
    # is this reader's own, the text after a closing mark the frame's again.
    frame: list = [pieces[0]]
    page: list[str] = [pieces[0]]
    for i in range(1, len(pieces), 3):
        closing, index, text = pieces[i] == "/", int(pieces[i + 1]), pieces[i + 2]
        page.append(text)
        if not closing:
            frame.append(holes[index])
        elif isinstance(frame[-1], str):
            frame[-1] += text
        else:
            frame.append(text)
    return frame, "".join(page)


def assemble(request: HttpRequest, frame: list) -> str:
    """The page for this reader: the frame's text, each hole rendered for them."""
    # Every hole found before any is rendered: rendering one may use up the reader's messages.
    blocks = {(item.template, item.name): _block(item) for item in frame if isinstance(item, Hole)}
    if not blocks:
        return "".join(frame)
    context = RequestContext(request)
    # The context processors' values (user, CSRF token, messages …), read once for all holes.
    with context.bind_template(get_template(next(iter(blocks))[0]).template):
        out = [item if isinstance(item, str) else _render(item, blocks, context) for item in frame]
    return "".join(out)


class StaleFrame(Exception):
    """A frame whose holes this release's templates no longer have (stored by another release
    sharing the cache, during a deploy): the page is rendered in full instead."""


def _block(hole: Hole) -> NodeList:
    nodelist = _blocks.get((hole.template, hole.name))
    if nodelist is None:
        try:
            get_template(hole.template)  # compiled in this process: its blocks are registered
            nodelist = _blocks[(hole.template, hole.name)]
        except (TemplateDoesNotExist, KeyError) as gone:
            raise StaleFrame(hole) from gone
    return nodelist


def _render(hole: Hole, blocks: dict, context: RequestContext) -> str:
    with context.push(hole.args):
        return blocks[(hole.template, hole.name)].render(context)


class FrameMiddleware:
    """Signed-in GETs of the views marked ``cached_for_readers``: from the stored frame when
    there is one, else rendered, and their frame stored. Last in MIDDLEWARE (it needs the
    session, the user and messages)."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        match = cached_match(request)
        if match is None:
            return self.get_response(request)
        # Before the user: read under a generation, the account is kept in memory
        # (heatwiki.accounts.readers).
        current = generation(request)
        if current is None or not request.user.is_authenticated:
            return self.get_response(request)
        key = frame_key(request, current, match.func.page_cache_query)
        stored = _frames.get(current, key) or caches[CACHE_ALIAS].get(key)
        if isinstance(stored, tuple):
            frame, headers = stored
            # As the view would have it: the reader's own parts may ask which view this is.
            request.resolver_match = match
            try:
                page = assemble(request, frame)
            except StaleFrame:
                pass
            else:
                _frames.put(current, key, stored)
                return HttpResponse(page, headers=headers)
        return self._record(request, key)

    def _record(self, request: HttpRequest, key: str) -> HttpResponse:
        """The page rendered by its view, its frame stored, and the marks taken out."""
        request.page_frame = Recorder()
        response = self.get_response(request)
        recorder = request.__dict__.pop("page_frame")
        storable = recorder.storable and self._storable(response)
        if response.streaming or not (recorder.holes or storable):
            return response
        try:
            frame, page = split(response.content.decode(response.charset), recorder.holes)
        except UnicodeDecodeError:  # not text: nobody's own parts in it, and not stored
            return response
        if recorder.holes:
            response.content = page
        if storable:
            # The length is this reader's page's: worked out again for each.
            headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
            caches[CACHE_ALIAS].set(key, (frame, headers), settings.HEATWIKI_PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            # A cookie set by the view is this reader's.
            and not response.cookies
        )
