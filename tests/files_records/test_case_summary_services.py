"""MG5 services: the summary is written by the case builders and certified by a police supervisor;
any change after certification clears it; points to prove link evidence of the case only, never
sensitive material."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as cs
from casework.models import OffenceAllegation
from files.choices import DocumentKind
from files.models import CaseSummary, Document, Exhibit
from files.services import case_summary as s
from files.services.case_summary import PointDetails
from files.services.exhibits import ExhibitDetails, exhibit_add

from .conftest import World, db_state, send_to_cps

pytestmark = pytest.mark.django_db


def write(world: World, by: User, summary: str = "On 3 January the suspect took a wallet.") -> CaseSummary:
    return s.case_summary_update(case=world.case, summary=summary, interview_summary="No comment.", by=by)


def certified(world: World, officer_a: User, supervisor_a: User) -> CaseSummary:
    write(world, officer_a)
    return s.case_summary_certify(case=world.case, by=supervisor_a)


def test_reading_an_unwritten_mg5_writes_nothing(world: World) -> None:
    mg5 = s.case_summary_of(world.case)
    assert mg5.pk is None
    assert (mg5.summary, mg5.certified_at) == ("", None)
    assert not CaseSummary.objects.exists()


def test_a_builder_writes_the_summary_and_it_is_audited(world: World, officer_a: User) -> None:
    mg5 = write(world, officer_a)
    assert (mg5.summary, mg5.interview_summary) == ("On 3 January the suspect took a wallet.", "No comment.")
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_SUMMARY_UPDATED)
    assert event.case_id == world.case.public_id
    assert event.data == {"changed": ["interview_summary", "summary"], "certification_cleared": False}


def test_saving_the_same_text_records_nothing(world: World, officer_a: User) -> None:
    write(world, officer_a)
    write(world, officer_a)
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_SUMMARY_UPDATED).count() == 1


def test_a_supervisor_certifies_and_it_is_audited(world: World, officer_a: User, supervisor_a: User) -> None:
    mg5 = certified(world, officer_a, supervisor_a)
    assert mg5.certified_by == supervisor_a
    assert mg5.certified_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_SUMMARY_CERTIFIED)
    assert (event.actor, event.case_id) == (supervisor_a, world.case.public_id)


def test_an_empty_summary_cannot_be_certified(world: World, supervisor_a: User) -> None:
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.case_summary_certify(case=world.case, by=supervisor_a)
    assert exc.value.message_dict == {"summary": [s.SUMMARY_REQUIRED_TO_CERTIFY]}
    assert db_state() == before


def test_a_certified_mg5_is_not_certified_twice(world: World, officer_a: User, supervisor_a: User) -> None:
    certified(world, officer_a, supervisor_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.case_summary_certify(case=world.case, by=supervisor_a)
    assert exc.value.messages == [s.ALREADY_CERTIFIED]
    assert db_state() == before


@pytest.mark.parametrize("who", ["officer_a", "disclosure_a", "lawyer_north", "manager_police_a"])
def test_only_a_police_supervisor_of_the_force_certifies(
    world: World, officer_a: User, who: str, request: pytest.FixtureRequest
) -> None:
    send_to_cps(world.case)
    write(world, officer_a)
    before = db_state()
    with pytest.raises(PermissionDenied):
        s.case_summary_certify(case=world.case, by=request.getfixturevalue(who))
    assert db_state() == before


@pytest.mark.parametrize("who", ["lawyer_north", "manager_police_a"])
def test_only_builders_edit_the_mg5(world: World, who: str, request: pytest.FixtureRequest) -> None:
    send_to_cps(world.case)
    user = request.getfixturevalue(who)
    before = db_state()
    with pytest.raises(PermissionDenied):
        write(world, user)
    with pytest.raises(PermissionDenied):
        s.point_to_prove_add(case=world.case, offence=world.theft, details=PointDetails("Appropriation"), by=user)
    assert db_state() == before


def test_editing_after_certification_clears_it_and_says_so(world: World, officer_a: User, supervisor_a: User) -> None:
    certified(world, officer_a, supervisor_a)
    mg5 = write(world, officer_a, summary="A better summary.")
    assert (mg5.certified_by, mg5.certified_at) == (None, None)
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_SUMMARY_UPDATED).order_by("-id").first()
    assert event is not None
    assert event.data == {"changed": ["summary"], "certification_cleared": True}
    assert "certification cleared" in event.summary


def test_adding_or_changing_a_point_to_prove_clears_the_certification(
    world: World, officer_a: User, supervisor_a: User
) -> None:
    certified(world, officer_a, supervisor_a)
    point = s.point_to_prove_add(
        case=world.case, offence=world.theft, details=PointDetails("Appropriation"), by=officer_a
    )
    assert CaseSummary.objects.get(case=world.case).certified_at is None
    s.case_summary_certify(case=world.case, by=supervisor_a)
    s.point_to_prove_update(point=point, details=PointDetails("Appropriation of property"), by=officer_a)
    assert CaseSummary.objects.get(case=world.case).certified_at is None


def test_points_are_ordered_per_offence_and_link_evidence(world: World, officer_a: User) -> None:
    wallet = exhibit_add(case=world.case, details=ExhibitDetails("Wallet", "John Smith", "Store A"), by=officer_a)
    first = s.point_to_prove_add(
        case=world.case,
        offence=world.theft,
        details=PointDetails("Appropriated property", evidence_documents=[world.statement], evidence_exhibits=[wallet]),
        by=officer_a,
    )
    second = s.point_to_prove_add(
        case=world.case, offence=world.theft, details=PointDetails("Dishonestly"), by=officer_a
    )
    other = s.point_to_prove_add(case=world.case, offence=world.assault, details=PointDetails("Force"), by=officer_a)
    assert (first.order, second.order, other.order) == (1, 2, 1)
    assert list(first.evidence_documents.all()) == [world.statement]
    assert list(first.evidence_exhibits.all()) == [wallet]
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_SUMMARY_UPDATED).order_by("id").first()
    assert event is not None
    assert event.data["action"] == "point_added"
    assert event.data["evidence_exhibits"] == [str(wallet.public_id)]
    assert [p.text for p in s.points_to_prove_of(world.case)] == ["Appropriated property", "Dishonestly", "Force"]


def test_updating_a_point_changes_its_evidence_and_audits_what_changed(world: World, officer_a: User) -> None:
    point = s.point_to_prove_add(
        case=world.case,
        offence=world.theft,
        details=PointDetails("Appropriated", evidence_documents=[world.statement]),
        by=officer_a,
    )
    s.point_to_prove_update(
        point=point, details=PointDetails("Appropriated", order=3, evidence_documents=[world.cctv]), by=officer_a
    )
    point.refresh_from_db()
    assert point.order == 3
    assert list(point.evidence_documents.all()) == [world.cctv]
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_SUMMARY_UPDATED).order_by("-id").first()
    assert event is not None
    assert event.data["changed"] == ["evidence_documents", "order"]


def test_an_unchanged_point_records_nothing(world: World, officer_a: User) -> None:
    point = s.point_to_prove_add(
        case=world.case, offence=world.theft, details=PointDetails("Appropriated"), by=officer_a
    )
    count = AuditEvent.objects.count()
    s.point_to_prove_update(point=point, details=PointDetails("Appropriated"), by=officer_a)
    assert AuditEvent.objects.count() == count


def _other_case_rows(officer_a: User, world: World) -> tuple[OffenceAllegation, Document, Exhibit]:
    other = cs.case_create(urn="10/AA/54321/26", details=cs.CaseDetails(), by=officer_a)
    suspect = cs.suspect_add(case=other, details=cs.SuspectDetails(first_names="Ann", last_name="Lee"), by=officer_a)
    offence = cs.offence_add(
        case=other,
        details=cs.OffenceDetails(suspect=suspect, code="TH68001", committed_on=world.theft.committed_on),
        by=officer_a,
    )
    document = Document.objects.create(case=other, kind=DocumentKind.MG11, title="Other", created_by=officer_a)
    exhibit = exhibit_add(case=other, details=ExhibitDetails("Bag", "Ann Lee", "Store"), by=officer_a)
    return offence, document, exhibit


def test_a_point_refuses_what_is_not_of_the_case_or_is_sensitive(world: World, officer_a: User) -> None:
    offence, document, exhibit = _other_case_rows(officer_a, world)
    before = db_state()
    cases: list[tuple[OffenceAllegation, PointDetails, dict[str, list[str]]]] = [
        (world.theft, PointDetails(" "), {"text": [s.POINT_TEXT_REQUIRED]}),
        (world.theft, PointDetails("x" * 501), {"text": [s.POINT_TEXT_TOO_LONG]}),
        (world.theft, PointDetails("Appropriated", order=0), {"order": [s.ORDER_INVALID]}),
        (offence, PointDetails("Appropriated"), {"offence": [s.OFFENCE_NOT_ON_CASE]}),
        (
            world.theft,
            PointDetails("A", evidence_documents=[document]),
            {"evidence_documents": [s.EVIDENCE_DOCUMENT_NOT_ON_CASE]},
        ),
        (
            world.theft,
            PointDetails("A", evidence_documents=[world.sensitive]),
            {"evidence_documents": [s.EVIDENCE_DOCUMENT_SENSITIVE]},
        ),
        (
            world.theft,
            PointDetails("A", evidence_exhibits=[exhibit]),
            {"evidence_exhibits": [s.EVIDENCE_EXHIBIT_NOT_ON_CASE]},
        ),
    ]
    for target, details, expected in cases:
        with pytest.raises(ValidationError) as exc:
            s.point_to_prove_add(case=world.case, offence=target, details=details, by=officer_a)
        assert exc.value.message_dict == expected
    assert db_state() == before


def test_updating_a_point_refuses_sensitive_evidence(world: World, officer_a: User, supervisor_a: User) -> None:
    point = s.point_to_prove_add(
        case=world.case, offence=world.theft, details=PointDetails("Appropriated"), by=officer_a
    )
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.point_to_prove_update(
            point=point, details=PointDetails("Appropriated", evidence_documents=[world.sensitive]), by=supervisor_a
        )
    assert exc.value.message_dict == {"evidence_documents": [s.EVIDENCE_DOCUMENT_SENSITIVE]}
    assert db_state() == before
