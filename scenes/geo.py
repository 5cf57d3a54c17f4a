"""The map of filming locations: the page (Leaflet, with a list that needs no JavaScript) and
its data as GeoJSON.

Both are built from :func:`located_places`, so the map and the list always show the same
places; scenes of works the reader has not chosen in "My Heat" are left out of both.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from heatwiki.wiki.layers import Reading, exclude_hidden, reader_layers

from .models import Location, Scene


def located_places(reading: Reading) -> list[Location]:
    """Every location with coordinates, by title, with the scenes the reader sees there."""
    scenes = exclude_hidden(Scene.objects.select_related("work"), reading).only(
        "title", "slug", "page_kind", "position", "work__title", "work__slug", "work__page_kind"
    )
    return list(
        Location.objects.filter(latitude__isnull=False, longitude__isnull=False)
        .only("title", "slug", "page_kind", "description", "latitude", "longitude", "city")
        .prefetch_related(Prefetch("scenes", queryset=scenes))
        .order_by("title")
    )


def feature(request: HttpRequest, place: Location) -> dict:
    return {
        "type": "Feature",
        # GeoJSON puts longitude first.
        "geometry": {
            "type": "Point",
            "coordinates": [float(place.longitude), float(place.latitude)],
        },
        "properties": {
            "slug": place.slug,
            "title": place.title,
            "description": place.description,
            "url": place.get_absolute_url(),
            "scenes": [
                {"title": s.title, "url": s.get_absolute_url(), "work": s.work.title}
                for s in place.scenes.all()
            ],
        },
    }


def locations_geojson(request: HttpRequest) -> JsonResponse:
    """``/map/locations.geojson``: a FeatureCollection of the located places."""
    places = located_places(reader_layers(request))
    data = {"type": "FeatureCollection", "features": [feature(request, p) for p in places]}
    return JsonResponse(data, content_type="application/geo+json")


def map_page(request: HttpRequest) -> HttpResponse:
    places = located_places(reader_layers(request))
    unlocated = Location.objects.filter(latitude__isnull=True).only("title", "slug", "page_kind")
    context = {"places": places, "unlocated": list(unlocated.order_by("title"))}
    context.update(map_settings())
    return render(request, "scenes/map.html", context)


def map_settings() -> dict:
    """What the map's script needs to draw tiles: their address and attribution."""
    return {
        "tile_url": settings.HEATWIKI_MAP_TILE_URL,
        "tile_attribution": settings.HEATWIKI_MAP_TILE_ATTRIBUTION,
    }
