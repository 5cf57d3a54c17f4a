from datetime import timedelta

from django import template

from heatwiki.wiki.kinds import kind_model

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
def pair(first, second) -> tuple:
    """Two values to loop over: ``{% for r in old|pair:new %}``."""
    return (first, second)


@register.simple_tag
def recent_revisions(count: int = 15):
    """The newest revisions of all pages, for the moderators' admin index."""
    from heatwiki.wiki.models import Revision

    return list(Revision.objects.for_list()[:count])
