from datetime import timedelta

from django import template

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
    return str(page._meta.verbose_name)
