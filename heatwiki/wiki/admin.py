"""What every page kind's admin shares; each kind's admin adds its own fields.

Admin saves go through the revision service like the site's: once the page and its inlines
are saved, the change becomes a revision by the moderator who made it.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from heatwiki.accounts.admin_actions import ReasonActionForm, action_reason

from .models import FilePage, Revision, WikiPage
from .moderation import (
    delete_page,
    hide_revisions,
    moderator_revert,
    protect_page,
    unhide_revision,
    unprotect_page,
)
from .permissions import is_moderator
from .services import record_revision


def _account_link(user) -> str:
    url = reverse("wiki:contributions", args=[user.username])
    return format_html('<a href="{}">{}</a>', url, user.username)


class ModerateMixin:
    """Admin actions marked ``permissions=["moderate"]`` are offered to moderators only."""

    def has_moderate_permission(self, request) -> bool:
        return is_moderator(request.user)


class WikiPageAdminForm(forms.ModelForm):
    """A page's admin form remembers the revision it was opened at: saving it after the page
    has moved on would overwrite an edit made meanwhile, so that is refused."""

    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.current_revision if self.instance.pk else None
        self.fields["base_revision"].initial = current.number if current else None

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # Locked until the admin's transaction ends, so no site edit slips in before the save.
        current_id = (
            WikiPage.objects.select_for_update(no_key=True)
            .filter(pk=self.instance.pk)
            .values_list("current_revision", flat=True)
            .get()
        )
        current = Revision.objects.select_related("author").filter(pk=current_id).first()
        if current is not None and cleaned.get("base_revision") != current.number:
            raise forms.ValidationError(
                f"This page was saved by {current.author.username} (revision {current.number}) "
                "after you opened this form. Nothing was saved: open the page again to see "
                "their change, then make yours."
            )
        return cleaned


class WikiPageAdmin(ModerateMixin, admin.ModelAdmin):
    form = WikiPageAdminForm
    list_display = ["title", "protected", "updated_at"]
    search_fields = ["title", "description", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "current_revision",
        "created_at",
        "updated_at",
        "protected_at",
        "protected_by",
        "protection_reason",
    ]
    save_on_top = True
    list_per_page = 50
    action_form = ReasonActionForm
    actions = ["protect", "unprotect"]

    def get_list_display(self, request):
        # Kinds set their own columns; whether a page is protected shows in every list.
        columns = list(super().get_list_display(request))
        return columns if "protected" in columns else [*columns, "protected"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ("protected_at", admin.EmptyFieldListFilter)]

    @admin.display(boolean=True, ordering="protected_at")
    def protected(self, page) -> bool:
        return page.is_protected

    @admin.action(
        description="Protect selected pages (only moderators may edit them)",
        permissions=["moderate"],
    )
    def protect(self, request, queryset) -> None:
        if (reason := action_reason(self, request)) is None:
            return
        for page in queryset:
            protect_page(page=page, moderator=request.user, reason=reason)
        self.message_user(request, f"Protected {len(queryset)} page(s).", messages.SUCCESS)

    @admin.action(description="Unprotect selected pages", permissions=["moderate"])
    def unprotect(self, request, queryset) -> None:
        reason = action_reason(self, request, required=False)
        for page in queryset:
            unprotect_page(page=page, moderator=request.user, reason=reason)
        self.message_user(request, f"Unprotected {len(queryset)} page(s).", messages.SUCCESS)

    # Deleting a page from the admin is the site's deletion: the page goes, its history stays.
    def has_delete_permission(self, request, obj=None) -> bool:
        return is_moderator(request.user)

    def get_deleted_objects(self, objs, request):
        return (
            [f"{page} (its revisions are kept; it can be undeleted)" for page in objs],
            {},
            set(),
            [],
        )

    def delete_model(self, request, obj) -> None:
        delete_page(page=obj, moderator=request.user, reason="Deleted in the admin")

    def delete_queryset(self, request, queryset) -> None:
        for page in queryset:
            delete_page(page=page, moderator=request.user, reason="Deleted in the admin")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        changed = sorted({*form.changed_data, *(fs.prefix for fs in formsets if fs.has_changed())})
        summary = "Created in the admin" if not change else "Edited in the admin"
        if change and changed:
            summary += f": {', '.join(changed)}"
        record_revision(page=form.instance, author=request.user, summary=summary[:300])


class OwnedRowAdmin(admin.ModelAdmin):
    """Admin of rows that belong to a page (a person's credits, a scene's quotes).

    Changing one changes its page, so the page gets a revision, as it would from the site.
    """

    owner_field: str

    def _record_owners(self, request, *owners) -> None:
        for owner in {o for o in owners if o is not None}:
            record_revision(page=owner, author=request.user, summary="Edited in the admin")

    def save_model(self, request, obj, form, change) -> None:
        previous = None
        if change:
            previous = getattr(type(obj).objects.get(pk=obj.pk), self.owner_field)
        super().save_model(request, obj, form, change)
        self._record_owners(request, previous, getattr(obj, self.owner_field))

    def delete_model(self, request, obj) -> None:
        owner = getattr(obj, self.owner_field)
        super().delete_model(request, obj)
        self._record_owners(request, owner)

    def delete_queryset(self, request, queryset) -> None:
        owners = [getattr(obj, self.owner_field) for obj in queryset]
        super().delete_queryset(request, queryset)
        self._record_owners(request, *owners)


@admin.register(Revision)
class RevisionAdmin(ModerateMixin, admin.ModelAdmin):
    """Every revision, by page and by author; moderators hide, unhide and revert from here."""

    # The hidden flag early, where it is seen without scrolling.
    list_display = ["page_title", "number", "hidden", "by", "created_at", "summary", "minor"]
    list_filter = ["page__page_kind", "minor", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["page__title", "author__username", "summary"]
    list_select_related = ["page", "author"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    readonly_fields = [
        "page",
        "number",
        "by",
        "created_at",
        "summary",
        "minor",
        "title",
        "size",
        "size_change",
        "hidden_at",
        "hidden_by_whom",
        "hidden_reason",
        "body_html",
    ]
    # Accounts link to the wiki's page of each (moderators may not open the user admin).
    exclude = ["snapshot", "author", "hidden_by"]
    action_form = ReasonActionForm
    actions = ["hide", "unhide", "revert_to"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # history is append-only; hide instead

    @admin.display(description="page", ordering="page__title")
    def page_title(self, revision: Revision) -> str:
        return revision.page.title

    @admin.display(description="author", ordering="author__username")
    def by(self, revision: Revision) -> str:
        return _account_link(revision.author)

    @admin.display(description="hidden by")
    def hidden_by_whom(self, revision: Revision) -> str:
        return _account_link(revision.hidden_by) if revision.hidden_by else "—"

    @admin.display(boolean=True, ordering="hidden_at")
    def hidden(self, revision: Revision) -> bool:
        return revision.is_hidden

    @admin.action(
        description="Hide selected revisions (content, title and summary)", permissions=["moderate"]
    )
    def hide(self, request, queryset) -> None:
        if (reason := action_reason(self, request)) is None:
            return
        # All of a page's selected revisions at once: one by one, hiding the current revision
        # could restore another selected one and make its text current again.
        revisions = list(queryset)
        refusals = hide_revisions(revisions=revisions, moderator=request.user, reason=reason)
        for refusal in refusals:
            self.message_user(request, str(refusal), messages.ERROR)
        # Each refusal is one page whose revisions stayed as they were.
        if len(refusals) < len({revision.page_id for revision in revisions}):
            self.message_user(request, "Hidden.", messages.SUCCESS)

    @admin.action(description="Unhide selected revisions", permissions=["moderate"])
    def unhide(self, request, queryset) -> None:
        reason = action_reason(self, request, required=False)
        for revision in queryset:
            unhide_revision(revision=revision, moderator=request.user, reason=reason)
        self.message_user(request, "Unhidden.", messages.SUCCESS)

    @admin.action(description="Revert its page to the selected revision", permissions=["moderate"])
    def revert_to(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one revision.", messages.ERROR)
            return
        if (reason := action_reason(self, request)) is None:
            return
        revision = queryset.select_related("page").get()
        if revision.is_hidden:
            # Hidden text never becomes a page's current content again: unhide it first.
            self.message_user(
                request,
                f"Revision {revision.number} is hidden: unhide it first if its content should "
                "come back. Nothing was changed.",
                messages.ERROR,
            )
            return
        outcome = moderator_revert(
            page=revision.page, number=revision.number, moderator=request.user, reason=reason
        )
        if outcome.unchanged:
            self.message_user(request, "The page already has that content.", messages.INFO)
        else:
            self.message_user(
                request,
                f"Reverted {revision.page} to revision {revision.number}.",
                messages.SUCCESS,
            )


@admin.register(FilePage)
class FilePageAdmin(WikiPageAdmin):
    """File pages: their fields are edited here; a new image is uploaded on the site's form."""

    list_display = ["title", "licence", "credit", "updated_at"]
    list_filter = ["licence"]
    readonly_fields = [*WikiPageAdmin.readonly_fields, "upload"]
    exclude = ["image"]
