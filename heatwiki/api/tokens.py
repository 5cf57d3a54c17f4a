"""The account page where readers make and revoke their API tokens.

A new token is shown once, on the page that answers the form, and never again: only its hash
is kept. Revoking is at once and for good.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import ApiToken

MAX_ACTIVE_TOKENS = 10


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, e.g. “location map” or “casting bot”.",
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None, f"You have {MAX_ACTIVE_TOKENS} tokens already: revoke one you no longer use."
            )
        else:
            _, new_key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
            form = TokenForm()
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key}
    status = 201 if new_key else 400 if form.errors else 200
    response = render(request, "api/tokens.html", context, status=status)
    # The page may show a token: no cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api-tokens")
