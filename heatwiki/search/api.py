"""Search in the read API: /api/v1/search/?q=. Mounted by the root URLs beside the API's own
endpoints, which set the rate limits, tokens and headers every API view shares (settings'
REST_FRAMEWORK); the API app is a peer, so it is not imported here."""

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .query import COUNT_LIMIT, QUERY_MAX_LENGTH, clean_query, search

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page.pk")
    kind = serializers.CharField(source="page.page_kind")
    title = serializers.CharField(source="page.title")
    slug = serializers.CharField(source="page.slug")
    description = serializers.CharField(source="page.description")
    url = serializers.URLField(help_text="The page in the API.")
    html_url = serializers.URLField(help_text="The page on the site.")
    snippet_html = serializers.CharField(
        source="snippet", help_text="Where the page matches, escaped, matches in <mark>."
    )


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField(help_text=f"Matching pages, counted up to {COUNT_LIMIT}.")
    more_than_counted = serializers.BooleanField()
    results = HitSerializer(many=True)
    next = serializers.URLField(allow_null=True)


def _number(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    if not value.isdecimal() or len(value) > 20 or not low <= int(value) <= high:
        raise ParseError(f"{name} is a whole number from {low} to {high}.")
    return int(value)


class SearchApi(APIView):
    """Pages matching a query, best first: words, "quoted phrases", -exclusions and "or"."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": QUERY_MAX_LENGTH},
                required=True,
                description="The query.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description="Default: 20.",
            ),
            OpenApiParameter("offset", {"type": "integer", "minimum": 0, "maximum": COUNT_LIMIT}),
        ],
        responses={200: SearchResultsSerializer},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        query = clean_query(params.get("q", ""))
        if not query:
            raise ParseError("Give a query: ?q=…")
        if len(query) > QUERY_MAX_LENGTH:
            raise ParseError(f"A query is at most {QUERY_MAX_LENGTH} characters long.")
        limit = _number(params.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _number(params.get("offset"), "offset", 0, 0, COUNT_LIMIT)
        hits = search(query, offset=offset, limit=limit)
        results = []
        for hit in hits:
            page = hit.page
            api_url = reverse(f"api:{page.page_kind}-detail", kwargs={"slug": page.slug})
            results.append(
                {
                    "page": page,
                    "snippet": str(hit.snippet),
                    "url": request.build_absolute_uri(api_url),
                    "html_url": request.build_absolute_uri(page.get_absolute_url()),
                }
            )
        total = min(hits.total, COUNT_LIMIT)
        following = offset + limit
        next_url = None
        if following < total:
            query_string = params.copy()
            query_string["offset"] = str(following)
            next_url = request.build_absolute_uri(f"{request.path}?{query_string.urlencode()}")
        data = {
            "query": query,
            "total": total,
            "more_than_counted": hits.total > COUNT_LIMIT,
            "results": results,
            "next": next_url,
        }
        return Response(SearchResultsSerializer(data).data)


urlpatterns = [path("search/", SearchApi.as_view(), name="search")]
