"""File submission pages: the case's files, starting a file for a stage, a draft's live readiness
panel with submit and the supervisor's override, and what a submitted file sent.

Reads go through the scoped selectors (a case or file outside the user's scope is 404, and the CPS
sees only submitted files); the services decide every write and the pages show their refusals.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import User
from casework.forms import radios, text
from casework.models import Case
from casework.selectors import case_get_visible_to
from casework.views._common import apply_service_errors, case_context, current_user, posted, require_perm

from ..choices import AnticipatedPlea, FileStage, Schedule, Sensitivity, SubmissionStatus
from ..models import FileSubmission, QualityReport
from ..quality.engine import current_report, latest_report, report_findings
from ..quality.rules import FAILURE_CODES, RULESET_VERSION, Finding, Link
from ..selectors import can_see_sensitive
from ..services import assessment as assessment_service
from ..services import submissions as service

SUBMISSION_TAG_CLASSES: dict[str, str] = {
    SubmissionStatus.DRAFT: "govuk-tag--grey",
    SubmissionStatus.SUBMITTED: "govuk-tag--green",
    SubmissionStatus.WITHDRAWN: "govuk-tag--grey",
}
POLL_SECONDS = 5

# ---------------------------------------------------------------------------------------------
# Forms: they read what was typed; the services decide whether it is acceptable.


class StartForm(forms.Form):
    stage = radios(FileStage.choices, label="Which stage is the file for?", required_message=service.STAGE_REQUIRED)
    anticipated_plea = radios(
        AnticipatedPlea.choices, label="What plea is anticipated?", required_message=service.PLEA_REQUIRED
    )


class OverrideForm(forms.Form):
    reason = text(
        "Why should the file be submitted with these problems?",
        required_message=service.OVERRIDE_REASON_REQUIRED,
        textarea=True,
        max_length=2000,
        help_text="This is recorded with your name and sent with the file",
    )


# ---------------------------------------------------------------------------------------------
# Shared


def visible_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    return case_get_visible_to(user=current_user(request), public_id=case_id)


def visible_submission(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> FileSubmission:
    case = visible_case(request, case_id)
    return service.submission_get_visible_to(user=current_user(request), case=case, public_id=submission_id)


def submissions_url(case: Case) -> str:
    return reverse("files:submission-list", args=[case.public_id])


def submission_url(submission: FileSubmission) -> str:
    return reverse("files:submission-detail", args=[submission.case.public_id, submission.public_id])


def material_page(
    request: HttpRequest, template: str, case: Case, *, title: str, status: int = 200, **extra: Any
) -> HttpResponse:
    """A page of the Material area, inside the case's tabs."""
    context = case_context(case, current_user(request), "material")
    context.update(tab_title=title, **extra)
    return render(request, template, context, status=status)


def _first_url(candidates: list[tuple[str, list[Any]]]) -> str | None:
    for name, args in candidates:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


# Where a finding's link goes, by kind: the first URL that exists (some pages belong to features
# still being built, so each kind falls back to the page that lists such things).
LINK_TEXT = {
    "case": "Change the case details",
    "case_people": "Go to the people on the case",
    "case_offences": "Go to the offences",
    "case_summary": "Go to the MG5",
    "suspect": "Change the suspect",
    "offence": "Change the offence",
    "witness": "Change the witness",
    "victim": "Change the victim",
    "document": "Go to the document",
    "document_kind": "Upload it",
    "exhibit": "Go to the exhibit",
    "point_to_prove": "Change the point to prove",
    "unused_item": "Go to the schedule item",
    "unused_schedule": "Go to the unused material",
}


def finding_url(case: Case, link: Link) -> str | None:
    c, t = case.public_id, link.target
    candidates: dict[str, list[tuple[str, list[Any]]]] = {
        "case": [("casework:case-edit", [c])],
        "case_people": [("casework:case-people", [c])],
        "case_offences": [("casework:case-offences", [c])],
        "case_summary": [("files:case-summary", [c])],
        "suspect": [("casework:suspect-edit", [c, t])],
        "offence": [("casework:offence-edit", [c, t])],
        "witness": [("casework:witness-edit", [c, t])],
        "victim": [("casework:victim-edit", [c, t])],
        "document": [("files:document-detail", [c, t])],
        "document_kind": [("files:document-upload", [c])],
        "exhibit": [("files:exhibit-detail", [c, t])],
        "point_to_prove": [("files:point-to-prove-edit", [c, t])],
        "unused_item": [("files:unused-detail", [c, t])],
        "unused_schedule": [("files:unused-list", [c])],
    }
    url = _first_url(candidates.get(link.kind, []))
    if url and link.kind == "document_kind" and t:
        url = f"{url}?kind={t}"
    return url or _first_url([("files:material", [c]), ("casework:case-material", [c])])


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    url: str | None
    link_text: str
    failure_label: str


@dataclass(frozen=True)
class Readiness:
    """What the readiness panel shows to this user."""

    submission: FileSubmission
    report: QualityReport | None
    blocking: list[FindingRow]
    advisory: list[FindingRow]
    hidden_blocking: int
    hidden_advisory: int
    overridden: bool
    can_submit: bool
    can_build: bool
    poll_url: str

    @property
    def blocking_count(self) -> int:
        return len(self.blocking) + self.hidden_blocking

    @property
    def advisory_count(self) -> int:
        return len(self.advisory) + self.hidden_advisory

    @property
    def is_draft(self) -> bool:
        return self.submission.status == SubmissionStatus.DRAFT

    @property
    def signature(self) -> str:
        """Changes exactly when the panel would: a new report, or a change in what may be done."""
        report = self.report.public_id if self.report else "none"
        return f"{report}:{self.submission.status}:{int(self.can_submit)}:{int(self.overridden)}"

    @property
    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "key": "blocking",
                "heading": "Must be fixed",
                "tag_class": "govuk-tag--red",
                "tag_text": "Must be fixed",
                "rows": self.blocking,
            },
            {
                "key": "advisory",
                "heading": "Advisory",
                "tag_class": "govuk-tag--yellow",
                "tag_text": "Advisory",
                "rows": self.advisory,
            },
        ]

    @property
    def ruleset_version(self) -> str:
        return self.report.ruleset_version if self.report else RULESET_VERSION


def readiness_for(user: User, submission: FileSubmission, *, refresh: bool = True) -> Readiness:
    case = submission.case
    report = current_report(submission) if refresh else latest_report(submission)
    findings = report_findings(report) if report else []
    sees_sensitive = can_see_sensitive(user, case)
    can_build = bool(user.has_perm("files.build_submission", case))
    rows: dict[bool, list[FindingRow]] = {True: [], False: []}
    hidden = {True: 0, False: 0}
    for finding in findings:
        if finding.sensitive and not sees_sensitive:
            hidden[finding.blocking] += 1
            continue
        rows[finding.blocking].append(
            FindingRow(
                finding=finding,
                url=finding_url(case, finding.link) if can_build else None,
                link_text=LINK_TEXT.get(finding.link.kind, "Go to it"),
                failure_label=FAILURE_CODES.get(finding.fq_code, ""),
            )
        )
    blocking_keys = {f.key for f in findings if f.blocking}
    overridden_keys = service.overridden_keys(submission)
    overridden = bool(blocking_keys) and blocking_keys <= overridden_keys
    is_draft = submission.status == SubmissionStatus.DRAFT
    return Readiness(
        submission=submission,
        report=report,
        blocking=rows[True],
        advisory=rows[False],
        hidden_blocking=hidden[True],
        hidden_advisory=hidden[False],
        overridden=overridden,
        can_submit=is_draft and can_build and report is not None and (not blocking_keys or overridden),
        can_build=can_build,
        poll_url=reverse("files:submission-readiness", args=[case.public_id, submission.public_id]),
    )


def _snapshot_for(user: User, submission: FileSubmission) -> dict[str, Any]:
    """The snapshot as this user may see it: sensitive documents and MG6D items only for those who
    may see sensitive material."""
    snapshot = dict(submission.snapshot or {})
    if snapshot and not can_see_sensitive(user, submission.case):
        snapshot["documents"] = [d for d in snapshot.get("documents", []) if not d.get("sensitive")]
        snapshot["unused_items"] = [u for u in snapshot.get("unused_items", []) if u.get("schedule") != Schedule.MG6D]
    return snapshot


def _assessment_context(user: User, submission: FileSubmission) -> dict[str, Any]:
    if submission.status != SubmissionStatus.SUBMITTED:
        return {}
    case = submission.case
    assessment = assessment_service.assessment_of(submission)
    return {
        "assessment": assessment,
        "failures": [
            {"failure": f, "label": FAILURE_CODES.get(f.code, "")}
            for f in (assessment.failures.all() if assessment else [])
        ],
        "can_assess": assessment is None and user.has_perm("files.assess_file", case),
        "can_respond": user.has_perm("files.respond_to_failure", case),
        "can_decide": user.has_perm("files.decide_dispute", case),
    }


def _detail(
    request: HttpRequest,
    submission: FileSubmission,
    *,
    override_form: OverrideForm | None = None,
    submit_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    case = submission.case
    readiness = readiness_for(user, submission)
    can_override = (
        readiness.is_draft
        and readiness.blocking_count > 0
        and not readiness.overridden
        and user.has_perm("files.override_quality", case)
    )
    if can_override and override_form is None:
        override_form = OverrideForm()
    items = list(service.items_of(submission)) if submission.status == SubmissionStatus.SUBMITTED else []
    if items and not can_see_sensitive(user, case):
        items = [i for i in items if i.version.document.sensitivity != Sensitivity.SENSITIVE]
    return material_page(
        request,
        "files/submission_detail.html",
        case,
        title=f"{submission.get_stage_display()} file",
        status=status,
        submission=submission,
        status_tag_class=SUBMISSION_TAG_CLASSES.get(submission.status, "govuk-tag--grey"),
        readiness=readiness,
        override_form=override_form if can_override else None,
        form=override_form if can_override else None,
        submit_errors=submit_errors or [],
        items=items,
        snapshot=_snapshot_for(user, submission),
        back_url=submissions_url(case),
        poll_seconds=POLL_SECONDS,
        **_assessment_context(user, submission),
    )


# ---------------------------------------------------------------------------------------------
# Pages


@login_required
def submission_list(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    rows = []
    for submission in service.submission_list_visible_to(user=user, case=case):
        report = latest_report(submission)
        rows.append(
            {
                "submission": submission,
                "report": report,
                "status_tag_class": SUBMISSION_TAG_CLASSES.get(submission.status, "govuk-tag--grey"),
            }
        )
    return material_page(
        request,
        "files/submission_list.html",
        case,
        title="Files for the CPS",
        rows=rows,
        can_start=user.has_perm("files.build_submission", case),
    )


@login_required
def submission_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    case = visible_case(request, case_id)
    require_perm(user, "files.build_submission", case)
    form = StartForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission = service.submission_start(
                case=case,
                stage=form.cleaned_data["stage"],
                anticipated_plea=form.cleaned_data["anticipated_plea"],
                by=user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{submission.get_stage_display()} file started")
            return redirect(submission_url(submission))
    return render(
        request,
        "files/submission_start.html",
        {
            "form": form,
            "case": case,
            "title": "Start a file for the CPS",
            "submit_label": "Start the file",
            "back_url": submissions_url(case),
        },
        status=400 if form.errors else 200,
    )


@login_required
def submission_detail(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    audit_record(
        by=user,
        event_type=AuditEventType.CASE_VIEWED,
        obj=submission,
        case_id=submission.case.public_id,
        data={"part": "submission"},
    )
    return _detail(request, submission)


@login_required
def submission_readiness(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    """The readiness panel alone, for the page to poll (``static/js/readiness.js``). Polling is not
    audited: the page that polls was."""
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    response = render(
        request, "files/readiness_panel.html", {"readiness": readiness_for(user, submission), "case": submission.case}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def submission_submit(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.build_submission", submission.case)
    try:
        submission = service.submission_submit(submission=submission, by=user)
    except ValidationError as exc:
        return _detail(request, submission, submit_errors=list(exc.messages), status=400)
    messages.success(request, f"{submission.get_stage_display()} file submitted")
    return redirect(submission_url(submission))


@login_required
@require_POST
def submission_override(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.override_quality", submission.case)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            service.submission_override(submission=submission, reason=form.cleaned_data["reason"], by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Override recorded: the file can be submitted with these problems")
            return redirect(submission_url(submission))
    return _detail(request, submission, override_form=form, status=400)


@login_required
@require_POST
def submission_withdraw(request: HttpRequest, case_id: uuid.UUID, submission_id: uuid.UUID) -> HttpResponse:
    user = current_user(request)
    submission = visible_submission(request, case_id, submission_id)
    require_perm(user, "files.build_submission", submission.case)
    try:
        service.submission_withdraw(submission=submission, by=user)
    except ValidationError as exc:
        return _detail(request, submission, submit_errors=list(exc.messages), status=400)
    messages.success(request, "Draft file withdrawn")
    return redirect(submissions_url(submission.case))
