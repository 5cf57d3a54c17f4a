"""What a browser would post back for one of the wiki's edit forms, as the tests need it."""

from django import forms


def _put(data: dict, bound: forms.BoundField) -> None:
    value = bound.value()
    if isinstance(bound.field.widget, forms.CheckboxInput):
        if value:
            data[bound.html_name] = "on"
    elif getattr(bound.field.widget, "allow_multiple_selected", False):
        data[bound.html_name] = [str(item) for item in value or []]
    else:
        data[bound.html_name] = "" if value is None else str(value)


def form_data(response) -> dict:
    """The edit form in ``response`` with its rows, as the browser would send it untouched."""
    data = {}
    for bound in response.context["form"]:
        _put(data, bound)
    for formset in response.context["formsets"].values():
        for bound in formset.management_form:
            _put(data, bound)
        for row in formset:
            for bound in row:
                _put(data, bound)
    return data
