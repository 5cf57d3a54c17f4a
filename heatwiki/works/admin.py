from django.contrib import admin

from heatwiki.wiki.admin import WikiPageAdmin

from .models import Work


@admin.register(Work)
class WorkAdmin(WikiPageAdmin):
    list_display = ["title", "kind", "year", "status", "updated_at"]
    list_filter = ["kind", "status"]
