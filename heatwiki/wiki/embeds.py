"""File pages' images in bodies, made when a page is shown from the markers stored in its HTML.

A stored body holds ``<a data-wikilink="files:name" href="/files/slug/"><img data-file=
"embed" alt title></a>`` for each embedded image (see ``wikilinks.render_embed``): the link is
resolved and recorded like every wiki link, so the file page lists where it is used. The
image itself is made here, as the page is shown, from the file page as it is now: one query
for all of a body's images, and an image hidden by a moderator since is a placeholder at once.
"""

import re
from html import escape, unescape

from django.urls import NoReverseMatch, reverse

from .images import picture_html
from .models import FilePage

EMBED_RE = re.compile(
    r'<a data-wikilink="[^"]*"(?P<attrs>[^>]*)>'
    r'<img data-file="embed" alt="(?P<alt>[^"]*)" title="(?P<caption>[^"]*)"></a>'
)
HREF_RE = re.compile(r'href="([^"]*)"')
BODY_WIDTH = 320
BODY_SIZES = "(max-width: 40em) 90vw, 320px"
PLACEHOLDER = (
    '<span class="wiki-image wiki-image--placeholder" role="img" aria-label="{label}">'
    '<span class="wiki-image__placeholder">{text}</span></span>'
)


def file_slug(href: str) -> str | None:
    """The slug of a file page's address, or None for another address (a red link)."""
    try:
        prefix = reverse("files:list")
    except NoReverseMatch:
        return None
    if href.startswith(prefix) and href.endswith("/"):
        slug = href[len(prefix) : -1]
        return slug if slug and "/" not in slug else None
    return None


def expand_embeds(html: str, *, moderator: bool = False) -> str:
    """``html`` with every embedded image made: a thumbnail linking to its file page, with its
    caption; a placeholder for an image hidden by a moderator (moderators see it, marked)."""
    if 'data-file="embed"' not in html:
        return html
    matches = list(EMBED_RE.finditer(html))
    slugs = set()
    for match in matches:
        href = HREF_RE.search(match["attrs"])
        if href and (slug := file_slug(unescape(href[1]))):
            slugs.add(slug)
    files = (
        {f.slug: f for f in FilePage.objects.filter(slug__in=slugs).select_related("upload")}
        if slugs
        else {}
    )

    def replace(match: re.Match) -> str:
        href = HREF_RE.search(match["attrs"])
        url = unescape(href[1]) if href else ""
        page = files.get(file_slug(url) or "")
        caption = unescape(match["caption"])
        if page is None:
            # A red link: the file page does not exist (yet).
            return f"<a{match['attrs']}>{escape(caption or 'missing image')} (no such file)</a>"
        return figure_html(
            page,
            alt=unescape(match["alt"]) or page.alt_text,
            caption=caption,
            moderator=moderator,
        )

    return EMBED_RE.sub(replace, html)


def embeds_as_links(html: str) -> str:
    """``html`` with each embedded image as a link to its file page named by its caption or alt
    text: for feeds, which show many bodies at once, without a query."""
    if 'data-file="embed"' not in html:
        return html

    def replace(match: re.Match) -> str:
        text = unescape(match["caption"]) or unescape(match["alt"]) or "image"
        return f"<a{match['attrs']}>{escape(text)}</a>"

    return EMBED_RE.sub(replace, html)


def figure_html(
    page: FilePage,
    *,
    alt: str,
    caption: str,
    moderator: bool,
    width: int = BODY_WIDTH,
    sizes: str = BODY_SIZES,
    lazy: bool = True,
) -> str:
    """A file page's image as shown on another page, or the placeholder when it is hidden."""
    stored = page.upload
    if stored.is_hidden and not moderator:
        return PLACEHOLDER.format(label="Image unavailable", text="Image unavailable")
    picture = picture_html(stored, alt=alt, sizes=sizes, display_width=width, lazy=lazy)
    note = (
        '<span class="wiki-image__hidden">Hidden from readers by a moderator.</span>'
        if stored.is_hidden
        else ""
    )
    caption_html = f'<span class="wiki-image__caption">{escape(caption)}</span>' if caption else ""
    return (
        f'<span class="wiki-image">'
        f'<a href="{escape(page.get_absolute_url())}" class="wiki-image__link">{picture}</a>'
        f"{caption_html}{note}</span>"
    )
