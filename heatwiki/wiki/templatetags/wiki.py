import json
from datetime import timedelta
from functools import lru_cache

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from heatwiki.wiki.embeds import figure_html
from heatwiki.wiki.images import picture_html
from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.permissions import Refusal, refusal_for

register = template.Library()


@register.filter
def timecode(value: timedelta | None) -> str:
    """A duration as a film timecode, h:mm:ss."""
    if value is None:
        return ""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}"


@register.filter
def kind_name(page) -> str:
    """The singular name of a page's kind: "scene", "news item" …"""
    return str(kind_model(page.page_kind)._meta.verbose_name)


@register.filter
def page_url(page, name: str) -> str:
    """One of the engine's URLs for a page: ``{{ page|page_url:"history" }}``."""
    return page.kind_url(name)


@register.filter
@lru_cache(maxsize=10_000)
def contributions_url(username: str) -> str:
    """A user's page: ``{{ user.username|contributions_url }}``, in every signed-in header."""
    return reverse("wiki:contributions", args=[username])


@register.filter
def undo_url(page, number: int) -> str:
    """Where revision ``number`` of a page is undone: ``{{ page|undo_url:revision.number }}``."""
    return page.kind_url("undo", number=number)


@register.filter
def signed(number: int) -> str:
    """A size change as people read it: +120, −45, 0."""
    if number > 0:
        return f"+{number:,}"
    if number < 0:
        return f"−{-number:,}"
    return "0"


@register.filter
def verbose_plural(model) -> str:
    return str(model._meta.verbose_name_plural)


@register.filter
def verbose_singular(model) -> str:
    return str(model._meta.verbose_name)


@register.filter
def pair(first, second) -> tuple:
    """Two values to loop over: ``{% for r in old|pair:new %}``."""
    return (first, second)


@register.simple_tag
def recent_revisions(count: int = 15):
    """The newest revisions of all pages, for the moderators' admin index."""
    from heatwiki.wiki.models import Revision

    return list(Revision.objects.for_list()[:count])


# What json.dumps leaves that could end a <script> element or start markup inside it.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def json_ld(context, page) -> str:
    """The page's schema.org description as a JSON-LD script element, escaped for HTML."""
    data = {
        "@context": "https://schema.org",
        **page.structured_data(),
        "url": context["request"].build_absolute_uri(page.get_absolute_url()),
    }
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # escaped for a script element above
    )


@register.simple_tag(takes_context=True)
def edit_refusal(context, page=None) -> Refusal | None:
    """Why the signed-in reader may not change ``page`` (protected, blocked, e-mail not
    confirmed), or None when they may, or are not signed in: ``{% edit_refusal object as
    refusal %}``. Read once per request, however many controls ask."""
    request = context.get("request")
    if request is None or not hasattr(request, "user"):
        return None
    return refusal_for(request, page)


@register.simple_tag
def file_image(
    file_page,
    *,
    moderator: bool = False,
    width: int = 320,
    sizes: str = "(max-width: 40em) 90vw, 320px",
    lazy: bool = True,
    caption: str = "",
    alt: str = "",
) -> str:
    """A file page's image linking to the file page (a placeholder when hidden from readers):
    ``{% file_image page moderator=moderator_view width=320 lazy=False %}``."""
    return mark_safe(
        figure_html(
            file_page,
            alt=alt or file_page.alt_text,
            caption=caption,
            moderator=moderator,
            width=width,
            sizes=sizes,
            lazy=lazy,
        )
    )


@register.simple_tag
def stored_picture(stored, *, alt: str, width: int = 320, lazy: bool = True) -> str:
    """A stored image itself, as a file page and its diffs show it."""
    return mark_safe(
        picture_html(
            stored,
            alt=alt,
            sizes=f"(max-width: 40em) 90vw, {width}px",
            display_width=width,
            lazy=lazy,
        )
    )


@register.filter
def stored_url(stored, name: str) -> str:
    """The address of one of a stored image's files: ``{{ upload|stored_url:"320.webp" }}``."""
    return stored.url(name)
