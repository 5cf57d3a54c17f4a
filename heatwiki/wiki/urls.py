"""URL patterns every page kind gets from the engine, namespaced by the kind's prefix.

Reading views are wrapped in ``cached``: anonymous readers get them from the page cache.
"""

from django.urls import include, path

from heatwiki.pagecache.cache import cached_for_readers as cached

from . import changes, feeds, files, layer_views, moderation_views, views
from .kinds import page_kinds

# The query parameters each cached view reads; the page cache drops any other (see
# heatwiki.pagecache.cache.cached_for_readers).
PAGE = ["page"]
CHANGE_FILTERS = ["kind", "user", "hideminor", "moves"]
CHANGES = [*CHANGE_FILTERS, "page"]


def kind_patterns(model) -> list:
    kind = {"model": model}
    # The kind's own URLs first, so that theirs are never taken for a page's slug.
    own = [path("", include(model.extra_urls))] if model.extra_urls else []
    return [
        *own,
        path("", cached(views.PageListView.as_view(model=model), query=PAGE), name="list"),
        path("new/", views.create, kind, name="create"),
        path("<slug:slug>/", cached(views.PageDetailView.as_view(model=model)), name="detail"),
        path("<slug:slug>/edit/", views.edit, kind, name="edit"),
        path("<slug:slug>/history/", cached(views.history, query=PAGE), kind, name="history"),
        path(
            "<slug:slug>/history/feed/",
            cached(feeds.PageHistoryFeed()),
            kind,
            name="history-feed",
        ),
        path("<slug:slug>/history/<int:number>/", cached(views.revision), kind, name="revision"),
        path("<slug:slug>/diff/", cached(views.diff, query=["from", "to"]), kind, name="diff"),
        path("<slug:slug>/revert/<int:number>/", views.revert, kind, name="revert"),
        path("<slug:slug>/undo/<int:number>/", views.undo, kind, name="undo"),
        path("<slug:slug>/delete/", views.delete, kind, name="delete"),
        path("<slug:slug>/undelete/", views.undelete, kind, name="undelete"),
        path("<slug:slug>/protect/", moderation_views.protect, kind, name="protect"),
        path("<slug:slug>/unprotect/", moderation_views.unprotect, kind, name="unprotect"),
        path("<slug:slug>/history/<int:number>/hide/", moderation_views.hide, kind, name="hide"),
        path(
            "<slug:slug>/history/<int:number>/unhide/",
            moderation_views.unhide,
            kind,
            name="unhide",
        ),
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
    path("my-heat/", layer_views.my_heat, name="my-heat"),
    path("recent-changes/", cached(changes.recent_changes, query=CHANGES), name="recent-changes"),
    path(
        "recent-changes/feed/",
        cached(feeds.RecentChangesFeed(), query=CHANGE_FILTERS),
        name="recent-changes-feed",
    ),
    path("users/<str:username>/", cached(changes.contributions, query=PAGE), name="contributions"),
    # A stored image's files: original.png, 320.webp … (see heatwiki.wiki.images).
    path(
        "images/<slug:key>/<str:name>",
        files.serve_image,
        name="file-image",
    ),
    path("users/<str:username>/block/", moderation_views.block, name="block"),
    path("users/<str:username>/unblock/", moderation_views.unblock, name="unblock"),
    path("users/<str:username>/rollback/", moderation_views.rollback, name="rollback"),
]
