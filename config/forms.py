"""GOV.UK Design System markup for every Django form.

The renderer points Django's form, field and widget templates at ``templates/govuk/forms/`` and
``templates/django/forms/widgets/``; ``GovukBoundField`` adds the GOV.UK classes, the error state and
``aria-describedby`` links to each widget. Pages show errors with ``govuk/error_summary.html``. The renderer
writes the field and widget templates it knows in Python (``config.form_markup``: the same markup, for a fraction
of the template engine's cost) and renders any other template as usual.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.http import HttpRequest

from .form_markup import WRITERS

# Order matters: CheckboxSelectMultiple is a subclass of RadioSelect in Django.
_WIDGET_CLASSES: list[tuple[type[forms.Widget], str, str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "govuk-radios__input", ""),
    (forms.CheckboxInput, "govuk-checkboxes__input", ""),
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.ClearableFileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (forms.FileInput, "govuk-file-upload", "govuk-file-upload--error"),
    (Input, "govuk-input", "govuk-input--error"),
]


def govuk_widget_kind(widget: forms.Widget) -> str:
    """Which GOV.UK component lays the field out: radios, checkboxes, checkbox or input."""
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


class GovukBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        for widget_class, css, error_css in _WIDGET_CLASSES:
            if isinstance(widget, widget_class):
                classes = [str(attrs.get("class", "")), css]
                if self.errors and error_css:
                    classes.append(error_css)
                attrs["class"] = " ".join(c for c in classes if c).strip()
                break
        if self.errors:
            described = [str(attrs.get("aria-describedby", "")), f"{self.auto_id}-error"]
            attrs["aria-describedby"] = " ".join(d for d in described if d).strip()
        return attrs

    @property
    def govuk_kind(self) -> str:
        return govuk_widget_kind(self.field.widget)

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the first option of a group, or the input itself."""
        if self.govuk_kind in {"radios", "checkboxes"}:
            return f"{self.auto_id}_0"
        return str(self.id_for_label or self.auto_id)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField

    def render(self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
        write = WRITERS.get(template_name) if request is None else None
        if write is not None and (html := write(context)) is not None:
            return html.strip()
        return super().render(template_name, context, request)
