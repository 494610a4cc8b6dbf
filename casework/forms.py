"""Forms for the case pages.

They turn what was typed into Python values (dates, times, users, courts, choices) and say
precisely what could not be read. They decide nothing else: the services in ``casework.services``
check the rules and their messages are shown against the same fields. Dates use the GOV.UK date
input (day, month and year boxes); times are typed as hours and minutes.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import Court, Organisation, User
from config.forms import GovukBoundField

from .choices import (
    Authority,
    CaseFlag,
    CaseStatus,
    ContactPreference,
    CustodyEventKind,
    EnhancedRights,
    HearingOutcome,
    HearingType,
    OffenceQualifier,
    OffenceStatus,
    SpecialMeasure,
    VictimPersonalStatement,
    VictimUpdateReason,
    WitnessType,
    WitnessVulnerability,
)
from .models import Case, OffenceAllegation, Suspect, person_name
from .selectors import force_officers, officer_of_force, officers_named
from .services.cases import REASON_REQUIRED
from .services.custody import OFFENCE_NOT_SUSPECTS
from .services.hearings import COURT_REQUIRED, TYPE_REQUIRED
from .services.offences import DATE_REQUIRED as OFFENCE_DATE_REQUIRED
from .services.offences import SUSPECT_NOT_ON_CASE
from .services.people import NAME_REQUIRED

DATE_HINT = "For example, 27 3 2026"
DATETIME_HINT = "For example, 27 3 2026 and 14:30 (24-hour clock)"
URN_HINT = "For example, 10/AA/12345/26"
PNC_HINT = "For example, 2019/0012345G"
ASN_HINT = "For example, 26/10AA/01/123456H"

URN_REQUIRED = "Enter the URN"
STATUS_REQUIRED = "Choose the new status"
STATUS_UNKNOWN = "Choose one of the statuses listed"
CODE_REQUIRED = "Enter the CJS offence code"
KIND_REQUIRED = "Choose what happened"
FILTER_CHOICE_UNKNOWN = "Choose from the list"
OFFICER_NOT_LISTED = "Choose an officer from the list"
UPDATE_REASON_REQUIRED = "Choose what the update was about"
UPDATE_METHOD_REQUIRED = "Choose how the update was given"
EVENT_ON_REQUIRED = "Enter the date of the event"
GIVEN_ON_REQUIRED = "Enter the date the update was given"
HEARING_TIME_REQUIRED = "Enter the date and time of the hearing"
OCCURRED_AT_REQUIRED = "Enter when it happened"
OFFICER_HINT = "Their collar number or name, for example 4512 or Jane Smith"
OFFICER_NOT_IN_FORCE = "No officer in your force matches ‘{text}’: enter their collar number or name"
OFFICER_LINK_NOT_IN_FORCE = (
    "The officer in the link you followed is not an officer in your force: enter their collar number or name"
)
OFFICER_AMBIGUOUS = (
    "{count} officers in your force match ‘{text}’: {officers}. Enter the collar number of the one you mean"
)
OFFICER_TOO_MANY = (
    "More than {count} officers in your force match ‘{text}’: enter their collar number, or more of their name"
)
UPDATED_RANGE_REVERSED = "The ‘updated to’ date must be the same as or after the ‘updated from’ date"
AVOID_END_MISSING = "Enter the last date to avoid, or clear the first date"
AVOID_START_MISSING = "Enter the first date to avoid, or clear the last date"

# Month names people type into the month box, as the GOV.UK date input allows.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ],
        start=1,
    )
    for name in names.split()
}
TIME_PATTERN = re.compile(r"(?P<hour>[0-9]{1,2})(?:[:.]?(?P<minute>[0-9]{2}))?\s*(?P<half>am|pm)?")


# ---------------------------------------------------------------------------------------------
# The GOV.UK date input, and the date input with a time box


class GovukDateInput(forms.MultiWidget):
    """Day, month and year boxes (and, for a date and time, a time box) in one fieldset."""

    template_name = "casework/widgets/date_input.html"
    parts: tuple[tuple[str, str, str], ...] = (
        ("day", "Day", "govuk-input--width-2"),
        ("month", "Month", "govuk-input--width-2"),
        ("year", "Year", "govuk-input--width-4"),
    )

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({name: forms.TextInput() for name, _, _ in self.parts}, attrs)

    def id_for_label(self, id_: str) -> str:
        """The day box: where the error summary's link for the whole date takes the user."""
        return f"{id_}_0" if id_ else ""

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"][: len(self.parts)]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None] * len(self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for sub, (part, label, width) in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            sub["part"], sub["label"], sub["width"] = part, label, width
        return context


class GovukDateTimeInput(GovukDateInput):
    parts = (*GovukDateInput.parts, ("time", "Time", "govuk-input--width-5"))


class GovukDateBoundField(GovukBoundField):
    """Marks the boxes of a date input in error (the widget renders its own boxes)."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            attrs["class"] = "govuk-input--error"
        return attrs


class _GovukChoices:
    """GOV.UK radios or checkboxes. The shared widget templates read ``widget.input_type``, which
    Django does not put in a choice widget's context, so every group came out as checkboxes (and,
    as ``CheckboxSelectMultiple`` subclasses ``RadioSelect``, every box got the radio class): this
    template and these classes are chosen by the widget itself."""

    kind = "radios"

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = (), *, small: bool = False) -> None:
        super().__init__(attrs, choices)  # type: ignore[call-arg]
        self.small = small

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"].update(kind=self.kind, small=self.small)
        return context

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)  # type: ignore[misc]
        option["attrs"]["class"] = f"govuk-{self.kind}__input"
        return option


class GovukRadios(_GovukChoices, forms.RadioSelect):
    kind = "radios"
    template_name = "casework/widgets/choices.html"


class GovukCheckboxes(_GovukChoices, forms.CheckboxSelectMultiple):
    kind = "checkboxes"
    template_name = "casework/widgets/choices.html"


class GovukSelect(forms.Select):
    """Django's select, its options written out in one template instead of two includes each."""

    template_name = "casework/widgets/select.html"


def parse_date(noun: str, day: str, month: str, year: str) -> date | None:
    """A date from the three boxes. ``noun`` starts each message ("Date of birth must be a real date")."""
    parts = {"day": day.strip(), "month": month.strip().lower(), "year": year.strip()}
    if not any(parts.values()):
        return None
    missing = [part for part in ("day", "month", "year") if not parts[part]]
    if missing:
        raise ValidationError(f"{noun} must include a {' and a '.join(missing)}", code="incomplete")
    month_number = MONTHS.get(parts["month"]) or (int(parts["month"]) if parts["month"].isdigit() else None)
    if month_number is None or not parts["day"].isdigit() or not parts["year"].isdigit():
        raise ValidationError(f"{noun} must be a real date", code="invalid")
    if len(parts["year"]) != 4:
        raise ValidationError(f"{noun} must include a year with 4 numbers, like 2026", code="invalid")
    try:
        return date(int(parts["year"]), month_number, int(parts["day"]))
    except ValueError:
        raise ValidationError(f"{noun} must be a real date", code="invalid") from None


def parse_time(noun: str, text: str) -> time:
    match = TIME_PATTERN.fullmatch(text.strip().lower())
    if match is None:
        raise ValidationError(f"{noun} must include a real time, like 14:30", code="invalid")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise ValidationError(f"{noun} must include a real time, like 14:30", code="invalid")
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f"{noun} must include a real time, like 14:30", code="invalid")
    return time(hour, minute)


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input. Messages follow the GOV.UK date input pattern."""

    widget = GovukDateInput
    bound_field_class = GovukDateBoundField

    def __init__(self, *, noun: str, required_message: str = "", **kwargs: Any) -> None:
        self.noun = noun
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault("required", bool(required_message))
        kwargs.setdefault("template_name", "casework/forms/date_field.html")
        super().__init__(**kwargs)
        self.error_messages["required"] = required_message or f"Enter {noun[0].lower()}{noun[1:]}"

    def _parts(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple):
            return [""] * len(self.widget.parts)  # type: ignore[attr-defined]
        return [str(v or "") for v in value]

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        day, month, year = self._parts(value)[:3]
        return parse_date(self.noun, day, month, year)


class GovukDateTimeField(GovukDateField):
    """A date in the GOV.UK date input and a time as hours and minutes, in UK local time."""

    widget = GovukDateTimeInput

    def __init__(self, *, noun: str, required_message: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", DATETIME_HINT)
        super().__init__(noun=noun, required_message=required_message, **kwargs)

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        if isinstance(value, datetime):
            return value
        day, month, year, clock = self._parts(value)
        if not any(p.strip() for p in (day, month, year, clock)):
            return None
        if not any(p.strip() for p in (day, month, year)):
            raise ValidationError(f"{self.noun} must include a date", code="incomplete")
        on = parse_date(self.noun, day, month, year)
        assert on is not None
        if not clock.strip():
            raise ValidationError(f"{self.noun} must include a time", code="incomplete")
        return timezone.make_aware(datetime.combine(on, parse_time(self.noun, clock)))


# ---------------------------------------------------------------------------------------------
# Choice helpers


def radios(choices: Any, *, label: str, required_message: str = "", **kwargs: Any) -> forms.ChoiceField:
    field = forms.ChoiceField(choices=choices, label=label, widget=GovukRadios, **kwargs)
    if required_message:
        field.error_messages["required"] = required_message
    field.error_messages["invalid_choice"] = FILTER_CHOICE_UNKNOWN
    return field


def checkboxes(choices: Any, *, label: str, small: bool = False, **kwargs: Any) -> forms.MultipleChoiceField:
    field = forms.MultipleChoiceField(
        choices=choices, label=label, widget=GovukCheckboxes(small=small), required=False, **kwargs
    )
    field.error_messages["invalid_choice"] = FILTER_CHOICE_UNKNOWN
    return field


class PublicIdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Chooses a row by its public id; anything that is not one of the choices (including text
    that is not a UUID at all) is "not one of the choices", never a UUID parsing message."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class UserChoiceField(PublicIdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.job_title})" if obj.job_title else name


class OffenceChoiceField(PublicIdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code_with_qualifier} {obj.offence_code.title}"


class SuspectChoiceField(PublicIdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def force_supervisors(force: Organisation | None) -> QuerySet[User]:
    return User.objects.filter(
        organisation=force, is_active=True, roles__overlap=[Role.POLICE_SUPERVISOR, Role.POLICE_MANAGER]
    ).order_by("last_name", "first_name", "username")


def active_courts() -> QuerySet[Court]:
    return Court.objects.filter(is_active=True).order_by("name")


def court_field(*, label: str = "Court", required: bool = False, required_message: str = "") -> forms.ModelChoiceField:  # type: ignore[type-arg]
    field = forms.ModelChoiceField(
        queryset=active_courts(), label=label, required=required, empty_label="Choose a court", to_field_name="code"
    )
    field.error_messages["required"] = required_message or COURT_REQUIRED
    field.error_messages["invalid_choice"] = COURT_REQUIRED
    return field


def text(label: str, *, required_message: str = "", textarea: bool = False, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", bool(required_message))
    widget = forms.Textarea(attrs={"rows": 4}) if textarea else kwargs.pop("widget", None)
    field = forms.CharField(label=label, widget=widget, **kwargs)
    if required_message:
        field.error_messages["required"] = required_message
    if field.max_length is not None:
        name = label.removesuffix(" (optional)")
        field.error_messages["max_length"] = f"{name} must be {field.max_length} characters or fewer"
    return field


# ---------------------------------------------------------------------------------------------
# Case list filters

SORT_CHOICES = [
    ("updated", "Recently updated"),
    ("oldest", "Least recently updated"),
    ("created", "Recently created"),
    ("urn", "URN"),
    ("relevance", "Best match (when searching)"),
]


def officer_named(officer: User) -> str:
    """An officer as the "officer in case" box shows them once found, e.g. "Jane SMITH (4512)": typed again,
    it finds the same officer."""
    name = person_name(officer.first_name, officer.last_name) or officer.username
    return f"{name} ({officer.shoulder_number})" if officer.shoulder_number else name


def officer_described(officer: User) -> str:
    """An officer in a message telling several apart: with their rank, e.g. "DC Jane SMITH (4512)"."""
    return f"{officer.job_title} {officer_named(officer)}" if officer.job_title else officer_named(officer)


class OfficerField(forms.CharField):
    """The officer in case, typed as a collar number or a name and found by ``CaseFilterForm`` in the user's own
    force. A link from another page carries the officer's public id instead; once found, the box shows the
    officer's name and collar number rather than the id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown_as: dict[str, str] = {}

    def prepare_value(self, value: Any) -> Any:
        return self.shown_as.get(value.strip(), value) if isinstance(value, str) else value


# How many officers an ambiguous "officer in case" lists by name before asking for a collar number instead.
OFFICERS_LISTED = 3


class CaseFilterForm(forms.Form):
    q = text("Search cases", help_text="URN, name of a suspect, victim or witness, PNC ID or offence", max_length=200)
    status = checkboxes(CaseStatus.choices, label="Status", small=True)
    flag = checkboxes(CaseFlag.choices, label="Flags", help_text="Cases with every flag you choose", small=True)
    # A text box, not a drop-down: a force has thousands of officers (the Met over 3,000), and a list of every
    # one of them made the page slow to build, heavy to load and no quicker to use than typing a collar number.
    officer = OfficerField(label="Officer in case", help_text=OFFICER_HINT, required=False, max_length=100)
    unit = text("Unit code", help_text="For example, AA", max_length=20)
    updated_from = GovukDateField(label="Updated on or after", noun="The ‘updated from’ date")
    updated_to = GovukDateField(label="Updated on or before", noun="The ‘updated to’ date")
    sort = forms.ChoiceField(choices=SORT_CHOICES, label="Sort by", required=False, widget=GovukSelect)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sort"].error_messages["invalid_choice"] = FILTER_CHOICE_UNKNOWN
        self.fields["unit"].widget.attrs["class"] = "govuk-input--width-4"
        self.fields["officer"].error_messages["max_length"] = "Officer in case must be 100 characters or fewer"
        self.fields["officer"].widget.attrs["spellcheck"] = "false"
        if not user.is_police:
            del self.fields["officer"]

    def clean_officer(self) -> User | None:
        """The officer the box names, in the user's own force only: an officer of another force is "no match",
        never a hint that they exist."""
        typed = str(self.cleaned_data.get("officer") or "")
        if not typed:
            return None
        force = self.user.organisation
        try:
            public_id = uuid.UUID(typed)
        except ValueError:
            public_id = None
        if public_id is not None:
            officer = officer_of_force(force=force, public_id=public_id)
            if officer is None:
                raise ValidationError(OFFICER_LINK_NOT_IN_FORCE, code="not_in_force")
        else:
            found = officers_named(force=force, text=typed, limit=OFFICERS_LISTED + 1)
            if not found:
                raise ValidationError(OFFICER_NOT_IN_FORCE.format(text=typed), code="not_in_force")
            if len(found) > OFFICERS_LISTED:
                raise ValidationError(OFFICER_TOO_MANY.format(count=OFFICERS_LISTED, text=typed), code="ambiguous")
            if len(found) > 1:
                listed = ", ".join(officer_described(o) for o in found[:-1]) + f" and {officer_described(found[-1])}"
                raise ValidationError(
                    OFFICER_AMBIGUOUS.format(count=len(found), text=typed, officers=listed), code="ambiguous"
                )
            officer = found[0]
        field = self.fields["officer"]
        assert isinstance(field, OfficerField)
        field.shown_as[typed] = officer_named(officer)
        return officer

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("updated_from"), cleaned.get("updated_to")
        if start and end and end < start:
            self.add_error("updated_to", UPDATED_RANGE_REVERSED)
        return cleaned


# ---------------------------------------------------------------------------------------------
# The case


class CaseForm(forms.Form):
    urn = text("URN", help_text=URN_HINT, required_message=URN_REQUIRED, max_length=40)
    summary = text("Summary (optional)", textarea=True, help_text="What the case is about, in a sentence or two")
    flags = checkboxes(CaseFlag.choices, label="Flags (optional)", help_text="Select all that apply")
    reported_on = GovukDateField(label="Date the crime was reported (optional)", noun="The date reported")
    officer_in_case = UserChoiceField(
        queryset=User.objects.none(),
        label="Officer in case (optional)",
        required=False,
        empty_label="Not yet allocated",
        to_field_name="public_id",
    )
    supervisor = UserChoiceField(
        queryset=User.objects.none(),
        label="Supervisor (optional)",
        required=False,
        empty_label="Not yet allocated",
        to_field_name="public_id",
    )
    cps_area = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="CPS Area",
        help_text="British Transport Police cases go to the CPS Area where the offence happened",
        required=False,
        empty_label="Choose a CPS Area",
        to_field_name="code",
    )

    def __init__(self, *args: Any, force: Organisation, with_urn: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_urn:
            del self.fields["urn"]
        else:
            self.fields["urn"].widget.attrs.update({"class": "govuk-input--width-20", "spellcheck": "false"})
        self.fields["officer_in_case"].queryset = force_officers(force)  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = force_supervisors(force)  # type: ignore[attr-defined]
        for name in ("officer_in_case", "supervisor"):
            self.fields[name].error_messages["invalid_choice"] = OFFICER_NOT_LISTED
        if force.served_by_id is None:
            self.fields["cps_area"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                kind=OrganisationKind.CPS_AREA, is_active=True
            ).order_by("name")
        else:
            del self.fields["cps_area"]

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        return {
            "summary": case.summary,
            "flags": list(case.flags),
            "reported_on": case.reported_on,
            "officer_in_case": case.officer_in_case.public_id if case.officer_in_case else None,
            "supervisor": case.supervisor.public_id if case.supervisor else None,
            "cps_area": case.cps_area.code if case.cps_area else None,
        }


class StatusChangeForm(forms.Form):
    """The targets shown are those the lifecycle allows; any status is read, so that the service
    (not the form) explains a move it refuses."""

    status = forms.CharField(label="New status", widget=GovukRadios)
    reason = text("Reason for the change", textarea=True, required_message=REASON_REQUIRED, max_length=2000)

    def __init__(self, *args: Any, targets: list[CaseStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = [(t.value, t.label) for t in targets]  # type: ignore[attr-defined]
        self.fields["status"].error_messages["required"] = STATUS_REQUIRED

    def clean_status(self) -> str:
        value = str(self.cleaned_data["status"])
        if value not in CaseStatus.values:
            raise ValidationError(STATUS_UNKNOWN)
        return value


# ---------------------------------------------------------------------------------------------
# People


class PersonForm(forms.Form):
    first_names = text("First names", required_message=NAME_REQUIRED.format(part="first names"), max_length=200)
    last_name = text("Last name", required_message=NAME_REQUIRED.format(part="last name"), max_length=200)
    date_of_birth = GovukDateField(label="Date of birth (optional)", noun="Date of birth")


class SuspectForm(PersonForm):
    pnc_id = text("PNC ID (optional)", help_text=PNC_HINT, max_length=20)
    asn = text("Arrest/summons number (optional)", help_text=ASN_HINT, max_length=30)
    custody_record_number = text("Custody record number (optional)", max_length=40)
    interpreter_language = text(
        "Interpreter language (optional)", help_text="Leave blank if no interpreter is needed", max_length=100
    )
    vulnerabilities = text(
        "Vulnerabilities (optional)", textarea=True, help_text="Mental health, learning disability or other needs"
    )
    needs_appropriate_adult = forms.BooleanField(label="Needs an appropriate adult", required=False)


class VictimForm(PersonForm):
    is_organisation = forms.BooleanField(
        label="The victim is a business or organisation",
        required=False,
        help_text="Give the name of the contact at the organisation",
    )
    enhanced_rights = checkboxes(
        EnhancedRights.choices,
        label="Entitled to enhanced rights (optional)",
        help_text="Victims' Code categories: select all that apply",
    )
    contact_preference = radios(
        ContactPreference.choices,
        label="How they want to be contacted",
        initial=ContactPreference.PHONE,
        required_message="Choose how they want to be contacted",
    )
    contact_details = text("Contact details (optional)", max_length=300, help_text="Phone number, email or address")
    personal_statement = radios(
        VictimPersonalStatement.choices,
        label="Victim Personal Statement",
        initial=VictimPersonalStatement.NOT_YET_OFFERED,
        required_message="Choose where the Victim Personal Statement stands",
    )
    personal_statement_on = GovukDateField(
        label="Date the Victim Personal Statement was made (if made)", noun="The statement date"
    )
    first_statement_on = GovukDateField(
        label="Date of the first witness statement or video interview (optional)", noun="The first statement date"
    )


class WitnessForm(PersonForm):
    witness_type = radios(
        WitnessType.choices,
        label="Type of witness",
        initial=WitnessType.EYEWITNESS,
        required_message="Choose the type of witness",
    )
    is_key = forms.BooleanField(label="Key witness", required=False)
    vulnerability = radios(
        WitnessVulnerability.choices,
        label="Vulnerable or intimidated",
        initial=WitnessVulnerability.NONE,
        required_message="Choose whether the witness is vulnerable or intimidated",
    )
    special_measures = checkboxes(
        SpecialMeasure.choices, label="Special measures needed (optional)", help_text="Select all that apply"
    )
    willing_to_attend = forms.BooleanField(label="Willing to attend court", required=False, initial=True)
    notes = text("Notes (optional)", textarea=True)

    MIN_RANGES = 3

    def __init__(self, *args: Any, ranges: int = MIN_RANGES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.range_count = max(ranges, self.MIN_RANGES)
        for i in range(1, self.range_count + 1):
            self.fields[f"avoid_{i}_from"] = GovukDateField(
                label=f"Dates to avoid {i}: first date (optional)", noun=f"The first date to avoid ({i})"
            )
            self.fields[f"avoid_{i}_to"] = GovukDateField(
                label=f"Dates to avoid {i}: last date (optional)", noun=f"The last date to avoid ({i})"
            )
            self.fields[f"avoid_{i}_reason"] = text(f"Dates to avoid {i}: reason (optional)", max_length=200)
        # After the ranges, as the "none" answer to the question they ask (MG11 rear: "none").
        self.fields["no_dates_to_avoid"] = forms.BooleanField(label="The witness has no dates to avoid", required=False)

    @staticmethod
    def initial_ranges(ranges: list[tuple[date, date, str]]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for i, (start, end, reason) in enumerate(ranges, start=1):
            initial.update({f"avoid_{i}_from": start, f"avoid_{i}_to": end, f"avoid_{i}_reason": reason})
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ranges: list[tuple[date, date, str]] = []
        self.range_fields: list[str] = []
        for i in range(1, self.range_count + 1):
            start, end = cleaned.get(f"avoid_{i}_from"), cleaned.get(f"avoid_{i}_to")
            if f"avoid_{i}_from" in self.errors or f"avoid_{i}_to" in self.errors:
                continue
            if start and not end:
                self.add_error(f"avoid_{i}_to", AVOID_END_MISSING)
            elif end and not start:
                self.add_error(f"avoid_{i}_from", AVOID_START_MISSING)
            elif start and end:
                ranges.append((start, end, str(cleaned.get(f"avoid_{i}_reason", "")).strip()))
                self.range_fields.append(f"avoid_{i}_to")
        cleaned["dates_to_avoid"] = ranges
        return cleaned

    def reversed_range_field(self) -> str | None:
        """The 'last date' box of the first range whose dates are the wrong way round."""
        for (start, end, _), name in zip(self.cleaned_data["dates_to_avoid"], self.range_fields, strict=True):
            if end < start:
                return name
        return None


class VictimUpdateForm(forms.Form):
    reason = radios(
        VictimUpdateReason.choices, label="What was the update about?", required_message=UPDATE_REASON_REQUIRED
    )
    event_on = GovukDateField(
        label="When did the event happen?", noun="The event date", required_message=EVENT_ON_REQUIRED
    )
    given_on = GovukDateField(
        label="When was the update given?", noun="The date given", required_message=GIVEN_ON_REQUIRED
    )
    method = radios(ContactPreference.choices, label="How was it given?", required_message=UPDATE_METHOD_REQUIRED)
    summary = text("What the victim was told (optional)", textarea=True)


# ---------------------------------------------------------------------------------------------
# Offences, custody and bail, hearings


class OffenceForm(forms.Form):
    suspect = SuspectChoiceField(
        queryset=Suspect.objects.none(), label="Suspect", empty_label="Choose a suspect", to_field_name="public_id"
    )
    code = text(
        "CJS offence code",
        required_message=CODE_REQUIRED,
        help_text="For example, CJ88116 or TH68010",
        max_length=12,
    )
    qualifier = radios(
        OffenceQualifier.choices,
        label="Qualifier (optional)",
        required=False,
        initial="",
        help_text="Only if the offence was attempted, aided and abetted, conspired or incited",
    )
    committed_on = GovukDateField(
        label="Date of the offence, or the first date",
        noun="The offence date",
        required_message=OFFENCE_DATE_REQUIRED,
    )
    committed_until = GovukDateField(
        label="Last date, for a continuing offence (optional)", noun="The last date of the offence"
    )
    location = text("Where it happened (optional)", max_length=300)
    particulars = text("Particulars (optional)", textarea=True, help_text="The wording of the offence")
    status = radios(
        OffenceStatus.choices,
        label="Status",
        initial=OffenceStatus.ALLEGED,
        required_message="Choose alleged, charged or not proceeded with",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suspect_field = self.fields["suspect"]
        suspect_field.queryset = case.suspects.order_by("created_at", "id")  # type: ignore[attr-defined]
        suspect_field.error_messages.update(required=SUSPECT_NOT_ON_CASE, invalid_choice=SUSPECT_NOT_ON_CASE)
        self.fields["code"].widget.attrs.update({"class": "govuk-input--width-10", "spellcheck": "false"})

    @classmethod
    def initial_for(cls, offence: OffenceAllegation) -> dict[str, Any]:
        return {
            "suspect": offence.suspect.public_id,
            "code": offence.offence_code.code,
            "qualifier": offence.qualifier,
            "committed_on": offence.committed_on,
            "committed_until": offence.committed_until,
            "location": offence.location,
            "particulars": offence.particulars,
            "status": offence.status,
        }


class CustodyKindForm(forms.Form):
    kind = radios(CustodyEventKind.choices, label="What happened?", required_message=KIND_REQUIRED)


# Which details each kind of custody or bail event asks for, besides when it happened and notes.
CUSTODY_FIELDS: dict[str, tuple[str, ...]] = {
    CustodyEventKind.DETAINED: ("relevant_time", "authorised_by"),
    CustodyEventKind.DETENTION_EXTENDED: ("authority", "authorised_by"),
    CustodyEventKind.WARRANT_OF_FURTHER_DETENTION: ("court", "period_ends_at", "authorised_by"),
    CustodyEventKind.PRE_CHARGE_BAIL: (
        "arrested_on",
        "bail_start_date",
        "period_ends_on",
        "authority",
        "authorised_by",
        "conditions",
    ),
    CustodyEventKind.BAIL_EXTENDED: ("period_ends_on", "authority", "authorised_by", "court", "conditions"),
    CustodyEventKind.RELEASED_UNDER_INVESTIGATION: ("arrested_on",),
    CustodyEventKind.CHARGED_AND_BAILED: ("court", "conditions"),
    CustodyEventKind.REMANDED_IN_CUSTODY: ("offence", "first_remand_date", "court"),
    CustodyEventKind.SUMMONSED: ("court",),
    CustodyEventKind.RELEASED_NO_FURTHER_ACTION: (),
}


class CustodyEventForm(forms.Form):
    kind = forms.ChoiceField(choices=CustodyEventKind.choices, widget=forms.HiddenInput)
    occurred_at = GovukDateTimeField(
        label="When did it happen?", noun="The time it happened", required_message=OCCURRED_AT_REQUIRED
    )
    relevant_time = GovukDateTimeField(
        label="PACE relevant time",
        noun="The relevant time",
        help_text="Usually the time of arrival at the police station. " + DATETIME_HINT,
    )
    arrested_on = GovukDateField(
        label="Date of arrest", noun="The arrest date", help_text="It decides which bail law applies. " + DATE_HINT
    )
    bail_start_date = GovukDateField(label="Bail start date", noun="The bail start date")
    period_ends_on = GovukDateField(
        label="Date bail ends",
        noun="The date bail ends",
        help_text="For first bail, leave blank for the standard period. " + DATE_HINT,
    )
    period_ends_at = GovukDateTimeField(label="Time the warrant runs to", noun="The time the warrant runs to")
    authority = radios(Authority.choices, label="Who authorised it?", required=False)
    authorised_by = text("Name and rank of who authorised it (optional)", max_length=200)
    court = court_field(label="Court (if any)")
    offence = OffenceChoiceField(
        queryset=OffenceAllegation.objects.none(),
        label="Offence remanded on",
        required=False,
        empty_label="Choose an offence",
        to_field_name="public_id",
    )
    first_remand_date = GovukDateField(label="Date of the first remand", noun="The first remand date")
    conditions = text("Conditions (optional)", textarea=True)
    notes = text("Notes (optional)", textarea=True)

    def __init__(self, *args: Any, kind: str, suspect: Suspect, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event_kind = kind
        wanted = {"kind", "occurred_at", "notes", *CUSTODY_FIELDS.get(kind, ())}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "offence" in self.fields:
            self.fields["offence"].queryset = suspect.offences.select_related("offence_code")  # type: ignore[attr-defined]
            self.fields["offence"].error_messages["invalid_choice"] = OFFENCE_NOT_SUSPECTS
        if "court" in self.fields and kind == CustodyEventKind.WARRANT_OF_FURTHER_DETENTION:
            self.fields["court"].label = "Magistrates' court that issued the warrant"
        self.fields["kind"].initial = kind


class HearingForm(forms.Form):
    court = court_field(required=True)
    starts_at = GovukDateTimeField(
        label="Date and time of the hearing", noun="The hearing time", required_message=HEARING_TIME_REQUIRED
    )
    hearing_type = radios(HearingType.choices, label="Type of hearing", required_message=TYPE_REQUIRED)
    outcome = radios(HearingOutcome.choices, label="Outcome", required=False, initial=HearingOutcome.PENDING)
    outcome_notes = text("Notes on the outcome (optional)", textarea=True)
