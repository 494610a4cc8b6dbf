"""Worked examples through the deadline store: real cases built with the services, the deadlines their
facts give, kept current in the transaction of each change (domain.md 0, 5, 10 and 12.2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Court, User
from casework import services as cs
from casework.choices import (
    Authority,
    CaseFlag,
    CustodyEventKind,
    DeadlineKind,
    DeadlineStatus,
    EnhancedRights,
    HearingOutcome,
    HearingType,
    OffenceStatus,
    VictimUpdateReason,
)
from casework.deadlines import calculations
from casework.deadlines.calendar import LONDON
from casework.deadlines.store import recompute_case_deadlines
from casework.models import Case, CustodyEvent, Deadline, Suspect
from charging import services as charging
from charging.choices import ActionItemStatus, AnticipatedPlea, DecisionOutcome, RequestStatus
from charging.choices import TestSought as CodeTest
from tests.deadlines.conftest import add_offence, allocated_request, at, deadline

pytestmark = pytest.mark.django_db

OPEN, MET, CANCELLED = DeadlineStatus.OPEN, DeadlineStatus.MET, DeadlineStatus.CANCELLED


def snapshot(case: Case) -> list[tuple[object, ...]]:
    return list(
        Deadline.objects.filter(case=case)
        .order_by("id")
        .values_list("kind", "subject_key", "due_at", "status", "next_alert_at", "label", "rule", "computed_at")
    )


def custody(suspect: Suspect, by: User, **details: object) -> CustodyEvent:
    return cs.custody_event_record(suspect=suspect, details=cs.CustodyDetails(**details), by=by)  # type: ignore[arg-type]


# -- s.127 and s.39A ------------------------------------------------------------------------------


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_an_uncharged_summary_only_offence_gets_its_s127_limit_and_charging_it_meets_it(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    offence = add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    assert row.subject_key == f"offence:{offence.public_id}"
    assert row.due_at == at(2026, 7, 5, 23, 59)
    assert row.status == OPEN
    assert row.statutory
    assert (row.suspect, row.offence) == (suspect, offence)
    assert row.rule == (
        "s.127 Magistrates' Courts Act 1980: an information must be laid (or a written charge issued) within 6 months "
        "from the offence on 5 January 2026 (last day 5 July 2026)."
    )
    # The first alert point still ahead: 60 days before.
    assert row.next_alert_at == at(2026, 5, 6, 23, 59)

    details = cs.OffenceDetails(suspect=suspect, code="PH97003", committed_on=date(2026, 1, 5), status="charged")
    cs.offence_update(offence=offence, details=details, by=officer_a)
    row.refresh_from_db()
    assert row.status == MET
    assert row.next_alert_at is None


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_a_continuing_offence_runs_from_its_last_day_and_an_either_way_offence_has_no_limit(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    add_offence(case, suspect, officer_a, "PH97003", date(2025, 11, 1), committed_until=date(2025, 12, 31))
    add_offence(case, suspect, officer_a, "TH68001", date(2025, 12, 1))
    [row] = Deadline.objects.filter(case=case)
    # 31 December + 6 calendar months: the last day of June.
    assert row.due_at == at(2026, 6, 30, 23, 59)
    assert "a continuing offence: from its last day" in row.rule


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_domestic_abuse_common_assault_follows_s39a_from_the_victims_first_statement(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    offence = add_offence(case, suspect, officer_a, "CJ88001", date(2025, 12, 20))
    assert deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT).status == OPEN
    cs.case_update(case=case, details=cs.CaseDetails(flags=[CaseFlag.DOMESTIC_ABUSE]), by=officer_a)
    # Flagged: s.39A replaces s.127 (same subject, another kind); no statement yet, so two years.
    assert deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT).status == CANCELLED
    row = deadline(case, DeadlineKind.DA_TIME_LIMIT)
    assert row.subject_key == f"offence:{offence.public_id}"
    assert row.due_at == at(2027, 12, 20, 23, 59)
    assert row.statutory
    cs.victim_add(
        case=case,
        details=cs.VictimDetails("Alex", "Jones", first_statement_on=date(2026, 1, 10)),
        by=officer_a,
    )
    row.refresh_from_db()
    assert row.due_at == at(2026, 7, 10, 23, 59)
    assert row.rule.startswith("s.39A Criminal Justice Act 1988")
    assert "6 months from the victim's first statement on 10 January 2026" in row.rule


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_an_offence_not_proceeded_with_cancels_its_limit(case: Case, suspect: Suspect, officer_a: User) -> None:
    offence = add_offence(case, suspect, officer_a)
    details = cs.OffenceDetails(
        suspect=suspect, code="PH97003", committed_on=date(2026, 1, 5), status=OffenceStatus.NOT_PROCEEDED
    )
    cs.offence_update(offence=offence, details=details, by=officer_a)
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    assert (row.status, row.next_alert_at) == (CANCELLED, None)


# -- PACE detention -------------------------------------------------------------------------------


def test_a_detained_suspect_gets_the_pace_limit_an_extension_moves_it_and_release_ends_it(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    relevant = at(2026, 3, 2, 14, 0)
    with time_machine.travel(at(2026, 3, 2, 15, 0)):
        detained = custody(
            suspect,
            officer_a,
            kind=CustodyEventKind.DETAINED,
            occurred_at=at(2026, 3, 2, 14, 20),
            relevant_time=relevant,
        )
    key = f"detention:{detained.public_id}"
    row = deadline(case, DeadlineKind.PACE_DETENTION)
    assert row.subject_key == key
    assert row.due_at == at(2026, 3, 3, 14, 0)
    assert row.rule == "PACE s.41: 24 hours from the relevant time (14:00 on 2 March 2026)."
    assert row.next_alert_at == at(2026, 3, 3, 12, 0)  # 2 hours before
    review = deadline(case, DeadlineKind.PACE_REVIEW)
    assert (review.subject_key, review.due_at, review.status) == (f"{key}:review:1", at(2026, 3, 2, 20, 20), OPEN)

    with time_machine.travel(at(2026, 3, 3, 9, 0)):
        custody(
            suspect,
            officer_a,
            kind=CustodyEventKind.DETENTION_EXTENDED,
            occurred_at=at(2026, 3, 3, 8, 30),
            authority=Authority.SUPERINTENDENT,
            authorised_by="Supt A Jones",
        )
    row.refresh_from_db()
    assert row.due_at == at(2026, 3, 4, 2, 0)
    assert row.next_alert_at == at(2026, 3, 4, 0, 0)
    assert row.rule.startswith("PACE s.42: extended by a superintendent (Supt A Jones) to 36 hours")
    reviews = Deadline.objects.filter(case=case, kind=DeadlineKind.PACE_REVIEW).order_by("due_at")
    # The first review time passed while detained; the second (9 hours later) is next.
    assert [(r.due_at, r.status) for r in reviews] == [
        (at(2026, 3, 2, 20, 20), MET),
        (at(2026, 3, 3, 5, 20), MET),
        (at(2026, 3, 3, 14, 20), OPEN),
    ]

    with time_machine.travel(at(2026, 3, 3, 12, 0)):
        custody(
            suspect,
            officer_a,
            kind=CustodyEventKind.RELEASED_UNDER_INVESTIGATION,
            occurred_at=at(2026, 3, 3, 11, 45),
        )
    row.refresh_from_db()
    assert (row.status, row.next_alert_at) == (MET, None)
    # Met when the suspect was released, not when that was recorded (a near miss is judged on it).
    assert row.met_at == at(2026, 3, 3, 11, 45)
    assert deadline(case, DeadlineKind.PACE_REVIEW, f"{key}:review:3").status == CANCELLED
    # Released under investigation: the first 90-day review point.
    rui = deadline(case, DeadlineKind.RUI_AGEING)
    assert rui.due_at == at(2026, 6, 1, 23, 59)
    assert not rui.statutory


# -- pre-charge bail ------------------------------------------------------------------------------


@time_machine.travel(at(2026, 1, 12, 10, 0))
def test_a_bail_period_is_stored_as_the_law_counts_it_and_an_extension_moves_it(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    bailed = custody(
        suspect,
        officer_a,
        kind=CustodyEventKind.PRE_CHARGE_BAIL,
        occurred_at=at(2026, 1, 9, 18, 0),
        arrested_on=date(2026, 1, 9),
        bail_start_date=date(2026, 1, 10),
    )
    row = deadline(case, DeadlineKind.PRE_CHARGE_BAIL)
    assert row.subject_key == f"bail:{bailed.public_id}"
    # Three months beginning with 10 January end on 9 April (PACE s.47ZB(1)(b)).
    assert row.due_at == at(2026, 4, 9, 23, 59)
    assert row.statutory
    assert row.next_alert_at == at(2026, 3, 26, 23, 59)  # 14 days before
    custody(
        suspect,
        officer_a,
        kind=CustodyEventKind.BAIL_EXTENDED,
        occurred_at=at(2026, 1, 12, 9, 0),
        period_ends_on=date(2026, 7, 1),
        authority=Authority.INSPECTOR,
        authorised_by="Insp Khan",
    )
    row.refresh_from_db()
    assert row.due_at == at(2026, 7, 1, 23, 59)
    assert "on the authority of inspector (PACE s.47ZD) ends on 1 July 2026" in row.rule
    custody(suspect, officer_a, kind=CustodyEventKind.RELEASED_NO_FURTHER_ACTION, occurred_at=at(2026, 1, 12, 9, 30))
    row.refresh_from_db()
    assert row.status == MET


@time_machine.travel(at(2026, 1, 12, 10, 0))
def test_a_bail_extension_past_the_legal_maximum_is_refused_with_the_precise_message_and_nothing_saved(
    case: Case, suspect: Suspect, officer_a: User, magistrates_court: Court
) -> None:
    custody(
        suspect,
        officer_a,
        kind=CustodyEventKind.PRE_CHARGE_BAIL,
        occurred_at=at(2026, 1, 9, 18, 0),
        arrested_on=date(2026, 1, 9),
        bail_start_date=date(2026, 1, 10),
    )
    before = (CustodyEvent.objects.count(), snapshot(case))
    extension = {
        "kind": CustodyEventKind.BAIL_EXTENDED,
        "occurred_at": at(2026, 1, 12, 9, 0),
        "period_ends_on": date(2027, 8, 1),
        "authority": Authority.MAGISTRATES_COURT,
        "court": magistrates_court,
    }
    with pytest.raises(ValidationError) as exc:
        custody(suspect, officer_a, **extension)
    assert exc.value.message_dict == {
        "period_ends_on": [
            calculations.BAIL_BEYOND_STANDARD_MAXIMUM.format(
                start="10 January 2026",
                proposed="1 August 2027",
                limit="9 July 2027",
                months="18 months",
                provision="PACE s.47ZG",
                exceptional_limit="9 January 2028",
                exceptional_months="24 months",
            )
        ]
    }
    with pytest.raises(ValidationError) as exc:
        custody(suspect, officer_a, **{**extension, "period_ends_on": date(2028, 1, 10), "exceptional": True})
    assert exc.value.message_dict == {
        "period_ends_on": [
            calculations.BAIL_BEYOND_LEGAL_MAXIMUM.format(
                start="10 January 2026",
                proposed="10 January 2028",
                limit="9 January 2028",
                months="24 months",
                provision="PACE s.47ZG",
            )
        ]
    }
    assert (CustodyEvent.objects.count(), snapshot(case)) == before
    # In an exceptional case a court may go to 24 months.
    custody(suspect, officer_a, **{**extension, "exceptional": True})
    assert deadline(case, DeadlineKind.PRE_CHARGE_BAIL).due_at == at(2027, 8, 1, 23, 59)


# -- custody time limits --------------------------------------------------------------------------


@time_machine.travel(at(2026, 1, 10, 10, 0))
def test_a_custody_time_limit_expiring_on_a_saturday_moves_to_the_friday_before(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    offence = add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 2), status=OffenceStatus.CHARGED)
    custody(
        suspect,
        officer_a,
        kind=CustodyEventKind.REMANDED_IN_CUSTODY,
        occurred_at=at(2026, 1, 3, 11, 0),
        offence=offence,
        first_remand_date=date(2026, 1, 3),
    )
    row = deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT)
    assert row.subject_key == f"ctl:{offence.public_id}"
    # 56 days from 3 January is Saturday 28 February: the limit expires on Friday 27 February.
    assert row.due_at == at(2026, 2, 27, 23, 59)
    assert row.statutory
    assert "Saturday 28 February 2026 is not a working day" in row.rule
    assert "reg. 4" in row.rule
    # 28 working days before, counted back over the weekends.
    assert row.next_alert_at == datetime(2026, 1, 20, 23, 59, tzinfo=LONDON)


@time_machine.travel(at(2026, 3, 10, 10, 0))
def test_sending_to_the_crown_court_gives_182_days_less_the_days_in_magistrates_custody(
    case: Case, suspect: Suspect, officer_a: User, crown_court: Court, magistrates_court: Court
) -> None:
    offence = add_offence(case, suspect, officer_a, "TH68001", date(2026, 1, 2), status=OffenceStatus.CHARGED)
    custody(
        suspect,
        officer_a,
        kind=CustodyEventKind.REMANDED_IN_CUSTODY,
        occurred_at=at(2026, 1, 5, 11, 0),
        offence=offence,
        first_remand_date=date(2026, 1, 5),
    )
    # Either way, mode of trial not recorded: the 56-day limit is shown.
    assert deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT).due_at == at(2026, 3, 2, 23, 59)
    cs.hearing_add(
        case=case,
        details=cs.HearingDetails(
            court=magistrates_court,
            starts_at=at(2026, 1, 15, 10, 0),
            hearing_type=HearingType.CASE_MANAGEMENT,
            outcome=HearingOutcome.SENT_TO_CROWN,
        ),
        by=officer_a,
    )
    row = deadline(case, DeadlineKind.CUSTODY_TIME_LIMIT)
    # 182 days from 15 January less the 10 days already spent: 172 days, Tuesday 6 July... see below.
    plain = date(2026, 1, 15) + timedelta(days=172)
    assert row.due_at == at(plain.year, plain.month, plain.day, 23, 59)
    assert "182 days from sending to the Crown Court on 15 January 2026, less 10 days" in row.rule
    cs.hearing_add(
        case=case,
        details=cs.HearingDetails(
            court=crown_court, starts_at=at(2026, 3, 9, 10, 0), hearing_type=HearingType.TRIAL, outcome="effective"
        ),
        by=officer_a,
    )
    row.refresh_from_db()
    assert row.status == MET


# -- charging -------------------------------------------------------------------------------------


def test_a_request_sent_to_the_cps_gets_its_decision_due_and_deciding_meets_it(
    case: Case,
    suspect: Suspect,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
) -> None:
    with time_machine.travel(at(2026, 2, 2, 10, 0), tick=False):
        offence = add_offence(case, suspect, officer_a, "OF61016", date(2026, 1, 20))
        request = allocated_request(
            case, officer_a, supervisor_a, paralegal_north, lawyer_north, anticipated_plea=AnticipatedPlea.NOT_GUILTY
        )
    row = deadline(case, DeadlineKind.CHARGING_DECISION)
    assert row.subject_key == f"request:{request.public_id}:0"
    assert row.due_at == at(2026, 3, 2, 10, 0)  # green: 28 days from receipt
    assert row.status == OPEN
    assert not row.statutory
    assert (
        row.rule
        == "CPS time aim for a Green charging request: 28 days from receipt by the CPS at 10:00 on 2 February 2026 "
        "(DG6)."
    )

    with time_machine.travel(at(2026, 2, 10, 15, 0), tick=False):
        charging.decision_record(
            request=request,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Full Code Test met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[charging.ChargeDetails(offence=offence)],
        )
    row.refresh_from_db()
    assert row.status == MET
    first_hearing = deadline(case, DeadlineKind.FIRST_HEARING_FILE)
    # Not guilty anticipated: listed 28 days after charge (10 March), the file due the day before.
    assert first_hearing.due_at == at(2026, 3, 9, 23, 59)
    assert "listed 28 days after charge (10 March 2026)" in first_hearing.rule
    assert not Deadline.objects.filter(case=case, kind=DeadlineKind.THRESHOLD_TEST_REVIEW).exists()


def test_a_guilty_plea_threshold_test_charge_gets_a_14_day_file_and_its_review_date(
    case: Case,
    suspect: Suspect,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
) -> None:
    with time_machine.travel(at(2026, 2, 2, 10, 0), tick=False):
        offence = add_offence(case, suspect, officer_a, "OF61016", date(2026, 1, 20))
        request = allocated_request(
            case, officer_a, supervisor_a, paralegal_north, lawyer_north, anticipated_plea=AnticipatedPlea.GUILTY
        )
        decision = charging.decision_record(
            request=request,
            by=lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Threshold Test met",
            test_applied=CodeTest.THRESHOLD_TEST,
            threshold_review_on=date(2026, 3, 1),
            charges=[charging.ChargeDetails(offence=offence)],
        )
    assert deadline(case, DeadlineKind.FIRST_HEARING_FILE).due_at == at(2026, 2, 15, 23, 59)
    review = deadline(case, DeadlineKind.THRESHOLD_TEST_REVIEW)
    assert (review.due_at, review.status) == (at(2026, 3, 1, 23, 59), OPEN)
    # Corrected to the Full Code Test: the review is met.
    with time_machine.travel(at(2026, 2, 20, 10, 0), tick=False):
        charging.decision_correct(
            request=request,
            corrects=decision,
            by=lawyer_north,
            reasons="Full Code Test now met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[charging.ChargeDetails(offence=offence)],
        )
    review.refresh_from_db()
    assert review.status == MET


def test_action_plan_items_are_due_and_answering_one_meets_it(
    case: Case,
    suspect: Suspect,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
) -> None:
    with time_machine.travel(at(2026, 2, 2, 10, 0)):
        add_offence(case, suspect, officer_a, "OF61016", date(2026, 1, 20))
        request = allocated_request(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
        charging.decision_record(
            request=request,
            by=lawyer_north,
            outcome=DecisionOutcome.ACTION_PLAN,
            reasons="Need more",
            action_items=[
                charging.ActionItemDetails(action="Medical statement", reason="Injury", due_on=date(2026, 2, 16)),
                charging.ActionItemDetails(action="CCTV", reason="Identification", due_on=date(2026, 2, 20)),
            ],
        )
    assert deadline(case, DeadlineKind.CHARGING_DECISION).status == MET
    rows = Deadline.objects.filter(case=case, kind=DeadlineKind.ACTION_PLAN_ITEM).order_by("due_at")
    assert [(r.label, r.due_at, r.status) for r in rows] == [
        ("Action 1: Medical statement", at(2026, 2, 16, 23, 59), OPEN),
        ("Action 2: CCTV", at(2026, 2, 20, 23, 59), OPEN),
    ]
    first = request.action_items.get(number=1)
    with time_machine.travel(at(2026, 2, 5, 10, 0)):
        charging.action_item_answer(item=first, by=officer_a, status=ActionItemStatus.DONE, response="Obtained")

    def met_at(row: Deadline) -> datetime | None:
        return row.met_at.replace(microsecond=0) if row.met_at else None  # the travelled clock ticks

    assert [(r.status, met_at(r)) for r in rows.all()] == [(MET, at(2026, 2, 5, 10, 0)), (OPEN, None)]
    second = request.action_items.get(number=2)
    with time_machine.travel(at(2026, 2, 6, 10, 0)):
        charging.action_item_answer(item=second, by=officer_a, status=ActionItemStatus.CANNOT_BE_DONE, response="None")
        request = charging.request_resubmit(request=request, by=officer_a, summary="All answered")
    # Each keeps the moment it was first recorded as met; recomputing the case later does not move it.
    assert [met_at(r) for r in rows.all()] == [at(2026, 2, 5, 10, 0), at(2026, 2, 6, 10, 0)]
    assert request.status in (RequestStatus.ALLOCATED, RequestStatus.RESUBMITTED)
    resubmitted = deadline(case, DeadlineKind.CHARGING_DECISION, f"request:{request.public_id}:1")
    assert resubmitted.status == OPEN
    assert resubmitted.label == "CPS charging decision (Green), MG3A 1"


def test_no_further_action_gives_each_victim_an_update_and_a_right_to_review(
    case: Case,
    suspect: Suspect,
    officer_a: User,
    supervisor_a: User,
    paralegal_north: User,
    lawyer_north: User,
) -> None:
    with time_machine.travel(at(2026, 2, 2, 10, 0)):
        add_offence(case, suspect, officer_a, "OF61016", date(2026, 1, 20))
        plain = cs.victim_add(case=case, details=cs.VictimDetails("Alex", "Jones"), by=officer_a)
        cs.victim_add(
            case=case,
            details=cs.VictimDetails("Sam", "Green", enhanced_rights=[EnhancedRights.VULNERABLE_OR_INTIMIDATED]),
            by=officer_a,
        )
        request = allocated_request(case, officer_a, supervisor_a, paralegal_north, lawyer_north)
    # Friday 27 February 2026.
    with time_machine.travel(at(2026, 2, 27, 16, 0)):
        charging.decision_record(
            request=request, by=lawyer_north, outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL, reasons="Weak"
        )
    updates = Deadline.objects.filter(case=case, kind=DeadlineKind.VICTIM_UPDATE).order_by("due_at")
    # Enhanced rights: 1 working day (Monday 2 March); otherwise 5 (Friday 6 March).
    assert [(u.label, u.due_at, u.status) for u in updates] == [
        ("Tell Sam GREEN of the decision to take no further action", at(2026, 3, 2, 23, 59), OPEN),
        ("Tell Alex JONES of the decision to take no further action", at(2026, 3, 6, 23, 59), OPEN),
    ]
    reviews = Deadline.objects.filter(case=case, kind=DeadlineKind.VICTIM_RIGHT_TO_REVIEW)
    assert {r.due_at for r in reviews} == {at(2026, 3, 13, 23, 59)}  # 10 working days
    # The case is closed, but the victims' deadlines stay open.
    assert deadline(case, DeadlineKind.CHARGING_DECISION).status == MET
    with time_machine.travel(at(2026, 3, 2, 11, 0)):
        cs.victim_update_record(
            victim=plain,
            reason=VictimUpdateReason.NO_FURTHER_ACTION,
            event_on=date(2026, 2, 27),
            given_on=date(2026, 3, 2),
            method="phone",
            summary="Told by phone",
            by=officer_a,
        )
    told = deadline(
        case, DeadlineKind.VICTIM_UPDATE, f"victim:{plain.public_id}:nfa:{request.decisions.get().public_id}"
    )
    assert told.status == MET
    review = deadline(case, DeadlineKind.VICTIM_RIGHT_TO_REVIEW, told.subject_key)
    # Counted from when the victim was told: Monday 2 March + 10 working days.
    assert review.due_at == at(2026, 3, 16, 23, 59)


# -- the store itself -----------------------------------------------------------------------------


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_the_recompute_runs_in_the_changes_transaction_so_a_rollback_leaves_the_deadlines_untouched(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    add_offence(case, suspect, officer_a)
    before = snapshot(case)

    class Abandon(Exception):
        pass

    seen_inside: list[int] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            add_offence(case, suspect, officer_a, "CJ88001", date(2026, 1, 20))
            # Inside the change's transaction, the new offence's deadline is already there.
            seen_inside.append(Deadline.objects.filter(case=case).count())
            raise Abandon

    with pytest.raises(Abandon):
        change_then_fail()
    assert seen_inside == [2]
    assert snapshot(case) == before


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_recomputing_twice_changes_nothing_and_keeps_the_alert_cursor(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    add_offence(case, suspect, officer_a)
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    # The alert sweep has moved the cursor on past the first alert point.
    moved_on = at(2026, 6, 5, 23, 59)
    Deadline.objects.filter(pk=row.pk).update(next_alert_at=moved_on)
    before = snapshot(case)
    first = recompute_case_deadlines(case)
    second = recompute_case_deadlines(case)
    assert not first.changed
    assert not second.changed
    assert snapshot(case) == before
    row.refresh_from_db()
    assert row.next_alert_at == moved_on


def test_a_deadline_in_the_repeated_hour_of_the_october_clock_change_is_stable(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    # Relevant time 02:15 BST on 24 October 2026: the 24-hour limit falls at 01:15 GMT on the 25th, the second
    # time the clocks show 01:15 that night.
    relevant = datetime(2026, 10, 24, 1, 15, tzinfo=UTC)
    with time_machine.travel(relevant + timedelta(minutes=20)):
        custody(suspect, officer_a, kind=CustodyEventKind.DETAINED, occurred_at=relevant, relevant_time=relevant)
        row = deadline(case, DeadlineKind.PACE_DETENTION)
        assert row.due_at == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
        Deadline.objects.filter(pk=row.pk).update(next_alert_at=row.due_at)  # the sweep moved the cursor on
        # Recomputing finds nothing changed: the alert cursor stays where the sweep left it.
        assert not recompute_case_deadlines(case).changed
    row.refresh_from_db()
    assert row.next_alert_at == datetime(2026, 10, 25, 1, 15, tzinfo=UTC)


def test_a_new_or_moved_deadline_starts_its_alerts_at_the_newest_point_already_reached(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    with time_machine.travel(at(2026, 6, 1, 10, 0)):
        offence = add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
        row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
        # Due 5 July: the 60-day point (6 May) has been reached, so the next sweep raises it at once; the
        # 30-day point (5 June) is still to come.
        assert row.next_alert_at == at(2026, 5, 6, 23, 59)
        details = cs.OffenceDetails(suspect=suspect, code="PH97003", committed_on=date(2025, 12, 10))
        cs.offence_update(offence=offence, details=details, by=officer_a)
    row.refresh_from_db()
    # Now due 10 June: the newest point reached is 14 days before (27 May); the sweep raises that one.
    assert row.due_at == at(2026, 6, 10, 23, 59)
    assert row.next_alert_at == at(2026, 5, 27, 23, 59)


def test_a_deadline_already_past_when_computed_keeps_its_overdue_alert_reachable(
    case: Case, suspect: Suspect, officer_a: User
) -> None:
    with time_machine.travel(at(2026, 8, 1, 10, 0)):
        add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    assert row.status == OPEN
    assert row.next_alert_at == row.due_at == at(2026, 7, 5, 23, 59)


def test_charging_after_the_limit_does_not_meet_it(case: Case, suspect: Suspect, officer_a: User) -> None:
    with time_machine.travel(at(2026, 8, 1, 10, 0)):
        offence = add_offence(case, suspect, officer_a, "PH97003", date(2026, 1, 5))
        custody(
            suspect,
            officer_a,
            kind=CustodyEventKind.CHARGED_AND_BAILED,
            occurred_at=timezone.now() - timedelta(hours=1),
            offence=offence,
        )
        details = cs.OffenceDetails(suspect=suspect, code="PH97003", committed_on=date(2026, 1, 5), status="charged")
        cs.offence_update(offence=offence, details=details, by=officer_a)
    assert deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT).status == OPEN


@time_machine.travel(at(2026, 2, 2, 10, 0))
def test_closing_the_case_cancels_its_open_deadlines(case: Case, suspect: Suspect, officer_a: User) -> None:
    add_offence(case, suspect, officer_a)
    cs.case_transition(case=case, to="no_further_action", by=officer_a, reason="Victim withdrew")
    row = deadline(case, DeadlineKind.SUMMARY_TIME_LIMIT)
    assert (row.status, row.next_alert_at) == (CANCELLED, None)
