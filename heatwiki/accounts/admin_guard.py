"""The admin checks what a request brings before it reaches a query, for every model it shows.

Django's admin hands a list filter's value, an action's selected rows, the id in a change
address and a relation's value in a form to the database as they come. An id past the
column's range (or not a number) then fails there, on one database or the other, as a server
error. Every model admin on the moderators' site is given :class:`GuardedAdmin` (see
``HeatWikiAdminSite.register``), which refuses such values the way the admin refuses any other
bad value: a filter it cannot apply, an object that does not exist, an invalid choice.
"""

from functools import cache

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP

from heatwiki.edge.inputs import (
    YEAR_RANGE,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    bounded_int,
    integer_range,
    valid_key,
)

# What the change list reads itself rather than as a filter.
NOT_FILTERS = {
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
    "_changelist_filters",
}
# Date parts as the date hierarchy and date lookups take them. The hierarchy reaches the year
# after the one chosen, so the last year a date holds cannot be chosen.
DATE_PARTS = {
    "year": (YEAR_RANGE[0], YEAR_RANGE[1] - 1),
    "iso_year": (YEAR_RANGE[0], YEAR_RANGE[1] - 1),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
NUMBER_LOOKUPS = {"", "exact", "iexact", "gt", "gte", "lt", "lte", "in", "range"}


def filter_refusal(model: type[models.Model], params) -> str | None:
    """Why the change list's query parameters cannot be applied, or None when they can."""
    for key, values in params.lists():
        if key in NOT_FILTERS:
            continue
        field, lookups = _resolve(model, key)
        if field is None:
            continue  # not a field: the admin refuses it by itself
        bounds = _bounds(field, lookups)
        if bounds is None:
            continue
        for value in values:
            parts = value.split(",") if lookups and lookups[-1] in {"in", "range"} else [value]
            for part in parts:
                try:
                    bounded_int(part, *bounds, what=f"value of {key}")
                except ValueError as error:
                    return str(error)
    return None


def _resolve(model: type[models.Model], key: str) -> tuple[models.Field | None, list[str]]:
    """The field a filter's key ends at, and the lookups after it."""
    parts = key.split(LOOKUP_SEP)
    opts, field = model._meta, None
    for index, part in enumerate(parts):
        if opts is None:
            return field, parts[index:]
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return field, parts[index:]
        related = getattr(field, "related_model", None)
        opts = related._meta if field.is_relation and related is not None else None
    return field, []


def _bounds(field: models.Field, lookups: list[str]) -> tuple[int, int] | None:
    if isinstance(field, models.DateField) and lookups and lookups[0] in DATE_PARTS:
        return DATE_PARTS[lookups[0]] if lookups[1:] in ([], ["exact"]) else None
    if "".join(lookups[:1]) not in NUMBER_LOOKUPS or len(lookups) > 1:
        return None
    return integer_range(field)


class GuardedAdmin:
    """Put before a ModelAdmin (or inline) class: relations, ids, filters and actions checked."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        # None is the admin's answer for an id that matches nothing.
        if not valid_key(self.model, object_id, from_field):
            return None
        return super().get_object(request, object_id, from_field)

    def get_changelist_instance(self, request):
        if refusal := filter_refusal(self.model, request.GET):
            # The admin's answer to a filter it cannot apply: the list without it.
            raise IncorrectLookupParameters(refusal)
        return super().get_changelist_instance(request)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(valid_key(self.model, key) for key in selected):
            self.message_user(
                request,
                "The rows selected are not rows of this list. Nothing was changed.",
                messages.ERROR,
            )
            return None
        return super().response_action(request, queryset)

    def get_inlines(self, request, obj):
        return [guarded(inline) for inline in super().get_inlines(request, obj)]


@cache
def guarded(admin_class: type) -> type:
    """``admin_class`` with :class:`GuardedAdmin` in front (the same class every time)."""
    if issubclass(admin_class, GuardedAdmin):
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (GuardedAdmin, admin_class), attrs)
