"""What every response of the API and the dumps carries: CORS open to any site for reading
(GET and HEAD only, without cookies), and validators for conditional requests (ETag from the
response's content, Last-Modified from the change feed), answered with 304 when they match."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from .models import Change

API = "/api/v1/"
PREFIXES = ("/api/", "/dumps/")
READ_METHODS = {"GET", "HEAD"}
ALLOWED_HEADERS = "Accept, Authorization, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, Content-Disposition"


def latest_change():
    """When the wiki last changed, as the change feed knows it."""
    return Change.objects.order_by("-id").values_list("created_at", flat=True).first()


class ApiMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            # A preflight: reading is allowed from anywhere; nothing else is offered.
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD"
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
            response["Access-Control-Allow-Origin"] = "*"
            return response
        response = self.get_response(request)
        if request.path_info.startswith(API) and response.status_code == 404:
            # Addresses no URL pattern takes get the API's JSON 404, not the site's page.
            if not response.get("Content-Type", "").startswith("application/json"):
                response = JsonResponse({"detail": "No such address in the API."}, status=404)
        if request.method not in READ_METHODS:
            return response
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if response.status_code != 200 or response.streaming:
            return response
        return self._conditional(request, response)

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.has_header("ETag"):
            set_response_etag(response)  # not for an empty body
        if not response.has_header("Last-Modified") and (changed := latest_change()):
            response["Last-Modified"] = http_date(changed.timestamp())
        # Readers may keep a response but must ask again each time: a 304 costs little. What a
        # token or a session was shown (moderators see hidden revisions) is theirs alone.
        personal = "authorization" in request.headers or (
            settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        patch_cache_control(response, no_cache=True, **({"private": True} if personal else {}))
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
