from django.http import HttpRequest

from .chrome import Chrome


def community(request: HttpRequest) -> dict:
    """The signed-in reader's bell and the page's Watch toggle, read lazily: one query, on the
    first use in a template (see ``chrome.Chrome``)."""
    return {"community": Chrome.of(request)}
