"""The file submission and assessment pages: the readiness panel, submitting and overriding, what
was sent, the CPS assessment forms — and every page refused to anyone outside the case."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, User
from files.choices import AnticipatedPlea, DocumentKind, FileStage, RedactionStatus, ScanStatus, Sensitivity
from files.models import AssessmentFailure, FileSubmission
from files.quality.rules import LINK_KINDS, Link
from files.services import assessment, submissions
from files.views.submissions import finding_url
from tests.conftest import signed_in

from .conftest import GapCase, add_document, add_version

pytestmark = [pytest.mark.django_db]


def start(gap_case: GapCase, by: User, stage: str = FileStage.FIRST_HEARING_GAP) -> FileSubmission:
    plea = AnticipatedPlea.GUILTY if stage == FileStage.FIRST_HEARING_GAP else AnticipatedPlea.NOT_GUILTY
    return submissions.submission_start(case=gap_case.case, stage=stage, anticipated_plea=plea, by=by)


def url(name: str, submission: FileSubmission, *extra: Any) -> str:
    return reverse(f"files:{name}", args=[submission.case.public_id, submission.public_id, *extra])


def case_url(name: str, gap_case: GapCase) -> str:
    return reverse(f"files:{name}", args=[gap_case.case.public_id])


def html(response: Any) -> str:
    return " ".join(response.content.decode().split())


def text(response: Any) -> str:
    """What the page says, without its markup."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# -- the list and starting a file ----------------------------------------------------------------


def test_the_list_shows_the_cases_files_and_a_start_button(gap_case: GapCase, officer_a: User) -> None:
    start(gap_case, officer_a)
    response = signed_in(officer_a).get(case_url("submission-list", gap_case))
    assert response.status_code == 200
    body = text(response)
    assert "Case 10/AA/12345/26" in body
    assert "First hearing – anticipated guilty plea" in body
    assert "Start a file" in body


def test_an_officer_starts_a_file(gap_case: GapCase, officer_a: User) -> None:
    client = signed_in(officer_a)
    response = client.get(case_url("submission-create", gap_case))
    assert response.status_code == 200
    assert "Which stage is the file for?" in text(response)
    response = client.post(
        case_url("submission-create", gap_case), {"stage": "first_hearing_gap", "anticipated_plea": "guilty"}
    )
    submission = FileSubmission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("submission-detail", submission)


def test_starting_a_file_shows_errors_in_the_summary(gap_case: GapCase, officer_a: User) -> None:
    response = signed_in(officer_a).post(
        case_url("submission-create", gap_case), {"stage": "first_hearing_gap", "anticipated_plea": "not_guilty"}
    )
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body
    assert submissions.GAP_NEEDS_GUILTY_PLEA in body
    response = signed_in(officer_a).post(case_url("submission-create", gap_case), {})
    assert submissions.STAGE_REQUIRED in text(response)


# -- the readiness panel -------------------------------------------------------------------------


def test_a_ready_draft_can_be_submitted(gap_case: GapCase, officer_a: User) -> None:
    submission = start(gap_case, officer_a)
    response = signed_in(officer_a).get(url("submission-detail", submission))
    assert response.status_code == 200
    body = text(response)
    assert "File readiness" in body
    assert "Ready Nothing must be fixed" in body
    assert 'data-readiness-url="' + url("submission-readiness", submission) in html(response)
    assert "js/readiness.js" in html(response)
    assert 'data-prevent-double-click="true">Submit the file' in html(response)
    assert "submit-disabled-reason" not in html(response)


def test_blocking_findings_disable_submit_and_explain_how_to_fix(gap_case: GapCase, officer_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case, officer_a)
    response = signed_in(officer_a).get(url("submission-detail", submission))
    body = text(response)
    assert "Not ready 1 problem must be fixed" in body
    assert "Must be fixed (1)" in body
    assert "There is no PNC print (previous convictions, or “no trace”) for John SMITH." in body
    assert "How to fix it: Add the suspect's PNC print and link it to the suspect." in body
    assert "FQ18" in body
    markup = html(response)
    assert 'data-rule="pnc.print"' in markup
    suspect_url = reverse("casework:suspect-edit", args=[gap_case.case.public_id, gap_case.suspect.public_id])
    assert f'href="{suspect_url}"' in markup
    assert 'disabled aria-disabled="true" aria-describedby="submit-disabled-reason">Submit the file' in markup
    assert "You cannot submit the file until the problems that must be fixed are fixed" in body
    assert "Override the problems" not in body  # only a supervisor may


def test_the_supervisor_sees_the_override_form_and_overrides(
    gap_case: GapCase, officer_a: User, supervisor_a: User
) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case, officer_a)
    client = signed_in(supervisor_a)
    assert "Override the problems that must be fixed" in text(client.get(url("submission-detail", submission)))

    response = client.post(url("submission-override", submission), {"reason": ""})
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body
    assert submissions.OVERRIDE_REASON_REQUIRED in body

    response = client.post(url("submission-override", submission), {"reason": "PNC print to follow"})
    assert response.status_code == 302
    body = text(client.get(url("submission-detail", submission)))
    assert "overridden by a supervisor" in body
    assert "A supervisor has allowed the file to be submitted with these problems." in body


def test_the_panel_fragment_is_the_panel_alone(gap_case: GapCase, officer_a: User) -> None:
    submission = start(gap_case, officer_a)
    response = signed_in(officer_a).get(url("submission-readiness", submission))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = response.content.decode()
    assert content.lstrip().startswith("<section")
    assert "<html" not in content
    assert 'data-signature="' in content


def test_polling_the_panel_is_not_audited(gap_case: GapCase, officer_a: User) -> None:
    submission = start(gap_case, officer_a)
    client = signed_in(officer_a)
    before = AuditEvent.objects.count()
    client.get(url("submission-readiness", submission))
    assert AuditEvent.objects.count() == before
    client.get(url("submission-detail", submission))
    assert AuditEvent.objects.count() == before + 1


def test_findings_about_sensitive_material_are_only_counted_for_those_who_may_not_see_it(
    gap_case: GapCase, officer_a: User, disclosure_a: User
) -> None:
    add_document(
        gap_case.case,
        DocumentKind.OTHER,
        disclosure_a,
        title="Informant contact log",
        sensitivity=Sensitivity.SENSITIVE,
        redaction_status=RedactionStatus.REQUIRED,
    )
    submission = start(gap_case, officer_a)
    officer = text(signed_in(officer_a).get(url("submission-detail", submission)))
    assert "1 problem that must be fixed and 0 advisory points concern sensitive material you cannot see" in officer
    assert "Informant" not in officer
    assert "Not ready 1 problem must be fixed" in officer
    disclosure = text(signed_in(disclosure_a).get(url("submission-detail", submission)))
    assert "A sensitive document is marked as needing redaction" in disclosure


# -- submitting and what was sent ----------------------------------------------------------------


def test_submitting_shows_what_was_sent(gap_case: GapCase, officer_a: User) -> None:
    add_version(gap_case.statement, officer_a)
    submission = start(gap_case, officer_a)
    client = signed_in(officer_a)
    response = client.post(url("submission-submit", submission))
    assert response.status_code == 302
    body = text(client.get(url("submission-detail", submission)))
    assert "What was sent" in body
    assert "Quality check when the file was submitted" in body
    sha = gap_case.statement.versions.get(number=2).sha256
    assert f"Statement of Alan Brown MG11 Witness statement 2 {sha}" in body
    assert "Submit the file" not in body
    assert "The CPS has not assessed this file yet." in body


def test_submitting_a_blocked_file_shows_why(gap_case: GapCase, officer_a: User) -> None:
    gap_case.pnc_print.delete()
    submission = start(gap_case, officer_a)
    response = signed_in(officer_a).post(url("submission-submit", submission))
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body
    assert "The file cannot be submitted: 1 blocking problem must be fixed first" in body
    assert "<title>Error: " in html(response)


def test_a_draft_is_withdrawn(gap_case: GapCase, officer_a: User) -> None:
    submission = start(gap_case, officer_a)
    response = signed_in(officer_a).post(url("submission-withdraw", submission))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "withdrawn"


def test_submit_override_and_withdraw_need_post(gap_case: GapCase, officer_a: User) -> None:
    submission = start(gap_case, officer_a)
    for name in ("submission-submit", "submission-override", "submission-withdraw"):
        assert signed_in(officer_a).get(url(name, submission)).status_code == 405


# -- the CPS assessment --------------------------------------------------------------------------


@pytest.fixture
def submitted(gap_case: GapCase, officer_a: User) -> FileSubmission:
    submission = submissions.submission_submit(submission=start(gap_case, officer_a), by=officer_a)
    submission.case.refresh_from_db()
    return submission


def test_the_cps_assesses_the_police_dispute_and_a_legal_manager_decides(
    submitted: FileSubmission, lawyer_north: User, officer_a: User, manager_cps_north: User
) -> None:
    lawyer = signed_in(lawyer_north)
    assert "Assess the file" in text(lawyer.get(url("submission-detail", submitted)))
    form = lawyer.get(url("assessment-record", submitted))
    assert form.status_code == 200
    assert 'data-aria-controls="conditional-FQ18"' in html(form)

    response = lawyer.post(url("assessment-record", submitted), {"met_standard": "no"})
    assert response.status_code == 400
    assert assessment.FAILURES_REQUIRED in text(response)
    assert 'href="#id_failures_0"' in html(response)

    response = lawyer.post(
        url("assessment-record", submitted),
        {"met_standard": "no", "failures": ["FQ18", "FQ03"], "note_FQ18": "No PNC print", "notes": "Returned"},
    )
    assert response.status_code == 302
    failure = AssessmentFailure.objects.get(code="FQ18")
    assert failure.note == "No PNC print"

    police = signed_in(officer_a)
    assert "Respond" in text(police.get(url("submission-detail", submitted)))
    response = police.post(url("failure-respond", submitted, failure.public_id), {"response": "disputed", "note": ""})
    assert response.status_code == 400
    assert assessment.DISPUTE_REASON_REQUIRED in text(response)
    response = police.post(
        url("failure-respond", submitted, failure.public_id), {"response": "disputed", "note": "It is on page 3"}
    )
    assert response.status_code == 302

    manager = signed_in(manager_cps_north)
    page = manager.get(url("dispute-decide", submitted, failure.public_id))
    assert "The police dispute it: It is on page 3" in text(page)
    response = manager.post(
        url("dispute-decide", submitted, failure.public_id), {"outcome": "overturned", "note": "Found it"}
    )
    assert response.status_code == 302
    body = text(lawyer.get(url("submission-detail", submitted)))
    assert "Did not meet the standard" in body
    assert "Failure overturned: Found it" in body


def test_deciding_an_undisputed_failure_shows_the_order_error(
    submitted: FileSubmission, lawyer_north: User, manager_cps_north: User
) -> None:
    assessment.assessment_record(
        submission=submitted, met_standard=False, failures=[assessment.FailureDetails("FQ01")], by=lawyer_north
    )
    failure = AssessmentFailure.objects.get()
    response = signed_in(manager_cps_north).post(
        url("dispute-decide", submitted, failure.public_id), {"outcome": "upheld", "note": "x"}
    )
    assert response.status_code == 400
    assert assessment.NOT_DISPUTED_YET in text(response)


def test_the_wrong_role_is_refused_a_form(submitted: FileSubmission, officer_a: User, lawyer_north: User) -> None:
    assert signed_in(officer_a).get(url("assessment-record", submitted)).status_code == 403
    assert (
        signed_in(lawyer_north).get(reverse("files:submission-create", args=[submitted.case.public_id])).status_code
        == 403
    )
    assert signed_in(lawyer_north).post(url("submission-withdraw", submitted)).status_code == 403


# -- outsiders -----------------------------------------------------------------------------------


def every_page(submission: FileSubmission, failure: AssessmentFailure) -> list[tuple[str, str]]:
    case = [submission.case.public_id]
    return [
        ("get", reverse("files:submission-list", args=case)),
        ("get", reverse("files:submission-create", args=case)),
        ("post", reverse("files:submission-create", args=case)),
        ("get", url("submission-detail", submission)),
        ("get", url("submission-readiness", submission)),
        ("post", url("submission-submit", submission)),
        ("post", url("submission-override", submission)),
        ("post", url("submission-withdraw", submission)),
        ("get", url("assessment-record", submission)),
        ("post", url("assessment-record", submission)),
        ("get", url("failure-respond", submission, failure.public_id)),
        ("post", url("failure-respond", submission, failure.public_id)),
        ("get", url("dispute-decide", submission, failure.public_id)),
        ("post", url("dispute-decide", submission, failure.public_id)),
    ]


@pytest.fixture
def failure(submitted: FileSubmission, lawyer_north: User) -> AssessmentFailure:
    assessment.assessment_record(
        submission=submitted, met_standard=False, failures=[assessment.FailureDetails("FQ01")], by=lawyer_north
    )
    return AssessmentFailure.objects.get()


@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_south", "admin_user", "lawyer_cpsd"])
def test_every_page_is_404_outside_the_case(
    submitted: FileSubmission, failure: AssessmentFailure, outsider: str, request: Any
) -> None:
    client = signed_in(request.getfixturevalue(outsider))
    for method, path in every_page(submitted, failure):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (outsider, method, path)
        assert "Alan Brown" not in response.content.decode()


def test_the_cps_sees_nothing_before_the_case_is_sent(gap_case: GapCase, officer_a: User, lawyer_north: User) -> None:
    submission = submissions.submission_submit(
        submission=start(gap_case, officer_a, FileStage.EARLY_ADVICE), by=officer_a
    )  # a pre-charge file does not send the case
    client = signed_in(lawyer_north)
    assert client.get(reverse("files:submission-list", args=[gap_case.case.public_id])).status_code == 404
    assert client.get(url("submission-detail", submission)).status_code == 404


def test_the_cps_never_sees_a_draft(submitted: FileSubmission, officer_a: User, lawyer_north: User) -> None:
    draft = submissions.submission_start(
        case=submitted.case,
        stage=FileStage.MAGS_TRIAL_UPGRADE,
        anticipated_plea=AnticipatedPlea.NOT_GUILTY,
        by=officer_a,
    )
    client = signed_in(lawyer_north)
    listing = text(client.get(reverse("files:submission-list", args=[submitted.case.public_id])))
    assert "Magistrates' trial" not in listing
    assert "First hearing – anticipated guilty plea" in listing
    for name in ("submission-detail", "submission-readiness"):
        assert client.get(url(name, draft)).status_code == 404
    assert client.get(url("submission-detail", submitted)).status_code == 200


def test_an_officer_of_another_unit_in_a_narrowed_force_sees_nothing(
    submitted: FileSubmission, officer_a2: User, force_a: Any
) -> None:
    force_a.restrict_police_to_unit = True
    force_a.save(update_fields=["restrict_police_to_unit"])
    assert signed_in(officer_a2).get(url("submission-detail", submitted)).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(submitted: FileSubmission) -> None:
    response = Client().get(url("submission-detail", submitted))
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_a_document_quarantined_after_submission_does_not_change_what_was_sent(
    submitted: FileSubmission, gap_case: GapCase, officer_a: User
) -> None:
    add_version(gap_case.mg6, officer_a, scan_status=ScanStatus.INFECTED)
    body = text(signed_in(officer_a).get(url("submission-detail", submitted)))
    assert "Documents (3)" in body


@pytest.mark.parametrize("kind", sorted(LINK_KINDS))
def test_every_kind_of_finding_links_somewhere(gap_case: GapCase, kind: str) -> None:
    target = {
        "suspect": gap_case.suspect.public_id,
        "offence": gap_case.offence.public_id,
        "witness": gap_case.witness.public_id,
        "victim": gap_case.victim.public_id,
        "document": gap_case.statement.public_id,
        "point_to_prove": gap_case.point.public_id,
        "document_kind": "mg2",
    }.get(kind, uuid.uuid4())
    link = finding_url(gap_case.case, Link(kind, str(target)))
    assert link
    assert link.startswith(f"/cases/{gap_case.case.public_id}/")
