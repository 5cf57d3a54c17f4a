""" "My Heat": where a reader picks the works they have seen or read (see layers.py)."""

from django import forms
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .layers import (
    COOKIE,
    COOKIE_MAX_AGE,
    SESSION_KEY,
    encode,
    known_layers,
    parse,
    reader_layers,
)
from .models import LayerChoice


class MyHeatForm(forms.Form):
    seen = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What I have seen or read",
    )
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen"].choices = [(lay.slug, lay.title) for lay in known_layers()]


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def remember(request: HttpRequest, response: HttpResponse, value: str) -> None:
    """Keep a choice: in the cookie (which the page cache reads), and for a signed-in reader
    in their saved choice and their session too."""
    request._heatwiki_layer_cookie = value
    if request.user.is_authenticated:
        LayerChoice.objects.update_or_create(user=request.user, defaults={"seen": value})
        request.session[SESSION_KEY] = value


@never_cache
def my_heat(request: HttpRequest) -> HttpResponse:
    """GET: the choice, with ``?show=<work>`` ticking one more (the link of a notice);
    POST: keep it and go back where the reader came from."""
    known = known_layers()
    reading = reader_layers(request)
    if request.method == "POST":
        form = MyHeatForm(request.POST)
        if form.is_valid():
            value = encode(form.cleaned_data["seen"], known)
            response = redirect(_safe_next(request, form.cleaned_data["next"]) or "wiki:my-heat")
            remember(request, response, value)
            return response
        return render(request, "wiki/my_heat.html", {"form": form, "reading": reading}, status=400)
    seen = set(reading.seen) if reading.chosen else {lay.slug for lay in known}
    show = request.GET.get("show", "")
    if show in {lay.slug for lay in known}:
        seen.add(show)
    initial = {"seen": sorted(seen), "next": _safe_next(request, request.GET.get("next", ""))}
    context = {"form": MyHeatForm(initial=initial), "reading": reading, "show": show}
    return render(request, "wiki/my_heat.html", context)


@receiver(user_logged_in)
def bring_choice_to_session(sender, request: HttpRequest, user, **kwargs) -> None:
    """At sign-in the saved choice comes into the session; a reader with none saved keeps the
    one they made before signing in, which is saved for them."""
    if request is None:
        return
    saved = LayerChoice.objects.filter(user=user).values_list("seen", flat=True).first()
    if saved is not None:
        request.session[SESSION_KEY] = saved
        # The cookie follows, for the pages and feeds that read it alone.
        request._heatwiki_layer_cookie = saved
        return
    cookie = request.COOKIES.get(COOKIE)
    if cookie and parse(cookie, known_layers()) is not None:
        LayerChoice.objects.create(user=user, seen=cookie)
        request.session[SESSION_KEY] = cookie


class LayerCookieMiddleware:
    """Sets the choice's cookie on the answer to a sign-in that brought a saved choice."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        value = getattr(request, "_heatwiki_layer_cookie", None)
        if value is not None:
            response.set_cookie(
                COOKIE,
                value,
                max_age=COOKIE_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
