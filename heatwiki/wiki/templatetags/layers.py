"""Templates' view of spoiler layers: the first-visit prompt and "My Heat" status."""

from django import template

from heatwiki.wiki.layers import Reading, reader_layers, visible

register = template.Library()


@register.inclusion_tag("includes/my_heat_prompt.html", takes_context=True)
def my_heat_prompt(context) -> dict:
    request = context.get("request")
    reading = reader_layers(request) if request is not None else None
    return {"request": request, "reading": reading}


@register.simple_tag(takes_context=True)
def reading(context) -> Reading:
    """``{% reading as layers %}``: what the reader has chosen to see."""
    return reader_layers(context["request"])


@register.filter
def seen_only(items, reading: Reading) -> list:
    """``{{ scenes|seen_only:layers }}``: the rows of works the reader has seen."""
    return visible(items, reading)
