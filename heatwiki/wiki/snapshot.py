"""Taking a snapshot: a page's whole state as JSON — fields, relations and owned rows.

Revisions store snapshots; edits, merges, diffs and reverts all work on them, so a page kind
gets every one of those by declaring its fields, many-to-many relations and ``owned_rows``.
``replay`` puts a snapshot back (into the database, or onto a page shown as it was) and
``describe`` reads one out for people.
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.dateparse import parse_duration
from django.utils.duration import duration_string

from .models import WikiPage

# Kept by the engine itself rather than edited: they are never part of a page's content.
NOT_CONTENT = {
    "page_kind",
    "title_key",
    "body_html",
    "current_revision",
    "created_at",
    "updated_at",
}

Snapshot = dict[str, Any]


def scalar_fields(model: type[WikiPage]) -> list[models.Field]:
    """The page's own editable columns, title first and body last."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in NOT_CONTENT
        and (f.name != "image" or model.has_infobox_image)
    ]
    return sorted(fields, key=lambda f: f.name == "body")


def m2m_fields(model: type[WikiPage]) -> list[models.ManyToManyField]:
    return list(model._meta.many_to_many)


def owned_relations(model: type[WikiPage]) -> list[tuple[str, type[models.Model], list]]:
    """(accessor, row model, row fields) for each relation whose rows belong to the page."""
    relations = []
    for name, field_names in model.owned_rows.items():
        row_model = model._meta.get_field(name).related_model
        relations.append((name, row_model, [row_model._meta.get_field(f) for f in field_names]))
    return relations


def field_names(model: type[WikiPage]) -> list[str]:
    """A snapshot's keys in the order ``take`` writes them and the edit form shows them."""
    return [
        *(f.name for f in scalar_fields(model)),
        *(f.name for f in m2m_fields(model)),
        *(name for name, _, _ in owned_relations(model)),
    ]


def to_json(field: models.Field, value: Any) -> Any:
    """A field's value in the form snapshots store: JSON-native and canonical."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or value == "" and field.null and not isinstance(field, models.CharField):
        return None
    if isinstance(field, models.DecimalField):
        return format(Decimal(value).quantize(Decimal(10) ** -field.decimal_places), "f")
    if isinstance(value, timedelta):
        return duration_string(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.DurationField):
        return parse_duration(value)
    return field.to_python(value)


def canonical_rows(rows: list[dict]) -> list[dict]:
    """Owned rows in a stable order, without duplicates, so equal states compare equal."""
    unique = {json.dumps(row, sort_keys=True): row for row in rows}
    return [unique[key] for key in sorted(unique)]


def _comparable(value: Any) -> Any:
    # Owned rows are a set: the order they were taken in does not make a page different.
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return canonical_rows(value)
    return value


def same_content(a: Snapshot, b: Snapshot) -> bool:
    """Whether two snapshots describe the same page, whatever order their owned rows are in."""
    return a.keys() == b.keys() and all(_comparable(a[k]) == _comparable(b[k]) for k in a)


def take(page: WikiPage) -> Snapshot:
    """The page's current state, relations read from the database.

    Owned rows are listed in the database's order for them (the row model's ordering), so an
    old revision shows them as the page did then.
    """
    model = type(page)
    data = {f.name: to_json(f, getattr(page, f.attname)) for f in scalar_fields(model)}
    for f in m2m_fields(model):
        data[f.name] = sorted(getattr(page, f.name).values_list("pk", flat=True))
    for name, _, row_fields in owned_relations(model):
        rows = getattr(page, name).values(*(f.attname for f in row_fields))
        data[name] = [{f.name: to_json(f, row[f.attname]) for f in row_fields} for row in rows]
    return data


def from_forms(model: type[WikiPage], cleaned: dict, row_forms: dict[str, list[dict]]) -> Snapshot:
    """A snapshot from an edit form's cleaned data and its formsets' rows.

    Fields the form does not edit are left out, for the caller to fill in.
    """
    data = {f.name: to_json(f, cleaned[f.name]) for f in scalar_fields(model) if f.name in cleaned}
    for f in m2m_fields(model):
        data[f.name] = sorted(obj.pk for obj in cleaned.get(f.name) or [])
    for name, _, row_fields in owned_relations(model):
        data[name] = canonical_rows(
            [{f.name: to_json(f, row.get(f.name)) for f in row_fields} for row in row_forms[name]]
        )
    return data
