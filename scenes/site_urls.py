"""The timeline of scenes and the map of locations, at /timeline/ and /map/."""

from django.urls import path

from heatwiki.pagecache.cache import cached_for_readers

from . import geo, timeline

urlpatterns = [
    path(
        "timeline/",
        cached_for_readers(timeline.timeline, query=["order", "work", "character", "location"]),
        name="timeline",
    ),
    path("map/", cached_for_readers(geo.map_page), name="map"),
    path("map/locations.geojson", cached_for_readers(geo.locations_geojson), name="map-geojson"),
]
