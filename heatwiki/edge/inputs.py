"""What a request may bring before anything of it reaches the database.

Two rules, each kept in one place:

- **Integers that become ids, page numbers or years** are whole numbers within the range of
  the column they are compared with, the same range on every database (SQLite would take any
  64-bit number into a 32-bit column, and fails past 64 bits; PostgreSQL refuses a number past
  its column's type). :func:`bounded_int` checks one; :func:`valid_key` a primary key.
- **Text has no control characters** but tab, line feed and carriage return (a Markdown body
  has newlines): PostgreSQL cannot store NUL at all, and nothing a person types holds the rest.
  :data:`CONTROL_CHARACTERS` finds them; ``heatwiki.edge.middleware`` refuses them at the edge.

The model-choice form fields here reject a key no row can have as an invalid choice, and show
it as no choice when a form is drawn again, instead of passing it to a query.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A column of a type not listed (a DecimalField primary key, say) gets the widest range.
_RANGES = BaseDatabaseOperations.integer_field_ranges
_WIDEST = _RANGES["BigIntegerField"]
# Years as dates hold them (datetime.MINYEAR to MAXYEAR).
YEAR_RANGE = (1, 9999)
# Page numbers: any page whose rows start within a 64-bit offset.
PAGE_NUMBER_MAX = 2**62


class OutOfRange(ValueError):
    """A number the column (or the calendar, or the paging) cannot hold."""


def bounded_int(value: Any, low: int, high: int, *, what: str = "number") -> int:
    """``value`` as an int within ``low``..``high``; a ValueError that says why otherwise.

    Accepts what a person would type for a whole number: digits, an optional sign, spaces
    around them. Not "1e3", "1.0" or "١٢" (other scripts' digits).
    """
    if isinstance(value, bool):
        raise ValueError(f"That {what} is not a whole number.")
    if not isinstance(value, int):
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):
            raise ValueError(f"That {what} is not a whole number.")
        value = int(text)
    if not low <= value <= high:
        raise OutOfRange(f"That {what} is out of range: it lies between {low} and {high}.")
    return value


def integer_range(field: models.Field) -> tuple[int, int] | None:
    """The range of an integer column (following relations to the key they point at), the
    same on every database; None for a column that does not hold integers."""
    while field.is_relation and field.target_field is not field:
        field = field.target_field
    if not isinstance(field, models.IntegerField | models.AutoField):
        return None
    low, high = _RANGES.get(field.get_internal_type(), _WIDEST)
    return low, high


def valid_key(model: type[models.Model], value: Any, to_field_name: str | None = None) -> bool:
    """Whether ``value`` could be the key of a row of ``model`` (not whether one exists)."""
    if isinstance(value, models.Model):
        return True
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    bounds = integer_range(field)
    if bounds is None:
        return not CONTROL_CHARACTERS.search(str(value))
    try:
        bounded_int(value, *bounds)
    except ValueError:
        return False
    return True


class _BoundedKeys:
    """Shared by both model-choice fields below."""

    def _key_ok(self, value) -> bool:
        return valid_key(self.queryset.model, value, self.to_field_name)

    def _shown(self, value):
        # A form drawn again after a refusal shows an impossible key as no choice; the widget
        # would otherwise look it up (the admin's autocomplete does) and fail.
        if value in self.empty_values or self._key_ok(value):
            return value
        return None


class BoundedModelChoiceField(_BoundedKeys, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not self._key_ok(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)

    def prepare_value(self, value):
        return super().prepare_value(self._shown(value))


class BoundedModelMultipleChoiceField(_BoundedKeys, forms.ModelMultipleChoiceField):
    def clean(self, value):
        # Before the parent's clean, which prepares (and so would drop) what it is given.
        if isinstance(value, list | tuple):
            for key in value:
                if key not in self.empty_values and not self._key_ok(key):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    )
        return super().clean(value)

    def prepare_value(self, value):
        if hasattr(value, "__iter__") and not isinstance(value, str | bytes):
            if not hasattr(value, "_meta"):
                value = [item for item in value if self._shown(item) is not None]
        return super().prepare_value(value)


def bounded_choice_field(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``db_field.formfield()`` with a bounded model-choice field for a relation."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    return db_field.formfield(**kwargs)
