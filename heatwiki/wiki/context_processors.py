from functools import cache

from django.http import HttpRequest
from django.urls import reverse

from .kinds import page_kinds
from .permissions import is_moderator


@cache
def _kinds() -> list[tuple[str, str]]:
    # The same for every request of the process: the kinds' names and list addresses.
    return [(model.kind_label(), reverse(f"{model.url_namespace}:list")) for model in page_kinds()]


def page_kinds_nav(request: HttpRequest) -> dict:
    """The site navigation: one entry per page kind, marked current under its prefix."""
    nav = [
        {"label": label, "url": url, "current": request.path.startswith(url)}
        for label, url in _kinds()
    ]
    # No user on a request refused before authentication ran (a bad Host header's 400 page).
    user = getattr(request, "user", None)
    return {"page_kinds_nav": nav, "is_moderator": user is not None and is_moderator(user)}
