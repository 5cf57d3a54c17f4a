"""The news kind's own URLs, beside the pages every kind gets: ``/news/feed/``."""

from django.urls import path

from heatwiki.pagecache.cache import cached_for_readers

from .feeds import NewsFeed

urlpatterns = [path("feed/", cached_for_readers(NewsFeed()), name="feed")]
