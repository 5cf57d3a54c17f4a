from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import path

from heatwiki.pagecache.cache import cached_for_readers
from heatwiki.wiki.layers import reader_layers

from . import views
from .sitemaps import ListSitemap, PageSitemap

# The browser's XML viewer styles the sitemap with inline styles; an XML document runs no
# script and loads nothing, so it gets a policy of its own that allows just those.
SITEMAP_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def sitemap_xml(request: HttpRequest) -> HttpResponse:
    pages = PageSitemap(reader_layers(request))
    response = sitemap(request, sitemaps={"lists": ListSitemap, "pages": pages})
    response["Content-Security-Policy"] = SITEMAP_POLICY
    return response


urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="search-suggest"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cached_for_readers(sitemap_xml, query=["p"]),
        name="sitemap",
    ),
]
