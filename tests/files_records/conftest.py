"""Fixtures for the case material records: a case of force A with a suspect and two offences,
documents (one sensitive) created directly, and helpers to assert that nothing changed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db.models import Max
from django.utils import timezone

from accounts.models import AuditEvent, Organisation, Unit, User
from casework import services as cs
from casework.choices import ContactPreference, EnhancedRights, ModeOfTrial, SpecialMeasure, WitnessVulnerability
from casework.models import Case, OffenceAllegation, OffenceCode, Suspect
from files.choices import DocumentKind, Sensitivity
from files.models import CaseSummary, Document, Exhibit, ExhibitMovement, PointToProve, UnusedItem
from files.services import case_summary as mg5
from files.services import exhibits, unused

URN = "10/AA/12345/26"


@pytest.fixture
def offence_codes(db: None) -> dict[str, OffenceCode]:
    rows = [
        ("TH68001", "Theft from the person of another", "CE", ModeOfTrial.EITHER_WAY),
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY),
    ]
    return {
        code: OffenceCode.objects.create(code=code, title=title, category=category, mode_of_trial=mode)
        for code, title, category, mode in rows
    }


@dataclass
class World:
    case: Case
    suspect: Suspect
    theft: OffenceAllegation
    assault: OffenceAllegation
    statement: Document
    cctv: Document
    sensitive: Document


@pytest.fixture
def world(officer_a: User, unit_a1: Unit, force_a: Organisation, offence_codes: dict[str, OffenceCode]) -> World:
    case = cs.case_create(urn=URN, details=cs.CaseDetails(), by=officer_a)
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails(first_names="John", last_name="Smith"), by=officer_a)
    theft = cs.offence_add(
        case=case,
        details=cs.OffenceDetails(suspect=suspect, code="TH68001", committed_on=date(2026, 1, 3)),
        by=officer_a,
    )
    assault = cs.offence_add(
        case=case,
        details=cs.OffenceDetails(suspect=suspect, code="CJ88001", committed_on=date(2026, 1, 3)),
        by=officer_a,
    )
    statement = Document.objects.create(
        case=case, kind=DocumentKind.MG11, title="Statement of Mary Jones", created_by=officer_a
    )
    cctv = Document.objects.create(
        case=case, kind=DocumentKind.CCTV, title="CCTV from the Crown pub", created_by=officer_a
    )
    sensitive = Document.objects.create(
        case=case,
        kind=DocumentKind.OTHER,
        title="Covert observation log Bravo",
        created_by=officer_a,
        sensitivity=Sensitivity.SENSITIVE,
    )
    case.refresh_from_db()
    return World(case, suspect, theft, assault, statement, cctv, sensitive)


@pytest.fixture
def case(world: World) -> Case:
    return world.case


def send_to_cps(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()


def db_state() -> dict[str, Any]:
    """Everything a refused or invalid write must leave alone."""
    state: dict[str, Any] = {
        model.__name__: model.objects.count()
        for model in (Exhibit, ExhibitMovement, UnusedItem, CaseSummary, PointToProve, AuditEvent)
    }
    state["exhibits"] = sorted(Exhibit.objects.values_list("reference", "description", "producer_name", "location"))
    state["exhibit_documents"] = sorted(Exhibit.documents.through.objects.values_list("exhibit_id", "document_id"))
    state["items"] = sorted(
        UnusedItem.objects.values_list("schedule", "item_number", "description", "location", "prosecutor_decision")
    )
    state["summaries"] = sorted(
        CaseSummary.objects.values_list("summary", "interview_summary", "certified_at"), key=str
    )
    state["points"] = sorted(PointToProve.objects.values_list("text", "order"))
    state["last_case_change"] = Case.objects.aggregate(Max("updated_at"))["updated_at__max"]
    return state


def strip_nonce(html: bytes) -> bytes:
    return re.sub(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"', b"", html)


@dataclass
class Records:
    """One of everything on the case: an exhibit (linked to a statement and, by the disclosure
    officer, to a sensitive document) that has moved once, an MG6C and an MG6D item, an MG5 with a
    point to prove for the theft, a victim and a witness."""

    world: World
    exhibit: Exhibit
    mg6c: UnusedItem
    mg6d: UnusedItem
    point: PointToProve

    @property
    def case(self) -> Case:
        return self.world.case


@pytest.fixture
def records(world: World, officer_a: User, disclosure_a: User) -> Records:
    case = world.case
    exhibit = exhibits.exhibit_add(
        case=case,
        details=exhibits.ExhibitDetails(
            description="Black leather wallet",
            producer_name="John Smith",
            location="Property store A",
            documents=[world.statement, world.sensitive],
        ),
        by=disclosure_a,
    )
    exhibits.exhibit_move(
        exhibit=exhibit,
        details=exhibits.MovementDetails(
            moved_at=timezone.now() - timedelta(hours=2),
            from_location="Property store A",
            to_location="Forensic lab",
            handled_by="PC 1234 Jane Doe",
            reason="Fingerprints",
        ),
        by=officer_a,
    )
    mg6c = unused.unused_item_add(
        case=case,
        schedule="mg6c",
        details=unused.UnusedItemDetails(description="Incident log 4471", location="Force RMS"),
        by=disclosure_a,
    )
    mg6d = unused.unused_item_add(
        case=case,
        schedule="mg6d",
        details=unused.UnusedItemDetails(
            description="Intelligence report Zulu", location="Intel unit", sensitivity_reason="Source protection"
        ),
        by=disclosure_a,
    )
    mg5.case_summary_update(
        case=case, summary="The suspect took the wallet.", interview_summary="No comment.", by=officer_a
    )
    point = mg5.point_to_prove_add(
        case=case,
        offence=world.theft,
        details=mg5.PointDetails(
            "Appropriated property belonging to another", evidence_documents=[world.cctv], evidence_exhibits=[exhibit]
        ),
        by=officer_a,
    )
    cs.victim_add(
        case=case,
        details=cs.VictimDetails(
            first_names="Mary",
            last_name="Jones",
            enhanced_rights=[EnhancedRights.VULNERABLE_OR_INTIMIDATED],
            contact_preference=ContactPreference.EMAIL,
            contact_details="mary.jones@example.org",
        ),
        by=officer_a,
    )
    cs.witness_add(
        case=case,
        details=cs.WitnessDetails(
            first_names="Alan",
            last_name="Brown",
            is_key=True,
            vulnerability=WitnessVulnerability.INTIMIDATED,
            special_measures=[SpecialMeasure.SCREENS],
            dates_to_avoid=[(date(2026, 8, 1), date(2026, 8, 14), "Holiday")],
        ),
        by=officer_a,
    )
    case.refresh_from_db()
    return Records(world, exhibit, mg6c, mg6d, point)
