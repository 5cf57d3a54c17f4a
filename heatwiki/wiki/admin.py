"""What every page kind's admin shares; each kind's admin adds its own fields.

Admin saves go through the revision service like the site's: once the page and its inlines
are saved, the change becomes a revision by the moderator who made it.
"""

from django.contrib import admin

from .services import record_revision


class WikiPageAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at"]
    search_fields = ["title", "description", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["current_revision", "created_at", "updated_at"]
    save_on_top = True
    list_per_page = 50

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
