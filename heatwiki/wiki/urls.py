"""URL patterns every page kind gets from the engine, namespaced by the kind's prefix."""

from django.urls import include, path

from .kinds import page_kinds
from .views import PageDetailView, PageListView


def kind_patterns(model) -> list:
    return [
        path("", PageListView.as_view(model=model), name="list"),
        path("<slug:slug>/", PageDetailView.as_view(model=model), name="detail"),
    ]


def page_kind_urls() -> list:
    """One include per page kind: /<kind>/ and /<kind>/<slug>/."""
    return [
        path(
            f"{model.url_namespace}/",
            include((kind_patterns(model), model.url_namespace), namespace=model.url_namespace),
        )
        for model in page_kinds()
    ]
