"""A location's small map, drawn by static/js/map.js with the site's tile settings."""

from django import template

from scenes.geo import map_settings

register = template.Library()


@register.inclusion_tag("scenes/includes/location_map.html")
def location_map(place) -> dict:
    return {"place": place, **map_settings()}
