from django.http import HttpRequest
from django.urls import reverse

from .kinds import page_kinds
from .permissions import is_moderator


def page_kinds_nav(request: HttpRequest) -> dict:
    """The site navigation: one entry per page kind, marked current under its prefix."""
    nav = []
    for model in page_kinds():
        url = reverse(f"{model.url_namespace}:list")
        nav.append(
            {
                "label": model.kind_label(),
                "url": url,
                "current": request.path.startswith(url),
            }
        )
    # No user on a request refused before authentication ran (a bad Host header's 400 page).
    user = getattr(request, "user", None)
    return {"page_kinds_nav": nav, "is_moderator": user is not None and is_moderator(user)}
