"""The one Markdown pipeline: CommonMark by markdown-it-py, then an nh3 allow-list.

markdown-it-py is linear on hostile input (unclosed brackets, deep nesting), where
Python-Markdown can stall for seconds. Raw HTML in bodies is not interpreted at all, and nh3
removes anything the renderer might still let through that is not on the allow-list.
"""

from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML

from .links import resolve_links
from .wikilinks import Target, wikilinks_plugin

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "data-wikilink"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_LINK_REL = "nofollow ugc noopener"


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


def _link_open(self: RendererHTML, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if _is_external(token.attrGet("href") or ""):
        token.attrSet("rel", EXTERNAL_LINK_REL)
    return self.renderToken(tokens, idx, options, env)


def _only_our_rel(tag: str, attribute: str, value: str) -> str | None:
    # rel is allowed so the renderer's own value survives cleaning, and nothing else.
    if attribute == "rel":
        return value if value == EXTERNAL_LINK_REL else None
    return value


_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
_parser.add_render_rule("link_open", _link_open)
_parser.use(wikilinks_plugin)


def render(text: str) -> tuple[str, dict[Target, Any]]:
    """Markdown source to sanitised HTML with its wiki links resolved, and those links' pages.

    Saving stores the HTML and records the links; the live preview shows the same HTML.
    """
    return resolve_links(render_unlinked(text))


def render_unlinked(text: str) -> str:
    """The CPU-bound part of ``render``: Markdown to sanitised HTML, wiki links not yet resolved
    (resolving them is one database query)."""
    return _sanitise(_parser.render(text))


def render_markdown(text: str) -> str:
    """Markdown source to sanitised HTML, safe to store and serve as it is."""
    return render(text)[0]


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        attribute_filter=_only_our_rel,
        strip_comments=True,
    )
