"""The filters of the performance pages, as GET forms: which force, which period, by month or week, broken
down by which dimension, for which charging category; and the drill-down's period and dimension values.

They read what was typed and nothing more. Whether a grain, a dimension or a period is acceptable is decided
by ``metrics.selectors`` (``MetricQueryError``), whose precise message the view puts against the field it is
about, so the pages, the CSV and the API refuse the same things with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import QueryDict

from accounts.choices import OrganisationKind
from accounts.models import Organisation, Unit
from casework.forms import GovukDateField, GovukRadios
from charging.choices import ChargingCategory

from .selectors import FORCE_OUT_OF_SCOPE

PRESET_3_MONTHS = "last-3-months"
PRESET_12_MONTHS = "last-12-months"
CUSTOM = "custom"
PERIOD_CHOICES = [
    (PRESET_3_MONTHS, "Last 3 months"),
    (PRESET_12_MONTHS, "Last 12 months"),
    (CUSTOM, "Dates I choose"),
]
PRESET_MONTHS = {PRESET_3_MONTHS: 3, PRESET_12_MONTHS: 12}
GRAIN_CHOICES = [("month", "Month"), ("week", "Week")]
# What the dashboard breaks a figure down by (the force is chosen above, so it is not offered).
BREAKDOWN_CHOICES = [
    ("", "Nothing: totals only"),
    ("unit", "Police unit"),
    ("cps_area", "CPS Area"),
    ("offence_group", "Offence group"),
    ("category", "Charging category"),
]
BREAKDOWN_LABELS = dict(BREAKDOWN_CHOICES) | {"force": "Police force"}
# In a drill-down link, the value of a group that has no unit, Area, offence group or category.
NONE_VALUE = "none"

PERIOD_UNKNOWN = "Choose the last 3 months, the last 12 months or dates you choose"
START_REQUIRED = "Enter the start date"
END_REQUIRED = "Enter the end date"
CATEGORY_UNKNOWN = "Choose a charging category from the list"
FORCE_REQUIRED = "Choose a police force"
DATE_UNREADABLE = "Enter the {noun} as a date like 2026-01-31"
UNIT_UNKNOWN = "{force} has no unit with the code “{value}”"
AREA_UNKNOWN = "There is no CPS Area with the code “{value}”"


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """The whole calendar months of a preset, the current (partial) month included, up to today."""
    months = PRESET_MONTHS[preset]
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1), today


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same number of days just before [start, end]."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


class ForceField(forms.ChoiceField):
    """A police force chosen by its code among the forces the user may see. Anything else (another force, a
    code that is no force) gets the same message, so the answer says nothing about other forces."""

    def __init__(self, forces: list[Organisation], **kwargs: Any) -> None:
        super().__init__(choices=[(f.code, f.name) for f in forces], label="Police force", **kwargs)
        self.forces = {f.code: f for f in forces}
        self.error_messages["invalid_choice"] = FORCE_OUT_OF_SCOPE
        self.error_messages["required"] = FORCE_REQUIRED

    def clean(self, value: Any) -> Organisation | None:  # type: ignore[override]
        code = super().clean(value)
        return self.forces.get(code) if code else None


def with_defaults(params: QueryDict, defaults: dict[str, str]) -> QueryDict:
    """The query string with a default for each filter left out, so a bare URL shows the usual view."""
    data = params.copy()
    for name, value in defaults.items():
        if name not in data:
            data[name] = value
    return data


@dataclass(frozen=True)
class DashboardFilters:
    force: Organisation
    start: date
    end: date
    previous_start: date
    previous_end: date
    grain: str
    group_by: str
    category: str
    preset: str


class DashboardForm(forms.Form):
    force = forms.ChoiceField()  # replaced in __init__ by the forces the user may see
    period = forms.ChoiceField(choices=PERIOD_CHOICES, label="Period", widget=GovukRadios(small=True))
    start = GovukDateField(noun="The start date", label="From", required=False)
    end = GovukDateField(noun="The end date", label="To", required=False)
    # Grain and dimension are free text here: ``metrics.selectors.validate`` decides and words the refusal.
    grain = forms.CharField(label="Show figures by", widget=GovukRadios(choices=GRAIN_CHOICES, small=True))
    group_by = forms.CharField(label="Break down by", required=False, widget=forms.Select(choices=BREAKDOWN_CHOICES))
    category = forms.ChoiceField(
        choices=[("", "All categories"), *ChargingCategory.choices], label="Charging category", required=False
    )

    def __init__(self, *args: Any, forces: list[Organisation], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["force"] = ForceField(forces)
        self.fields["period"].error_messages["invalid_choice"] = PERIOD_UNKNOWN
        self.fields["period"].error_messages["required"] = PERIOD_UNKNOWN
        self.fields["category"].error_messages["invalid_choice"] = CATEGORY_UNKNOWN

    @staticmethod
    def defaults(forces: list[Organisation]) -> dict[str, str]:
        defaults = {"period": PRESET_12_MONTHS, "grain": "month"}
        if forces:
            defaults["force"] = forces[0].code
        return defaults

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("period") == CUSTOM:
            if data.get("start") is None and "start" not in self.errors:
                self.add_error("start", START_REQUIRED)
            if data.get("end") is None and "end" not in self.errors:
                self.add_error("end", END_REQUIRED)
        return data

    def filters(self) -> DashboardFilters:
        data = self.cleaned_data
        preset = data["period"]
        if preset == CUSTOM:
            start, end = data["start"], data["end"]
        else:
            start, end = preset_period(preset, self.today)
        previous_start, previous_end = previous_period(start, end) if start <= end else (start, end)
        return DashboardFilters(
            force=data["force"],
            start=start,
            end=end,
            previous_start=previous_start,
            previous_end=previous_end,
            grain=data["grain"],
            group_by=data.get("group_by") or "",
            category=data.get("category") or "",
            preset=preset,
        )


class IsoDateField(forms.DateField):
    """A date in a link (``2026-01-31``): the drill-down is reached from the dashboard, not typed."""

    def __init__(self, *, noun: str, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)
        self.error_messages["invalid"] = DATE_UNREADABLE.format(noun=noun)
        self.error_messages["required"] = f"Enter the {noun}"


@dataclass(frozen=True)
class DrillDownFilters:
    force: Organisation
    start: date
    end: date
    # dimension -> value, as ``metrics.selectors.MetricQuery.filters`` takes them (primary keys, codes)
    dimensions: dict[str, Any]


class DrillDownForm(forms.Form):
    force = forms.ChoiceField()  # replaced in __init__
    start = IsoDateField(noun="start date", label="From", help_text="For example, 2026-01-31")
    end = IsoDateField(noun="end date", label="To", help_text="For example, 2026-03-31")
    unit = forms.CharField(required=False, label="Police unit code")
    cps_area = forms.CharField(required=False, label="CPS Area code")
    offence_group = forms.CharField(required=False, label="Offence group")
    category = forms.CharField(required=False, label="Charging category")

    def __init__(self, *args: Any, forces: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"] = ForceField(forces)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        force = data.get("force")
        unit = data.get("unit") or ""
        if force is not None and unit and unit != NONE_VALUE:
            found = Unit.objects.filter(organisation=force, code=unit.upper()).first()
            if found is None:
                self.add_error("unit", UNIT_UNKNOWN.format(force=force.name, value=unit))
            else:
                data["unit_id"] = found.pk
        area = data.get("cps_area") or ""
        if area and area != NONE_VALUE:
            kinds = (OrganisationKind.CPS_AREA, OrganisationKind.CPS_DIRECT)
            found_area = Organisation.objects.filter(kind__in=kinds, code=area).first()
            if found_area is None:
                self.add_error("cps_area", AREA_UNKNOWN.format(value=area))
            else:
                data["cps_area_id"] = found_area.pk
        return data

    def filters(self) -> DrillDownFilters:
        data = self.cleaned_data
        dimensions: dict[str, Any] = {"force": data["force"].pk}
        if data.get("unit"):
            dimensions["unit"] = None if data["unit"] == NONE_VALUE else data["unit_id"]
        if data.get("cps_area"):
            dimensions["cps_area"] = None if data["cps_area"] == NONE_VALUE else data["cps_area_id"]
        for name in ("offence_group", "category"):
            if data.get(name):
                dimensions[name] = "" if data[name] == NONE_VALUE else data[name]
        return DrillDownFilters(force=data["force"], start=data["start"], end=data["end"], dimensions=dimensions)

    def chosen(self) -> dict[str, str]:
        """The dimension values in the link, as given (for the page's description and the back link)."""
        names = ("unit", "cps_area", "offence_group", "category")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}
