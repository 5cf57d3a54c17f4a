"""The read API's addresses: /api/v1/<kind>/… for every page kind, the change feed, recent
changes and pages by id; the schema and its docs. The root URLs mount ``v1_patterns`` under
/api/v1/ in the "api" namespace, beside the search endpoint of the search app."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from heatwiki.wiki.kinds import page_kinds

from . import docs, tokens, views


def kind_patterns(model) -> list:
    name = model.url_namespace
    return [
        path(f"{name}/", views.PageList.as_view(model=model), name=f"{name}-list"),
        path(f"{name}/<slug:slug>/", views.PageDetail.as_view(model=model), name=f"{name}-detail"),
        path(
            f"{name}/<slug:slug>/revisions/",
            views.RevisionList.as_view(model=model),
            name=f"{name}-revisions",
        ),
        path(
            f"{name}/<slug:slug>/revisions/<int:number>/",
            views.RevisionDetail.as_view(model=model),
            name=f"{name}-revision",
        ),
        path(
            f"{name}/<slug:slug>/diff/",
            views.RevisionDiff.as_view(model=model),
            name=f"{name}-diff",
        ),
    ]


def v1_patterns() -> list:
    return [
        path("", views.ApiRoot.as_view(), name="root"),
        path("changes/", views.ChangeFeed.as_view(), name="changes"),
        path("changes.ndjson", views.ChangeFeedNDJSON.as_view(), name="changes-ndjson"),
        path("recent-changes/", views.RecentChanges.as_view(), name="recent-changes"),
        path("pages/<int:pk>/", views.PageById.as_view(), name="page-by-id"),
        path(
            "pages/<int:pk>/revisions/<int:number>/",
            views.RevisionById.as_view(),
            name="revision-by-id",
        ),
        *(pattern for model in page_kinds() for pattern in kind_patterns(model)),
    ]


# Outside the version: the schema describes it, the docs read the schema.
schema_patterns = [
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs.SwaggerDocs.as_view(url_name="api-schema"), name="api-docs"),
]

token_patterns = [
    path("accounts/api-tokens/", tokens.token_list, name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", tokens.revoke, name="api-token-revoke"),
]
