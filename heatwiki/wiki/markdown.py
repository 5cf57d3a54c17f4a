"""The one Markdown pipeline: CommonMark by markdown-it-py, then an nh3 allow-list.

markdown-it-py is linear on hostile input (unclosed brackets, deep nesting), where
Python-Markdown can stall for seconds. Raw HTML in bodies is not interpreted at all, and nh3
removes anything the renderer might still let through that is not on the allow-list.
"""

import math
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML

from .links import Target, resolve_links, wikilinks_plugin

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

# markdown-it-py's time grows with the tokens a body makes, about 10 µs for each list item,
# table cell, link or emphasis mark: a body that is all structure must stay under a second to
# render, on every preview. So bodies are bounded in size and in what makes the most tokens;
# real pages are a fraction of each.
# The largest body, in bytes of UTF-8, that is stored or previewed.
BODY_MAX_BYTES = 100_000
# Lines: each can open a block (a heading, a list item, a quote).
BODY_MAX_LINES = 5_000
# Each "[" may open a link, each "<" an autolink (about 90 µs each: the address is parsed and
# normalised), and each "|" a table cell.
BODY_MAX_BRACKETS = 5_000
BODY_MAX_ANGLE_BRACKETS = 5_000
BODY_MAX_PIPES = 5_000
# Each "*", "_" or "~" is a token of its own until emphasis is matched up.
BODY_MAX_EMPHASIS_MARKS = 20_000


def body_size_error(text: str) -> str | None:
    """The message explaining why ``text`` is too large to render, or None when it fits."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > BODY_MAX_BYTES:
        # Round up, so a text one byte over never reads as "100 KB; the limit is 100 KB".
        return (
            f"The text is {math.ceil(size / 1000):,} KB; "
            f"the limit is {BODY_MAX_BYTES // 1000:,} KB."
        )
    for count, what, limit in (
        (text.count("\n") + 1, "lines", BODY_MAX_LINES),
        (text.count("["), "opening square brackets", BODY_MAX_BRACKETS),
        (text.count("<"), "angle brackets (autolinks)", BODY_MAX_ANGLE_BRACKETS),
        (text.count("|"), "vertical bars (table cells)", BODY_MAX_PIPES),
        (
            text.count("*") + text.count("_") + text.count("~"),
            "emphasis marks (*, _ and ~)",
            BODY_MAX_EMPHASIS_MARKS,
        ),
    ):
        if count > limit:
            return f"The text has {count:,} {what}; the limit is {limit:,}."
    return None


def validate_body_size(value: str) -> None:
    """Django validator: refuses a body over any of the BODY_MAX_* limits."""
    message = body_size_error(value or "")
    if message:
        raise ValidationError(message, code="body_too_large")


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
