"""The edit form every page kind gets: its fields, its relations, its owned rows, the body."""

from collections.abc import Callable
from contextlib import contextmanager

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.db.models import Q
from django.forms import formset_factory, modelform_factory
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.choices import BaseChoiceIterator
from django.utils.module_loading import import_string
from django.utils.text import slugify

from heatwiki.edge.inputs import bounded_choice_field

from .editor import EditorWidget
from .images import UploadRefused, clean_image, size_refusal
from .layers import body_problems
from .models import Licence, PageRedirect, WikiPage
from .snapshot import Snapshot, m2m_fields, owned_relations, scalar_fields
from .titles import title_key

# Paths under every /<kind>/ that are the engine's views, not pages; kinds add their own.
RESERVED_SLUGS = frozenset({"new"})
# A page picker lists the pages chosen and this many others; the rest are found by typing
# (the title suggestions, static/js/pickers.js). Listing them all made a scene's form at
# 100,000 pages 94,000 options long (4.8 MB, 6 seconds).
PICKER_OPTIONS = 200


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
        else:
            # A few lines to start with; static/js/editor.js grows them with their text.
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
    elif isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    elif isinstance(db_field, models.IntegerField) and db_field.has_default():
        # An order number such as a quote's position: a prefilled 1 would clash with row 1.
        kwargs["initial"] = None
    elif _picks_pages(db_field) and "widget" not in kwargs:
        kwargs["widget"] = (
            PagesPicker if isinstance(db_field, models.ManyToManyField) else PagePicker
        )
    # Relations refuse ids no row can have (out of the column's range, not numbers) as invalid
    # choices, rather than passing them to the database.
    field = bounded_choice_field(db_field, **kwargs)
    if isinstance(db_field, models.ForeignKey | models.ManyToManyField) and field is not None:
        field.widget.attrs.update(picker_attrs(db_field.related_model))
    return field


def _picks_pages(db_field: models.Field) -> bool:
    return isinstance(db_field, models.ForeignKey | models.ManyToManyField) and issubclass(
        db_field.related_model, WikiPage
    )


class PagePickerMixin:
    """A page picker's <select>: the pages chosen, and the first ``PICKER_OPTIONS`` others in
    the field's order (all of them on a wiki that small). Any page of the kind may still be
    posted: the field checks it against its whole queryset."""

    def optgroups(self, name, value, attrs=None):
        with self._listing(value):
            return super().optgroups(name, value, attrs)

    def use_required_attribute(self, initial) -> bool:
        # Select reads the first option for this: of the options listed, not of every page.
        with self._listing([]):
            return super().use_required_attribute(initial)

    @contextmanager
    def _listing(self, value: list[str]):
        every = self.choices
        self.choices = picker_options(every, value)
        try:
            yield
        finally:
            self.choices = every


class PagePicker(PagePickerMixin, forms.Select):
    pass


class PagesPicker(PagePickerMixin, forms.SelectMultiple):
    pass


def picker_options(choices, value: list[str]) -> list:
    """The first options of a model choice field, and those of ``value`` beyond them."""
    iterator = choices.choices if isinstance(choices, SharedChoices) else choices
    if not isinstance(iterator, ModelChoiceIterator):
        return choices
    if not isinstance(choices, SharedChoices):
        # Read once per form, however often the widget asks.
        choices = iterator.field.__dict__.setdefault("_picker_choices", SharedChoices(iterator))
    first = choices.first()
    listed = {str(option[0]) for option in first}
    field = iterator.field
    key_ok = getattr(field, "_key_ok", lambda key: True)
    missing = [v for v in value if v not in listed and v.isdecimal() and key_ok(v)]
    if not missing:
        return first
    return first + choices.beyond_first(missing, key_ok)


def first_options(iterator: ModelChoiceIterator) -> list:
    field = iterator.field
    options = [("", field.empty_label)] if field.empty_label is not None else []
    return options + [iterator.choice(page) for page in iterator.queryset[:PICKER_OPTIONS]]


def picker_attrs(related_model: type[models.Model]) -> dict[str, str]:
    """What makes a relation's <select> a searchable picker (static/js/pickers.js): pages of
    a kind are also searched through the title suggestions, one kind at a time."""
    attrs = {"data-picker": ""}
    if issubclass(related_model, WikiPage):
        attrs["data-picker-kind"] = related_model.url_namespace
        attrs["data-picker-suggest"] = reverse_lazy("search-suggest")
    return attrs


class PageForm(forms.ModelForm):
    """Base of every kind's form; the edit's own fields come after the page's."""

    # Content fields the form sets itself rather than as inputs (a file page's stored image).
    set_by_form: tuple[str, ...] = ()

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
    # Shown (as a box to tick) only when the title or address is a moved page's old one.
    replace_redirect = forms.BooleanField(
        required=False,
        label="Replace the redirect",
        help_text="Give the name to this page: links made with it will lead here.",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "image" in self.fields:
            self._add_new_image_fields()
        if "slug" in self.fields:
            # Left empty, the address is made from the title (clean_slug).
            self.fields["slug"].required = False
        if "body" in self.fields:
            self.fields["body"].help_text = BODY_HELP

    def _add_new_image_fields(self) -> None:
        """An image uploaded from the form itself becomes a file page, and the infobox image:
        the same fields a file page asks for, placed right after the picker."""
        fields = new_image_fields()
        order = list(self.fields)
        at = order.index("image") + 1
        self.fields.update(fields)
        self.order_fields([*order[:at], *fields, *order[at:]])

    def clean_new_image(self):
        return checked_image(self.cleaned_data.get("new_image"))

    def _clean_new_image_details(self, cleaned: dict) -> None:
        if not cleaned.get("new_image"):
            return
        for name, what in (
            ("new_image_alt", "alt text: what the image shows"),
            ("new_image_credit", "who made the image"),
            ("new_image_licence", "its licence"),
        ):
            if not cleaned.get(name):
                self.add_error(name, f"A new image needs {what}.")
        licence = cleaned.get("new_image_licence")
        if licence == Licence.FAIR_USE and not cleaned.get("new_image_rationale"):
            self.add_error("new_image_rationale", "A fair-use screenshot needs its rationale.")

    def _post_clean(self) -> None:
        super()._post_clean()
        self._constraint_errors_beside_fields()

    def _constraint_errors_beside_fields(self) -> None:
        """A check constraint's message (latitude out of range …) goes beside the first field
        it checks, not at the top of the form: the model reports them for no field."""
        general = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if not general:
            return
        owners = {}
        for constraint in self._meta.model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                fields = [n for n in _q_fields(constraint.condition) if n in self.fields]
                if fields:
                    owners.setdefault(str(constraint.violation_error_message), fields[0])
        kept = []
        for error in general.as_data():
            for message in error.messages:
                field = owners.get(message)
                if field and field not in self._errors:
                    self._errors[field] = self.error_class([message])
                elif field:
                    self._errors[field].append(message)
                else:
                    kept.append(message)
        if kept:
            self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
        else:
            del self._errors[NON_FIELD_ERRORS]

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "")
        if problems := body_problems(body):
            raise forms.ValidationError(problems)
        return body

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))
        return slug or "page"

    def clean(self) -> dict:
        cleaned = super().clean()
        model = self._meta.model
        # Deleted pages keep their names, for undeletion.
        others = model._base_manager.exclude(pk=self.instance.pk)
        title = cleaned.get("title")
        if title and (other := others.filter(title_key=title_key(title)).first()):
            self.add_error("title", self._taken(other, "title"))
        slug = cleaned.get("slug")
        if "slug" in self.fields and slug:
            if slug in RESERVED_SLUGS | model.reserved_slugs:
                self.add_error("slug", f"“{slug}” is reserved; choose another address.")
            elif other := others.filter(slug=slug).first():
                self.add_error("slug", self._taken(other, "address"))
        self._clean_new_image_details(cleaned)
        if not self.errors and not cleaned.get("replace_redirect"):
            self._check_redirects(model, title, slug if "slug" in self.fields else None)
        return cleaned

    def _taken(self, other: WikiPage, what: str) -> str:
        name = self._meta.model._meta.verbose_name
        if other.is_deleted:
            return f"A deleted {name} has this {what}; a moderator can undelete it."
        return f"Another {name} has this {what}."

    def _check_redirects(self, model: type[WikiPage], title: str | None, slug: str | None):
        """A moved page's old title or address is taken over only when the editor says so."""
        names = Q(title_key=title_key(title)) if title else Q()
        if slug:
            names |= Q(slug=slug)
        if not names:
            return
        redirect = (
            PageRedirect.objects.filter(names, page_kind=model.url_namespace)
            .exclude(page_id=self.instance.pk)
            .select_related("page")
            .first()
        )
        if redirect is not None:
            self.fields["replace_redirect"].widget = forms.CheckboxInput()
            what = "title" if title and redirect.title_key == title_key(title) else "address"
            self.add_error(
                "replace_redirect",
                f"This {what} is an old name of “{redirect.page.title}”, which has moved: "
                "links and addresses with it lead there. Tick the box to give it to this page "
                "instead.",
            )


def checked_image(upload):
    """An uploaded image HeatWiki will store (its size, a PNG or JPEG that decodes), read back
    to its start for storing; a ValidationError says why not."""
    if upload:
        if refusal := size_refusal(upload.size):
            raise forms.ValidationError(refusal)
        try:
            clean_image(upload.read())
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        finally:
            upload.seek(0)
    return upload


def new_image_fields() -> dict[str, forms.Field]:
    """What an image uploaded from a page's edit form needs, as its file page will have it."""
    return {
        "new_image": forms.FileField(
            required=False,
            label="Or upload a new image",
            help_text="PNG or JPEG. It gets a file page of its own, credited as you say below.",
            widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        ),
        "new_image_alt": forms.CharField(
            required=False,
            max_length=300,
            label="Alt text of the new image",
            help_text="What the image shows, for readers who cannot see it.",
        ),
        "new_image_caption": forms.CharField(
            required=False, max_length=300, label="Caption of the new image"
        ),
        "new_image_credit": forms.CharField(
            required=False, max_length=200, label="Author or credit of the new image"
        ),
        "new_image_source_url": forms.URLField(
            required=False, max_length=500, assume_scheme="https", label="Source (URL)"
        ),
        "new_image_licence": forms.ChoiceField(
            required=False,
            choices=[("", "---------"), *Licence.choices],
            label="Licence of the new image",
        ),
        "new_image_rationale": MultilineField(
            required=False,
            max_length=2000,
            label="Fair-use rationale",
            help_text="For a fair-use screenshot only: why HeatWiki may show it.",
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
    }


BODY_HELP = (
    "Markdown: **bold**, ## headings, [[Page title]] links, footnotes with [^1], "
    "spoilers of a work between “::: spoiler heat-2-novel” and “:::”. "
    "“Formatting help” above the text lists it all."
)


def _q_fields(condition) -> list[str]:
    """The model fields a Q object tests, in order: "latitude__gte" → "latitude"."""
    names = []
    for child in getattr(condition, "children", []):
        if isinstance(child, tuple):
            name = child[0].split("__")[0]
            if name not in names:
                names.append(name)
        else:
            names.extend(n for n in _q_fields(child) if n not in names)
    return names


class SharedChoices(BaseChoiceIterator):
    """A model choice field's options, read from the database once for all of a formset's rows.

    Each row form has its own copy of a field such as a credit's work; left alone, each would
    run its query again to list the same options, one query per row and field.
    """

    def __init__(self, choices) -> None:
        self.choices = choices
        self.read: list | None = None
        self.first_read: list | None = None
        # The values the rows hold, and the options of those a page picker does not list,
        # read together when the first row needs one.
        self.wanted: set[str] = set()
        self.chosen: dict[str, tuple | None] = {}

    def first(self) -> list:
        """The options a page picker lists (``first_options``), read once for all rows."""
        if self.first_read is None:
            self.first_read = first_options(self.choices)
        return self.first_read

    def beyond_first(self, values: list[str], key_ok: Callable[[str], bool]) -> list:
        """The options of ``values`` (not among the first), with every row's read at once."""
        unread = {v for v in self.wanted | set(values) if v.isdecimal() and key_ok(v)}
        unread -= self.chosen.keys()
        if set(values) & unread:
            for page in self.choices.queryset.filter(pk__in=unread):
                self.chosen[str(page.pk)] = self.choices.choice(page)
            self.chosen.update(dict.fromkeys(unread - self.chosen.keys()))
        return [self.chosen[v] for v in values if self.chosen.get(v) is not None]

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
                # What the row holds: a picker reads every row's pages it does not list at once.
                field.choices.wanted.update(_row_values(form, name, field))

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _row_values(form: forms.Form, name: str, field: forms.Field) -> list[str]:
    if form.is_bound:
        value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    else:
        value = form.initial.get(name)
    values = value if isinstance(value, list | tuple) else [value]
    return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]


def page_form_class(model: type[WikiPage], *, creating: bool) -> type[PageForm]:
    """The kind's form: title, slug when creating, its own fields, relations, then the body."""
    base = import_string(model.form_base) if model.form_base else PageForm
    scalars = [f.name for f in scalar_fields(model) if creating or f.name != "slug"]
    scalars = [n for n in scalars if n not in base.set_by_form]
    names = [n for n in scalars if n != "body"] + [f.name for f in m2m_fields(model)] + ["body"]
    form_class = modelform_factory(
        model,
        form=base,
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
            # One empty row for use without JavaScript; with it, "Add" makes rows in place.
            extra=1,
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
