"""The reason box of the admin's action bar: every moderation action is recorded with why."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpRequest

REASON_MAX_LENGTH = 300


class ReasonActionForm(ActionForm):
    """The admin's action bar, with the reason every moderation action is recorded with."""

    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 40, "placeholder": "Reason (recorded)"}),
    )


def action_reason(
    modeladmin: admin.ModelAdmin, request: HttpRequest, *, required: bool = True
) -> str | None:
    """The reason typed in the action bar; None (with a message) when it is required and
    missing. Who may run the action is the admin's ``has_*_permission`` methods' business."""
    reason = request.POST.get("reason", "").strip()[:REASON_MAX_LENGTH]
    if required and not reason:
        modeladmin.message_user(request, "Give a reason: it is recorded.", messages.ERROR)
        return None
    return reason
