"""Describing a snapshot for people: labels and readable values, for diffs and search."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .models import WikiPage
from .snapshot import Snapshot, m2m_fields, owned_relations, scalar_fields


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
    # Pages of every kind are titled in one query: their ids are WikiPage's, shared by kinds.
    page_pks = {
        pk for related, pks in wanted.items() if issubclass(related, WikiPage) for pk in pks
    }
    titles = (
        dict(WikiPage.objects.filter(pk__in=page_pks).values_list("pk", "title"))
        if page_pks
        else {}
    )
    names = {
        related: titles
        if issubclass(related, WikiPage)
        else dict(related._default_manager.filter(pk__in=pks).values_list("pk", "title"))
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
