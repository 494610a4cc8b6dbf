"""The synthetic national data set: reproducible, spread over every force and Area, and sound by the
application's own rules - what its services, deadline engine, alert sweep, quality rules and search would have
written for the same facts."""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path
from typing import Any

import magic
import pytest
from django.apps import apps
from django.db.models import Q
from pypdf import PdfReader

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation, User
from alerts.models import Alert
from alerts.services import escalate_unacknowledged, sweep_alerts
from casework.choices import CaseStatus, OffenceStatus
from casework.deadlines.calendar import LONDON
from casework.deadlines.store import recompute_case_deadlines
from casework.models import Case, Deadline, Hearing, OffenceAllegation, Suspect
from casework.services._common import refresh_search
from casework.synthetic import SyntheticDataExists, generate, staff
from charging.choices import FINAL_OUTCOMES, DecisionOutcome, RequestStatus
from charging.models import ChargingDecision, ChargingRequest, PoliceChargeDecision
from charging.selectors import QUEUE_STATUSES
from charging.services import mg3_errors
from charging.workflow import transition_for
from files.models import DocumentVersion, FileSubmission, QualityReport
from files.quality.engine import evaluate_submission

from .conftest import AS_OF, CASES, SEED, Generated

pytestmark = pytest.mark.django_db

CHARGED = {CaseStatus.CHARGED, CaseStatus.PRE_TRIAL, CaseStatus.CONCLUDED}


def test_the_same_seed_gives_the_same_data_whether_built_by_one_process_or_two(generated: Generated) -> None:
    assert generated.first.workers == 2
    assert generated.second.workers == 1
    assert generated.first.counts == generated.second.counts
    assert generated.first_digest == generated.second_digest
    assert generated.first_files == generated.second_files


def test_a_database_with_synthetic_data_is_refused_without_reset(generated: Generated) -> None:
    with pytest.raises(SyntheticDataExists, match="--reset"):
        generate(10, seed=SEED, as_of=AS_OF)


def test_every_force_and_cps_area_has_staff_to_sign_in_as(generated: Generated) -> None:
    for force in Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, is_active=True):
        for role in (Role.POLICE_INVESTIGATOR, Role.POLICE_SUPERVISOR, Role.POLICE_MANAGER):
            user = staff(force.code, role)
            assert user.organisation_id == force.pk
            assert role in user.roles
            assert not user.has_usable_password()
            assert user.is_active
    for area in Organisation.objects.filter(kind__in=[OrganisationKind.CPS_AREA, OrganisationKind.CPS_DIRECT]):
        for role in (Role.CPS_LAWYER, Role.CPS_LEGAL_MANAGER):
            assert staff(area.code, role).organisation_id == area.pk
    with pytest.raises(User.DoesNotExist):
        staff("46", Role.CPS_LAWYER)


def test_cases_spread_over_forces_offences_and_the_lifecycle(generated: Generated) -> None:
    assert Case.objects.count() == CASES
    assert Case.objects.values("force").distinct().count() >= 40
    assert OffenceAllegation.objects.values("offence_code").distinct().count() >= 35
    statuses = Counter(Case.objects.values_list("status", flat=True))
    for status in (
        CaseStatus.INVESTIGATION,
        CaseStatus.AWAITING_CHARGING_DECISION,
        CaseStatus.NO_FURTHER_ACTION,
        CaseStatus.OUT_OF_COURT_DISPOSAL,
        CaseStatus.PRE_TRIAL,
        CaseStatus.CONCLUDED,
    ):
        assert statuses[status] > 0, status
    referred = ChargingRequest.objects.filter(received_by_cps_at__isnull=False).values("case").distinct().count()
    assert 0.15 * CASES <= referred <= 0.32 * CASES  # about 220,000 referrals a year for a million cases
    assert Suspect.objects.count() >= CASES
    assert set(Case.objects.filter(status__in=CHARGED).values_list("pk", flat=True)) <= set(
        Hearing.objects.values_list("case_id", flat=True)
    )


def test_every_referral_is_with_the_area_that_serves_its_case(generated: Generated) -> None:
    requests = ChargingRequest.objects.filter(received_by_cps_at__isnull=False).select_related(
        "case__force", "allocated_lawyer__organisation"
    )
    assert requests.exists()
    for request in requests:
        case = request.case
        assert request.cps_area_id == case.cps_area_id is not None
        assert case.force.served_by_id in (None, case.cps_area_id)
        assert case.sent_to_cps_at is not None
        assert request.received_by_cps_at is not None
        assert case.sent_to_cps_at <= request.received_by_cps_at
        lawyer = request.allocated_lawyer
        if request.to_cps_direct:
            assert case.sent_to_cps_direct
            assert lawyer is None or (
                lawyer.organisation is not None and lawyer.organisation.kind == OrganisationKind.CPS_DIRECT
            )
        elif lawyer is not None:
            assert lawyer.organisation_id == request.cps_area_id
            assert Role.CPS_LAWYER in lawyer.roles


def test_each_request_moved_only_as_the_charging_workflow_allows(generated: Generated) -> None:
    """The request's audit trail (what the services write) is a path through ``charging.workflow``, ending at the
    request's status and version."""
    from accounts.models import AuditEvent

    for request in ChargingRequest.objects.all():
        events = AuditEvent.objects.filter(object_type="charging.chargingrequest", object_id=str(request.public_id))
        status, version = None, 0
        for data in events.order_by("occurred_at", "id").values_list("data", flat=True):
            new = data["status"]
            if status == RequestStatus.RESUBMITTED and new != RequestStatus.RESUBMITTED:
                status = RequestStatus.ALLOCATED  # back to the lawyer (moved without an event of its own)
            if status is not None and new != status:
                transition_for(status, new)
            status, version = new, data["version"]
        if status == RequestStatus.RESUBMITTED:
            status, version = RequestStatus.ALLOCATED, version + 1
        assert (request.status, request.version) == (status, version)


def test_case_statuses_follow_the_charging_decisions(generated: Generated) -> None:
    expected = {
        DecisionOutcome.CHARGE: CHARGED,
        DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL: {CaseStatus.NO_FURTHER_ACTION},
        DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST: {CaseStatus.NO_FURTHER_ACTION},
        DecisionOutcome.OUT_OF_COURT_DISPOSAL: {CaseStatus.OUT_OF_COURT_DISPOSAL},
    }
    for decision in ChargingDecision.objects.filter(outcome__in=FINAL_OUTCOMES, corrects__isnull=True).select_related(
        "request__case"
    ):
        assert decision.request.status == RequestStatus.DECIDED
        assert decision.request.case.status in expected[DecisionOutcome(decision.outcome)]
    # Awaiting a decision: with the CPS, or returned as not to the standard and being put right by the police.
    being_put_right = {RequestStatus.RETURNED_NOT_TO_STANDARD, RequestStatus.DRAFT, RequestStatus.AWAITING_SUPERVISOR}
    for case in Case.objects.filter(status=CaseStatus.AWAITING_CHARGING_DECISION):
        requests = case.charging_requests.all()
        assert requests.filter(status__in=[*QUEUE_STATUSES, RequestStatus.ACTION_PLAN_ISSUED]).exists() or (
            requests.filter(status__in=being_put_right, returned_at__isnull=False).exists()
        )
    for case in Case.objects.filter(status=CaseStatus.ADMINISTRATIVELY_FINALISED):
        assert case.charging_requests.filter(status=RequestStatus.ADMINISTRATIVELY_FINALISED).exists()
    charged = Case.objects.filter(status__in=CHARGED)
    assert charged.exists()
    for case in charged:
        by_police = PoliceChargeDecision.objects.filter(case=case).exists()
        by_cps = ChargingDecision.objects.filter(request__case=case, outcome=DecisionOutcome.CHARGE).exists()
        assert by_police or by_cps
        assert case.offences.filter(status=OffenceStatus.CHARGED).exists()
    for case in Case.objects.filter(status=CaseStatus.INVESTIGATION):
        assert not ChargingDecision.objects.filter(request__case=case, outcome__in=FINAL_OUTCOMES).exists()
        assert not PoliceChargeDecision.objects.filter(case=case).exists()


def _in_repeated_hour(moment: object) -> bool:
    """In the hour the clocks go back, where Python never finds an aware time equal to one in another zone."""
    local = moment.astimezone(LONDON)  # type: ignore[attr-defined]
    return bool(local.replace(fold=1).utcoffset() != local.replace(fold=0).utcoffset())


def test_stored_deadlines_are_what_the_deadline_engine_computes(generated: Generated) -> None:
    """Recomputing generated cases (every sixth) as of the run's day changes nothing - except a deadline falling in the
    repeated hour of the October clock change, which ``casework.deadlines.store`` rewrites on every recompute
    (an aware datetime there never compares equal across time zones: reported to the lead)."""
    assert Deadline.objects.filter(status="open").exists()
    assert Deadline.objects.filter(status="met").exists()
    for case in Case.objects.order_by("id")[::6]:
        result = recompute_case_deadlines(case, now=AS_OF)
        if result.changed:
            assert result.created == result.cancelled == 0
            assert any(_in_repeated_hour(d.due_at) for d in Deadline.objects.filter(case=case)), case.urn


def test_alerts_are_what_the_sweep_and_the_escalation_leave(generated: Generated) -> None:
    assert Alert.objects.filter(threshold__startswith="escalated:").exists()
    assert sweep_alerts(now=AS_OF) == 0
    assert escalate_unacknowledged(now=AS_OF) == 0
    assert not Deadline.objects.filter(status="open", next_alert_at__lte=AS_OF).exists()
    for alert in Alert.objects.select_related("deadline__case", "recipient").iterator():
        case = alert.deadline.case
        assert alert.case_id == case.public_id
        assert alert.created_at <= AS_OF
        named = {
            case.officer_in_case_id,
            case.supervisor_id,
            *case.charging_requests.values_list("allocated_lawyer", flat=True),
        }
        managers = Role.POLICE_MANAGER in alert.recipient.roles or Role.CPS_LEGAL_MANAGER in alert.recipient.roles
        assert alert.recipient_id in named or managers
        assert alert.deliveries.count() == 1


def test_every_version_has_its_stored_file_with_that_hash_size_and_type(generated: Generated) -> None:
    versions = list(DocumentVersion.objects.select_related("document__case"))
    assert len(versions) > 3 * CASES
    assert len({v.file.name for v in versions}) == len(versions)  # a stored file belongs to one version
    kinds: Counter[str] = Counter()
    for version in versions:
        path = generated.media / str(version.file.name)
        content = path.read_bytes()
        assert len(content) == version.size
        assert hashlib.sha256(content).hexdigest() == version.sha256
        assert str(version.file.name).startswith(f"cases/{version.document.case.public_id}/")
        if kinds[version.mime_type] < 20:
            assert magic.from_buffer(content, mime=True) == version.mime_type
            if version.mime_type == "application/pdf" and version.text:
                assert PdfReader(io.BytesIO(content)).pages[0].extract_text() == version.text
        kinds[version.mime_type] += 1
    assert {"application/pdf", "text/plain", "video/mp4", "image/png", "audio/x-wav"} <= set(kinds)


def test_shared_files_are_stored_once_under_their_hash(generated: Generated, tmp_path: Path, settings: Any) -> None:
    """The default for national-size runs: a few hundred specimen files, each stored once under its SHA-256 and
    shared by the versions with that content (in a storage of its own here, so the package's files stay)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    summary = generate(120, seed=SEED, as_of=AS_OF, workers=1, reset_existing=True)
    assert summary.shared_files
    assert Case.objects.count() == 120
    versions = list(DocumentVersion.objects.all())
    names = {v.file.name for v in versions}
    assert len(names) < len(versions) / 2
    for version in versions:
        content = (tmp_path / str(version.file.name)).read_bytes()
        assert version.file.name == f"synthetic/{version.sha256[:2]}/{version.sha256}"
        assert hashlib.sha256(content).hexdigest() == version.sha256
        assert len(content) == version.size
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == len(names)


def test_quality_reports_are_the_rules_own_and_referred_files_may_be_sent(generated: Generated) -> None:
    drafts = FileSubmission.objects.filter(status="draft")
    assert drafts.exists()
    for submission in drafts:
        report = QualityReport.objects.filter(submission=submission).order_by("-created_at", "-id").first()
        assert report is not None
        assert report.inputs_digest == evaluate_submission(submission, as_of=AS_OF.astimezone(LONDON).date()).digest
    submitted = FileSubmission.objects.filter(status="submitted")
    assert submitted.count() > CASES / 2
    assert not submitted.exclude(reports__on_submission=True).exists()
    assert not submitted.filter(snapshot={}).exists()
    for submission in submitted.filter(reports__on_submission=True, reports__blocking_count__gt=0):
        assert submission.override_at is not None
        assert submission.override_reason
    with_the_cps = ChargingRequest.objects.filter(received_by_cps_at__isnull=False).exclude(
        status__in=[RequestStatus.DRAFT, RequestStatus.AWAITING_SUPERVISOR, RequestStatus.RETURNED_NOT_TO_STANDARD]
    )
    for request in with_the_cps.select_related("submission"):
        assert request.submission is not None
        assert mg3_errors(request) == {}


def test_search_text_is_what_the_case_services_write(generated: Generated) -> None:
    for case in Case.objects.order_by("id")[:30]:
        before = (case.search_text, case.search_names)
        refresh_search(case)
        case.refresh_from_db()
        assert (case.search_text, case.search_names) == before
    victim = Case.objects.filter(Q(victims__isnull=False)).first()
    assert victim is not None
    name = victim.victims.first().last_name  # type: ignore[union-attr]
    assert Case.objects.filter(search_names__contains=name.lower()).exists()


def test_row_history_holds_an_insert_snapshot_of_every_tracked_row(generated: Generated) -> None:
    assert generated.second.triggers_off
    events = apps.get_model("casework", "CaseEvent")
    assert events.objects.filter(pgh_label="insert").count() == Case.objects.count()
    assert generated.second.history_rows > CASES * 5
