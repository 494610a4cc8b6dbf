"""The charging metrics (``metrics.definitions.charging``) against one story built through the real services,
each event placed on a known day with ``time_machine``; every expected number is worked out by hand from the
story below (the comments show the arithmetic), then read back through ``recompute_period`` → ``metric_series``
and ``cases_behind``, as a manager would.

The story (January–February 2026, GMT, so London days are UTC days; every event at 10:00 unless said):

Force A (Northumbria, 10; served by CPS North East):
  A1  unit AA, wounding (gbh_abh), Green, a clean early-advice file. 5 Jan: submitted, sent back by the
      supervisor, submitted again, sent to the CPS, accepted, allocated. 19 Jan: charge. 20 Jan: the charge is
      corrected (must not count again).
  A2  unit AA, harassment (harassment_stalking), Green Priority, a pre-charge file sent with blocking problems
      overridden by the supervisor. 5 Jan: sent. 6 Jan: returned as not to standard. 7 Jan: sent again.
      8 Jan: returned again. 9 Jan: sent again, accepted, allocated. 19 Jan: NFA (evidential).
  A3  unit AB, theft (either_way), Green, no file. 6 Jan: sent, accepted, allocated. 7 Jan: action plan with
      two actions due 13 Jan. 12 Jan: action 1 answered. 14 Jan: action 2 answered, MG3A resubmitted.
      10 Feb: NFA (public interest).
  A4  unit AA, common assault (summary_only), Red, no file. 5 Jan: sent, accepted, allocated. 6 Jan: action
      plan, one action due 8 Jan, never answered. 6 Feb: administratively finalised. 9 Feb: reopened.
  A5  unit AA, common assault (summary_only), Red, a clean early-advice file. 5 Jan: sent, accepted,
      allocated. 19 Jan: charge.
Force B (Kent, 46; served by CPS South East):
  B1  unit AF, wounding (gbh_abh), Green, a clean early-advice file. 5 Jan: sent. 6 Jan: accepted, allocated.
      19 Jan: out-of-court disposal.
  B2  unit AF, theft (either_way), Green Priority, no file. 6 Jan: sent. 7 Jan: returned. 8 Jan: sent again,
      accepted. Never decided.
  B3  unit AF, common assault (summary_only), Green, no file. 6 Jan: sent. 7 Jan: returned, taken back.
      8 Jan: withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.db import transaction

from accounts.choices import Role
from accounts.models import Organisation, Unit, User
from casework import services as cs
from casework.choices import ModeOfTrial
from casework.models import Case, OffenceAllegation, OffenceCode
from charging import services as s
from charging.choices import ActionItemStatus, ChargingCategory, DecisionOutcome
from charging.choices import TestSought as CodeTest
from charging.models import ChargingDecision, ChargingRequest
from files.choices import AnticipatedPlea, FileStage
from files.models import FileSubmission
from files.services import submissions
from metrics.compute import recompute_day, recompute_period
from metrics.models import MetricSnapshot
from metrics.selectors import FORCE_OUT_OF_SCOPE, MetricQuery, MetricQueryError, cases_behind, metric_series
from tests.factories.accounts import CpsAreaFactory, ForceFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

GREEN, PRIORITY, RED = ChargingCategory.GREEN, ChargingCategory.GREEN_PRIORITY, ChargingCategory.RED
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
FIRST_DAY, LAST_DAY = date(2026, 1, 5), date(2026, 2, 10)

FORCE_A = ("A1", "A2", "A3", "A4", "A5")
CHARGING_METRICS = (
    "charge_rate",
    "nfa_evidential",
    "nfa_public_interest",
    "oocd",
    "administrative_finalisations",
    "days_referral_to_decision",
    "non_custody_within_28_days",
    "action_plan_turnaround",
    "action_items_on_time",
    "open_referrals",
    "open_referral_age",
)
QUALITY_METRICS = (
    "first_time_acceptance_automated",
    "first_time_acceptance_cps",
    "returns_per_case",
    "returned_twice_share",
    "quality_failure_reasons",
    "dispute_outcomes",
)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


# -- the people ------------------------------------------------------------------------------------


@dataclass
class People:
    officer_a: User
    supervisor_a: User
    triage_north: User
    lawyer_north: User
    manager_cps_north: User
    manager_police_a: User
    officer_b: User
    supervisor_b: User
    lawyer_south: User
    manager_cps_south: User
    manager_police_b: User
    force_a: Organisation
    force_b: Organisation


def make_people() -> People:
    """The cast of ``tests/conftest.py`` (made here because the story is built once per module, before any
    function-scoped fixture), and the same offence codes."""
    north = CpsAreaFactory(code="north-east", name="CPS North East")
    south = CpsAreaFactory(code="south-east", name="CPS South East")
    force_a = ForceFactory(code="10", name="Northumbria Police", served_by=north)
    force_b = ForceFactory(code="46", name="Kent Police", served_by=south)
    unit_a1 = UnitFactory(organisation=force_a, code="AA", name="Newcastle")
    UnitFactory(organisation=force_a, code="AB", name="Sunderland")
    unit_b1 = UnitFactory(organisation=force_b, code="AF", name="Northfleet")
    for code, title, category, mode, group in [
        ("CJ88001", "Common assault", "CS", ModeOfTrial.SUMMARY_ONLY, ""),
        ("TH68001", "Theft from a shop", "CE", ModeOfTrial.EITHER_WAY, ""),
        ("OF61016", "Wounding with intent to do grievous bodily harm", "CI", ModeOfTrial.INDICTABLE_ONLY, "gbh_abh"),
        ("PH97003", "Harassment without violence", "CS", ModeOfTrial.SUMMARY_ONLY, "harassment_stalking"),
    ]:
        OffenceCode.objects.create(code=code, title=title, category=category, mode_of_trial=mode, dg6_group=group)

    def user(username: str, organisation: Organisation, role: str, unit: Unit | None = None) -> User:
        return UserFactory(username=username, organisation=organisation, unit=unit, roles=[role])

    return People(
        officer_a=user("officer_a", force_a, Role.POLICE_INVESTIGATOR, unit_a1),
        supervisor_a=user("supervisor_a", force_a, Role.POLICE_SUPERVISOR, unit_a1),
        triage_north=user("paralegal_north", north, Role.CPS_PARALEGAL),
        lawyer_north=user("lawyer_north", north, Role.CPS_LAWYER),
        manager_cps_north=user("manager_cps_north", north, Role.CPS_LEGAL_MANAGER),
        manager_police_a=user("manager_police_a", force_a, Role.POLICE_MANAGER),
        officer_b=user("officer_b", force_b, Role.POLICE_INVESTIGATOR, unit_b1),
        supervisor_b=user("supervisor_b", force_b, Role.POLICE_SUPERVISOR, unit_b1),
        lawyer_south=user("lawyer_south", south, Role.CPS_LAWYER),
        manager_cps_south=user("manager_cps_south", south, Role.CPS_LEGAL_MANAGER),
        manager_police_b=user("manager_police_b", force_b, Role.POLICE_MANAGER),
        force_a=force_a,
        force_b=force_b,
    )


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator[None]:
    """Data for a whole module, like Django's ``TestCase.setUpTestData``: made in an outer transaction that is
    rolled back at the end, and marked as a test case's so the services' durable transactions nest in it as
    they do in every test. Each test still runs in its own savepoint (``django_db``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# -- builders (through the services, as the users would) ----------------------------------------------


def new_case(urn: str, officer: User, code: str) -> tuple[Case, OffenceAllegation]:
    case = cs.case_create(urn=urn, details=cs.CaseDetails(summary="Metrics story"), by=officer)
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails("Jamie", "Smith"), by=officer)
    offence = cs.offence_add(
        case=case, details=cs.OffenceDetails(suspect=suspect, code=code, committed_on=date(2025, 12, 1)), by=officer
    )
    return case, offence


def clean_file(case: Case, officer: User) -> FileSubmission:
    """An early-advice file: nothing in it blocks, so the automated checks pass."""
    draft = submissions.submission_start(
        case=case, stage=FileStage.EARLY_ADVICE, anticipated_plea=AnticipatedPlea.UNKNOWN, by=officer
    )
    return submissions.submission_submit(submission=draft, by=officer)


def overridden_file(case: Case, officer: User, supervisor: User) -> FileSubmission:
    """A Full Code Test file with problems that must be fixed, sent anyway on the supervisor's override."""
    draft = submissions.submission_start(
        case=case, stage=FileStage.PRE_CHARGE_FCT, anticipated_plea=AnticipatedPlea.NOT_GUILTY, by=officer
    )
    submissions.submission_override(submission=draft, reason="The suspect is on bail; the MG5 follows", by=supervisor)
    submitted = submissions.submission_submit(submission=draft, by=officer)
    assert submitted.reports.get(on_submission=True).blocking_count > 0
    return submitted


def mg3(category: str, submission: FileSubmission | None = None) -> s.Mg3Details:
    return s.Mg3Details(
        category=category,
        suspect_status="Released on bail",
        offence_summary="What happened",
        proposed_charges="As on the offence",
        defence_account="No comment interview",
        lines_of_inquiry_done="CCTV seized, witnesses spoken to",
        submission=submission,
    )


def send(request: ChargingRequest, officer: User, supervisor: User) -> ChargingRequest:
    request = s.request_submit(request=request, by=officer)
    return s.request_approve(request=request, by=supervisor)


def accept_and_allocate(request: ChargingRequest, triage: User, lawyer: User) -> ChargingRequest:
    request = s.request_accept(request=request, by=triage)
    return s.request_allocate(request=request, by=lawyer)


def return_not_to_standard(request: ChargingRequest, triage: User) -> ChargingRequest:
    return s.request_return_not_to_standard(
        request=request, by=triage, reason="The MG5 is missing", failure_codes=["FQ03"]
    )


def fresh(request: ChargingRequest) -> ChargingRequest:
    return ChargingRequest.objects.get(pk=request.pk)


@dataclass
class Story:
    people: People
    cases: dict[str, Case]
    requests: dict[str, ChargingRequest]


def build_story(p: People) -> Story:
    """The story of the module docstring, event by event."""
    cases: dict[str, Case] = {}
    offences: dict[str, OffenceAllegation] = {}
    req: dict[str, ChargingRequest] = {}
    a, b = (p.officer_a, p.supervisor_a), (p.officer_b, p.supervisor_b)

    with time_machine.travel(at(1, 5, 8), tick=False):
        for name, urn, code in [
            ("A1", "10/AA/00001/26", "OF61016"),
            ("A2", "10/AA/00002/26", "PH97003"),
            ("A3", "10/AB/00003/26", "TH68001"),
            ("A4", "10/AA/00004/26", "CJ88001"),
            ("A5", "10/AA/00005/26", "CJ88001"),
        ]:
            cases[name], offences[name] = new_case(urn, p.officer_a, code)
        for name, urn, code in [
            ("B1", "46/AF/00001/26", "OF61016"),
            ("B2", "46/AF/00002/26", "TH68001"),
            ("B3", "46/AF/00003/26", "CJ88001"),
        ]:
            cases[name], offences[name] = new_case(urn, p.officer_b, code)
        files = {
            "A1": clean_file(cases["A1"], p.officer_a),
            "A2": overridden_file(cases["A2"], p.officer_a, p.supervisor_a),
            "A5": clean_file(cases["A5"], p.officer_a),
            "B1": clean_file(cases["B1"], p.officer_b),
        }

    with time_machine.travel(at(1, 5), tick=False):
        req["A1"] = s.request_create(case=cases["A1"], details=mg3(GREEN, files["A1"]), by=p.officer_a)
        req["A1"] = s.request_submit(request=req["A1"], by=p.officer_a)
        # A police supervisor's return to the officer is not a CPS return as not to standard.
        req["A1"] = s.request_return_to_police(request=req["A1"], by=p.supervisor_a, reason="Add the CCTV times")
        req["A1"] = accept_and_allocate(send(req["A1"], *a), p.triage_north, p.lawyer_north)
        req["A2"] = send(s.request_create(case=cases["A2"], details=mg3(PRIORITY, files["A2"]), by=p.officer_a), *a)
        req["A4"] = s.request_create(case=cases["A4"], details=mg3(RED), by=p.officer_a)
        req["A4"] = accept_and_allocate(send(req["A4"], *a), p.triage_north, p.lawyer_north)
        req["A5"] = s.request_create(case=cases["A5"], details=mg3(RED, files["A5"]), by=p.officer_a)
        req["A5"] = accept_and_allocate(send(req["A5"], *a), p.triage_north, p.lawyer_north)
        req["B1"] = send(s.request_create(case=cases["B1"], details=mg3(GREEN, files["B1"]), by=p.officer_b), *b)

    with time_machine.travel(at(1, 6), tick=False):
        req["A2"] = return_not_to_standard(req["A2"], p.triage_north)
        req["A3"] = s.request_create(case=cases["A3"], details=mg3(GREEN), by=p.officer_a)
        req["A3"] = accept_and_allocate(send(req["A3"], *a), p.triage_north, p.lawyer_north)
        s.decision_record(
            request=req["A4"],
            by=p.lawyer_north,
            outcome=DecisionOutcome.ACTION_PLAN,
            reasons="Further information required",
            action_items=[s.ActionItemDetails("Obtain the custody record", "Proves the arrest", date(2026, 1, 8))],
        )
        req["B1"] = accept_and_allocate(req["B1"], p.lawyer_south, p.lawyer_south)
        req["B2"] = send(s.request_create(case=cases["B2"], details=mg3(PRIORITY), by=p.officer_b), *b)
        req["B3"] = send(s.request_create(case=cases["B3"], details=mg3(GREEN), by=p.officer_b), *b)

    with time_machine.travel(at(1, 7), tick=False):
        req["A2"] = send(s.request_take_back(request=req["A2"], by=p.officer_a), *a)
        plan = s.decision_record(
            request=fresh(req["A3"]),
            by=p.lawyer_north,
            outcome=DecisionOutcome.ACTION_PLAN,
            reasons="Further information required",
            action_items=[
                s.ActionItemDetails("Obtain the CCTV", "Shows the theft", date(2026, 1, 13)),
                s.ActionItemDetails("Statement of the shop manager", "Proves ownership", date(2026, 1, 13)),
            ],
        )
        req["B2"] = return_not_to_standard(req["B2"], p.lawyer_south)
        req["B3"] = s.request_take_back(request=return_not_to_standard(req["B3"], p.lawyer_south), by=p.officer_b)

    with time_machine.travel(at(1, 8), tick=False):
        req["A2"] = return_not_to_standard(req["A2"], p.triage_north)
        req["B2"] = send(s.request_take_back(request=req["B2"], by=p.officer_b), *b)
        req["B2"] = s.request_accept(request=req["B2"], by=p.lawyer_south)
        s.request_withdraw(request=req["B3"], by=p.officer_b, reason="Charged by the police after all")

    with time_machine.travel(at(1, 9), tick=False):
        req["A2"] = send(s.request_take_back(request=req["A2"], by=p.officer_a), *a)
        req["A2"] = accept_and_allocate(req["A2"], p.triage_north, p.lawyer_north)

    first, second = plan.action_items.order_by("number")
    with time_machine.travel(at(1, 12), tick=False):
        s.action_item_answer(item=first, by=p.officer_a, status=ActionItemStatus.DONE, response="CCTV attached")
    with time_machine.travel(at(1, 14), tick=False):
        s.action_item_answer(item=second, by=p.officer_a, status=ActionItemStatus.DONE, response="Statement taken")
        s.request_resubmit(request=fresh(req["A3"]), by=p.officer_a, summary="Both actions done")

    with time_machine.travel(at(1, 19), tick=False):
        charge = s.decision_record(
            request=fresh(req["A1"]),
            by=p.lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Full Code Test met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offences["A1"], wording="Wounding with intent")],
        )
        s.decision_record(
            request=fresh(req["A2"]),
            by=p.lawyer_north,
            outcome=DecisionOutcome.NO_FURTHER_ACTION_EVIDENTIAL,
            reasons="No realistic prospect of conviction",
        )
        s.decision_record(
            request=fresh(req["A5"]),
            by=p.lawyer_north,
            outcome=DecisionOutcome.CHARGE,
            reasons="Full Code Test met",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offences["A5"])],
        )
        s.decision_record(
            request=fresh(req["B1"]),
            by=p.lawyer_south,
            outcome=DecisionOutcome.OUT_OF_COURT_DISPOSAL,
            reasons="A conditional caution meets the public interest",
        )

    with time_machine.travel(at(1, 20), tick=False):
        s.decision_correct(
            request=fresh(req["A1"]),
            corrects=charge,
            by=p.lawyer_north,
            reasons="The wording named the wrong victim",
            test_applied=CodeTest.FULL_CODE_TEST,
            charges=[s.ChargeDetails(offence=offences["A1"], wording="Wounding with intent (corrected)")],
        )

    with time_machine.travel(at(2, 6), tick=False):
        assert s.finalise_unanswered_action_plans() == 1  # A4 (A3 answered its plan)
    with time_machine.travel(at(2, 9), tick=False):
        s.request_reopen(request=fresh(req["A4"]), by=p.officer_a, summary="The custody record arrived")
    with time_machine.travel(at(2, 10), tick=False):
        s.decision_record(
            request=fresh(req["A3"]),
            by=p.lawyer_north,
            outcome=DecisionOutcome.NO_FURTHER_ACTION_PUBLIC_INTEREST,
            reasons="Low value; the property was returned",
        )

    return Story(p, cases, {name: fresh(r) for name, r in req.items()})


@pytest.fixture(scope="module")
def story(django_db_setup: None, django_db_blocker: Any) -> Iterator[Story]:
    with built_once(django_db_blocker):
        built = build_story(make_people())
        recompute_period(FIRST_DAY, LAST_DAY, CHARGING_METRICS)
        yield built


# -- reading the figures back ---------------------------------------------------------------------------


def points(
    metric: str,
    user: User,
    start: date = JAN,
    end: date = date(2026, 2, 28),
    grain: str = "month",
    group_by: str = "",
    **filters: Any,
) -> dict[tuple[date, Any], Any]:
    query = MetricQuery(metric=metric, start=start, end=end, grain=grain, group_by=group_by, filters=filters)
    return {(point.period, point.group): point for point in metric_series(query, user=user)}


def values(metric: str, user: User, **kwargs: Any) -> dict[tuple[date, Any], float | None]:
    return {key: point.value for key, point in points(metric, user, **kwargs).items()}


def behind(metric: str, user: User, start: date, end: date, **filters: Any) -> set[str]:
    query = MetricQuery(metric=metric, start=start, end=end, filters=filters)
    return {case.urn_display for case in cases_behind(query, user=user)}


def urns(story: Story, *names: str) -> set[str]:
    return {story.cases[name].urn_display for name in names}


def approx(value: float) -> Any:
    return pytest.approx(value, abs=1e-9)


# -- decisions and their outcomes -------------------------------------------------------------------------


def test_charge_rate_counts_final_decisions_once_and_not_their_corrections(story: Story) -> None:
    p = story.people
    # Force A, January: A1 charge, A2 NFA, A5 charge -> 2 / 3; February: A3 NFA -> 0 / 1.
    assert values("charge_rate", p.manager_police_a) == {(JAN, None): approx(200 / 3), (FEB, None): approx(0.0)}
    # The CPS Area that serves force A sees the same numbers.
    assert values("charge_rate", p.manager_cps_north) == values("charge_rate", p.manager_police_a)
    # By category, January: Green A1 1/1, Green Priority A2 0/1, Red A5 1/1.
    jan = values("charge_rate", p.manager_police_a, end=date(2026, 1, 31), group_by="category")
    assert jan == {(JAN, GREEN): 100.0, (JAN, PRIORITY): 0.0, (JAN, RED): 100.0}
    # By offence group, January: gbh_abh (A1) 1/1, harassment (A2) 0/1, summary only (A5) 1/1.
    groups = values("charge_rate", p.manager_police_a, end=date(2026, 1, 31), group_by="offence_group")
    assert groups == {(JAN, "gbh_abh"): 100.0, (JAN, "harassment_stalking"): 0.0, (JAN, "summary_only"): 100.0}
    # Day by day: only 19 January; the correction on 20 January is not a decision.
    daily = points("charge_rate", p.manager_police_a, start=date(2026, 1, 19), end=date(2026, 1, 20), grain="day")
    assert {key: (pt.numerator, pt.denominator) for key, pt in daily.items()} == {(date(2026, 1, 19), None): (2, 3)}
    assert ChargingDecision.objects.filter(corrects__isnull=False).count() == 1
    # Drill-down: the cases behind January's figure, and nothing behind the day of the correction.
    assert behind("charge_rate", p.manager_police_a, JAN, date(2026, 1, 31)) == urns(story, "A1", "A2", "A5")
    assert behind("charge_rate", p.manager_police_a, date(2026, 1, 20), date(2026, 1, 20)) == set()


def test_no_further_action_and_out_of_court_disposal_shares(story: Story) -> None:
    p = story.people
    # Force A: January NFA (evidential) A2 -> 1 / 3; none in February (0 / 1).
    assert values("nfa_evidential", p.manager_police_a) == {(JAN, None): approx(100 / 3), (FEB, None): 0.0}
    # Force A: NFA (public interest) none of 3 in January, A3 -> 1 / 1 in February.
    assert values("nfa_public_interest", p.manager_police_a) == {(JAN, None): 0.0, (FEB, None): 100.0}
    # Force A: no out-of-court disposals (0 / 3 and 0 / 1); force B: B1 -> 1 / 1.
    assert values("oocd", p.manager_police_a) == {(JAN, None): 0.0, (FEB, None): 0.0}
    assert values("oocd", p.manager_police_b) == {(JAN, None): 100.0}
    assert values("oocd", p.manager_cps_south, group_by="category") == {(JAN, GREEN): 100.0}
    assert behind("nfa_public_interest", p.manager_police_a, FEB, date(2026, 2, 28)) == urns(story, "A3")
    assert behind("oocd", p.manager_police_b, JAN, date(2026, 1, 31)) == urns(story, "B1")


def test_administrative_finalisations_count_the_day_of_finalisation(story: Story) -> None:
    p = story.people
    # A4 was finalised on 6 February (and reopened on 9 February: the finalisation still happened).
    assert values("administrative_finalisations", p.manager_police_a, group_by="category") == {(FEB, RED): 1.0}
    assert values("administrative_finalisations", p.manager_police_b) == {}
    assert behind("administrative_finalisations", p.manager_police_a, FEB, date(2026, 2, 28)) == urns(story, "A4")
    assert behind("administrative_finalisations", p.manager_police_a, JAN, date(2026, 1, 31)) == set()


# -- timeliness ---------------------------------------------------------------------------------------------


def test_days_from_referral_to_decision_with_median_and_90th_percentile(story: Story) -> None:
    p = story.people
    jan = points("days_referral_to_decision", p.manager_police_a, end=date(2026, 1, 31))[(JAN, None)]
    # A1: 5 -> 19 Jan = 14; A2: received again 9 Jan -> 19 Jan = 10; A5: 5 -> 19 Jan = 14.
    # Mean (14 + 10 + 14) / 3 = 38 / 3. Sorted 10, 14, 14: the median is the smallest value at least half
    # (1.5 of 3) do not exceed = 14; the 90th percentile (2.7 of 3) = 14.
    assert (jan.numerator, jan.denominator) == (38, 3)
    assert jan.value == approx(38 / 3)
    assert (jan.median, jan.p90) == (14, 14)
    by_category = points("days_referral_to_decision", p.manager_police_a, group_by="category")
    # January: Green A1 14, Green Priority A2 10, Red A5 14; February: Green A3, 6 Jan -> 10 Feb = 25 + 10 = 35.
    assert {key: (pt.value, pt.median, pt.p90) for key, pt in by_category.items()} == {
        (JAN, GREEN): (14.0, 14.0, 14.0),
        (JAN, PRIORITY): (10.0, 10.0, 10.0),
        (JAN, RED): (14.0, 14.0, 14.0),
        (FEB, GREEN): (35.0, 35.0, 35.0),
    }
    # Force B: B1, 5 -> 19 Jan = 14.
    assert values("days_referral_to_decision", p.manager_cps_south) == {(JAN, None): 14.0}
    assert behind("days_referral_to_decision", p.manager_police_a, JAN, date(2026, 1, 31)) == urns(
        story, "A1", "A2", "A5"
    )


def test_non_custody_decisions_within_28_days(story: Story) -> None:
    p = story.people
    # Force A, January: A1 (Green, 14 days) and A2 (Green Priority, 10 days) both within 28 -> 2 / 2; A5 is
    # Red (custody) and not counted. February: A3 (Green, 35 days) -> 0 / 1.
    got = points("non_custody_within_28_days", p.manager_police_a)
    assert {key: (pt.numerator, pt.denominator, pt.value) for key, pt in got.items()} == {
        (JAN, None): (2, 2, 100.0),
        (FEB, None): (0, 1, 0.0),
    }
    assert values("non_custody_within_28_days", p.manager_police_b) == {(JAN, None): 100.0}  # B1, 14 days
    assert behind("non_custody_within_28_days", p.manager_police_a, JAN, date(2026, 1, 31)) == urns(story, "A1", "A2")


# -- action plans -------------------------------------------------------------------------------------------


def test_action_plan_turnaround_from_plan_to_resubmission(story: Story) -> None:
    p = story.people
    # A3: plan 7 Jan -> MG3A 14 Jan = 7 days (unit AB). A4: plan 6 Jan -> reopened 9 Feb = 25 + 9 = 34 days.
    got = points("action_plan_turnaround", p.manager_police_a, group_by="unit")
    unit_ab, unit_aa = story.cases["A3"].unit_id, story.cases["A4"].unit_id
    assert {key: (pt.numerator, pt.denominator, pt.median) for key, pt in got.items()} == {
        (JAN, unit_ab): (7, 1, 7),
        (FEB, unit_aa): (34, 1, 34),
    }
    assert values("action_plan_turnaround", p.manager_police_b) == {}
    assert behind("action_plan_turnaround", p.manager_police_a, JAN, date(2026, 1, 31)) == urns(story, "A3")
    assert behind("action_plan_turnaround", p.manager_police_a, FEB, date(2026, 2, 28)) == urns(story, "A4")


def test_action_items_answered_on_time(story: Story) -> None:
    p = story.people
    # A3's actions were due 13 Jan: action 1 answered 12 Jan (on time), action 2 on 14 Jan (late) -> 1 / 2.
    assert values("action_items_on_time", p.manager_police_a) == {(JAN, None): 50.0}
    daily = values(
        "action_items_on_time", p.manager_police_a, start=date(2026, 1, 12), end=date(2026, 1, 14), grain="day"
    )
    assert daily == {(date(2026, 1, 12), None): 100.0, (date(2026, 1, 14), None): 0.0}
    # A4's action was never answered: it is in no day's figure.
    assert behind("action_items_on_time", p.manager_police_a, JAN, date(2026, 2, 28)) == urns(story, "A3")


# -- open referrals (stock) ---------------------------------------------------------------------------------


def test_open_referrals_at_the_end_of_each_day(story: Story) -> None:
    p = story.people

    def on(day: date, user: User) -> float | None:
        return values("open_referrals", user, start=day, end=day, grain="day").get((day, None))

    # End of 5 Jan: A1, A2, A4, A5 (A3 not yet sent) = 4; force B: B1 = 1.
    assert (on(date(2026, 1, 5), p.manager_police_a), on(date(2026, 1, 5), p.manager_police_b)) == (4, 1)
    # End of 7 Jan: A1-A5 = 5 (A2 is back with the police but still open); B1, B2, B3 = 3.
    assert (on(date(2026, 1, 7), p.manager_police_a), on(date(2026, 1, 7), p.manager_police_b)) == (5, 3)
    # End of 8 Jan: B3 withdrawn -> B1, B2 = 2.
    assert on(date(2026, 1, 8), p.manager_police_b) == 2
    # End of 19 Jan: A1, A2, A5 decided -> A3, A4 = 2; B1 decided -> B2 = 1.
    assert (on(date(2026, 1, 19), p.manager_police_a), on(date(2026, 1, 19), p.manager_police_b)) == (2, 1)
    # End of 6 Feb: A4 finalised -> A3 = 1. End of 9 Feb: A4 reopened -> 2. End of 10 Feb: A3 decided -> 1.
    assert [on(date(2026, 2, d), p.manager_police_a) for d in (6, 9, 10)] == [1, 2, 1]
    # A month shows its last day: 31 Jan (A3, A4) and 10 Feb, the last day built (A4).
    assert values("open_referrals", p.manager_police_a) == {(JAN, None): 2.0, (FEB, None): 1.0}
    assert values("open_referrals", p.manager_police_a, group_by="category") == {
        (JAN, GREEN): 1.0,
        (JAN, RED): 1.0,
        (FEB, RED): 1.0,
    }
    # Drill-down: the requests open at the end of the period.
    assert behind("open_referrals", p.manager_police_a, JAN, date(2026, 1, 31)) == urns(story, "A3", "A4")
    assert behind("open_referrals", p.manager_police_b, JAN, date(2026, 1, 31)) == urns(story, "B2")


def test_open_referral_age_counts_from_first_sent(story: Story) -> None:
    p = story.people
    # End of 19 Jan: A3 (first sent 6 Jan) 13 days, A4 (5 Jan) 14 days: mean 13.5; the median is the smallest
    # age at least 1 of the 2 do not exceed = 13; the 90th percentile (1.8 of 2) = 14.
    day = date(2026, 1, 19)
    got = points("open_referral_age", p.manager_police_a, start=day, end=day, grain="day")[(day, None)]
    assert (got.numerator, got.denominator, got.value, got.median, got.p90) == (27, 2, 13.5, 13, 14)
    # B2 was first sent on 6 Jan (and sent again on 8 Jan): 13 days at the end of 19 Jan.
    assert values("open_referral_age", p.manager_police_b, start=day, end=day, grain="day") == {(day, None): 13.0}
    # End of 9 Feb: A3 34 days, A4 35 days (reopening does not restart it): mean 34.5.
    day = date(2026, 2, 9)
    assert values("open_referral_age", p.manager_police_a, start=day, end=day, grain="day") == {(day, None): 34.5}


def test_recomputing_a_day_gives_the_same_rows(story: Story) -> None:
    before = list(
        MetricSnapshot.objects.filter(day=date(2026, 1, 19), metric__in=CHARGING_METRICS)
        .order_by("metric", "force_id", "unit_id", "category", "offence_group")
        .values_list("metric", "force_id", "unit_id", "category", "offence_group", "numerator", "denominator")
    )
    recompute_day(date(2026, 1, 19), CHARGING_METRICS)
    after = list(
        MetricSnapshot.objects.filter(day=date(2026, 1, 19), metric__in=CHARGING_METRICS)
        .order_by("metric", "force_id", "unit_id", "category", "offence_group")
        .values_list("metric", "force_id", "unit_id", "category", "offence_group", "numerator", "denominator")
    )
    assert before
    assert before == after


# -- scope --------------------------------------------------------------------------------------------------


def test_a_manager_of_another_force_gets_none_of_these_numbers(story: Story) -> None:
    assert_out_of_scope(story, CHARGING_METRICS)


def assert_out_of_scope(story: Story, metrics: tuple[str, ...]) -> None:
    p = story.people
    force_c = ForceFactory(code="01", name="Metropolitan Police", served_by=None)
    manager_c = UserFactory(username="manager_police_c", organisation=force_c, roles=[Role.POLICE_MANAGER])
    for metric in metrics:
        # Force B's manager asking for force A is refused, precisely.
        with pytest.raises(MetricQueryError) as exc:
            points(metric, p.manager_police_b, force=p.force_a.pk)
        assert (exc.value.field, exc.value.message) == ("force", FORCE_OUT_OF_SCOPE)
        # Without a force filter, only force B's own figures come back, and no force A case behind them.
        assert {pt.group for pt in points(metric, p.manager_police_b, group_by="force").values()} <= {p.force_b.pk}
        assert behind(metric, p.manager_police_b, JAN, date(2026, 2, 28), force=p.force_a.pk) == set()
        assert not behind(metric, p.manager_police_b, JAN, date(2026, 2, 28)) & urns(story, *FORCE_A)
        # A manager of a force with no cases sees nothing at all.
        assert points(metric, manager_c) == {}
        assert behind(metric, manager_c, JAN, date(2026, 2, 28)) == set()
