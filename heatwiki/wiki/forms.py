"""The edit form every page kind gets: its fields, its relations, its owned rows, the body."""

from django import forms
from django.db import models
from django.forms import formset_factory, modelform_factory
from django.urls import reverse_lazy
from django.utils.choices import BaseChoiceIterator
from django.utils.text import slugify

from heatwiki.inputs import bounded_choice_field

from .editor import EditorWidget
from .models import WikiPage, title_key
from .snapshot import Snapshot, m2m_fields, owned_relations, scalar_fields

# Paths under /<kind>/ that are views, not pages.
RESERVED_SLUGS = {"new", "feed"}


class MultilineField(forms.CharField):
    """Text from a textarea with the line endings the wiki stores.

    Browsers send textarea text with CRLF line endings; kept as sent, an unchanged form would
    differ from the stored text on every line, so saving it would make a revision and a stale
    edit would conflict with any other change to the text.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field for a page's or a row's model field, for ``modelform_factory``."""
    if isinstance(db_field, models.TextField) and not db_field.choices:
        kwargs["form_class"] = MultilineField
        if db_field.name == "body":
            # Markdown as typed: leading spaces and final newlines are part of the text.
            kwargs["strip"] = False
    elif isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    elif isinstance(db_field, models.IntegerField) and db_field.has_default():
        # An order number such as a quote's position: a prefilled 1 would clash with row 1.
        kwargs["initial"] = None
    # Relations refuse ids no row can have (out of the column's range, not numbers) as invalid
    # choices, rather than passing them to the database.
    return bounded_choice_field(db_field, **kwargs)


class PageForm(forms.ModelForm):
    """Base of every kind's form; the edit's own fields come after the page's."""

    summary = forms.CharField(
        max_length=300,
        required=False,
        help_text="Briefly, what you changed and why.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    minor = forms.BooleanField(
        required=False, label="Minor edit", help_text="Spelling, formatting, nothing of substance."
    )
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            # Left empty, the address is made from the title (clean_slug).
            self.fields["slug"].required = False

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))
        return slug or "page"

    def clean(self) -> dict:
        cleaned = super().clean()
        model = self._meta.model
        others = model.objects.exclude(pk=self.instance.pk)
        title = cleaned.get("title")
        if title and others.filter(title_key=title_key(title)).exists():
            self.add_error("title", f"Another {model._meta.verbose_name} has this title.")
        slug = cleaned.get("slug")
        if "slug" in self.fields and slug:
            if slug in RESERVED_SLUGS:
                self.add_error("slug", f"“{slug}” is reserved; choose another address.")
            elif others.filter(slug=slug).exists():
                self.add_error("slug", f"Another {model._meta.verbose_name} has this address.")
        return cleaned


class SharedChoices(BaseChoiceIterator):
    """A model choice field's options, read from the database once for all of a formset's rows.

    Each row form has its own copy of a field such as a credit's work; left alone, each would
    run its query again to list the same options, one query per row and field.
    """

    def __init__(self, choices) -> None:
        self.choices = choices
        self.read: list | None = None

    def __iter__(self):
        if self.read is None:
            self.read = list(iter(self.choices))  # list() alone would count them first
        return iter(self.read)


class RowFormSet(forms.BaseFormSet):
    """Owned rows (a person's credits, a scene's quotes) as plain forms, saved as a snapshot."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.choices = shared.setdefault(name, SharedChoices(field.choices))

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def page_form_class(model: type[WikiPage], *, creating: bool) -> type[PageForm]:
    """The kind's form: title, slug when creating, its own fields, relations, then the body."""
    scalars = [f.name for f in scalar_fields(model) if creating or f.name != "slug"]
    names = [n for n in scalars if n != "body"] + [f.name for f in m2m_fields(model)] + ["body"]
    form_class = modelform_factory(
        model,
        form=PageForm,
        fields=names,
        formfield_callback=formfield,
        widgets={
            # data-suggest: the title suggestions static/js/suggest.js offers after "[[".
            "body": EditorWidget(
                attrs={"rows": 18, "data-suggest": reverse_lazy("search-suggest")}
            ),
            "description": forms.TextInput,
        },
    )
    if not creating:
        # Without it an edit could not be merged with changes saved meanwhile.
        form_class.base_fields["base_revision"] = forms.IntegerField(
            min_value=1,
            widget=forms.HiddenInput,
            error_messages={
                "required": "This form does not say which revision it started from. "
                "Reload the edit page and make your change again."
            },
        )
    return form_class


def row_formset_classes(model: type[WikiPage]) -> dict[str, type[RowFormSet]]:
    return {
        name: formset_factory(
            modelform_factory(
                row_model, fields=[f.name for f in row_fields], formfield_callback=formfield
            ),
            formset=RowFormSet,
            extra=2,
            can_delete=True,
            max_num=500,
            validate_max=True,
        )
        for name, row_model, row_fields in owned_relations(model)
    }


def row_formsets(model: type[WikiPage], data=None, snapshot: Snapshot | None = None) -> dict:
    """Bound (from POST data) or initial (from a snapshot) formsets, by relation name."""
    return {
        name: formset_class(data, prefix=name, initial=(snapshot or {}).get(name) or None)
        for name, formset_class in row_formset_classes(model).items()
    }


def validate_all(form: PageForm, formsets: dict) -> bool:
    valid = form.is_valid()
    for formset in formsets.values():
        valid = formset.is_valid() and valid
    return valid
