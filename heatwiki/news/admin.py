from django.contrib import admin

from heatwiki.wiki.admin import WikiPageAdmin

from .models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(WikiPageAdmin):
    list_display = ["title", "published_on", "source_name", "claim_status", "updated_at"]
    list_filter = ["claim_status", "works", "source_name"]
    search_fields = [*WikiPageAdmin.search_fields, "source_name"]
    autocomplete_fields = ["people", "works"]
