"""``{% canon_badge value label %}``: where a fact comes from, as a small badge."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def canon_badge(value: str, label: str, claim: str = "", claim_label: str = "") -> str:
    text = f"{label}: {claim_label.lower()}" if claim_label else label
    css = f"canon canon--{value}" + (f" canon--{claim}" if claim else "")
    return format_html('<span class="{}" title="Source of this fact">{}</span>', css, text)
