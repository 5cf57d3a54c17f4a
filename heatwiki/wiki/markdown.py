"""The one Markdown pipeline: CommonMark by markdown-it-py, then an nh3 allow-list.

markdown-it-py is linear on hostile input (unclosed brackets, deep nesting), where
Python-Markdown can stall for seconds. Raw HTML in bodies is not interpreted at all, and nh3
removes anything the renderer might still let through that is not on the allow-list.

Footnotes (``text[^1]`` and ``[^1]: the source``) come from mdit-py-plugins; headings get
anchors from a rule of our own, and a page with three or more headings gets a table of
contents before its first heading. Every id the pipeline writes has a prefix of its own ("h-"
for headings, "fn-" and "fnref-" for footnotes), and nh3 drops any other id, so a heading
called "Content" can never take the id of the site's own elements.
"""

import re
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from django.core.files.storage import default_storage
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .links import resolve_links
from .wikilinks import EMBED_MARK, Target, embed_kinds, render_embed, wikilinks_plugin

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "nav", "ol", "p", "pre", "s", "section", "strong", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel", "data-wikilink", "id"},
    "img": {"src", "alt", "title", "data-file"},
    "ol": {"start"},
    "li": {"id"},
    "nav": {"aria-label"},
    "section": {"data-layer"},
    **{heading: {"id"} for heading in HEADINGS},
}
# class is allowed only with these values (nh3 drops any other class).
ALLOWED_CLASSES = {
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "li": {"footnote-item"},
    "nav": {"toc"},
    "ol": {"footnotes-list"},
    "p": {"toc__title"},
    "section": {"footnotes", "spoiler"},
    "sup": {"footnote-ref"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_LINK_REL = "nofollow ugc noopener"
# The ids the pipeline writes: "h-" for headings, "fn-1" / "fnref-1" / "fnref-1:2" for
# footnotes. The site's own ids never start so (tests/wiki/test_markdown.py checks templates).
HEADING_ID_PREFIX = "h-"
PIPELINE_ID = re.compile(r"h-[a-z0-9_-]{1,120}|fn-[0-9]{1,5}|fnref-[0-9]{1,5}(:[0-9]{1,5})?")
TOC_LABEL = "Contents"
# ``::: spoiler <work-slug>`` … ``:::``: a passage that spoils one work (see layers.py).
SPOILER = "spoiler"
SPOILER_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MARKER_LINE = re.compile(r"[ \t]*(:{3,})[ \t]*")
# A table of contents is added to pages with at least this many headings, listing levels 1-4.
TOC_MIN_HEADINGS = 3
TOC_MAX_LEVEL = 4


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


def _link_open(self: RendererHTML, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if _is_external(token.attrGet("href") or ""):
        token.attrSet("rel", EXTERNAL_LINK_REL)
    return self.renderToken(tokens, idx, options, env)


def _only_our_values(tag: str, attribute: str, value: str) -> str | None:
    # rel, ids and the ToC's label are allowed so the renderer's own values survive
    # cleaning, and nothing else.
    if attribute == "rel":
        return value if value == EXTERNAL_LINK_REL else None
    if attribute == "id":
        return value if PIPELINE_ID.fullmatch(value) else None
    if attribute == "aria-label":
        return value if value == TOC_LABEL else None
    if attribute == "data-layer":
        return value if SPOILER_SLUG.fullmatch(value) else ""
    if attribute == "data-file":
        return value if value == EMBED_MARK else None
    return value


FILE_SCHEME = "file:"


def _validate_link(url: str) -> bool:
    # markdown-it refuses file: URLs; here they name file pages, never files on a disk.
    if url[:5].casefold() == FILE_SCHEME:
        return True
    return _default_validate_link(url)


def _image(self: RendererHTML, tokens, idx, options, env) -> str:
    """``![alt](file:name "caption")`` shows a file page's image; other images as ever."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if src[:5].casefold() == FILE_SCHEME and embed_kinds():
        name = unquote(src[5:]).strip()
        alt = self.renderInlineAsText(token.children or [], options, env)
        if name:
            target = Target(sorted(embed_kinds())[0], " ".join(name.split()))
            return render_embed(target, alt, token.attrGet("title") or "")
        return escape(alt)
    if not _served_here(src):
        # Another site's image would tell it who reads the page, and carries no credit or
        # licence: it stays a link, and images come from file pages.
        alt = self.renderInlineAsText(token.children or [], options, env)
        return f'<a href="{escape(src)}">{escape(alt or src)}</a>'
    return self.image(tokens, idx, options, env)


def _served_here(src: str) -> bool:
    """Whether an image's address is HeatWiki's own: a path on the site, or uploaded media
    (the storage's own address: an S3 bucket's, when media go there)."""
    # markdown-it has percent-encoded the address: a backslash is no longer a slash.
    address = src.strip()
    parts = urlsplit(address)
    if not parts.scheme and not parts.netloc and not address.startswith("//"):
        return True
    media = default_storage.url("")
    return bool(urlsplit(media).netloc) and address.startswith(media)


def heading_slug(title: str) -> str:
    """A heading's id: "h-" and its words, so it never equals one of the site's own ids."""
    return HEADING_ID_PREFIX + (slugify(title)[:100].strip("-") or "section")


def _footnote_name(self, tokens, idx, options, env) -> str:
    # "fn-1" and "fnref-1" rather than the plugin's "fn1": every pipeline id has a prefix.
    return f"-{tokens[idx].meta['id'] + 1}"


def _footnote_caption(self, tokens, idx, options, env) -> str:
    # "[1]" for every reference to note 1, not "[1:1]" for the second.
    return f"[{tokens[idx].meta['id'] + 1}]"


def _heading_text(inline: Token) -> str:
    """A heading's words as a reader sees them: text, code and wiki link labels."""
    parts = []
    for child in inline.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "wikilink":
            parts.append(child.meta["label"])
    return " ".join("".join(parts).split())


def _anchor_headings(state) -> None:
    """Core rule: an id on every heading, "h-" and its words, numbered on when a title comes
    again ("h-cast", "h-cast-1" …). In linear time: mdit-py-plugins' anchors search for a free
    number from 1 for each heading, which a body of 5,000 same headings makes take seconds."""
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        children = tokens[index + 1].children or []
        base = heading_slug(
            "".join(child.content for child in children if child.type in {"text", "code_inline"})
        )
        slug, number = base, next_number.get(base, 1)
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        next_number[base] = number
        taken.add(slug)
        token.attrSet("id", slug)


def _table_of_contents(state) -> None:
    """Core rule, after the anchors: a list of the headings' links before the first heading
    of a page that has at least TOC_MIN_HEADINGS."""
    tokens = state.tokens
    headings = [
        (index, int(token.tag[1]), token.attrGet("id"), _heading_text(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and int(token.tag[1]) <= TOC_MAX_LEVEL and token.level == 0
    ]
    if len(headings) < TOC_MIN_HEADINGS:
        return
    top = min(level for _, level, _, _ in headings)
    html = [f'<nav class="toc" aria-label="{TOC_LABEL}">', f'<p class="toc__title">{TOC_LABEL}</p>']
    depth = 0
    for _, level, slug, text in headings:
        wanted = level - top + 1
        if wanted > depth:
            html.append("<ol><li>" * (wanted - depth))
        else:
            html.append("</li></ol>" * (depth - wanted) + "</li><li>")
        depth = wanted
        html.append(f'<a href="#{escape(slug)}">{escape(text) or "(untitled)"}</a>')
    html.append("</li></ol>" * depth + "</nav>\n")
    toc = Token("html_block", "", 0, content="".join(html))
    tokens.insert(headings[0][0], toc)


def _spoiler_slug(info: str) -> str:
    words = info.split()
    slug = words[1] if len(words) > 1 else ""
    return slug if SPOILER_SLUG.fullmatch(slug) and len(slug) <= 200 else ""


def _render_spoiler(self: RendererHTML, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == 1:
        return f'<section class="spoiler" data-layer="{escape(_spoiler_slug(token.info))}">\n'
    return "</section>\n"


def _validate_spoiler(params: str, markup: str) -> bool:
    return params.strip().split(" ", 1)[0] == SPOILER


def spoiler_problems(text: str) -> list[str]:
    """What is wrong with a body's spoiler containers, as messages for its author: one not
    closed, or one naming no work (the names are checked against the works by the caller)."""
    problems = []
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.split("\n")
    for token in _parser.parse(source):
        if token.type != f"container_{SPOILER}_open":
            continue
        line = token.map[0] + 1 if token.map else 0
        end = token.map[1] if token.map else len(lines)
        marker = _MARKER_LINE.fullmatch(lines[end]) if end < len(lines) else None
        if marker is None or len(marker.group(1)) < len(token.markup):
            problems.append(
                f"The spoiler container opened on line {line} is not closed: end it with a "
                f"line of {token.markup}."
            )
        if not _spoiler_slug(token.info):
            problems.append(
                f"The spoiler container on line {line} names no work: write "
                "“::: spoiler <work address>”, e.g. “::: spoiler heat-2-novel”."
            )
    return problems


def spoiler_works(text: str) -> set[str]:
    """The work addresses a body's spoiler containers name."""
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    return {
        _spoiler_slug(token.info)
        for token in _parser.parse(source)
        if token.type == f"container_{SPOILER}_open" and _spoiler_slug(token.info)
    }


_parser = (
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)
    .use(container_plugin, SPOILER, validate=_validate_spoiler, render=_render_spoiler)
)
_parser.core.ruler.push("heading_anchors", _anchor_headings)
_parser.core.ruler.push("table_of_contents", _table_of_contents)
_default_validate_link = _parser.validateLink
_parser.validateLink = _validate_link
_parser.add_render_rule("image", _image)
_parser.add_render_rule("link_open", _link_open)
_parser.add_render_rule("footnote_anchor_name", _footnote_name)
_parser.add_render_rule("footnote_caption", _footnote_caption)
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
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        attribute_filter=_only_our_values,
        strip_comments=True,
    )
