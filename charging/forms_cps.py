"""Forms of the CPS charging pages: the queue's filters, triage, allocation, the charging decision (with its
charges and action plan rows) and a correction.

They read what was typed (choices, dates, offences of the case, users of the Area) and say precisely what could
not be read; ``charging.services`` decides everything else and its messages are put back on the same fields.
Every form that changes a request carries the version the user saw (optimistic concurrency).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from accounts.choices import Role
from accounts.models import Organisation, User
from casework.forms import (
    GovukDateField,
    OffenceChoiceField,
    UserChoiceField,
    checkboxes,
    radios,
    text,
)
from casework.models import OffenceAllegation
from files.quality.rules import FAILURE_CODES

from . import services
from .choices import ActionItemOwner, ChargingCategory, DecisionOutcome, TestSought
from .models import ChargingDecision
from .selectors import QUEUE_STATUSES, QueueFilters

VERSION_MISSING = "This page is out of date: reload it and try again"
TRIAGE_DECISION_REQUIRED = "Say whether you accept the request or return it to the police"
RETURN_REASON_REQUIRED = "Say what the police must put right before the file meets the National File Standard"
LAWYER_REQUIRED = "Choose the lawyer to allocate the request to"
OUTCOME_REQUIRED = "Choose the outcome of the charging decision"
ACTION_ROWS = 5
DATE_PARTS = ("day", "month", "year")

ACCEPT, RETURN = "accept", "return"
TRIAGE_CHOICES = [
    (ACCEPT, "Accept it into the queue: the file meets the National File Standard"),
    (RETURN, "Return it to the police: the file does not meet the National File Standard"),
]
FAILURE_CHOICES = [(code, f"{label} ({code})") for code, label in FAILURE_CODES.items()]
STATUS_FILTER_CHOICES = [("", "Any status"), *((s.value, s.label) for s in QUEUE_STATUSES)]
CATEGORY_FILTER_CHOICES = [("", "Any category"), *ChargingCategory.choices]


def version_field() -> forms.IntegerField:
    field = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    for key in ("required", "invalid", "min_value"):
        field.error_messages[key] = VERSION_MISSING
    return field


def area_lawyers(organisation: Organisation | None) -> QuerySet[User]:
    """Active CPS lawyers of the Area (or CPS Direct): whom a legal manager may allocate a request to."""
    return User.objects.filter(organisation=organisation, is_active=True, roles__contains=[Role.CPS_LAWYER]).order_by(
        "last_name", "first_name", "username"
    )


# ---------------------------------------------------------------------------------------------
# The queue


class QueueFilterForm(forms.Form):
    category = forms.ChoiceField(choices=CATEGORY_FILTER_CHOICES, label="Category", required=False)
    status = forms.ChoiceField(choices=STATUS_FILTER_CHOICES, label="Status", required=False)
    mine = forms.BooleanField(label="Allocated to me", required=False)
    unallocated = forms.BooleanField(label="Not allocated to a lawyer", required=False)
    overdue = forms.BooleanField(label="Overdue", required=False)

    LABELS = {"mine": "Allocated to me", "unallocated": "Unallocated", "overdue": "Overdue"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("category", "status"):
            self.fields[name].error_messages["invalid_choice"] = "Choose from the list"

    def filters(self) -> QueueFilters:
        data = self.cleaned_data
        return QueueFilters(
            category=data.get("category", ""),
            status=data.get("status", ""),
            mine=bool(data.get("mine")),
            unallocated=bool(data.get("unallocated")),
            overdue=bool(data.get("overdue")),
        )

    def chosen(self) -> list[tuple[str, str]]:
        """(field name, label) of each filter in use, for the "selected filters" tags."""
        data = self.cleaned_data
        chosen: list[tuple[str, str]] = []
        if data.get("category"):
            chosen.append(("category", str(ChargingCategory(data["category"]).label)))
        if data.get("status"):
            chosen.append(("status", str(dict(STATUS_FILTER_CHOICES)[data["status"]])))
        chosen.extend((name, label) for name, label in self.LABELS.items() if data.get(name))
        return chosen


# ---------------------------------------------------------------------------------------------
# Triage and allocation


class TriageForm(forms.Form):
    version = version_field()
    decision = radios(TRIAGE_CHOICES, label="Does the file meet the National File Standard?")
    reason = text(
        "What must the police put right?",
        textarea=True,
        max_length=5000,
        help_text="The police read this with the request when it is returned",
    )
    failure_codes = checkboxes(
        FAILURE_CHOICES, label="Which failures did you find? (optional)", help_text="Select all that apply", small=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = TRIAGE_DECISION_REQUIRED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == RETURN and not cleaned.get("reason", "").strip():
            self.add_error("reason", RETURN_REASON_REQUIRED)
        return cleaned


class TakeForm(forms.Form):
    version = version_field()


class AssignForm(forms.Form):
    version = version_field()
    lawyer = UserChoiceField(
        queryset=User.objects.none(), label="Lawyer", empty_label="Choose a lawyer", to_field_name="public_id"
    )

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lawyer"]
        field.queryset = area_lawyers(organisation)  # type: ignore[attr-defined]
        field.error_messages["required"] = LAWYER_REQUIRED
        field.error_messages["invalid_choice"] = services.LAWYER_NOT_IN_AREA


# ---------------------------------------------------------------------------------------------
# The decision and its correction


class ChargeFieldsForm(forms.Form):
    """The charge part of a decision: which offences of the case, the wording of each, the test applied and,
    for the Threshold Test, the date the decision will be reviewed."""

    version = version_field()
    charges = checkboxes([], label="Which offences are to be charged?", help_text="Select all that apply")
    test_applied = radios(TestSought.choices, label="Which test did you apply?", required=False)
    threshold_review_on = GovukDateField(
        label="When will the Threshold Test decision be reviewed?",
        noun="The review date",
        help_text="Only for the Threshold Test. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, offences: list[OffenceAllegation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offences = offences
        field = self.fields["charges"]
        field.choices = [(str(o.public_id), f"{o.code_with_qualifier} {o.offence_code.title}") for o in offences]  # type: ignore[attr-defined]
        # Anything else posted (another case's offence, or nothing at all) is an offence not on this case.
        field.error_messages["invalid_choice"] = services.OFFENCE_NOT_ON_CASE
        for offence in offences:
            self.fields[self.wording_name(offence)] = text(
                f"Wording of the charge: {offence.code_with_qualifier} {offence.offence_code.title} (optional)",
                textarea=True,
                max_length=5000,
            )

    @staticmethod
    def wording_name(offence: OffenceAllegation) -> str:
        return f"wording_{offence.public_id.hex}"

    def charge_options(self) -> list[dict[str, Any]]:
        """Each offence with its checkbox state and wording box, for the template to lay out."""
        chosen = {str(v) for v in (self["charges"].value() or [])}
        return [
            {
                "index": index,
                "offence": offence,
                "value": str(offence.public_id),
                "checked": str(offence.public_id) in chosen,
                "wording": self[self.wording_name(offence)],
            }
            for index, offence in enumerate(self.offences)
        ]

    def charge_details(self) -> list[services.ChargeDetails]:
        by_id = {str(o.public_id): o for o in self.offences}
        data = self.cleaned_data
        return [
            services.ChargeDetails(offence=by_id[value], wording=data.get(self.wording_name(by_id[value]), ""))
            for value in data.get("charges", [])
        ]

    @classmethod
    def initial_from(cls, decision: ChargingDecision, version: int) -> dict[str, Any]:
        """The fields prefilled from a decision (a correction starts from the decision it corrects)."""
        charges = list(decision.charges.all())
        initial: dict[str, Any] = {
            "version": version,
            "charges": [str(c.offence.public_id) for c in charges],
            "test_applied": decision.test_applied,
            "threshold_review_on": decision.threshold_review_on,
        }
        for charge in charges:
            initial[cls.wording_name(charge.offence)] = charge.wording
        return initial


class DecisionForm(ChargeFieldsForm):
    outcome = radios(DecisionOutcome.choices, label="What is your decision?")
    reasons = text(
        "Reasons for the decision",
        textarea=True,
        max_length=20000,
        help_text="How the Code for Crown Prosecutors test is met or not, how the case will be put, weaknesses",
    )

    field_order = ["version", "outcome", "charges", "test_applied", "threshold_review_on", "reasons"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = OUTCOME_REQUIRED
        self.fields["reasons"].widget.attrs["rows"] = 8

    def outcome_options(self) -> list[dict[str, Any]]:
        chosen = self["outcome"].value()
        return [
            {"index": index, "value": value, "label": label, "checked": value == chosen}
            for index, (value, label) in enumerate(DecisionOutcome.choices)
        ]


class CorrectionForm(ChargeFieldsForm):
    reasons = text(
        "What does the correction put right?",
        textarea=True,
        max_length=20000,
        help_text="The police read this. The decision being corrected stays on the record",
    )

    def __init__(self, *args: Any, with_charges: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].widget.attrs["rows"] = 6
        if not with_charges:
            for name in list(self.fields):
                if name not in ("version", "reasons"):
                    del self.fields[name]
            self.offences = []


class ActionItemForm(forms.Form):
    """One row of an action plan. A row left blank is ignored."""

    action = text("What is needed", textarea=True, max_length=5000)
    reason = text("Why it is needed", textarea=True, max_length=5000, help_text="What it proves or answers")
    offence = OffenceChoiceField(
        queryset=OffenceAllegation.objects.none(),
        label="Which offence is it about? (optional)",
        required=False,
        empty_label="Not about one offence",
        to_field_name="public_id",
    )
    point_to_prove = text("Point to prove (optional)", max_length=300)
    owner = forms.ChoiceField(
        choices=ActionItemOwner.choices, label="Who owns it", initial=ActionItemOwner.OFFICER_IN_CASE, required=False
    )
    due_on = GovukDateField(label="When is it due?", noun="The due date")

    # Fields whose content makes a row count; the owner has a default, so it does not.
    CONTENT = ("action", "reason", "offence", "point_to_prove")

    def __init__(self, *args: Any, number: int, offences: QuerySet[OffenceAllegation], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"item-{number}")
        super().__init__(*args, **kwargs)
        self.number = number
        # Five rows on one page: each label names its action, so a field read on its own still makes sense.
        for name, field in self.fields.items():
            field.label = f"Action {number}: {str(field.label)[0].lower()}{str(field.label)[1:]}"
            if name in ("action", "reason"):
                field.widget.attrs["rows"] = 2
        offence = self.fields["offence"]
        offence.queryset = offences  # type: ignore[attr-defined]
        offence.error_messages["invalid_choice"] = services.ACTION_OFFENCE_NOT_ON_CASE.format(n=number)
        self.fields["owner"].error_messages["invalid_choice"] = services.ACTION_OWNER_UNKNOWN.format(n=number)
        self.fields["due_on"] = GovukDateField(
            label=f"Action {number}: when is it due?", noun=f"The due date of action {number}"
        )

    def is_blank(self) -> bool:
        if not self.is_bound:
            return True
        values = [str(self.data.get(self.add_prefix(name), "")).strip() for name in self.CONTENT]
        values += [str(self.data.get(f"{self.add_prefix('due_on')}_{part}", "")).strip() for part in DATE_PARTS]
        return not any(values)

    def raw(self) -> dict[str, Any]:
        """What was posted for this row, under unprefixed names (to move the row to another number)."""
        names = [*self.CONTENT, "owner"]
        raw = {name: self.data.get(self.add_prefix(name), "") for name in names}
        for part in DATE_PARTS:
            raw[f"due_on_{part}"] = self.data.get(f"{self.add_prefix('due_on')}_{part}", "")
        return raw

    def details(self) -> services.ActionItemDetails:
        data = self.cleaned_data
        due: date | None = data.get("due_on")
        return services.ActionItemDetails(
            action=data.get("action", ""),
            reason=data.get("reason", ""),
            due_on=due,
            owner=data.get("owner") or ActionItemOwner.OFFICER_IN_CASE,
            offence=data.get("offence"),
            point_to_prove=data.get("point_to_prove", ""),
        )


def action_item_forms(
    data: Any, offences: QuerySet[OffenceAllegation], rows: int = ACTION_ROWS
) -> list[ActionItemForm]:
    """The action plan rows. On a POST, the filled rows move to the top in the order typed, so that "Action 2"
    in a message is the second row on the page, and blank rows (left unbound: ignored) fill up the rest."""
    if data is None:
        return [ActionItemForm(number=n, offences=offences) for n in range(1, rows + 1)]
    posted = [ActionItemForm(data, number=n, offences=offences) for n in range(1, rows + 1)]
    filled = [form.raw() for form in posted if not form.is_blank()]
    forms_: list[ActionItemForm] = []
    for n, raw in enumerate(filled, start=1):
        prefixed = {f"item-{n}-{name}": value for name, value in raw.items()}
        forms_.append(ActionItemForm(prefixed, number=n, offences=offences))
    forms_.extend(ActionItemForm(number=n, offences=offences) for n in range(len(filled) + 1, rows + 1))
    return forms_
