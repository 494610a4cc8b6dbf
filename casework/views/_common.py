"""What every case page shares: the signed-in user, the case's sub-navigation, permission checks
for what a page shows, and putting a service's refusal onto the form that asked."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import rules
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accounts.models import User

from ..choices import CaseFlag, CaseStatus, ModeOfTrial, OffenceStatus
from ..models import Case
from ..selectors import case_child_visible_to

M = TypeVar("M", bound=models.Model)

# GOV.UK tag colours; the tag always carries the status in words too.
STATUS_TAG_CLASSES: dict[str, str] = {
    CaseStatus.INVESTIGATION: "",
    CaseStatus.AWAITING_CHARGING_DECISION: "govuk-tag--yellow",
    CaseStatus.CHARGED: "govuk-tag--purple",
    CaseStatus.NO_FURTHER_ACTION: "govuk-tag--grey",
    CaseStatus.OUT_OF_COURT_DISPOSAL: "govuk-tag--grey",
    CaseStatus.ADMINISTRATIVELY_FINALISED: "govuk-tag--grey",
    CaseStatus.PRE_TRIAL: "govuk-tag--turquoise",
    CaseStatus.CONCLUDED: "govuk-tag--green",
}
MODE_OF_TRIAL_TAG_CLASSES: dict[str, str] = {
    ModeOfTrial.SUMMARY_ONLY: "govuk-tag--grey",
    ModeOfTrial.EITHER_WAY: "",
    ModeOfTrial.INDICTABLE_ONLY: "govuk-tag--red",
    ModeOfTrial.NOT_CRIMINAL: "govuk-tag--grey",
}
OFFENCE_STATUS_TAG_CLASSES: dict[str, str] = {
    OffenceStatus.ALLEGED: "govuk-tag--grey",
    OffenceStatus.CHARGED: "govuk-tag--purple",
    OffenceStatus.NOT_PROCEEDED: "govuk-tag--grey",
}

CASE_TABS: tuple[tuple[str, str, str], ...] = (
    ("overview", "Overview", "casework:case-detail"),
    ("people", "People", "casework:case-people"),
    ("offences", "Offences", "casework:case-offences"),
    ("material", "Material", "casework:case-material"),
    ("charging", "Charging", "charging:case-charging"),
    ("deadlines", "Deadlines", "casework:case-deadlines"),
    ("timeline", "Timeline", "casework:case-timeline"),
)


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every case view is behind ``login_required``)."""
    return cast(User, request.user)


def may(user: User, perm: str, case: Case | None = None) -> bool:
    """Whether the rules give the user ``perm`` (on ``case``). Asked of the rules directly, as the
    services do: Django's ``has_perm`` says yes to a superuser for everything, and a system
    administrator has no case powers."""
    return bool(user.is_active and rules.has_perm(perm, user, case))


def require_perm(user: User, perm: str, case: Case | None = None) -> None:
    """Refuse a page the user could not use: the services refuse the write itself as well."""
    if not may(user, perm, case):
        raise PermissionDenied


@dataclass(frozen=True)
class CasePerms:
    """What the user may do to this case, to decide which links and forms a page shows."""

    change_case: bool
    change_status: bool
    record_hearing: bool
    record_victim_update: bool

    @classmethod
    def of(cls, user: User, case: Case) -> CasePerms:
        return cls(
            change_case=may(user, "casework.change_case", case),
            change_status=may(user, "casework.change_status", case),
            record_hearing=may(user, "casework.record_hearing", case),
            record_victim_update=may(user, "casework.record_victim_update", case),
        )


def case_tabs(case: Case, active: str) -> list[dict[str, Any]]:
    return [
        {"key": key, "label": label, "url": reverse(name, args=[case.public_id]), "active": key == active}
        for key, label, name in CASE_TABS
    ]


def case_context(case: Case, user: User, active: str) -> dict[str, Any]:
    """Context for a tab of the case: the case, its sub-navigation, status tag and permissions."""
    return {
        "case": case,
        "tabs": case_tabs(case, active),
        "tab_title": next(label for key, label, _ in CASE_TABS if key == active),
        "status_tag_class": STATUS_TAG_CLASSES.get(case.status, "govuk-tag--grey"),
        "flag_labels": labels(case.flags, CaseFlag),
        "can": CasePerms.of(user, case),
    }


def labels(values: list[str], choices: Any) -> list[str]:
    """The labels of stored choice values, in the order stored (unknown values shown as stored)."""
    names = dict(choices.choices)
    return [str(names.get(v, v)) for v in values]


def child_or_404(request: HttpRequest, case_id: uuid.UUID, model: type[M], public_id: uuid.UUID) -> M:
    """A person, offence or hearing of a case in the user's scope; 404 otherwise."""
    return case_child_visible_to(user=current_user(request), case_id=case_id, model=model, public_id=public_id)


def apply_service_errors(
    form: forms.Form, exc: ValidationError, field_map: Mapping[str, str | None] | None = None
) -> None:
    """Show a service's messages against the fields they are about. Messages about anything the
    form does not show (or shows as a hidden field) go at the top of the error summary."""
    field_map = field_map or {}
    for key, messages in exc.message_dict.items():
        name = field_map.get(key, key)
        visible = name is not None and name in form.fields and not form.fields[name].widget.is_hidden
        for message in messages:
            form.add_error(name if visible else None, message)


def offence_search_url() -> str:
    """The offence code search page (another feature); a plain path until its URL is named."""
    for name in ("offence-code-search", "casework:offence-code-search"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/offence-codes/"


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on a POST (even an empty one), so the form is bound and checked."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    back_url: str,
    template: str = "casework/form_page.html",
    **extra: Any,
) -> HttpResponse:
    """A form page: error summary, caption, one heading, the form and its button; 400 when the form
    comes back with errors."""
    context = {"form": form, "title": title, "submit_label": submit, "back_url": back_url, **extra}
    return render(request, template, context, status=400 if form.errors else 200)
