"""Fixtures for the file-quality tests: a case of force A built through the case services, offence
codes, and documents written straight to the database (the upload feature is someone else's; these
tests do not depend on it). ``celery_queue`` and ``celery_worker_process`` are the real worker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework import services as cs
from casework.choices import CustodyEventKind, ModeOfTrial, OffenceStatus, VictimPersonalStatement
from casework.identifiers import pnc_check_letter
from casework.models import Case, OffenceAllegation, OffenceCode, Suspect, Victim, Witness
from files.choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from files.models import CaseSummary, Document, DocumentVersion, Exhibit, PointToProve
from tests.tasks.conftest import celery_queue, celery_worker_process  # noqa: F401

URN = "10/AA/12345/26"


def pnc(year: int = 2019, serial: int = 12345) -> str:
    return f"{year}/{serial:07d}{pnc_check_letter(str(year), str(serial))}"


@pytest.fixture
def offence_codes(db: None) -> dict[str, OffenceCode]:
    rows = [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("TH68001", "Theft from the person of another", "CE", ModeOfTrial.EITHER_WAY, ""),
        ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
        ("PH97003", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
    ]
    return {
        code: OffenceCode.objects.create(code=code, title=title, category=cat, mode_of_trial=mode, dg6_group=group)
        for code, title, cat, mode, group in rows
    }


@pytest.fixture
def case_a(officer_a: User, unit_a1: Unit, force_a: Organisation) -> Case:
    return cs.case_create(urn=URN, details=cs.CaseDetails(), by=officer_a)


def add_document(
    case: Case,
    kind: str,
    by: User,
    *,
    title: str = "",
    witness: Witness | None = None,
    suspect: Suspect | None = None,
    scan_status: str = ScanStatus.CLEAN,
    redaction_status: str = RedactionStatus.NOT_REQUIRED,
    sensitivity: str = Sensitivity.NORMAL,
) -> Document:
    document = Document.objects.create(
        case=case,
        kind=kind,
        title=title or DocumentKind(kind).label,
        witness=witness,
        suspect=suspect,
        redaction_status=redaction_status,
        sensitivity=sensitivity,
        created_by=by,
    )
    add_version(document, by, scan_status=scan_status)
    return document


def add_version(document: Document, by: User, *, scan_status: str = ScanStatus.CLEAN) -> DocumentVersion:
    number = document.versions.count() + 1
    content = f"{document.title} version {number}".encode()
    return DocumentVersion.objects.create(
        document=document,
        number=number,
        file=ContentFile(content, name="upload.pdf"),
        original_name=f"{document.kind}-v{number}.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mime_type="application/pdf",
        scan_status=scan_status,
        scanned_at=timezone.now() if scan_status != ScanStatus.PENDING else None,
        uploaded_by=by,
    )


@dataclass
class GapCase:
    """A case with everything a first-hearing GAP file needs (police-charged theft, guilty plea)."""

    case: Case
    suspect: Suspect
    offence: OffenceAllegation
    witness: Witness
    victim: Victim
    statement: Document
    pnc_print: Document
    mg6: Document
    point: PointToProve


@pytest.fixture
def gap_case(case_a: Case, officer_a: User, supervisor_a: User, offence_codes: dict[str, OffenceCode]) -> GapCase:
    case = case_a
    suspect = cs.suspect_add(
        case=case, details=cs.SuspectDetails(first_names="John", last_name="Smith", pnc_id=pnc()), by=officer_a
    )
    offence = cs.offence_add(
        case=case,
        details=cs.OffenceDetails(
            suspect=suspect,
            code="TH68001",
            committed_on=timezone.localdate() - timedelta(days=10),
            status=OffenceStatus.CHARGED,
        ),
        by=officer_a,
    )
    cs.custody_event_record(
        suspect=suspect,
        details=cs.CustodyDetails(kind=CustodyEventKind.CHARGED_AND_BAILED, occurred_at=timezone.now()),
        by=officer_a,
    )
    witness = cs.witness_add(
        case=case,
        details=cs.WitnessDetails(
            first_names="Alan",
            last_name="Brown",
            is_key=True,
            dates_to_avoid=[(date(2030, 8, 1), date(2030, 8, 14), "Holiday")],
        ),
        by=officer_a,
    )
    victim = cs.victim_add(
        case=case,
        details=cs.VictimDetails(
            first_names="Mary",
            last_name="Jones",
            contact_details="07700 900123, 1 Secret Street",
            personal_statement=VictimPersonalStatement.OFFERED_DECLINED,
        ),
        by=officer_a,
    )
    statement = add_document(case, DocumentKind.MG11, officer_a, title="Statement of Alan Brown", witness=witness)
    pnc_print = add_document(case, DocumentKind.PNC_PRINT, officer_a, suspect=suspect)
    mg6 = add_document(case, DocumentKind.MG6, officer_a)
    CaseSummary.objects.create(
        case=case,
        summary="On the day the suspect took a phone from the victim's hand.",
        interview_summary="The suspect admitted taking the phone.",
        certified_by=supervisor_a,
        certified_at=timezone.now(),
    )
    point = PointToProve.objects.create(case=case, offence=offence, text="Appropriated property belonging to another")
    point.evidence_documents.add(statement)
    case.refresh_from_db()
    return GapCase(case, suspect, offence, witness, victim, statement, pnc_print, mg6, point)


def add_exhibit(case: Case, by: User, *, reference: str = "AB/1", documents: list[Document] | None = None) -> Exhibit:
    exhibit = Exhibit.objects.create(
        case=case,
        reference=reference,
        producer_name="Alan Brown",
        producer_initials=reference.split("/")[0],
        number=int(reference.split("/")[1]),
        description="Mobile phone",
        location="Property store",
        created_by=by,
    )
    exhibit.documents.set(documents or [])
    return exhibit


def send_to_cps(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()


def ids(findings: list[Any]) -> set[str]:
    return {f["rule_id"] if isinstance(f, dict) else f.rule_id for f in findings}
