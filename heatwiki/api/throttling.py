"""Rate limits for the API: per address for anonymous readers, per account with a token or a
session. Counted with the site's own rate limits, in the cache (Redis when REDIS_URL is set),
so they hold across every worker and app server."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from heatwiki.accounts.ratelimit import seconds_until_next_window, within_rate


def client_address(request: Request) -> str:
    """The client's address, also behind proxies (ALLAUTH_TRUSTED_PROXY_COUNT); requests
    without one (made in-process, not over a socket) share a count."""
    try:
        return get_adapter(request._request).get_client_ip(request._request)
    except PermissionDenied:
        return "unknown"


class ApiRateThrottle(BaseThrottle):
    """A 429 with ``Retry-After`` (the seconds until the current window ends) once over."""

    rate = ""

    def allow_request(self, request: Request, view) -> bool:
        if request.user and request.user.is_authenticated:
            key, self.rate = f"api:user:{request.user.pk}", settings.HEATWIKI_API_USER_RATE
        else:
            key, self.rate = f"api:ip:{client_address(request)}", settings.HEATWIKI_API_ANON_RATE
        return within_rate(key, self.rate)

    def wait(self) -> int:
        return seconds_until_next_window(self.rate)
