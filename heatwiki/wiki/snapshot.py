"""A page's whole state as JSON — fields, relations and owned rows — and the way back.

Revisions store snapshots; edits, merges, diffs and reverts all work on them, so a page kind
gets every one of those by declaring its fields, many-to-many relations and ``owned_rows``.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import F, OrderBy, Prefetch, prefetch_related_objects
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
        if f.editable and not f.primary_key and f.name not in NOT_CONTENT
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


def take(page: WikiPage) -> Snapshot:
    """The page's current state, relations read from the database."""
    model = type(page)
    data = {f.name: to_json(f, getattr(page, f.attname)) for f in scalar_fields(model)}
    for f in m2m_fields(model):
        data[f.name] = sorted(getattr(page, f.name).values_list("pk", flat=True))
    for name, _, row_fields in owned_relations(model):
        rows = getattr(page, name).all()
        data[name] = canonical_rows(
            [{f.name: to_json(f, getattr(row, f.attname)) for f in row_fields} for row in rows]
        )
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


def _existing(model: type[models.Model], pks) -> set:
    pks = {pk for pk in pks if pk is not None}
    return (
        set(model._default_manager.filter(pk__in=pks).values_list("pk", flat=True))
        if pks
        else set()
    )


def apply_fields(page: WikiPage, data: Snapshot) -> None:
    """Set the page's columns from a snapshot; links to since-deleted objects are dropped."""
    for f in scalar_fields(type(page)):
        if f.name not in data:
            continue
        value = from_json(f, data[f.name])
        if f.is_relation and value is not None and not _existing(f.related_model, [value]):
            value = None
        setattr(page, f.attname, value)


def apply_relations(page: WikiPage, data: Snapshot) -> None:
    """Make the saved page's relations and owned rows those of the snapshot."""
    model = type(page)
    for f in m2m_fields(model):
        if f.name in data:
            getattr(page, f.name).set(_existing(f.related_model, data[f.name]))
    current = take(page)
    for name, row_model, row_fields in owned_relations(model):
        if name not in data or current[name] == data[name]:
            continue
        fk_name = model._meta.get_field(name).field.name
        rows = [
            row_model(**{fk_name: page}, **values)
            for values in _restorable_rows(row_fields, data[name])
        ]
        getattr(page, name).all().delete()
        row_model._default_manager.bulk_create(rows)


def _restorable_rows(row_fields: list[models.Field], rows: list[dict]) -> list[dict]:
    """Owned rows' attribute values, as deleting their related objects since has left them.

    A link to a deleted object is emptied when the relation is ``SET_NULL`` (a quote whose
    speaker is gone keeps its text); otherwise the row goes, as the database's cascade did.
    """
    relations = [f for f in row_fields if f.is_relation]
    existing = {
        f.name: _existing(f.related_model, [row.get(f.name) for row in rows]) for f in relations
    }
    restorable = []
    for row in rows:
        row = dict(row)
        for f in relations:
            if row.get(f.name) is None or row[f.name] in existing[f.name]:
                continue
            if not _emptied_on_delete(f):
                break
            row[f.name] = None
        else:
            restorable.append({f.attname: from_json(f, row.get(f.name)) for f in row_fields})
    return restorable


def _emptied_on_delete(f: models.ForeignKey) -> bool:
    return f.remote_field.on_delete is models.SET_NULL


def _survives_deletions(row: models.Model, relations: list[models.ForeignKey]) -> bool:
    """``_restorable_rows`` for an unsaved row whose relations were prefetched (no queries)."""
    for f in relations:
        if getattr(row, f.attname) is not None and getattr(row, f.name) is None:
            if not _emptied_on_delete(f):
                return False
            setattr(row, f.attname, None)
    return True


def _follow(obj: Any, path: str) -> Any:
    """The value at a lookup path such as ``work__year``, through relations already fetched."""
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj.pk if isinstance(obj, models.Model) else obj


def _in_order(rows: list[models.Model], ordering) -> list[models.Model]:
    """Unsaved rows in the order the database would list them, following ``ordering``.

    Old revisions show owned rows in the order the current page does: by position, by work
    (the person template groups credits by work) … Only field paths are followed.
    """
    nulls_largest = connection.features.nulls_order_largest
    for item in reversed(ordering):
        descending, nulls_first = False, None
        if isinstance(item, str):
            descending, path = item.startswith("-"), item.lstrip("-")
        elif isinstance(item, F):
            path = item.name
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            descending, path = item.descending, item.expression.name
            nulls_first = True if item.nulls_first else False if item.nulls_last else None
        else:
            continue
        if path == "?":
            continue
        if nulls_first is None:
            nulls_first = descending == nulls_largest
        values = [_follow(row, path) for row in rows]
        present = sorted(
            (i for i, value in enumerate(values) if value is not None),
            key=values.__getitem__,
            reverse=descending,
        )
        absent = [i for i, value in enumerate(values) if value is None]
        rows = [rows[i] for i in (absent + present if nulls_first else present + absent)]
    return rows


def _cache(instance: models.Model, name: str, objects: list) -> None:
    manager = getattr(instance, name)
    queryset = manager.model._default_manager.all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    # Many-to-many managers name their cache; reverse foreign-key managers use the relation's.
    name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    instance._prefetched_objects_cache[name] = queryset


def as_page(page: WikiPage, data: Snapshot) -> WikiPage:
    """An unsaved copy of the page as the snapshot describes it, relations included.

    It renders with the kind's own template: relations in the snapshot come from it; nested
    and reverse relations are fetched the way the kind's ``for_page()`` fetches them.
    """
    model = type(page)
    copy = model(pk=page.pk, id=page.pk, page_kind=page.page_kind, created_at=page.created_at)
    apply_fields(copy, data)
    copy._prefetched_objects_cache = {}
    lookups = {
        (lk.prefetch_through if isinstance(lk, Prefetch) else lk): lk
        for lk in model.objects.for_page()._prefetch_related_lookups
    }
    for f in m2m_fields(model):
        lookup = lookups.pop(f.name, None)
        # Compared with None: the truth of a queryset would fetch all its rows.
        queryset = getattr(lookup, "queryset", None)
        if queryset is None:
            queryset = f.related_model._default_manager.all()
        objects = list(queryset.filter(pk__in=data.get(f.name, [])))
        if getattr(lookup, "to_attr", None):
            setattr(copy, lookup.to_attr, objects)
        else:
            _cache(copy, f.name, objects)
    for name, row_model, row_fields in owned_relations(model):
        lookup = lookups.pop(name, None)
        queryset = getattr(lookup, "queryset", None)
        relations = [f for f in row_fields if f.is_relation]
        rows = [
            row_model(**{f.attname: from_json(f, row.get(f.name)) for f in row_fields})
            for row in data.get(name, [])
        ]
        prefetch_related_objects(rows, *[f.name for f in relations])
        rows = [row for row in rows if _survives_deletions(row, relations)]
        ordering = (queryset.query.order_by if queryset is not None else ()) or (
            row_model._meta.ordering
        )
        _cache(copy, name, _in_order(rows, ordering))
    prefetch_related_objects([copy], *lookups.values())
    return copy


@dataclass
class FieldView:
    """One field of a snapshot as people read it."""

    name: str
    label: str
    is_body: bool = False
    text: str = ""
    items: list[str] = field(default_factory=list)
    is_list: bool = False


def describe(model: type[WikiPage], data: Snapshot) -> list[FieldView]:
    """Labels and readable values for every field and relation of a snapshot."""
    return describe_many(model, [data])[0]


def describe_many(model: type[WikiPage], snapshots: list[Snapshot]) -> list[list[FieldView]]:
    """``describe`` for several snapshots, with one query per related model for all of them."""
    wanted: dict[type[models.Model], set] = {}

    def want(f: models.Field, values) -> None:
        if f.is_relation:
            wanted.setdefault(f.related_model, set()).update(v for v in values if v is not None)

    relations = owned_relations(model)
    for data in snapshots:
        for f in scalar_fields(model):
            want(f, [data.get(f.name)])
        for f in m2m_fields(model):
            want(f, data.get(f.name, []))
        for name, _, row_fields in relations:
            for f in row_fields:
                want(f, [row.get(f.name) for row in data.get(name, [])])
    names = {
        related: dict(related._default_manager.filter(pk__in=pks).values_list("pk", "title"))
        if hasattr(related, "title")
        else {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=pks)}
        for related, pks in wanted.items()
    }

    def show(f: models.Field, value: Any) -> str:
        if value is None or value == "":
            return ""
        if f.is_relation:
            return names.get(f.related_model, {}).get(value, f"(deleted #{value})")
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(f, models.BooleanField):
            return "Yes" if value else "No"
        return str(value)

    views = []
    for data in snapshots:
        fields = []
        for f in scalar_fields(model):
            text = show(f, data.get(f.name))
            fields.append(
                FieldView(f.name, str(f.verbose_name), is_body=f.name == "body", text=text)
            )
        for f in m2m_fields(model):
            items = sorted(show(f, pk) for pk in data.get(f.name, []))
            fields.append(FieldView(f.name, str(f.verbose_name), items=items, is_list=True))
        for name, row_model, row_fields in relations:
            items = [
                " · ".join(t for f in row_fields if (t := show(f, row.get(f.name))))
                for row in data.get(name, [])
            ]
            label = str(row_model._meta.verbose_name_plural)
            fields.append(FieldView(name, label, items=sorted(items), is_list=True))
        views.append(fields)
    return views
