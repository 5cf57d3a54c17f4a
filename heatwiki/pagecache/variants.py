"""What, besides its address, makes one reader's page differ from another reader's.

A reader's choices that change what a page shows (which works they have seen, say) are part
of every stored page's key and of every shared fragment's key, or one reader would be served
another's page. Apps declare such a choice with :func:`varies_by`; the page cache and the
fragments read :func:`variant`. With nothing declared, every reader has the same variant.
"""

from collections.abc import Callable

from django.http import HttpRequest

Part = Callable[[HttpRequest], str]
_parts: list[Part] = []


def varies_by(part: Part) -> Part:
    """Declare ``part(request)`` (a short string, from few possible values) as part of keys.

    Called for anonymous readers before the session is loaded, so for them it must decide from
    the request's cookies alone; a part used by fragments may read ``request.user``.
    """
    if part not in _parts:
        _parts.append(part)
    return part


def variant(request: HttpRequest) -> str:
    """The reader's variant: the same string for readers who must see the same page."""
    return "-".join(part(request) for part in _parts)
