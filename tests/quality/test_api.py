"""The submissions API: starting, submitting, overriding and withdrawing files, their quality
reports, the CPS assessment and the response to each failure — and every endpoint answering
outsiders with the same 404 as a record that does not exist."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from files.choices import AnticipatedPlea, DocumentKind, FileStage, RedactionStatus, Sensitivity
from files.models import AssessmentFailure, FileSubmission, QualityReport
from files.services import assessment, submissions
from tests.conftest import signed_in

from .conftest import GapCase, add_document

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Not found."}}


def base(gap_case: GapCase) -> str:
    return f"/api/v1/cases/{gap_case.case.public_id}/submissions/"


def post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(path, data or {}, content_type="application/json")


def fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, (response.status_code, response.content)
    return dict(response.json()["error"]["fields"])


def draft(gap_case: GapCase, by: User, stage: str = FileStage.FIRST_HEARING_GAP) -> FileSubmission:
    plea = AnticipatedPlea.GUILTY if stage == FileStage.FIRST_HEARING_GAP else AnticipatedPlea.NOT_GUILTY
    return submissions.submission_start(case=gap_case.case, stage=stage, anticipated_plea=plea, by=by)


@pytest.fixture
def submitted(gap_case: GapCase, officer_a: User) -> FileSubmission:
    submission = submissions.submission_submit(submission=draft(gap_case, officer_a), by=officer_a)
    submission.case.refresh_from_db()
    return submission


@pytest.fixture
def failure(submitted: FileSubmission, lawyer_north: User) -> AssessmentFailure:
    assessment.assessment_record(
        submission=submitted, met_standard=False, failures=[assessment.FailureDetails("FQ18")], by=lawyer_north
    )
    return AssessmentFailure.objects.get()


# -- the life of a file --------------------------------------------------------------------------


def test_an_officer_starts_checks_and_submits_a_file(gap_case: GapCase, officer_a: User) -> None:
    client = signed_in(officer_a)
    response = post(client, base(gap_case), {"stage": "first_hearing_gap", "anticipated_plea": "guilty"})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["stage_label"], body["items"], body["snapshot"]) == (
        "draft",
        "First hearing – anticipated guilty plea",
        [],
        {},
    )
    sub = f"{base(gap_case)}{body['id']}/"

    latest = client.get(f"{sub}quality-reports/latest/")
    assert latest.status_code == 200
    assert (latest.json()["blocking_count"], latest.json()["ruleset_version"]) == (0, "2026.1")

    response = post(client, f"{sub}submit/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert {(i["kind"], i["version"]) for i in body["items"]} == {("mg11", 1), ("pnc_print", 1), ("mg6", 1)}
    assert all(len(i["sha256"]) == 64 for i in body["items"])
    assert body["snapshot"]["ruleset_version"] == "2026.1"

    reports = client.get(f"{sub}quality-reports/").json()
    assert reports[0]["on_submission"] is True
    assert client.get(f"{sub}quality-reports/latest/").json()["on_submission"] is True
    assert [s["id"] for s in client.get(base(gap_case)).json()] == [body["id"]]


def test_start_errors_are_field_errors(gap_case: GapCase, officer_a: User) -> None:
    client = signed_in(officer_a)
    assert set(fields(post(client, base(gap_case), {}))) == {"stage", "anticipated_plea"}
    response = post(client, base(gap_case), {"stage": "first_hearing_gap", "anticipated_plea": "not_guilty"})
    assert fields(response) == {"anticipated_plea": [submissions.GAP_NEEDS_GUILTY_PLEA]}
    post(client, base(gap_case), {"stage": "early_advice", "anticipated_plea": "unknown"})
    response = post(client, base(gap_case), {"stage": "early_advice", "anticipated_plea": "unknown"})
    assert fields(response) == {"stage": [submissions.DRAFT_EXISTS.format(stage="Early advice")]}


def test_a_blocked_file_is_refused_with_the_reason(gap_case: GapCase, officer_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = draft(gap_case, officer_a)
    client = signed_in(officer_a)
    response = post(client, f"{base(gap_case)}{submission.public_id}/submit/")
    assert fields(response) == {"non_field_errors": [submissions.SUBMIT_BLOCKED.format(count=submissions.problems(1))]}
    latest = client.get(f"{base(gap_case)}{submission.public_id}/quality-reports/latest/").json()
    [finding] = [f for f in latest["findings"] if f["severity"] == "blocking"]
    assert (finding["rule_id"], finding["fq_code"], finding["link"]) == (
        "pnc.print",
        "FQ18",
        {"kind": "suspect", "target": str(gap_case.suspect.public_id)},
    )


def test_a_supervisor_overrides_over_the_api(gap_case: GapCase, officer_a: User, supervisor_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = draft(gap_case, officer_a)
    path = f"{base(gap_case)}{submission.public_id}/"
    assert post(signed_in(officer_a), f"{path}override/", {"reason": "x"}).status_code == 403
    supervisor = signed_in(supervisor_a)
    assert fields(post(supervisor, f"{path}override/", {"reason": ""})) == {
        "reason": [submissions.OVERRIDE_REASON_REQUIRED]
    }
    response = post(supervisor, f"{path}override/", {"reason": "PNC print to follow"})
    assert response.status_code == 200
    assert response.json()["override"]["reason"] == "PNC print to follow"
    assert post(signed_in(officer_a), f"{path}submit/").json()["status"] == "submitted"


def test_a_draft_is_withdrawn_and_a_submitted_file_is_not(
    gap_case: GapCase, officer_a: User, submitted: FileSubmission
) -> None:
    client = signed_in(officer_a)
    other = draft(gap_case, officer_a, FileStage.MAGS_TRIAL_UPGRADE)
    assert post(client, f"{base(gap_case)}{other.public_id}/withdraw/").json()["status"] == "withdrawn"
    response = post(client, f"{base(gap_case)}{submitted.public_id}/withdraw/")
    assert fields(response) == {"non_field_errors": [submissions.ALREADY_SUBMITTED]}


def test_sensitive_findings_and_items_are_withheld_from_those_who_may_not_see_them(
    gap_case: GapCase, officer_a: User, disclosure_a: User, supervisor_a: User
) -> None:
    add_document(
        gap_case.case,
        DocumentKind.OTHER,
        disclosure_a,
        title="Informant log",
        sensitivity=Sensitivity.SENSITIVE,
        redaction_status=RedactionStatus.REDACTED,
    )
    add_document(
        gap_case.case,
        DocumentKind.OTHER,
        disclosure_a,
        title="Source handling",
        sensitivity=Sensitivity.SENSITIVE,
        redaction_status=RedactionStatus.REQUIRED,
    )
    submission = draft(gap_case, officer_a)
    path = f"{base(gap_case)}{submission.public_id}/"
    officer = signed_in(officer_a).get(f"{path}quality-reports/latest/").json()
    assert (officer["blocking_count"], officer["withheld_findings"], officer["findings"]) == (1, 1, [])
    disclosure = signed_in(disclosure_a).get(f"{path}quality-reports/latest/").json()
    assert disclosure["withheld_findings"] == 0
    assert [f["rule_id"] for f in disclosure["findings"]] == ["redaction.pending"]

    submissions.submission_override(submission=submission, reason="Redaction tomorrow", by=supervisor_a)
    submissions.submission_submit(submission=submission, by=officer_a)
    titles = {i["title"] for i in signed_in(officer_a).get(path).json()["items"]}
    assert "Informant log" not in titles
    assert "Informant log" in {i["title"] for i in signed_in(disclosure_a).get(path).json()["items"]}


# -- the assessment ------------------------------------------------------------------------------


def test_the_cps_assesses_and_the_police_respond_and_a_manager_decides(
    submitted: FileSubmission, gap_case: GapCase, lawyer_north: User, officer_a: User, manager_cps_north: User
) -> None:
    path = f"{base(gap_case)}{submitted.public_id}/assessment/"
    lawyer = signed_in(lawyer_north)
    assert lawyer.get(path).json() == NOT_FOUND
    assert fields(post(lawyer, path, {"met_standard": False})) == {"failures": [assessment.FAILURES_REQUIRED]}
    assert "failures" in fields(post(lawyer, path, {"met_standard": False, "failures": [{"code": "FQ99"}]}))
    response = post(
        lawyer,
        path,
        {"met_standard": False, "notes": "Returned", "failures": [{"code": "FQ18", "note": "No PNC print"}]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["failures"][0]["code_label"].startswith("Previous convictions")
    failure_path = f"{path}failures/{body['failures'][0]['id']}/"

    manager = signed_in(manager_cps_north)
    response = post(manager, f"{failure_path}decision/", {"outcome": "upheld", "note": "x"})
    assert fields(response) == {"non_field_errors": [assessment.NOT_DISPUTED_YET]}

    police = signed_in(officer_a)
    assert fields(post(police, f"{failure_path}response/", {"response": "disputed"})) == {
        "note": [assessment.DISPUTE_REASON_REQUIRED]
    }
    response = post(police, f"{failure_path}response/", {"response": "disputed", "note": "It is attached"})
    assert response.json()["response"] == "disputed"

    assert post(lawyer, f"{failure_path}decision/", {"outcome": "upheld", "note": "x"}).status_code == 403
    response = post(manager, f"{failure_path}decision/", {"outcome": "upheld", "note": "Not attached"})
    assert (response.status_code, response.json()["dispute_outcome"]) == (200, "upheld")
    assert police.get(path).json()["failures"][0]["dispute_note"] == "Not attached"


def test_the_police_cannot_assess(submitted: FileSubmission, gap_case: GapCase, officer_a: User) -> None:
    response = post(signed_in(officer_a), f"{base(gap_case)}{submitted.public_id}/assessment/", {"met_standard": True})
    assert response.status_code == 403


# -- outsiders -----------------------------------------------------------------------------------


def endpoints(gap_case: GapCase, submission: FileSubmission, failure: AssessmentFailure) -> list[tuple[str, str, Any]]:
    s = f"{base(gap_case)}{submission.public_id}/"
    f = f"{s}assessment/failures/{failure.public_id}/"
    return [
        ("get", base(gap_case), None),
        ("post", base(gap_case), {"stage": "early_advice", "anticipated_plea": "unknown"}),
        ("get", s, None),
        ("post", f"{s}submit/", {}),
        ("post", f"{s}override/", {"reason": "x"}),
        ("post", f"{s}withdraw/", {}),
        ("get", f"{s}quality-reports/", None),
        ("get", f"{s}quality-reports/latest/", None),
        ("get", f"{s}assessment/", None),
        ("post", f"{s}assessment/", {"met_standard": True}),
        ("post", f"{f}response/", {"response": "accepted"}),
        ("post", f"{f}decision/", {"outcome": "upheld", "note": "x"}),
    ]


def call(client: Client, method: str, path: str, data: Any) -> Any:
    return client.get(path) if method == "get" else post(client, path, data)


def swap_ids(path: str) -> str:
    """The same path with every public id replaced by one that does not exist."""
    parts = path.split("/")
    return "/".join(str(uuid.uuid4()) if len(p) == 36 and p.count("-") == 4 else p for p in parts)


@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_south", "lawyer_cpsd", "admin_user"])
def test_every_endpoint_is_404_outside_the_case_and_changes_nothing(
    submitted: FileSubmission, gap_case: GapCase, failure: AssessmentFailure, outsider: str, request: Any
) -> None:
    client = signed_in(request.getfixturevalue(outsider))
    counts = (FileSubmission.objects.count(), QualityReport.objects.count(), AssessmentFailure.objects.count())
    for method, path, data in endpoints(gap_case, submitted, failure):
        outside = call(client, method, path, data)
        missing = call(client, method, swap_ids(path), data)
        assert (outside.status_code, outside.json()) == (missing.status_code, missing.json()) == (404, NOT_FOUND), (
            outsider,
            method,
            path,
        )
    after = (FileSubmission.objects.count(), QualityReport.objects.count(), AssessmentFailure.objects.count())
    assert after == counts


def test_the_cps_sees_nothing_before_the_case_is_sent(gap_case: GapCase, officer_a: User, lawyer_north: User) -> None:
    early = submissions.submission_submit(submission=draft(gap_case, officer_a, FileStage.EARLY_ADVICE), by=officer_a)
    client = signed_in(lawyer_north)
    assert client.get(base(gap_case)).json() == NOT_FOUND
    assert client.get(f"{base(gap_case)}{early.public_id}/").json() == NOT_FOUND


def test_the_cps_never_sees_a_draft(
    submitted: FileSubmission, gap_case: GapCase, officer_a: User, lawyer_north: User
) -> None:
    other = draft(gap_case, officer_a, FileStage.MAGS_TRIAL_UPGRADE)
    client = signed_in(lawyer_north)
    assert [s["id"] for s in client.get(base(gap_case)).json()] == [str(submitted.public_id)]
    for suffix in ("", "quality-reports/", "quality-reports/latest/", "assessment/"):
        assert client.get(f"{base(gap_case)}{other.public_id}/{suffix}").json() == NOT_FOUND
    assert client.get(f"{base(gap_case)}{submitted.public_id}/").status_code == 200


def test_signed_out_requests_are_refused(submitted: FileSubmission, gap_case: GapCase) -> None:
    assert Client().get(base(gap_case)).status_code in {401, 403}
