from django.contrib import admin
from django.db import models
from django.forms import Textarea

from heatwiki.wiki.admin import OwnedRowAdmin, WikiPageAdmin

from .models import Location, Quote, Scene, SceneCharacter


class SceneCharacterInline(admin.TabularInline):
    model = SceneCharacter
    extra = 0
    autocomplete_fields = ["character"]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 60})}}


@admin.register(Scene)
class SceneAdmin(WikiPageAdmin):
    list_display = ["title", "work", "position", "featured", "updated_at"]
    list_filter = ["work", "featured", "locations"]
    list_select_related = ["work"]
    autocomplete_fields = ["work", "locations"]
    exclude = ["characters"]
    inlines = [SceneCharacterInline, QuoteInline]


@admin.register(Location)
class LocationAdmin(WikiPageAdmin):
    list_display = ["title", "city", "stands_for", "still_standing", "updated_at"]
    list_filter = ["city", "still_standing"]
    search_fields = [*WikiPageAdmin.search_fields, "address", "city", "stands_for"]


@admin.register(Quote)
class QuoteAdmin(OwnedRowAdmin):
    owner_field = "scene"
    list_display = ["__str__", "scene", "speaker"]
    list_filter = ["scene__work"]
    search_fields = ["text", "scene__title", "speaker__title"]
    autocomplete_fields = ["scene", "speaker"]
    list_select_related = ["scene", "speaker"]
