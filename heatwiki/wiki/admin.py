"""What every page kind's admin shares; each kind's admin adds its own fields."""

from django.contrib import admin


class WikiPageAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at"]
    search_fields = ["title", "description", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    save_on_top = True
    list_per_page = 50
