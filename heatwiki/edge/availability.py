"""Degrading, not dying: the database away, the database read-only, the cache away.

- **Database unavailable** (refused connections, a restart, too many connections): any request
  that needs it answers 503 with ``Retry-After``, from the server-error handler, so the error may
  come from a view or from any middleware. A form that was being sent comes back in the page
  with everything typed, so pressing the button again sends it again.
- **Read-only**: ``HEATWIKI_READ_ONLY=on`` (maintenance, a replica), or found out when the
  database refuses a write. Every page says so in a banner; anything that would write answers
  503 with the text kept; reading, history, diffs, search and feeds go on.
- ``/readyz`` asks the database and the cache, and answers 503 naming what is down, for load
  balancers; ``/healthz`` stays the cheap check that the process answers at all.

Nothing here touches the database unless asked to: the 503 page is drawn without it.
"""

import logging
import sys
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .cache import ResilientRedisCache

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# How long the wiki stays read-only after the database last refused a write, before trying.
READ_ONLY_DETECTED_SECONDS = 60
# PostgreSQL: read_only_sql_transaction; SQLite: "attempt to write a readonly database".
READ_ONLY_SQLSTATE = "25006"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Never written back into a page: what was typed in them stays with the browser.
SECRET_FIELDS = ("password", "csrfmiddlewaretoken")

_read_only_until = 0.0


def is_read_only_error(error: BaseException | None) -> bool:
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == READ_ONLY_SQLSTATE:
        return True
    return "readonly database" in str(error) or "read-only transaction" in str(error)


def is_database_unavailable(error: BaseException | None) -> bool:
    """An error that says the database cannot be reached or used now, rather than a bug."""
    return isinstance(error, (OperationalError, InterfaceError)) or is_read_only_error(error)


def read_only_reason() -> str:
    """Why the wiki is read-only now, or "" when it may be edited."""
    if settings.HEATWIKI_READ_ONLY:
        return settings.HEATWIKI_READ_ONLY_REASON
    if time.monotonic() < _read_only_until:
        return "The database is accepting no changes at the moment."
    return ""


def _mark_read_only() -> None:
    global _read_only_until
    _read_only_until = time.monotonic() + READ_ONLY_DETECTED_SECONDS


def kept_fields(request: HttpRequest) -> list[tuple[str, str, bool]]:
    """What the form being sent held: (name, value, whether it is long text), secrets left out."""
    if request.method in SAFE_METHODS:
        return []
    try:
        items = list(request.POST.lists())
    except Exception:  # noqa: BLE001 - a body that cannot be read has nothing to keep
        return []
    kept = []
    for name, values in items:
        if name.startswith(SECRET_FIELDS) or name.endswith(SECRET_FIELDS):
            continue
        kept.extend((name, value, "\n" in value or len(value) > 200) for value in values)
    return kept


def unavailable(request: HttpRequest, *, read_only: str = "") -> HttpResponse:
    """The 503 page, drawn without the database, with the form being sent kept in it."""
    fields = kept_fields(request)
    context = {
        "read_only": read_only,
        "fields": fields,
        "retry_seconds": RETRY_AFTER_SECONDS,
        "action": request.get_full_path() if fields else "",
        # The form's token as sent: the cookie it matches is still in the browser.
        "csrf_token_value": request.POST.get("csrfmiddlewaretoken", "") if fields else "",
    }
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        message = read_only or "The wiki cannot reach its database just now; try again shortly."
        response = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database that is away or read-only is a 503, anything else a 500."""
    error = sys.exc_info()[1]
    if is_read_only_error(error):
        _mark_read_only()
        log.warning("The database refused a write: the wiki is read-only for a while")
        return unavailable(request, read_only=read_only_reason())
    if is_database_unavailable(error):
        log.warning("Database unavailable: %s", error)
        return unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)


class ReadOnlyMiddleware:
    """In read-only mode, anything that would write answers 503 with the text kept."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and (reason := read_only_reason()):
            return unavailable(request, read_only=reason)
        return self.get_response(request)


def read_only(request: HttpRequest) -> dict:
    """Context processor: the banner's reason, when the wiki is read-only; whether the cache
    (where sign-in attempts are counted) has been failing, for the 429 page to say why."""
    return {
        "read_only_reason": read_only_reason(),
        "cache_failing": ResilientRedisCache.failing_lately(),
    }


def readyz(request: HttpRequest) -> HttpResponse:
    """Whether this app server can serve: the database and the cache, each checked."""
    down = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log.warning("readyz: database: %s", error)
        down.append("database")
    cache = caches["default"]
    if not getattr(cache, "reachable", lambda: True)():
        down.append("cache")
    if read_only_reason():
        status = {"database": "read-only", "cache": "down" if "cache" in down else "ok"}
    else:
        status = {name: "down" if name in down else "ok" for name in ("database", "cache")}
    response = JsonResponse(status, status=503 if down else 200)
    if down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def read_only_page(request: HttpRequest, reason: str) -> HttpResponse:
    """An edit form asked for while the wiki is read-only: why, instead of the form."""
    return render(request, "read_only.html", {"reason": reason}, status=503)
