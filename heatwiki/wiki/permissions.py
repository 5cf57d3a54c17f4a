"""Who may change the wiki. Every write path asks here, so the rules live in one place.

Readers need no account. Editing, creating, reverting, previewing and uploading need a signed-in
account with a confirmed e-mail address and no active block. Protected pages are for
moderators only: accounts with the ``wiki.moderate`` permission (the Moderators group has it,
and superusers have every permission).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html

from heatwiki.accounts.blocks import block_message
from heatwiki.accounts.models import Block
from heatwiki.accounts.ratelimit import edit_rate, edit_rate_exceeded, window_end
from heatwiki.edge.availability import read_only_page, read_only_reason
from heatwiki.pagecache.fragments import CACHE_ALIAS as FRAGMENT_CACHE
from heatwiki.pagecache.fragments import known_generation
from heatwiki.pagecache.kept import KeptPerGeneration

MODERATE = "wiki.moderate"


def is_moderator(user) -> bool:
    """Whether the user may moderate: protect, hide, revert as a moderator, edit protected
    pages. Inactive accounts have no permissions at all.

    Moderators are staff (they work in the admin), so other accounts are answered without
    reading permissions: that would cost two queries on every page a fan opens signed in.
    """
    return (user.is_staff or user.is_superuser) and user.has_perm(MODERATE)


def moderator_standing(request: HttpRequest) -> str:
    """A signed-in reader's standing as the page frames key it (heatwiki.pagecache.frames)."""
    return "moderator" if is_moderator(request.user) else ""


@dataclass(frozen=True)
class Refusal:
    """Why someone may not edit: the whole message (a 403's), a few words to show where the
    Edit tab or the Revert button would be, and what kind of reason it is."""

    message: str
    short: str
    code: str  # "inactive", "blocked", "unconfirmed" or "protected"
    expires_at: datetime | None = None  # a block's, when it ends by itself


CONFIRM_MESSAGE = (
    "Confirm your e-mail address before you edit: open the link we sent you, or ask "
    "for a new one on your account's e-mail page."
)


def edit_refusal_detail(user) -> Refusal | None:
    """Why this signed-in user may not edit at all, or None when they may.

    One query, whatever the answer: the account's active block and whether it has a confirmed
    address are read together (and a block's reason only when there is one)."""
    if not user.is_active:
        return Refusal("This account is inactive.", "Account inactive", "inactive")
    standing = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            block=Subquery(
                Block.objects.active()
                .filter(user=OuterRef("pk"))
                .order_by("-created_at")
                .values("pk")[:1]
            ),
        )
        .values("verified", "block")
        .first()
    ) or {"verified": False, "block": None}
    if standing["block"] is not None:
        block = Block.objects.get(pk=standing["block"])
        until = f"until {block.expires_at:%-d %B %Y}" if block.expires_at else "indefinitely"
        return Refusal(block_message(block), f"Blocked {until}", "blocked", block.expires_at)
    if not standing["verified"] and not is_moderator(user):
        return Refusal(CONFIRM_MESSAGE, "Confirm your e-mail to edit", "unconfirmed")
    return None


def edit_refusal(user) -> str | None:
    """Why this signed-in user may not edit at all, or None when they may."""
    refusal = edit_refusal_detail(user)
    return refusal.message if refusal else None


# How long a reader's standing is kept: every change to it (a block, a confirmed address, the
# account itself) moves the content generation on, which is part of its key, so this bounds
# only what nothing announces (a moderators' group losing its permission).
STANDING_SECONDS = 60
_standings = KeptPerGeneration(10_000, seconds=STANDING_SECONDS)


def request_edit_refusal(request: HttpRequest) -> Refusal | None:
    """``edit_refusal_detail`` for the request's user, read once per request (the edit view and
    the Edit tab, the revert form … all ask). On views that read the content generation
    (those with shared fragments) it is kept in the shared cache under it: a signed-in reader's
    pages then need no query to know whether they may edit."""
    if not hasattr(request, "_edit_refusal"):
        request._edit_refusal = _kept_standing(request)
    return request._edit_refusal


def _kept_standing(request: HttpRequest) -> Refusal | None:
    user = request.user
    # Views with shared fragments have read the generation: the standing's key costs nothing.
    current = known_generation(request) if user.is_authenticated else None
    if current is None:
        return edit_refusal_detail(user)
    key = f"standing:{current}:{user.pk}:{user.get_session_auth_hash()[:16]}"
    # In this process's memory, then in the shared cache (for every app server).
    kept = _standings.get(current, key) or caches[FRAGMENT_CACHE].get(key)
    # A block lapses by itself at its expiry, with nothing to announce it.
    if isinstance(kept, tuple) and (kept[1] is None or kept[1] > timezone.now()):
        _standings.put(current, key, kept)
        return kept[0]
    refusal = edit_refusal_detail(user)
    kept = (refusal, getattr(refusal, "expires_at", None))
    caches[FRAGMENT_CACHE].set(key, kept, STANDING_SECONDS)
    _standings.put(current, key, kept)
    return refusal


def page_refusal_detail(user, page) -> Refusal | None:
    """Why this user may not change this page (beyond ``edit_refusal``), or None."""
    if page is not None and page.is_protected and not is_moderator(user):
        who = page.protected_by.username if page.protected_by else "a moderator"
        reason = f" Reason: {page.protection_reason}" if page.protection_reason else ""
        message = f"This page is protected by {who}: only moderators can change it.{reason}"
        return Refusal(message, "Protected: moderators only", "protected")
    return None


def page_refusal(user, page) -> str | None:
    """Why this user may not change this page (beyond ``edit_refusal``), or None."""
    refusal = page_refusal_detail(user, page)
    return refusal.message if refusal else None


def can_edit(user, page=None) -> bool:
    return user.is_authenticated and edit_refusal(user) is None and page_refusal(user, page) is None


def refusal_for(request: HttpRequest, page=None) -> Refusal | None:
    """Why the request's user may not change ``page`` (or edit at all), or None when they may.
    Anonymous visitors are not refused here: signing in is the way on for them."""
    if not request.user.is_authenticated:
        return None
    return request_edit_refusal(request) or page_refusal_detail(request.user, page)


def check_page(user, page) -> None:
    """Refuse with a 403 saying why, when the user may not change this page."""
    refusal = page_refusal(user, page)
    if refusal:
        raise PermissionDenied(refusal)


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to sign-in; signed-in users who may not edit get a 403 saying why;
    saves beyond the edit rate get a 429."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if reason := read_only_reason():
            # The form would only lead to a save that cannot happen: say why instead.
            return read_only_page(request, reason)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        refusal = request_edit_refusal(request)
        if refusal:
            raise PermissionDenied(refusal.message)
        return view(request, *args, **kwargs)

    return wrapper


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to sign-in; everyone but moderators gets a 403 saying why."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Only moderators may do this.")
        return view(request, *args, **kwargs)

    return wrapper


def edit_rate_refusal(request: HttpRequest) -> tuple[str, int] | None:
    """Count a POST that may change the wiki against the account's edit rate: once it is over,
    the message and the seconds until saving is allowed again, else None. Called after the
    permission checks, so refusals do not count."""
    if request.method != "POST":
        return None
    message = edit_rate_exceeded(request.user)
    if not message:
        return None
    wait = window_end(edit_rate(request.user)) - timezone.now()
    return message, max(1, math.ceil(wait.total_seconds()))


def over_edit_rate(request: HttpRequest) -> HttpResponse | None:
    """``edit_rate_refusal`` as the 429 page, with a Retry-After header."""
    refusal = edit_rate_refusal(request)
    if refusal is None:
        return None
    message, seconds = refusal
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def is_background_request(request: HttpRequest) -> bool:
    """A request the editor's script makes (live preview, upload), not a page the user opens."""
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def background_refusal(message: str, *, as_json: bool) -> HttpResponse:
    """A short 403 the editor's script can show in place: it inserts whatever comes back into
    the preview, so a redirect to the sign-in page would put a whole page there."""
    if as_json:
        return JsonResponse({"error": message}, status=403)
    return HttpResponse(format_html('<p class="preview-error">{}</p>', message), status=403)


def editor_endpoint(*, as_json: bool) -> Callable:
    """``editor_required`` for the editor's own endpoints: the same rules, but a background
    request that may not go on gets a short 403 rather than a redirect or an error page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        guarded = editor_required(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if is_background_request(request):
                if not request.user.is_authenticated:
                    message = (
                        "You are signed out. Sign in again in another tab; your text here is kept."
                    )
                    return background_refusal(message, as_json=as_json)
                if refusal := request_edit_refusal(request):
                    return background_refusal(refusal.message, as_json=as_json)
            return guarded(request, *args, **kwargs)

        return wrapper

    return decorator
