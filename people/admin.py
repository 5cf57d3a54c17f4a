from django.contrib import admin

from heatwiki.wiki.admin import OwnedRowAdmin, WikiPageAdmin

from .models import Character, Credit, Person, Role


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["person", "work", "character", "source_news"]


class PersonCreditInline(CreditInline):
    fk_name = "person"
    fields = ["work", "job", "character", "status", "source_news", "source_url"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(WikiPageAdmin):
    list_display = ["title", "role_names", "updated_at"]
    list_filter = ["roles"]
    filter_horizontal = ["roles"]
    inlines = [PersonCreditInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description="roles")
    def role_names(self, person: Person) -> str:
        return ", ".join(role.name for role in person.roles.all())


@admin.register(Character)
class CharacterAdmin(WikiPageAdmin):
    list_display = ["title", "inspired_by", "updated_at"]
    list_filter = ["works"]
    autocomplete_fields = ["works", "inspired_by"]
    list_select_related = ["inspired_by"]


@admin.register(Credit)
class CreditAdmin(OwnedRowAdmin):
    owner_field = "person"
    list_display = ["__str__", "work", "job", "status"]
    list_filter = ["status", "job", "work"]
    search_fields = ["person__title", "character__title", "work__title"]
    autocomplete_fields = ["person", "work", "character", "source_news"]
    list_select_related = ["person", "work", "character"]
