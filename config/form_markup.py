"""The GOV.UK form templates written in Python: the same markup, character for character, at a tenth of the cost.

Every form field on every page goes through ``govuk/forms/field.html`` and a widget template. Rendered by the
Django template engine, the eight fields of the case list's filter form cost more than the 25 cases listed beside
them (each ``{{ }}`` is a variable lookup of several steps, each ``{% include %}`` a new context). The functions
here write what those templates write, template by template (their names in ``WRITERS``), whitespace included,
and escape each value as the template engine does (``render_value_in_context``, the ``stringformat`` filter).

The templates stay the definition of the markup: ``GovukFormRenderer`` falls back to them for any template not
written here, and for any context one of these functions does not recognise (it then returns ``None``).
``tests/web/test_form_markup.py`` renders forms both ways and requires the same output: change a template and
its writer here together.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

Context = Mapping[str, Any]


class _Autoescaping:
    """What ``render_value_in_context`` reads of a template context: escape, localise as by default."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT: Any = _Autoescaping()


def _out(value: Any) -> str:
    """``{{ value }}``"""
    kind = type(value)
    # What render_value_in_context gives for the two commonest values, a plain string (escaped: html.escape is
    # what django.utils.html.escape calls) and a safe one (as it is), without its conversions and lazy wrappers: a
    # page's form writes a couple of hundred of them.
    if kind is str:
        return html.escape(value)
    if kind is SafeString:
        return cast(str, value)
    return render_value_in_context(value, _CONTEXT)


def _fmt(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``"""
    if type(value) is str:
        return html.escape(value)  # "%s" % value is the value; escaped as conditional_escape escapes it
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 - the filter's is_safe: a safe value stays safe
    return conditional_escape(text)


def _lookup(mapping: Mapping[str, Any], key: str) -> Any:
    """``{{ mapping.key }}`` of a dict: a missing key renders as nothing."""
    return mapping.get(key, "")


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``"""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_out(name)}" if value is True else f' {_out(name)}="{_fmt(value)}"')
    return "".join(out)


def _input(widget: Context) -> str:
    """The tag ``django/forms/widgets/input.html`` (and the project's ``input_option.html``, the same) writes."""
    value = widget["value"]
    shown = f' value="{_fmt(value)}"' if value != None else ""  # noqa: E711 - the template's `!= None`
    return f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


# -- fields ---------------------------------------------------------------------------------------------------


def _field_errors(field: Any, errors: Any) -> str:
    """``govuk/forms/field_errors.html``"""
    if not errors:
        return "\n"
    messages = '<br><span class="govuk-visually-hidden">Error:</span> '.join(_out(error) for error in errors)
    return (
        f'<p id="{_out(field.auto_id)}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {messages}</p>\n'
    )


def field(context: Context) -> str:
    """``govuk/forms/field.html``"""
    field = context["field"]
    errors = field.errors
    help_text = field.help_text
    kind = getattr(field, "govuk_kind", "")
    out = [f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n']
    if kind in ("radios", "checkboxes"):
        described = ""
        if help_text or errors:
            helped = f"{_out(field.auto_id)}_helptext" if help_text else ""
            erred = f" {_out(field.auto_id)}-error" if errors else ""
            described = f' aria-describedby="{helped}{erred}"'
        hint = (
            f'<div id="{_out(field.auto_id)}_helptext" class="govuk-hint">{_out(help_text)}</div>' if help_text else ""
        )
        out.append(
            f'\n  <fieldset class="govuk-fieldset"{described}>\n'
            f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{_out(field.label)}</legend>\n'
            f"    {hint}\n"
            f"    {_field_errors(field, errors)}\n"
            f"    {_out(field)}\n"
            "  </fieldset>\n"
        )
    elif kind == "checkbox":
        hint_id = _out(field.auto_id)
        hint = (
            f'<div id="{hint_id}_helptext" class="govuk-hint govuk-checkboxes__hint">{_out(help_text)}</div>'
            if help_text
            else ""
        )
        out.append(
            f"\n  {_field_errors(field, errors)}\n"
            '  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">\n'
            '    <div class="govuk-checkboxes__item">\n'
            f"      {_out(field)}\n"
            f'      <label class="govuk-label govuk-checkboxes__label" for="{_out(field.id_for_label)}">'
            f"{_out(field.label)}</label>\n"
            f"      {hint}\n"
            "    </div>\n"
            "  </div>\n"
        )
    else:
        hint = (
            f'<div id="{_out(field.auto_id)}_helptext" class="govuk-hint">{_out(help_text)}</div>' if help_text else ""
        )
        out.append(
            f'\n  <label class="govuk-label" for="{_out(field.id_for_label)}">{_out(field.label)}</label>\n'
            f"  {hint}\n"
            f"  {_field_errors(field, errors)}\n"
            f"  {_out(field)}\n"
        )
    out.append("\n</div>\n")
    return "".join(out)


def date_field(context: Context) -> str:
    """``casework/forms/date_field.html``: a GOV.UK date input's fieldset."""
    field = context["field"]
    errors = field.errors
    help_text = field.help_text
    helped = f"{_out(field.auto_id)}_helptext" if help_text else ""
    erred = f" {_out(field.auto_id)}-error" if errors else ""
    hint = f'<div id="{_out(field.auto_id)}_helptext" class="govuk-hint">{_out(help_text)}</div>' if help_text else ""
    return (
        f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n'
        f'  <fieldset class="govuk-fieldset" role="group" aria-describedby="{helped}{erred}">\n'
        f'    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{_out(field.label)}</legend>\n'
        f"    {hint}\n"
        f"    {_field_errors(field, errors)}\n"
        f"    {_out(field)}\n"
        "  </fieldset>\n"
        "</div>\n"
    )


def form(context: Context) -> str:
    """``govuk/forms/form.html``"""
    form = context["form"]
    hidden = "".join(_out(bound) for bound in form.hidden_fields())
    visible = "".join(_out(bound.as_field_group()) for bound in form.visible_fields())
    return f"{hidden}\n{visible}\n"


# -- widgets --------------------------------------------------------------------------------------------------

# The option templates Django's choice widgets name, and the input each writes (input_option.html, through
# checkbox_option.html or radio_option.html, each with its own newline).
_OPTION_INPUTS = ("django/forms/widgets/checkbox_option.html", "django/forms/widgets/radio_option.html")


def input_widget(context: Context) -> str:
    """``django/forms/widgets/input.html`` through text.html, email.html, checkbox.html and the like."""
    return _input(context["widget"]) + "\n\n"


def textarea(context: Context) -> str:
    """``django/forms/widgets/textarea.html``"""
    widget = context["widget"]
    value = _out(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def select(context: Context) -> str | None:
    """``django/forms/widgets/select.html``, its options through select_option.html."""
    widget = context["widget"]
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                return None
            value, attrs, label = _fmt(option["value"]), _attrs(option["attrs"]), _out(option["label"])
            out.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def govuk_select(context: Context) -> str:
    """``casework/widgets/select.html``"""
    widget = context["widget"]
    out = [f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>']
    for _, group_choices, _ in widget["optgroups"]:
        for option in group_choices:
            value, attrs, label = _fmt(option["value"]), _attrs(option["attrs"]), _out(option["label"])
            out.append(f'\n  <option value="{value}"{attrs}>{label}</option>')
    out.append("\n</select>\n")
    return "".join(out)


def _choices(widget: Context, kind: str, classes: str, option_input: Callable[[Any], str | None]) -> str | None:
    """The markup the GOV.UK radios and checkboxes templates share; ``option_input`` writes an option's input."""
    id_ = _lookup(widget["attrs"], "id")
    shown_id = f' id="{_out(id_)}"' if id_ else ""
    out = [f'<div class="{classes}" data-module="govuk-{kind}"{shown_id}>']
    for _, options, _ in widget["optgroups"]:
        for option in options:
            written = option_input(option)
            if written is None:
                return None
            out.append(
                f'\n  <div class="govuk-{kind}__item">\n    {written}\n'
                f'    <label class="govuk-label govuk-{kind}__label" for="{_out(_lookup(option["attrs"], "id"))}">'
                f"{_out(option['label'])}</label>\n  </div>"
            )
    out.append("\n</div>\n")
    return "".join(out)


def _included_option(option: Context) -> str | None:
    """``{% include option.template_name with widget=option %}``, for the option templates written here."""
    if option["template_name"] not in _OPTION_INPUTS:
        return None
    return _input(option) + "\n\n"


def checkboxes(context: Context) -> str | None:
    """The project's ``django/forms/widgets/checkbox_select.html``"""
    return _choices(context["widget"], "checkboxes", "govuk-checkboxes", _included_option)


def radios(context: Context) -> str | None:
    """The project's ``django/forms/widgets/radio.html``"""
    return _choices(context["widget"], "radios", "govuk-radios", _included_option)


def govuk_choices(context: Context) -> str | None:
    """``casework/widgets/choices.html``: radios or checkboxes, as the widget says."""
    widget = context["widget"]
    kind = _out(widget["kind"])
    classes = f"govuk-{kind} govuk-{kind}--small" if widget["small"] else f"govuk-{kind}"
    return _choices(widget, kind, classes, _input)


def date_input(context: Context) -> str:
    """``casework/widgets/date_input.html``"""
    widget = context["widget"]
    id_ = _lookup(widget["attrs"], "id")
    shown_id = f' id="{_out(id_)}"' if id_ else ""
    out = [f'<div class="govuk-date-input"{shown_id}>']
    for sub in widget["subwidgets"]:
        attrs, value = sub["attrs"], sub["value"]
        box_id = _out(_lookup(attrs, "id"))
        extra = f" {_out(attrs['class'])}" if _lookup(attrs, "class") else ""
        numeric = ' inputmode="numeric"' if sub["part"] != "time" else ""
        shown = f' value="{_fmt(value)}"' if value != None and value != "" else ""  # noqa: E711 - as the template
        out.append(
            '\n  <div class="govuk-date-input__item">\n    <div class="govuk-form-group">\n'
            f'      <label class="govuk-label govuk-date-input__label" for="{box_id}">{_out(sub["label"])}</label>\n'
            f'      <input class="govuk-input govuk-date-input__input {_out(sub["width"])}{extra}" id="{box_id}" '
            f'name="{_out(sub["name"])}" type="text"{numeric}{shown}>\n'
            "    </div>\n  </div>"
        )
    out.append("\n</div>\n")
    return "".join(out)


_INPUTS = (
    *("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel"),
    *("text", "time", "url"),
)

# Template name → the function writing it. A function answers None for a context it does not recognise.
WRITERS: dict[str, Callable[[Context], str | None]] = {
    "govuk/forms/field.html": field,
    "govuk/forms/form.html": form,
    "casework/forms/date_field.html": date_field,
    **{f"django/forms/widgets/{name}.html": input_widget for name in _INPUTS},
    "django/forms/widgets/textarea.html": textarea,
    "django/forms/widgets/select.html": select,
    "django/forms/widgets/checkbox_select.html": checkboxes,
    "django/forms/widgets/radio.html": radios,
    "casework/widgets/select.html": govuk_select,
    "casework/widgets/choices.html": govuk_choices,
    "casework/widgets/date_input.html": date_input,
}
