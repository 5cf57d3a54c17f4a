"""The edge of the site: what every request is checked for, and what every answer carries.

``SecurityHeadersMiddleware`` comes first in MIDDLEWARE, so its headers are on every answer,
including the errors that Django makes when an inner middleware fails (a bad Host, a body too
large) and that therefore never pass the inner ones. The CSP and frame-options middleware come
right after it for the same reason.

``RequestGuardMiddleware`` comes before anything that reads the request: a body that cannot be
read as UTF-8 form data, a control character in the address, the query, a posted field or a
cookie, or a body past the size limits gets the site's 400 (or 413) page at once, and nothing
later reads that body again (Django's CSRF failure and error views would, and fail a second
time).
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html

from .inputs import CONTROL_CHARACTERS

View = Callable[[HttpRequest], HttpResponse]

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# Any control character, in an address: none belongs in a path or a cookie.
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f]")
# A query string that may hold a control character once decoded.
_ENCODED_CONTROL = re.compile("%(?:[01][0-9a-fA-F]|7[fF])|[\x00-\x1f\x7f]")

NOT_UTF8 = (
    "The form was sent in a character set other than UTF-8, which is the only one the wiki "
    "reads. Nothing was changed; send it again from the wiki's own page."
)
CONTROL = (
    "The request holds a control character (such as a NUL byte) that no text in the wiki can "
    "contain. Nothing was changed."
)
UNREADABLE = "The form could not be read. Nothing was changed; send it again."
TOO_BIG = "The form sent is larger than the wiki accepts. Nothing was changed."


class SecurityHeadersMiddleware:
    """nosniff and the referrer policy on every answer, whichever middleware made it.

    SecurityMiddleware sets them too, but only on answers that pass back through it; an error
    raised inside it (a disallowed Host on an HTTPS redirect) does not.
    """

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class RequestGuardMiddleware:
    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.refusal(request)
        if refusal is not None:
            status, message = refusal
            return refuse(request, status, message)
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> tuple[int, str] | None:
        if _ANY_CONTROL.search(request.path):
            return 400, CONTROL
        query = request.META.get("QUERY_STRING", "")
        if query and _ENCODED_CONTROL.search(query) and _holds_control(request.GET):
            return 400, CONTROL
        if any(
            _ANY_CONTROL.search(k) or _ANY_CONTROL.search(v) for k, v in request.COOKIES.items()
        ):
            return 400, CONTROL
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return None
        if request.content_type not in FORM_TYPES:
            return None
        if request.encoding and request.encoding.lower() not in {"utf-8"}:
            return 400, NOT_UTF8
        try:
            fields = request.POST
        except RequestDataTooBig:
            return 413, TOO_BIG
        except (BadRequest, SuspiciousOperation, UnreadablePostError, MultiPartParserError):
            return 400, UNREADABLE
        if _holds_control(fields):
            return 400, CONTROL
        return None


def _holds_control(fields: QueryDict) -> bool:
    for key, values in fields.lists():
        if CONTROL_CHARACTERS.search(key):
            return True
        for value in values:
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                return True
    return False


def refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The site's styled 400 or 413 page saying what was wrong.

    The body is marked as read (and empty) first, so that nothing drawing the page, or any
    error page after it, tries to read it again.
    """
    if request.method not in {"GET", "HEAD"}:
        request._post, request._files = QueryDict(), MultiValueDict()
    # The query too: the page's sign-in link repeats the address, and must not fail on it.
    request.GET = QueryDict()
    request.META["QUERY_STRING"] = ""
    if request.path.startswith(tuple(settings.HEATWIKI_JSON_PATHS)):
        # Machines reading JSON (the read API) get their refusal as JSON too.
        return JsonResponse({"detail": message}, status=status)
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # The editor's script (live preview, upload) shows the answer in place: a short note,
        # as JSON for the upload, which reads JSON.
        if _view_name(request) == "editor:upload":
            return JsonResponse({"error": message}, status=status)
        return HttpResponse(format_html('<p class="preview-error">{}</p>', message), status=status)
    return render(request, f"{status}.html", {"message": message}, status=status)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
