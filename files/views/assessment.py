"""CPS assessment pages: the CPS records whether a submitted file met the National File Standard
(and the failure codes if not), the police accept or dispute each failure, and a CPS legal manager
decides each dispute. Each page is reached from the submitted file's page."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from casework.forms import checkboxes, radios, text
from casework.views._common import apply_service_errors, current_user, posted, require_perm

from ..choices import DisputeOutcome, FailureResponse
from ..models import AssessmentFailure, FileSubmission
from ..quality.rules import FAILURE_CODES
from ..services import assessment as service
from .submissions import submission_url, visible_submission

FAILURE_CHOICES = [(code, f"{code}: {label}") for code, label in FAILURE_CODES.items()]
MET_CHOICES = [("yes", "Yes, it met the standard"), ("no", "No, it did not meet the standard")]


class AssessmentForm(forms.Form):
    met_standard = radios(
        MET_CHOICES, label="Did the file meet the National File Standard?", required_message=service.MET_REQUIRED
    )
    failures = checkboxes(
        FAILURE_CHOICES,
        label="Why did it not meet the standard?",
        help_text="Select all that apply. Only if it did not meet the standard",
    )
    notes = text("Notes (optional)", textarea=True, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in FAILURE_CODES:
            self.fields[f"note_{code}"] = text(f"What was wrong ({code})", textarea=True, max_length=2000)

    def failure_details(self) -> list[service.FailureDetails]:
        data = self.cleaned_data
        return [service.FailureDetails(code, data.get(f"note_{code}", "")) for code in data.get("failures", [])]

    def failure_options(self) -> list[dict[str, Any]]:
        """The checkboxes with their notes, for the template to lay out as GOV.UK conditional reveals."""
        chosen = set(self["failures"].value() or [])
        return [
            {
                "index": index,
                "code": code,
                "label": label,
                "checked": code in chosen,
                "note": self[f"note_{code}"],
            }
            for index, (code, label) in enumerate(FAILURE_CHOICES)
        ]


class ResponseForm(forms.Form):
    response = radios(
        [(FailureResponse.ACCEPTED.value, "Accept the failure"), (FailureResponse.DISPUTED.value, "Dispute it")],
        label="Do you accept this failure?",
        required_message=service.RESPONSE_REQUIRED,
    )
    note = text(
        "Reason (required if you dispute it)",
        textarea=True,
        max_length=5000,
        help_text="Say what the CPS missed or why the standard was met",
    )


class DecisionForm(forms.Form):
    outcome = radios(
        [
            (DisputeOutcome.UPHELD.value, "Uphold the failure"),
            (DisputeOutcome.OVERTURNED.value, "Overturn the failure"),
        ],
        label="Your decision",
        required_message=service.OUTCOME_REQUIRED,
    )
    note = text(
        "Reason for the decision", required_message=service.DECISION_NOTE_REQUIRED, textarea=True, max_length=5000
    )


def _page(
    request: HttpRequest, template: str, submission: FileSubmission, form: forms.Form, *, title: str, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "case": submission.case,
        "submission": submission,
        "title": title,
        "back_url": submission_url(submission),
        **extra,
    }
    return render(request, template, context, status=400 if form.errors else 200)


def _failure(submission: FileSubmission, failure_id: uuid.UUID) -> AssessmentFailure:
    return service.failure_get(submission=submission, public_id=failure_id)


@login_required
def assessment_record(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.assess_file", submission.case)
    form = AssessmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.assessment_record(
                submission=submission,
                met_standard=form.cleaned_data["met_standard"] == "yes",
                notes=form.cleaned_data.get("notes", ""),
                failures=form.failure_details(),
                by=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Assessment recorded")
            return redirect(submission_url(submission))
    return _page(
        request,
        "files/assessment_form.html",
        submission,
        form,
        title="Assess the file",
        submit_label="Record the assessment",
    )


@login_required
def failure_respond(
    request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID, failure_id: uuid.UUID
) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.respond_to_failure", submission.case)
    failure = _failure(submission, failure_id)
    form = ResponseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.failure_respond(
                failure=failure, response=form.cleaned_data["response"], note=form.cleaned_data["note"], by=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Response to {failure.code} recorded")
            return redirect(submission_url(submission))
    return _page(
        request,
        "files/assessment_response.html",
        submission,
        form,
        title=f"Respond to failure {failure.code}",
        submit_label="Send the response",
        failure=failure,
        failure_label=FAILURE_CODES.get(failure.code, ""),
    )


@login_required
def dispute_decide(
    request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID, failure_id: uuid.UUID
) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.decide_dispute", submission.case)
    failure = _failure(submission, failure_id)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.dispute_decide(
                failure=failure, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"], by=user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Decision on {failure.code} recorded")
            return redirect(submission_url(submission))
    return _page(
        request,
        "files/assessment_decision.html",
        submission,
        form,
        title=f"Decide the dispute about {failure.code}",
        submit_label="Record the decision",
        failure=failure,
        failure_label=FAILURE_CODES.get(failure.code, ""),
    )
