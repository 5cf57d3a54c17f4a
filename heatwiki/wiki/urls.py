"""URL patterns every page kind gets from the engine, namespaced by the kind's prefix.

Reading views are wrapped in ``cached``: anonymous readers get them from the page cache.
"""

from django.urls import include, path

from heatwiki.pagecache.cache import cached_for_readers as cached

from . import changes, feeds, views
from .kinds import page_kinds

# The query parameters each cached view reads; the page cache drops any other (see
# heatwiki.pagecache.cache.cached_for_readers).
PAGE = ["page"]
CHANGE_FILTERS = ["kind", "user", "hideminor"]
CHANGES = [*CHANGE_FILTERS, "page"]


def kind_patterns(model) -> list:
    kind = {"model": model}
    return [
        path("", cached(views.PageListView.as_view(model=model), query=PAGE), name="list"),
        path("new/", views.create, kind, name="create"),
        path("<slug:slug>/", cached(views.PageDetailView.as_view(model=model)), name="detail"),
        path("<slug:slug>/edit/", views.edit, kind, name="edit"),
        path("<slug:slug>/history/", cached(views.history, query=PAGE), kind, name="history"),
        path("<slug:slug>/history/<int:number>/", cached(views.revision), kind, name="revision"),
        path("<slug:slug>/diff/", cached(views.diff, query=["from", "to"]), kind, name="diff"),
        path("<slug:slug>/revert/<int:number>/", views.revert, kind, name="revert"),
        path("<slug:slug>/links/", cached(views.links), kind, name="links"),
    ]


def page_kind_urls() -> list:
    """One include per page kind: /<kind>/, /<kind>/new/, /<kind>/<slug>/ and the rest."""
    return [
        path(
            f"{model.url_namespace}/",
            include((kind_patterns(model), model.url_namespace), namespace=model.url_namespace),
        )
        for model in page_kinds()
    ]


app_name = "wiki"
urlpatterns = [
    path("new/", views.choose_kind, name="create"),
    path("recent-changes/", cached(changes.recent_changes, query=CHANGES), name="recent-changes"),
    path(
        "recent-changes/feed/",
        cached(feeds.RecentChangesFeed(), query=CHANGE_FILTERS),
        name="recent-changes-feed",
    ),
    path("users/<str:username>/", cached(changes.contributions, query=PAGE), name="contributions"),
    # Before the news kind's own patterns, so "feed" is not taken for a page's slug.
    path("news/feed/", cached(feeds.NewsFeed()), name="news-feed"),
]
