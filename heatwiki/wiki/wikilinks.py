"""``[[wiki links]]`` as text: their syntax in Markdown and in rendered HTML. No database.

The renderer writes each wiki link as ``<a data-wikilink="target">label</a>``; ``links``
then points those anchors at their pages. Because the target stays in the anchor, a stored
body can be re-resolved when a page appears, is renamed or disappears, without running the
Markdown pipeline again.
"""

import re
from dataclasses import dataclass
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .kinds import page_kinds
from .titles import title_key

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
        return title_key(self.title)

    def __str__(self) -> str:
        return f"{self.kind}:{self.title}" if self.kind else self.title


def _kind_aliases() -> dict[str, str]:
    """Every name a link may use for a kind — "character", "characters" … — to its namespace."""
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


def embed_kinds() -> set[str]:
    """The namespaces of kinds whose pages a link shows in place (file pages' images)."""
    return {model.url_namespace for model in page_kinds() if model.embeds_in_text}


EMBED_MARK = "embed"


def render_embed(target: "Target", alt: str, caption: str) -> str:
    """A file page's image in a body, as stored: a wiki link (resolved, recorded and kept
    current like any other) around a marker that ``embeds`` makes the image when shown."""
    return (
        f'<a data-wikilink="{escape(str(target))}">'
        f'<img data-file="{EMBED_MARK}" alt="{escape(alt)}" title="{escape(caption)}"></a>'
    )


def _render_wikilink(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    target = Target.parse(meta["target"])
    if target.kind and target.kind in embed_kinds():
        # [[File:Name|caption]]: the caption also describes the image when nothing else does.
        caption = meta["label"] if meta["label"] != target.title else ""
        return render_embed(target, caption, caption)
    return f'<a data-wikilink="{escape(meta["target"])}">{escape(meta["label"])}</a>'


def wikilinks_plugin(md: MarkdownIt) -> None:
    """markdown-it plugin: ``[[Title]]``, ``[[Title|label]]``, ``[[kind:Title]]``."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)


def find_targets(html: str) -> list[Target]:
    """The distinct wiki link targets of rendered HTML, in order of appearance."""
    seen = dict.fromkeys(Target.parse(unescape(m[1])) for m in ANCHOR_RE.finditer(html))
    return list(seen)
