from django.contrib.sitemaps.views import sitemap
from django.urls import path

from heatwiki.pagecache.cache import cached_for_readers

from . import views
from .sitemaps import PageSitemap

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="search-suggest"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cached_for_readers(sitemap, query=["p"]),
        {"sitemaps": {"pages": PageSitemap}},
        name="sitemap",
    ),
]
