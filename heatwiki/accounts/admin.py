"""Blocks and the moderation log, for moderators (who cannot edit users themselves)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone

from .admin_actions import ReasonActionForm, action_reason
from .blocks import block_refusal, lift_block
from .models import Block, ModerationLog


class BlockForm(forms.ModelForm):
    # A username rather than a user picker: moderators have no access to the user admin.
    username = forms.CharField(max_length=150)
    moderator = None  # who is blocking: set by the admin for each request

    class Meta:
        model = Block
        fields = ["username", "reason", "expires_at"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        # Case does not matter, unless accounts differ only in case: then the exact spelling.
        users = list(get_user_model().objects.filter(username__iexact=username)[:10])
        exact = [user for user in users if user.username == username]
        if not users:
            raise forms.ValidationError(f"There is no account “{username}”.")
        if len(users) > 1 and not exact:
            raise forms.ValidationError(
                f"Several accounts are called “{username}” but for case: type the exact username."
            )
        user = exact[0] if exact else users[0]
        if refusal := block_refusal(user, self.moderator):
            raise forms.ValidationError(refusal)
        return user

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(
                "This date has passed: the block would lapse at once. Leave it empty for a "
                "block without an end."
            )
        return expires_at


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "created_at", "expires_at", "blocked_by", "in_force"]
    list_filter = [("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "reason"]
    list_select_related = ["user", "blocked_by"]
    action_form = ReasonActionForm
    actions = ["lift"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            # The form refuses blocks that would be mistakes, which depends on who blocks.
            kwargs["form"] = type("BlockForm", (BlockForm,), {"moderator": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "user",
            "reason",
            "expires_at",
            "blocked_by",
            "created_at",
            "lifted_at",
            "lifted_by",
        ]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # blocks are lifted, not edited
        obj.user = form.cleaned_data["username"]
        obj.blocked_by = request.user
        super().save_model(request, obj, form, change)
        ModerationLog.record(
            request.user, ModerationLog.Action.BLOCK, obj.user.username, obj.reason
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(boolean=True, description="in force")
    def in_force(self, block: Block) -> bool:
        return block.is_active

    @admin.action(description="Lift selected blocks", permissions=["change"])
    def lift(self, request, queryset) -> None:
        reason = action_reason(self, request, required=False)
        for block in queryset.filter(lifted_at__isnull=True).select_related("user"):
            lift_block(block=block, moderator=request.user, reason=reason)
        self.message_user(request, "Lifted.", messages.SUCCESS)


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "moderator", "action", "target", "reason"]
    list_filter = ["action"]
    search_fields = ["moderator__username", "target", "reason"]
    list_select_related = ["moderator"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
