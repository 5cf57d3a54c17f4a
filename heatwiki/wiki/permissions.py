"""Who may change the wiki. Every write path asks here, so the rules live in one place."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def can_edit(user) -> bool:
    """May this user create, edit, revert, preview and upload?"""
    return bool(user.is_authenticated and user.is_active)


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to sign-in; signed-in users without the right get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_edit(request.user):
            raise PermissionDenied("Your account may not edit the wiki.")
        return view(request, *args, **kwargs)

    return wrapper
