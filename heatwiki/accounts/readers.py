"""Signed-in readers' accounts without a query per page view.

Django loads the account of a signed-in request from the database every time. On views that
read the content generation anyway (those with shared fragments, heatwiki.pagecache), the
account is kept in this process's memory under the generation instead: every change to an
account, its groups or its blocks moves the generation on (they are watched models), so a kept
account is never older than the last change to it. The session is still read and checked on
every request (signing out anywhere ends it at once), and so is its hash of the password.

Kept in each process, not in the shared cache: an account holds its password hash, which has
no business in Redis.
"""

from copy import copy

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from heatwiki.pagecache.fragments import known_generation
from heatwiki.pagecache.kept import KeptPerGeneration

# Read per request by ModelBackend.has_perm: never kept from one request to the next.
PER_REQUEST = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")
_accounts = KeptPerGeneration(10_000)


def _keep(generation: int, key: tuple, user) -> None:
    kept = copy(user)
    for name in PER_REQUEST:
        kept.__dict__.pop(name, None)
    _accounts.put(generation, key, kept)


def reader(request: HttpRequest):
    """The request's user: from memory when this generation has seen the account already."""
    current = known_generation(request)
    session = request.session
    try:
        key = (session[SESSION_KEY], session[BACKEND_SESSION_KEY], session[HASH_SESSION_KEY])
    except KeyError:
        return get_user(request)
    if current is None:
        return get_user(request)
    if kept := _accounts.get(current, key):
        # The session's hash of the password, checked as Django does (a changed password moves
        # the generation on too).
        if key[1] in settings.AUTHENTICATION_BACKENDS and constant_time_compare(
            key[2], kept.get_session_auth_hash()
        ):
            return copy(kept)
    user = get_user(request)
    if user.is_authenticated and request.session.get(HASH_SESSION_KEY) == key[2]:
        _keep(current, key, user)
    return user


class KnownReaderMiddleware:
    """After AuthenticationMiddleware: ``request.user`` through :func:`reader`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            request.user = SimpleLazyObject(lambda: reader(request))
        return self.get_response(request)
