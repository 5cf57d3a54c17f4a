"""``[[wiki links]]``: parsing them in Markdown, resolving them to pages, keeping them current.

The renderer writes each wiki link as ``<a data-wikilink="target">label</a>``; ``resolve_links``
then turns those anchors into links to the page, or red links to the create form. Because the
target stays in the anchor, a stored body can be re-resolved when a page appears, is renamed
or disappears, without running the Markdown pipeline again.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urlencode

from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

WIKILINK_RE = re.compile(r"\[\[([^\[\]|\n]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")
ANCHOR_RE = re.compile(r'<a data-wikilink="([^"]*)"[^>]*>')


@dataclass(frozen=True)
class Target:
    """Where a wiki link points: a title, and the kind's namespace when the link names one."""

    kind: str
    title: str

    @classmethod
    def parse(cls, text: str) -> "Target":
        prefix, colon, rest = text.partition(":")
        kind = _kind_aliases().get(prefix.strip().casefold()) if colon else None
        if kind and rest.strip():
            return cls(kind, " ".join(rest.split()))
        return cls("", " ".join(text.split()))

    @property
    def key(self) -> str:
        from .models import title_key

        return title_key(self.title)

    def __str__(self) -> str:
        return f"{self.kind}:{self.title}" if self.kind else self.title


def _kind_aliases() -> dict[str, str]:
    """Every name a link may use for a kind — "character", "characters" … — to its namespace."""
    from .kinds import page_kinds

    aliases = {}
    for model in page_kinds():
        meta = model._meta
        for name in (meta.model_name, meta.verbose_name, meta.verbose_name_plural):
            aliases[str(name).casefold()] = model.url_namespace
        aliases[model.url_namespace] = model.url_namespace
    return aliases


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK_RE.match(state.src, state.pos)
    if not match or not match[1].strip():
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        target = Target.parse(match[1])
        label = match[2].strip() if match[2] else target.title
        token.meta = {"target": str(target), "label": label or target.title}
    state.pos = match.end()
    return True


def _render_wikilink(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    return f'<a data-wikilink="{escape(meta["target"])}">{escape(meta["label"])}</a>'


def wikilinks_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin: ``[[Title]]``, ``[[Title|label]]``, ``[[kind:Title]]``."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)


def find_targets(html: str) -> list[Target]:
    """The distinct wiki link targets of rendered HTML, in order of appearance."""
    seen = dict.fromkeys(Target.parse(unescape(m[1])) for m in ANCHOR_RE.finditer(html))
    return list(seen)


def lookup(targets: Iterable[Target]) -> dict[Target, object]:
    """Each target's page, or None: one query, whatever the number of links.

    A bare title that several kinds share goes to the kind first in navigation order.
    """
    from .kinds import page_kinds
    from .models import WikiPage

    targets = list(targets)
    if not targets:
        return {}
    order = {
        model.url_namespace: model.nav_order if model.link_order is None else model.link_order
        for model in page_kinds()
    }
    pages = WikiPage.objects.filter(title_key__in={t.key for t in targets}).only(
        "id", "page_kind", "slug", "title", "title_key"
    )
    candidates: dict[str, list] = {}
    for page in sorted(pages, key=lambda p: order.get(p.page_kind, 0)):
        candidates.setdefault(page.title_key, []).append(page)
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


def _anchor(target: Target, page) -> str:
    attr = escape(str(target))
    if page is None:
        href = escape(create_url(target))
        return (
            f'<a data-wikilink="{attr}" href="{href}" class="wikilink wikilink--missing" '
            f'rel="nofollow" title="{escape(target.title)} (no page yet: create it)">'
        )
    href = escape(page.get_absolute_url())
    return f'<a data-wikilink="{attr}" href="{href}" class="wikilink">'


def resolve_links(html: str, find=None) -> tuple[str, dict[Target, object]]:
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
