"""``[[wiki links]]`` resolved: each link's page, or a red link to the page's create form."""

import re
from collections.abc import Iterable
from html import escape, unescape
from urllib.parse import urlencode

from django.urls import reverse

from .kinds import page_kinds
from .models import WikiPage
from .wikilinks import ANCHOR_RE, Target, find_targets


def lookup(targets: Iterable[Target]) -> dict[Target, WikiPage | None]:
    """Each target's page, or None: one query, whatever the number of links.

    A bare title that several kinds share goes to the kind first in navigation order.
    """
    targets = list(targets)
    if not targets:
        return {}
    order = {
        model.url_namespace: model.nav_order if model.link_order is None else model.link_order
        for model in page_kinds()
    }
    keys = {t.key for t in targets}
    fields = ["id", "page_kind", "slug", "title", "title_key"]
    # Pages with these titles, then pages that had them before a move: one query.
    by_title = WikiPage.objects.filter(title_key__in=keys).order_by()
    by_old_title = WikiPage.objects.filter(redirects__title_key__in=keys).order_by()
    by_title = by_title.values_list(*fields, "title_key")
    by_old_title = by_old_title.values_list(*fields, "redirects__title_key")
    rows = by_title.union(by_old_title, all=True)
    # Kinds whose pages links may name by address too (file pages: ![alt](file:address)).
    slug_kinds = {m.url_namespace for m in page_kinds() if m.links_by_slug}
    slug_keys = {t.key for t in targets if t.kind in slug_kinds}
    if slug_keys:
        by_slug = WikiPage.objects.filter(page_kind__in=slug_kinds, slug__in=slug_keys).order_by()
        rows = rows.union(by_slug.values_list(*fields, "slug"), all=True)
    candidates: dict[str, list] = {}
    # A page with the title comes before one that merely had it.
    for *values, key in sorted(rows, key=lambda row: (row[4] != row[5], order.get(row[1], 0))):
        candidates.setdefault(key, []).append(WikiPage(**dict(zip(fields, values, strict=True))))
    found = {}
    for target in targets:
        pages_with_title = candidates.get(target.key, [])
        if target.kind:
            pages_with_title = [p for p in pages_with_title if p.page_kind == target.kind]
        found[target] = pages_with_title[0] if pages_with_title else None
    return found


def create_url(target: Target) -> str:
    """The create form for a missing page, title filled in."""
    url = reverse(f"{target.kind}:create") if target.kind else reverse("wiki:create")
    return f"{url}?{urlencode({'title': target.title})}"


def _anchor(target: Target, page: WikiPage | None) -> str:
    attr = escape(str(target))
    if page is None:
        href = escape(create_url(target))
        return (
            f'<a data-wikilink="{attr}" href="{href}" class="wikilink wikilink--missing" '
            f'rel="nofollow" title="{escape(target.title)} (no page yet: create it)">'
        )
    href = escape(page.get_absolute_url())
    return f'<a data-wikilink="{attr}" href="{href}" class="wikilink">'


def resolve_links(html: str, find=None) -> tuple[str, dict[Target, WikiPage | None]]:
    """Point every wiki link of rendered HTML at its page or its create form.

    ``find`` replaces ``lookup`` (one query) where the pages are known already: the synthetic
    data generator resolves a hundred thousand bodies against the pages it is writing.
    """
    found = (find or lookup)(find_targets(html))
    if not found:
        return html, found

    def replace(match: re.Match) -> str:
        target = Target.parse(unescape(match[1]))
        return _anchor(target, found.get(target))

    return ANCHOR_RE.sub(replace, html), found
