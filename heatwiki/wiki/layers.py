"""Spoiler layers: what a reader has seen or read, and withholding what they have not.

Every work of the universe is a layer. A row that reveals something about a work (a scene, a
credit, a news item) names it through its kind's ``spoils`` declaration, and a body marks a
passage with a ``::: spoiler <work-slug>`` container (see ``markdown.py``). A reader picks the
works they know in "My Heat"; everything of the others is left out by the server, so it is in
no page, snippet, suggestion, feed or link preview, and a short notice takes its place.

The engine knows layers only as slugs, ids and names, given by a provider that the works app
registers with :func:`provide`. A reader's choice lives in a cookie (anonymous readers, and
the page cache, which decides before the session is loaded) and, for signed-in readers, in
their saved choice, copied into the session when they sign in. :func:`layer_key` is the
choice's canonical key, one of a handful, and is part of every cached page's key.
"""

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

COOKIE = "heatwiki_layers"
SESSION_KEY = "heatwiki_layers"
# A year: the choice is a preference, not a secret.
COOKIE_MAX_AGE = 365 * 24 * 3600
# The cookie's value when every work is chosen; "none" when none is.
EVERYTHING, NOTHING = "all", "none"
# The key of a reader who has not chosen yet: everything is shown, with the first-visit prompt.
UNCHOSEN = "unset"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# How long a process trusts its list of works before reading it again; saving a work in the
# same process forgets it at once.
KNOWN_TTL_SECONDS = 300


@dataclass(frozen=True)
class Layer:
    pk: int
    slug: str
    title: str
    # How a notice names it: "the novel Heat 2".
    label: str


Provider = Callable[[], Sequence[Layer]]
_provider: Provider | None = None
_known: tuple[Layer, ...] | None = None
_known_at = 0.0


def provide(provider: Provider) -> None:
    """Register the function that lists the layers (the works), in the order readers see."""
    global _provider
    _provider = provider
    forget()


def forget() -> None:
    """Read the layers again on next use: a work was added, renamed or removed."""
    global _known
    _known = None


def known_layers() -> tuple[Layer, ...]:
    global _known, _known_at
    now = time.monotonic()
    if _known is None or now - _known_at > KNOWN_TTL_SECONDS:
        _known = tuple(_provider()) if _provider else ()
        _known_at = now
    return _known


def parse(value: str | None, known: Sequence[Layer]) -> frozenset[str] | None:
    """A stored choice as the set of slugs seen; None (not chosen) for anything malformed or
    naming a work that does not exist, so a junk cookie is the same as no cookie."""
    if not value or len(value) > 400:
        return None
    slugs = {layer.slug for layer in known}
    if value == EVERYTHING:
        return frozenset(slugs)
    if value == NOTHING:
        return frozenset()
    parts = value.split(".")
    if not all(part in slugs for part in parts) or len(set(parts)) != len(parts):
        return None
    return frozenset(parts)


def encode(seen: Iterable[str], known: Sequence[Layer]) -> str:
    """The canonical stored form of a choice: known slugs in sorted order, or "all"/"none"."""
    slugs = {layer.slug for layer in known}
    chosen = sorted(set(seen) & slugs)
    if set(chosen) == slugs:
        return EVERYTHING
    return ".".join(chosen) or NOTHING


@dataclass(frozen=True)
class Reading:
    """What one reader has chosen to see."""

    known: tuple[Layer, ...]
    seen: frozenset[str] | None

    @property
    def chosen(self) -> bool:
        return self.seen is not None

    @property
    def hidden(self) -> tuple[Layer, ...]:
        if self.seen is None:
            return ()
        return tuple(layer for layer in self.known if layer.slug not in self.seen)

    @property
    def everything(self) -> bool:
        return not self.hidden

    @property
    def hidden_ids(self) -> frozenset[int]:
        return frozenset(layer.pk for layer in self.hidden)

    @property
    def hidden_slugs(self) -> frozenset[str]:
        return frozenset(layer.slug for layer in self.hidden)

    @property
    def key(self) -> str:
        if self.seen is None:
            return UNCHOSEN
        return encode(self.seen, self.known)

    def shows(self, slug: str) -> bool:
        return slug not in self.hidden_slugs

    def layer(self, key: int | str) -> Layer | None:
        return next((lay for lay in self.known if key in (lay.pk, lay.slug)), None)


EVERYONE = Reading((), None)


def reading_for(value: str | None) -> Reading:
    known = known_layers()
    return Reading(known, parse(value, known))


def reader_layers(request: HttpRequest) -> Reading:
    """The reader's choice: a signed-in reader's saved one (in the session since sign-in),
    else the cookie's. Read once per request."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    cached = getattr(request, "_heatwiki_reading", None)
    if cached is not None and cached[0] == signed_in:
        return cached[1]
    value = request.COOKIES.get(COOKIE)
    if signed_in and SESSION_KEY in request.session:
        value = request.session[SESSION_KEY]
    # No cookie at all (most readers): nothing to check against the works, no query.
    reading = reading_for(value) if value else EVERYONE
    request._heatwiki_reading = (signed_in, reading)
    return reading


def cookie_layers(request: HttpRequest) -> Reading:
    """The cookie's choice alone, for answers that never load the session (feeds, title
    suggestions): the cookie follows a signed-in reader's saved choice (see layer_views)."""
    value = request.COOKIES.get(COOKIE)
    return reading_for(value) if value else EVERYONE


def layer_key(request: HttpRequest) -> str:
    """The choice as part of cache keys: one of a few canonical strings."""
    return reader_layers(request).key


# Rows: which works a model's rows spoil. A model declares ``spoils = ("work", "any")``
# (a foreign key to the work) or ``("works", "any")`` / ``("works", "all")`` (a many-to-many:
# hidden when any of its works is hidden, or only when all of them are).


def _spec(model: type[models.Model]) -> tuple[str, str] | None:
    return getattr(model, "spoils", None)


def hidden_ids(items: Sequence[models.Model], reading: Reading) -> set:
    """The primary keys of the items the reader does not see; one query at most (for a
    many-to-many not prefetched)."""
    if reading.everything or not items:
        return set()
    model = type(items[0])
    spec = _spec(model)
    if spec is None:
        return set()
    field, rule = spec
    hidden = reading.hidden_ids
    relation = model._meta.get_field(field)
    if not relation.many_to_many:
        return {item.pk for item in items if getattr(item, relation.attname) in hidden}
    works: dict = {}
    if all(field in getattr(item, "_prefetched_objects_cache", {}) for item in items):
        works = {item.pk: {w.pk for w in getattr(item, field).all()} for item in items}
    else:
        pairs = model.objects.filter(pk__in=[i.pk for i in items]).values_list("pk", field)
        for pk, work in pairs:
            works.setdefault(pk, set())
            if work is not None:
                works[pk].add(work)
    found = set()
    for pk, ids in works.items():
        if ids and (ids & hidden if rule == "any" else ids <= hidden):
            found.add(pk)
    return found


def visible(items: Iterable[models.Model], reading: Reading) -> list:
    items = list(items)
    gone = hidden_ids(items, reading)
    return [item for item in items if item.pk not in gone] if gone else items


def exclude_hidden(queryset: models.QuerySet, reading: Reading) -> models.QuerySet:
    """The queryset without the rows of works the reader does not see."""
    spec = _spec(queryset.model)
    if reading.everything or spec is None:
        return queryset
    field, rule = spec
    hidden, model = reading.hidden_ids, queryset.model
    withheld = model._base_manager.filter(**{f"{field}__in": hidden})
    if rule == "all":
        shown = [layer.pk for layer in reading.known if layer.pk not in hidden]
        withheld = withheld.exclude(**{f"{field}__in": shown})
    return queryset.exclude(pk__in=withheld.values("pk"))


def hidden_pages(pages: Sequence[models.Model], reading: Reading) -> set:
    """The ids of those pages (of any kind, as WikiPage rows) that belong to works the reader
    has not seen: a query per kind among them that has a layer, none for a reader who sees
    everything."""
    if reading.everything:
        return set()
    from .kinds import kind_model

    by_kind: dict[str, list] = {}
    for page in pages:
        by_kind.setdefault(page.page_kind, []).append(page.pk)
    hidden = set()
    for kind, ids in by_kind.items():
        model = kind_model(kind)
        if _spec(model):
            hidden |= hidden_ids(list(model._base_manager.filter(pk__in=ids)), reading)
    return hidden


def page_layer(page: models.Model, reading: Reading) -> Layer | None:
    """The hidden work a whole page belongs to, when the reader does not see it."""
    if not hidden_ids([page], reading):
        return None
    field, _ = _spec(type(page))
    relation = type(page)._meta.get_field(field)
    if relation.many_to_many:
        ids = [w.pk for w in getattr(page, field).all()]
    else:
        ids = [getattr(page, relation.attname)]
    return next((lay for lay in reading.hidden if lay.pk in ids), None)


def withhold_page(page: models.Model, reading: Reading) -> None:
    """Take what the reader does not see out of a page fetched with ``for_page()``: its
    prefetched relations and the hidden passages of its body."""
    if reading.everything:
        return
    for cached in getattr(page, "_prefetched_objects_cache", {}).values():
        cached._result_cache = visible(list(cached), reading)
    # An old revision's page holds its snapshot's relations; a current page's are read from
    # the prefetches just filtered.
    relations = page.__dict__.get("relations")
    if relations is not None:
        page.__dict__["relations"] = {n: visible(rows, reading) for n, rows in relations.items()}
    if hasattr(page, "body_html"):
        page.body_html = withhold_html(page.body_html, reading, page)


# Bodies: ``::: spoiler <slug>`` renders as <section class="spoiler" data-layer="slug">.

_SECTION = re.compile(r"<section\b([^>]*)>|</section>")
_LAYER_ATTR = re.compile(r'data-layer="([a-z0-9-]+)"')
_PARAGRAPH = re.compile(r"<(?:p|li|blockquote|table|pre|h[1-6])\b")


def _show_url(slug: str, page: models.Model | None) -> str:
    query = {"show": slug}
    if page is not None and hasattr(page, "get_absolute_url"):
        query["next"] = page.get_absolute_url()
    return f"{reverse('wiki:my-heat')}?{urlencode(query)}"


def notice(layer: Layer, count: int, what: str, page: models.Model | None = None) -> str:
    """The short note that stands where withheld content was, with a way to show it."""
    things = f"{count} {what}{'' if count == 1 else 's'}"
    return (
        f'<aside class="spoiler-notice" data-layer="{escape(layer.slug)}">'
        f"{escape(things)} about {escape(layer.label)} hidden — "
        f'<a href="{escape(_show_url(layer.slug, page))}">show</a></aside>'
    )


def withhold_html(html: str, reading: Reading, page: models.Model | None = None) -> str:
    """The body without the spoiler sections of works the reader does not see: each one (with
    what it holds, nested sections included) becomes a notice naming its work."""
    if reading.everything or "spoiler" not in html:
        return html
    hidden = {layer.slug: layer for layer in reading.hidden}
    known = {layer.slug for layer in reading.known}

    def hide(slug: str) -> bool:
        # A container naming a work that no longer exists is withheld too: which work it
        # spoils can't be told.
        return slug in hidden or slug not in known

    def replace(slug: str, held: str) -> str:
        layer = hidden.get(slug) or Layer(0, slug, slug, "a work no longer listed")
        return notice(layer, max(1, len(_PARAGRAPH.findall(held))), "paragraph", page)

    return _replace_sections(html, hide, replace)


def strip_spoilers(html: str) -> str:
    """The body without any spoiler section: what search indexes and shows in snippets."""
    if "spoiler" not in html:
        return html
    return _replace_sections(html, lambda slug: True, lambda slug, held: " ")


def _replace_sections(
    html: str, hide: Callable[[str], bool], replace: Callable[[str, str], str]
) -> str:
    """Each spoiler section whose work ``hide(slug)``, what it holds included, replaced by
    ``replace(slug, inner_html)``. The HTML is the sanitiser's output, where a tag can only be
    one the pipeline wrote, so counting <section> tags finds each container's end."""
    out, position, skip_from, depth, slug, section_start = [], 0, None, 0, "", 0
    for match in _SECTION.finditer(html):
        opening = match.group(0) != "</section>"
        if skip_from is not None:
            depth += 1 if opening else -1
            if depth == 0:
                out.append(
                    html[position:section_start] + replace(slug, html[skip_from : match.start()])
                )
                position, skip_from = match.end(), None
            continue
        if not opening or 'class="spoiler"' not in match.group(1):
            continue
        layer_match = _LAYER_ATTR.search(match.group(1))
        slug = layer_match.group(1) if layer_match else ""
        if hide(slug):
            section_start, skip_from, depth = match.start(), match.end(), 1
    if skip_from is not None:  # never in the sanitiser's output: withhold to the end
        out.append(html[position:section_start] + replace(slug, html[skip_from:]))
        return "".join(out)
    out.append(html[position:])
    return "".join(out)


def body_problems(text: str) -> list[str]:
    """A body's spoiler containers that are not closed, name no work or a work that does not
    exist: the preview shows these, and a save is refused with them."""
    if ":::" not in text:
        return []
    from .markdown import spoiler_problems, spoiler_works

    problems = spoiler_problems(text)
    known = {layer.slug for layer in known_layers()}
    for slug in sorted(spoiler_works(text) - known):
        problems.append(
            f"“::: spoiler {slug}”: no work has the address “{slug}”. Use one of: "
            + ", ".join(sorted(known))
            + "."
        )
    return problems
