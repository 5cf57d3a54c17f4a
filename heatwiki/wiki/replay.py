"""Replaying a snapshot: into the database (an edit, a revert) or onto a page shown as it was.

An old revision renders with its kind's own template. The page's relations and owned rows
come from the snapshot; everything else the template shows (reverse relations: a person's
news, a work's scenes) is fetched live, the way the kind's ``for_page()`` fetches it.
"""

from typing import Any

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects

from .models import WikiPage
from .snapshot import (
    Snapshot,
    from_json,
    m2m_fields,
    owned_relations,
    same_content,
    scalar_fields,
)


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
        # A link the page already has points at a row that exists: the database keeps it so.
        linked_anew = f.is_relation and value is not None and value != getattr(page, f.attname)
        if linked_anew and not _existing(f.related_model, [value]):
            value = None
        setattr(page, f.attname, value)


def apply_relations(page: WikiPage, data: Snapshot, current: Snapshot | None = None) -> None:
    """Make the saved page's relations and owned rows those of the snapshot.

    ``current`` is the page's state as the database holds it (its current revision's
    snapshot), when known: owned rows it already has are not written again.
    """
    model = type(page)
    current = current or {}
    for f in m2m_fields(model):
        if f.name not in data:
            continue
        wanted, before = set(data[f.name]), set(current.get(f.name) or [])
        if wanted == before:
            continue
        # Objects related already exist; only newly related ones may have been deleted since.
        manager = getattr(page, f.name)
        manager.remove(*(before - wanted))
        manager.add(*_existing(f.related_model, wanted - before))
    for name, row_model, row_fields in owned_relations(model):
        if name not in data or same_content({name: current.get(name)}, {name: data[name]}):
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


def _through(lookup: str | Prefetch) -> str:
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


def as_page(page: WikiPage, data: Snapshot) -> WikiPage:
    """An unsaved copy of the page as the snapshot describes it, relations included.

    The copy's ``relations`` hold the snapshot's related objects, fetched with the kind's own
    querysets and in the database's order; owned rows keep the order they were taken in.
    """
    model = type(page)
    copy = model(pk=page.pk, id=page.pk, page_kind=page.page_kind, created_at=page.created_at)
    apply_fields(copy, data)
    lookups = {_through(lookup): lookup for lookup in model.objects.page_prefetches()}
    relations: dict[str, list[Any]] = {}
    for f in m2m_fields(model):
        lookup = lookups.pop(f.name, None)
        # Compared with None: the truth of a queryset would fetch all its rows.
        queryset = getattr(lookup, "queryset", None)
        if queryset is None:
            queryset = f.related_model._default_manager.all()
        relations[f.name] = list(queryset.filter(pk__in=data.get(f.name, [])))
    for name, row_model, row_fields in owned_relations(model):
        lookups.pop(name, None)
        foreign_keys = [f for f in row_fields if f.is_relation]
        rows = [
            row_model(**{f.attname: from_json(f, row.get(f.name)) for f in row_fields})
            for row in data.get(name, [])
        ]
        prefetch_related_objects(rows, *[f.name for f in foreign_keys])
        relations[name] = [row for row in rows if _survives_deletions(row, foreign_keys)]
    copy.relations = relations
    prefetch_related_objects([copy], *lookups.values())
    return copy
