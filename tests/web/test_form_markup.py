"""The GOV.UK form markup written in Python (``config.form_markup``) is the markup the templates write, character
for character: every kind of field, empty, filled (with text that must be escaped) and in error."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from casework.forms import GovukDateField, GovukRadios, GovukSelect, checkboxes, radios, text
from config.form_markup import WRITERS
from config.forms import GovukFormRenderer

CHOICES = [("a", "Apple & pear"), ("b", 'The "B" option'), ("c", "<c>")]
GROUPED = [("Fruit", [("a", "Apple"), ("b", "Banana")]), ("v", "Vegetable")]


class TemplatesOnly(GovukFormRenderer):
    """The same renderer writing every template with the template engine."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        return TemplatesSetting.render(self, template_name, context, request)  # type: ignore[no-any-return]


class EveryKind(forms.Form):
    name = text("Name", help_text="As on the <charge sheet>", max_length=10)
    notes = text("Notes", textarea=True)
    email = forms.EmailField(label="Email", required=False)
    secret = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    count = forms.IntegerField(label="How many", required=False, help_text="A number")
    agreed = forms.BooleanField(label="I agree", required=True, help_text="You must agree")
    flags = checkboxes(CHOICES, label="Flags", help_text="Select all that apply", small=True)
    plain_boxes = forms.MultipleChoiceField(
        label="Plain", choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    plain_radios = forms.ChoiceField(label="Plain radios", choices=CHOICES, widget=forms.RadioSelect)
    pick = radios(CHOICES, label="Pick one", required_message="Pick one")
    govuk_radios = forms.ChoiceField(label="GOV.UK radios", choices=CHOICES, widget=GovukRadios, required=False)
    sort = forms.ChoiceField(label="Sort", choices=CHOICES, widget=GovukSelect, required=False)
    grouped = forms.ChoiceField(label="Grouped", choices=GROUPED, required=False)
    day = GovukDateField(label="Date", noun="The date")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


FILLED = {
    "name": 'O\'Brien & "Sons" <x>',
    "notes": "Line one\n<b>two</b>",
    "email": "not an email",
    "count": "x",
    "flags": ["a", "c"],
    "plain_boxes": ["b"],
    "plain_radios": "c",
    "pick": "zzz",
    "govuk_radios": "a",
    "sort": "b",
    "grouped": "b",
    "day_0": "31",
    "day_1": "2",
    "day_2": "2026",
    "hidden": "<h>",
}


def both(data: dict[str, Any] | None, **kwargs: Any) -> tuple[forms.Form, forms.Form]:
    fast = EveryKind(data, renderer=GovukFormRenderer(), **kwargs)
    slow = EveryKind(data, renderer=TemplatesOnly(), **kwargs)
    if data is not None:
        fast.is_valid()
        slow.is_valid()
    return fast, slow


@pytest.mark.parametrize(
    ("data", "kwargs"),
    [
        (None, {}),
        (None, {"initial": {"name": "Ann", "flags": ["b"], "pick": "a"}}),
        ({}, {}),
        (FILLED, {}),
        (FILLED, {"auto_id": False}),
        (FILLED, {"prefix": "p"}),
    ],
    ids=["unbound", "initial", "empty-errors", "filled-errors", "no-ids", "prefixed"],
)
def test_python_markup_is_the_templates_markup(data: dict[str, Any] | None, kwargs: dict[str, Any]) -> None:
    fast, slow = both(data, **kwargs)
    for name in fast.fields:
        assert fast[name].as_field_group() == slow[name].as_field_group(), name
        assert str(fast[name]) == str(slow[name]), name
    assert str(fast) == str(slow)


def test_every_field_kind_is_written_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above compares something: each of these fields goes through a writer, not the fallback."""
    fallen_back: list[str] = []
    render = TemplatesSetting.render

    def recording(self: Any, template_name: str, context: Any, request: Any = None) -> str:
        fallen_back.append(template_name)
        return render(self, template_name, context, request)  # type: ignore[no-any-return]

    monkeypatch.setattr(TemplatesSetting, "render", recording)
    fast, _ = both(FILLED)
    str(fast)
    assert fallen_back == []
    assert {"casework/forms/date_field.html", "django/forms/widgets/select.html"} <= set(WRITERS)
