"""The site's URLs, and two that fail on purpose: a server error and an unavailable service."""

from django.http import HttpResponse
from django.urls import path

from heatwiki.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("a bug, on purpose")


def unavailable(request):
    return HttpResponse("Down for maintenance.", status=503, headers={"Retry-After": "30"})


urlpatterns = [path("test-fails/", fails), path("test-unavailable/", unavailable)]
urlpatterns += site_urlpatterns
