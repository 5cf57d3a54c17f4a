"""Moderation on the wiki's own pages: protect and unprotect a page, hide and unhide a revision
from its history, block and unblock an account and roll back its edits from its
contributions. Each asks for a reason (GET shows the form, POST acts) and is logged."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.blocks import active_block, block_account, block_refusal, lift_block

from .addresses import find_page
from .models import Revision, WikiPage
from .moderation import (
    CannotHide,
    hide_revision,
    protect_page,
    protection_refusal,
    rollback_edits,
    unhide_revision,
    unprotect_page,
)
from .permissions import moderator_required

DURATIONS = {
    "": None,
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
    "1m": timedelta(days=30),
    "3m": timedelta(days=91),
    "1y": timedelta(days=365),
}
DURATION_CHOICES = [
    ("", "No end"),
    ("1d", "One day"),
    ("1w", "One week"),
    ("1m", "One month"),
    ("3m", "Three months"),
    ("1y", "One year"),
]


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Shown where it applies, and logged.")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: it is logged.")
        return reason


class LimitedForm(ReasonForm):
    duration = forms.ChoiceField(choices=DURATION_CHOICES, required=False, label="For")

    def until(self):
        span = DURATIONS[self.cleaned_data.get("duration") or ""]
        return timezone.now() + span if span else None


class ProtectForm(LimitedForm):
    shorten = forms.BooleanField(required=False, label="Shorten the protection")


class RollbackForm(ReasonForm):
    hours = forms.IntegerField(
        min_value=1,
        max_value=24 * 90,
        initial=24,
        label="Their edits of the last … hours",
        help_text="On each page, their latest edits in a row are taken back as one change.",
    )


def _moderate(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    about: str,
    action: str,
    back: str,
) -> HttpResponse:
    """The action's form: to fill in (200), or sent and refused, with why (400)."""
    context = {"form": form, "title": title, "about": about, "action": action, "back": back}
    return render(request, "wiki/moderate.html", context, status=400 if form.is_bound else 200)


@moderator_required
def protect(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    page = find_page(request, model, slug)
    form = ProtectForm(request.POST or None)
    if form.is_valid():
        until = form.until()
        refusal = protection_refusal(page, until, shorten=form.cleaned_data["shorten"])
        if refusal is None:
            protect_page(
                page=page, moderator=request.user, reason=form.cleaned_data["reason"], until=until
            )
            messages.success(request, f"Protected “{page.title}”: only moderators may edit it.")
            return redirect(page)
        form.add_error("shorten", refusal)
    about = "Only moderators will be able to edit the page until the protection ends."
    return _moderate(
        request,
        form,
        title=f"Protect {page.title}",
        about=about,
        action="Protect",
        back=page.get_absolute_url(),
    )


@moderator_required
def unprotect(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    page = find_page(request, model, slug)
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        unprotect_page(page=page, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"“{page.title}” is no longer protected.")
        return redirect(page)
    about = "Every editor will be able to edit the page again."
    return _moderate(
        request,
        form,
        title=f"Unprotect {page.title}",
        about=about,
        action="Unprotect",
        back=page.get_absolute_url(),
    )


def _revision(request: HttpRequest, model, slug: str, number: int) -> Revision:
    page = find_page(request, model, slug, deleted_for_moderators=True)
    return get_object_or_404(page.revisions.select_related("page"), number=number)


@moderator_required
def hide(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    revision = _revision(request, model, slug, number)
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        try:
            hide_revision(
                revision=revision, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except CannotHide as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Revision {number} is hidden from everyone but moderators.")
            return redirect(revision.page.kind_url("history"))
    about = (
        "Its content, title and summary will be shown to moderators only. If it is the current "
        "revision, the page goes back to the newest visible one."
    )
    return _moderate(
        request,
        form,
        title=f"Hide revision {number} of {revision.page.title}",
        about=about,
        action="Hide",
        back=revision.page.kind_url("history"),
    )


@moderator_required
def unhide(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    revision = _revision(request, model, slug, number)
    form = ReasonForm(request.POST or None)
    if form.is_valid():
        unhide_revision(
            revision=revision, moderator=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Revision {number} is visible to everyone again.")
        return redirect(revision.page.kind_url("history"))
    return _moderate(
        request,
        form,
        title=f"Unhide revision {number} of {revision.page.title}",
        about="Its content, title and summary will be shown to everyone again.",
        action="Unhide",
        back=revision.page.kind_url("history"),
    )


def _account(username: str):
    return get_object_or_404(get_user_model(), username=username)


@moderator_required
def block(request: HttpRequest, username: str) -> HttpResponse:
    person = _account(username)
    form = LimitedForm(request.POST or None)
    refusal = block_refusal(person, request.user)
    if refusal:
        form.is_valid()
        form.add_error(None, refusal)
    elif form.is_valid():
        block_account(
            user=person,
            moderator=request.user,
            reason=form.cleaned_data["reason"],
            expires_at=form.until(),
        )
        messages.success(request, f"{person.username} is blocked from editing.")
        return redirect("wiki:contributions", username=person.username)
    about = f"{person.username} will not be able to edit, create, revert, preview or upload."
    return _moderate(
        request,
        form,
        title=f"Block {person.username}",
        about=about,
        action="Block",
        back=reverse("wiki:contributions", args=[person.username]),
    )


@moderator_required
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    person = _account(username)
    current = active_block(person)
    form = ReasonForm(request.POST or None)
    if current is None:
        messages.info(request, f"{person.username} is not blocked.")
        return redirect("wiki:contributions", username=person.username)
    if form.is_valid():
        lift_block(block=current, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{person.username}'s block is lifted.")
        return redirect("wiki:contributions", username=person.username)
    return _moderate(
        request,
        form,
        title=f"Lift {person.username}'s block",
        about=f"Blocked: {current.reason}",
        action="Lift the block",
        back=reverse("wiki:contributions", args=[person.username]),
    )


@moderator_required
def rollback(request: HttpRequest, username: str) -> HttpResponse:
    person = _account(username)
    form = RollbackForm(request.POST or None)
    if form.is_valid():
        since = timezone.now() - timedelta(hours=form.cleaned_data["hours"])
        outcomes = rollback_edits(
            author=person, since=since, moderator=request.user, reason=form.cleaned_data["reason"]
        )
        saved = [o for o in outcomes if o.revision is not None]
        left = [o.page.title for o in outcomes if o.conflicts]
        messages.success(request, f"Rolled back {person.username}'s edits on {len(saved)} page(s).")
        if left:
            messages.warning(
                request,
                "Later edits by others overlap theirs on "
                + ", ".join(f"“{title}”" for title in left)
                + ": those pages were left as they are; undo their edits there by hand.",
            )
        return redirect(reverse("wiki:contributions", args=[person.username]))
    about = (
        f"Every page {person.username} edited in that time goes back to how it was before "
        "their latest edits, keeping what others saved since."
    )
    return _moderate(
        request,
        form,
        title=f"Roll back {person.username}'s edits",
        about=about,
        action="Roll back",
        back=reverse("wiki:contributions", args=[person.username]),
    )
