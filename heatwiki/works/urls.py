"""The works kind's own URLs: a work's casting tracker and its feed."""

from django.urls import path

from heatwiki.pagecache.cache import cached_for_readers

from . import views

urlpatterns = [
    path("<slug:slug>/casting/", cached_for_readers(views.casting_page), name="casting"),
    path("<slug:slug>/casting/feed/", cached_for_readers(views.CastingFeed()), name="casting-feed"),
]
