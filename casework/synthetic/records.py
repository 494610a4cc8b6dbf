"""The in-memory records of one synthetic case, before they become COPY rows.

They carry the same attribute names as the models, because the deadline engine
(``casework.deadlines.store.compute_deadlines``) reads them directly: the generator computes each case's
deadlines with the application's own code on these records, instead of re-implementing the rules. Related
sets the engine reads through a manager (``victim.updates.all()``) are ``Many`` lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from casework.models import person_name

from .organisations import Code


class Many(list[Any]):
    """A list that answers ``.all()`` like a prefetched related manager."""

    def all(self) -> Many:
        return self


@dataclass(slots=True, eq=False)
class CaseRec:
    pk: int
    public_id: str
    urn: str
    force_id: int
    unit_id: int
    cps_area_id: int | None
    officer_in_case_id: int
    supervisor_id: int
    created_at: datetime
    reported_on: date
    summary: str
    status: str = "investigation"
    flags: list[str] = field(default_factory=list)
    sent_to_cps_at: datetime | None = None
    sent_to_cps_direct: bool = False
    updated_at: datetime | None = None


@dataclass(slots=True, eq=False)
class SuspectRec:
    pk: int
    public_id: str
    first_names: str
    last_name: str
    date_of_birth: date | None
    created_at: datetime
    female: bool = False
    pnc_id: str = ""
    asn: str = ""
    custody_record_number: str = ""
    interpreter_language: str = ""
    vulnerabilities: str = ""
    needs_appropriate_adult: bool = False

    @property
    def full_name(self) -> str:
        return person_name(self.first_names, self.last_name)


@dataclass(slots=True, eq=False)
class OffenceRec:
    pk: int
    public_id: str
    suspect_id: int
    offence_code: Code
    committed_on: date
    created_at: datetime
    committed_until: date | None = None
    location: str = ""
    particulars: str = ""
    status: str = "alleged"
    qualifier: str = ""
    updated_at: datetime | None = None
    status_since: datetime | None = None  # when ``status`` was reached (alleged before it)

    def status_at(self, moment: datetime) -> str:
        return self.status if self.status_since is None or self.status_since <= moment else "alleged"

    @property
    def code_with_qualifier(self) -> str:
        return f"{self.offence_code.code}{self.qualifier}"

    @property
    def last_date(self) -> date:
        return self.committed_until or self.committed_on


@dataclass(slots=True, eq=False)
class CustodyRec:
    pk: int
    public_id: str
    suspect_id: int
    kind: str
    occurred_at: datetime
    recorded_by_id: int
    relevant_time: datetime | None = None
    arrested_on: date | None = None
    bail_regime: str = ""
    bail_start_date: date | None = None
    period_ends_at: datetime | None = None
    authority: str = ""
    authorised_by: str = ""
    court_id: int | None = None
    offence_id: int | None = None
    first_remand_date: date | None = None
    conditions: str = ""
    notes: str = ""


@dataclass(slots=True, eq=False)
class VictimUpdateRec:
    pk: int
    public_id: str
    victim_id: int
    reason: str
    event_on: date
    given_on: date
    method: str
    given_by_id: int
    recorded_at: datetime
    summary: str = ""


@dataclass(slots=True, eq=False)
class VictimRec:
    pk: int
    public_id: str
    first_names: str
    last_name: str
    date_of_birth: date | None
    created_at: datetime
    is_organisation: bool = False
    enhanced_rights: list[str] = field(default_factory=list)
    contact_preference: str = "phone"
    contact_details: str = ""
    personal_statement: str = "not_offered"
    personal_statement_on: date | None = None
    first_statement_on: date | None = None
    updates: Many = field(default_factory=Many)
    witness: WitnessRec | None = None
    statement_answered_at: datetime | None = None  # when ``personal_statement`` was recorded
    first_statement_at: datetime | None = None  # when the statement behind ``first_statement_on`` was taken

    def personal_statement_at(self, moment: datetime) -> str:
        answered = self.statement_answered_at
        return self.personal_statement if answered is not None and answered <= moment else "not_offered"

    @property
    def full_name(self) -> str:
        return person_name(self.first_names, self.last_name)

    @property
    def has_enhanced_rights(self) -> bool:
        return bool(self.enhanced_rights)


@dataclass(slots=True, eq=False)
class WitnessRec:
    pk: int
    public_id: str
    first_names: str
    last_name: str
    date_of_birth: date | None
    created_at: datetime
    witness_type: str = "eyewitness"
    is_key: bool = False
    vulnerability: str = "none"
    special_measures: list[str] = field(default_factory=list)
    willing_to_attend: bool = True
    no_dates_to_avoid: bool = False
    notes: str = ""
    unavailable: list[tuple[int, date, date, str]] = field(default_factory=list)  # (pk, from, to, reason)
    dates_recorded_at: datetime | None = None  # when the MG10 answer (dates, or none) was recorded

    @property
    def full_name(self) -> str:
        return person_name(self.first_names, self.last_name)


@dataclass(slots=True, eq=False)
class HearingRec:
    pk: int
    public_id: str
    court_id: int
    starts_at: datetime
    hearing_type: str
    created_at: datetime
    outcome: str = ""
    outcome_notes: str = ""


@dataclass(slots=True, eq=False)
class DecisionRec:
    pk: int
    public_id: str
    request_id: int
    outcome: str
    reasons: str
    decided_by_id: int
    decided_at: datetime
    test_applied: str = ""
    threshold_review_on: date | None = None
    corrects_id: int | None = None
    charges: list[tuple[int, OffenceRec, str]] = field(default_factory=list)  # (pk, offence, wording)
    _charges: list[int] = field(default_factory=list)  # offence pks, as the deadline engine reads them


@dataclass(slots=True, eq=False)
class ActionItemRec:
    pk: int
    public_id: str
    request_id: int
    decision_id: int
    number: int
    action: str
    reason: str
    due_on: date
    owner: str = "officer_in_case"
    offence_id: int | None = None
    point_to_prove: str = ""
    status: str = "open"
    response: str = ""
    responded_by_id: int | None = None
    responded_at: datetime | None = None
    escalated_at: datetime | None = None
    documents: list[int] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class ResubmissionRec:
    pk: int
    request_id: int
    number: int
    summary: str
    submitted_by_id: int
    submitted_at: datetime
    reopened: bool = False


@dataclass(slots=True, eq=False)
class RequestRec:
    pk: int
    public_id: str
    created_by_id: int
    created_at: datetime
    category: str
    test_sought: str
    anticipated_plea: str
    cps_area_id: int | None
    status: str = "draft"
    to_cps_direct: bool = False
    submission_id: int | None = None
    allocated_lawyer_id: int | None = None
    version: int = 1
    updated_at: datetime | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    received_by_cps_at: datetime | None = None
    accepted_at: datetime | None = None
    allocated_at: datetime | None = None
    decided_at: datetime | None = None
    returned_at: datetime | None = None
    action_plan_issued_at: datetime | None = None
    resubmitted_at: datetime | None = None
    finalised_at: datetime | None = None
    resubmission_count: int = 0
    dg6_decider: str = ""
    dg6_rule: str = ""
    dg6_reason: str = ""
    mg3: dict[str, Any] = field(default_factory=dict)
    decisions: Many = field(default_factory=Many)
    action_items: Many = field(default_factory=Many)
    resubmissions: Many = field(default_factory=Many)
    # The request's audit trail: (event type, when, actor id, summary, data).
    events: list[tuple[str, datetime, int | None, str, dict[str, Any]]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class PoliceChargeRec:
    pk: int
    public_id: str
    rationale: str
    dg6_rule: str
    anticipated_plea: str
    decided_by_id: int
    decided_at: datetime
    offences: Many = field(default_factory=Many)
    emergency_authorised_by: str = ""


@dataclass(slots=True, eq=False)
class VersionRec:
    pk: int
    public_id: str
    number: int
    name: str
    original_name: str
    content: bytes
    sha256: str
    mime_type: str
    uploaded_by_id: int
    uploaded_at: datetime
    scan_status: str = "clean"
    scan_detail: str = ""
    scanned_at: datetime | None = None
    page_count: int | None = None
    text: str = ""
    text_extracted_at: datetime | None = None


@dataclass(slots=True, eq=False)
class DocumentRec:
    pk: int
    public_id: str
    kind: str
    title: str
    created_by_id: int
    created_at: datetime
    sensitivity: str = "normal"
    redaction_status: str = "not_required"
    redaction_confirmed_by_id: int | None = None
    redaction_confirmed_at: datetime | None = None
    witness_id: int | None = None
    suspect_id: int | None = None
    versions: list[VersionRec] = field(default_factory=list)

    def clean_version_at(self, moment: datetime) -> VersionRec | None:
        clean = [v for v in self.versions if v.scan_status == "clean" and v.uploaded_at <= moment]
        return clean[-1] if clean else None


@dataclass(slots=True, eq=False)
class ExhibitRec:
    pk: int
    public_id: str
    reference: str
    producer_name: str
    producer_initials: str
    number: int
    description: str
    location: str
    created_by_id: int
    created_at: datetime
    documents: list[int] = field(default_factory=list)
    # (pk, moved_at, from, to, handled_by, reason)
    movements: list[tuple[int, datetime, str, str, str, str]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class UnusedRec:
    pk: int
    public_id: str
    schedule: str
    item_number: int
    description: str
    location: str
    created_by_id: int
    created_at: datetime
    sensitivity_reason: str = ""
    rebuttable_presumption: bool = False
    document_id: int | None = None
    prosecutor_decision: str = ""
    decision_note: str = ""
    decided_by_id: int | None = None
    decided_at: datetime | None = None


@dataclass(slots=True, eq=False)
class PointRec:
    pk: int
    public_id: str
    offence: OffenceRec
    text: str
    order: int
    created_at: datetime
    documents: list[DocumentRec] = field(default_factory=list)
    exhibits: list[ExhibitRec] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class CaseSummaryRec:
    pk: int
    summary: str
    interview_summary: str
    updated_at: datetime
    created_at: datetime
    certified_by_id: int | None = None
    certified_at: datetime | None = None


@dataclass(slots=True, eq=False)
class SubmissionRec:
    pk: int
    public_id: str
    stage: str
    anticipated_plea: str
    created_by_id: int
    created_at: datetime
    status: str = "draft"
    submitted_by_id: int | None = None
    submitted_at: datetime | None = None
    override_reason: str = ""
    override_by_id: int | None = None
    override_at: datetime | None = None
    snapshot: str = "{}"  # what was sent, as JSON text (``filefacts.snapshot``)
    items: list[int] = field(default_factory=list)  # version pks
    # (pk, public_id, created_at, digest, findings, blocking, advisory, on_submission)
    reports: list[tuple[int, str, datetime, str, list[dict[str, Any]], int, int, bool]] = field(default_factory=list)
    assessment: tuple[int, str, bool, str, int, datetime] | None = None  # (pk, public id, met, notes, by, at)
    failures: list[tuple[int, str, str, str]] = field(default_factory=list)  # (pk, public id, code, note)
