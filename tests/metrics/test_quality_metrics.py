"""The file-quality metrics (``metrics.definitions.quality``) against the story of
``tests/metrics/test_charging_metrics.py`` (read its docstring first), plus the CPS assessment of four of its
files, all through the real services. Every expected number is worked out by hand in the comments.

The assessments (2026, at 10:00 GMT):
  6 Jan  CPS North assesses A1's file: not met, FQ03 and FQ18; A2's file: not met, FQ03; A5's file: met.
         CPS South assesses B1's file: not met, FQ18.
  7 Jan  Force A accepts A1's FQ03 and disputes A1's FQ18 and A2's FQ03; force B disputes B1's FQ18.
  8 Jan  CPS North's legal manager overturns A1's FQ18 and upholds A2's FQ03.
  9 Jan  CPS South's legal manager upholds B1's FQ18.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from files.choices import DisputeOutcome, FailureResponse
from files.models import CpsAssessment, FileSubmission
from files.services import assessment as assess
from metrics.compute import recompute_period
from metrics.selectors import MetricQueryError
from tests.metrics.test_charging_metrics import (
    FEB,
    FIRST_DAY,
    GREEN,
    JAN,
    LAST_DAY,
    PRIORITY,
    QUALITY_METRICS,
    RED,
    Story,
    approx,
    assert_out_of_scope,
    at,
    behind,
    build_story,
    built_once,
    make_people,
    points,
    urns,
    values,
)

pytestmark = pytest.mark.django_db

FQ = assess.FailureDetails
JAN_31 = date(2026, 1, 31)


def file_of(story: Story, name: str) -> FileSubmission:
    submission = story.requests[name].submission
    assert submission is not None
    return submission


def add_assessments(story: Story) -> None:
    p = story.people
    with time_machine.travel(at(1, 6, 11), tick=False):
        a1 = assess.assessment_record(
            submission=file_of(story, "A1"),
            met_standard=False,
            failures=[FQ("FQ03", "Interview summary is a transcript"), FQ("FQ18", "No PNC print")],
            by=p.lawyer_north,
        )
        a2 = assess.assessment_record(
            submission=file_of(story, "A2"), met_standard=False, failures=[FQ("FQ03")], by=p.lawyer_north
        )
        assess.assessment_record(submission=file_of(story, "A5"), met_standard=True, by=p.lawyer_north)
        b1 = assess.assessment_record(
            submission=file_of(story, "B1"), met_standard=False, failures=[FQ("FQ18")], by=p.lawyer_south
        )

    def failure(assessment: CpsAssessment, code: str) -> Any:
        return assessment.failures.get(code=code)

    with time_machine.travel(at(1, 7), tick=False):
        assess.failure_respond(failure=failure(a1, "FQ03"), response=FailureResponse.ACCEPTED, by=p.officer_a)
        for assessment in (a1, a2):
            code = "FQ18" if assessment is a1 else "FQ03"
            assess.failure_respond(
                failure=failure(assessment, code),
                response=FailureResponse.DISPUTED,
                note="It was in the file",
                by=p.officer_a,
            )
        assess.failure_respond(
            failure=failure(b1, "FQ18"), response=FailureResponse.DISPUTED, note="It was attached", by=p.officer_b
        )
    with time_machine.travel(at(1, 8), tick=False):
        assess.dispute_decide(
            failure=failure(a1, "FQ18"),
            outcome=DisputeOutcome.OVERTURNED,
            note="The PNC print was there",
            by=p.manager_cps_north,
        )
        assess.dispute_decide(
            failure=failure(a2, "FQ03"),
            outcome=DisputeOutcome.UPHELD,
            note="Still a transcript",
            by=p.manager_cps_north,
        )
    with time_machine.travel(at(1, 9), tick=False):
        assess.dispute_decide(
            failure=failure(b1, "FQ18"), outcome=DisputeOutcome.UPHELD, note="Not attached", by=p.manager_cps_south
        )


@pytest.fixture(scope="module")
def story(django_db_setup: None, django_db_blocker: Any) -> Iterator[Story]:
    with built_once(django_db_blocker):
        built = build_story(make_people())
        add_assessments(built)
        recompute_period(FIRST_DAY, LAST_DAY, QUALITY_METRICS)
        yield built


# -- first-time acceptance ----------------------------------------------------------------------------------


def test_first_time_acceptance_by_the_automated_checks(story: Story) -> None:
    p = story.people
    # Counted on the day each request was (last) received. Force A, January: A1 (5 Jan, clean file) passed,
    # A4 (5 Jan, no file) did not, A5 (5 Jan, clean file) passed, A3 (6 Jan, no file) did not, A2 (received
    # again 9 Jan, file sent on an override of blocking problems) did not -> 2 / 5.
    assert values("first_time_acceptance_automated", p.manager_police_a) == {(JAN, None): 40.0}
    daily = points("first_time_acceptance_automated", p.manager_police_a, end=JAN_31, grain="day")
    assert {key: (pt.numerator, pt.denominator) for key, pt in daily.items()} == {
        (date(2026, 1, 5), None): (2, 3),
        (date(2026, 1, 6), None): (0, 1),
        (date(2026, 1, 9), None): (0, 1),
    }
    # By category: Green A1 yes, A3 no -> 1 / 2; Green Priority A2 no -> 0 / 1; Red A4 no, A5 yes -> 1 / 2.
    by_category = values("first_time_acceptance_automated", p.manager_police_a, end=JAN_31, group_by="category")
    assert by_category == {(JAN, GREEN): 50.0, (JAN, PRIORITY): 0.0, (JAN, RED): 50.0}
    # Force B: B1 (5 Jan, clean) yes, B3 (6 Jan) no, B2 (8 Jan) no -> 1 / 3, seen alike by its CPS Area.
    assert values("first_time_acceptance_automated", p.manager_cps_south) == {(JAN, None): approx(100 / 3)}
    assert behind("first_time_acceptance_automated", p.manager_police_a, JAN, JAN_31) == urns(
        story, "A1", "A2", "A3", "A4", "A5"
    )
    assert behind("first_time_acceptance_automated", p.manager_police_a, date(2026, 1, 5), date(2026, 1, 5)) == urns(
        story, "A1", "A4", "A5"
    )


def test_first_time_acceptance_by_cps_triage(story: Story) -> None:
    p = story.people
    # First triage, force A: 5 Jan A1, A4, A5 accepted -> 3 / 3; 6 Jan A2 returned, A3 accepted -> 1 / 2.
    # A2's acceptance on 9 Jan is not a first triage. January: 4 / 5.
    assert values("first_time_acceptance_cps", p.manager_police_a) == {(JAN, None): 80.0}
    daily = values("first_time_acceptance_cps", p.manager_police_a, end=JAN_31, grain="day")
    assert daily == {(date(2026, 1, 5), None): 100.0, (date(2026, 1, 6), None): 50.0}
    # By category: Green A1, A3 -> 2 / 2; Green Priority A2 -> 0 / 1; Red A4, A5 -> 2 / 2.
    by_category = values("first_time_acceptance_cps", p.manager_cps_north, end=JAN_31, group_by="category")
    assert by_category == {(JAN, GREEN): 100.0, (JAN, PRIORITY): 0.0, (JAN, RED): 100.0}
    # Force B: 6 Jan B1 accepted; 7 Jan B2 and B3 returned -> 1 / 3.
    assert values("first_time_acceptance_cps", p.manager_police_b) == {(JAN, None): approx(100 / 3)}
    assert behind("first_time_acceptance_cps", p.manager_police_a, date(2026, 1, 6), date(2026, 1, 6)) == urns(
        story, "A2", "A3"
    )
    assert behind("first_time_acceptance_cps", p.manager_police_a, date(2026, 1, 9), date(2026, 1, 9)) == set()


# -- returns ------------------------------------------------------------------------------------------------


def test_returns_per_case_closed(story: Story) -> None:
    p = story.people
    # Force A closed on 19 Jan: A1 (0 returns: the supervisor's return to the officer is not one), A2 (2),
    # A5 (0) -> 2 / 3; on 10 Feb: A3 (0) -> 0 / 1.
    got = points("returns_per_case", p.manager_police_a)
    assert {key: (pt.numerator, pt.denominator) for key, pt in got.items()} == {
        (JAN, None): (2, 3),
        (FEB, None): (0, 1),
    }
    assert got[(JAN, None)].value == approx(2 / 3)
    by_category = values("returns_per_case", p.manager_police_a, end=JAN_31, group_by="category")
    assert by_category == {(JAN, GREEN): 0.0, (JAN, PRIORITY): 2.0, (JAN, RED): 0.0}
    # Force B: B3 withdrawn on 8 Jan after 1 return, B1 decided on 19 Jan with none -> 1 / 2.
    assert values("returns_per_case", p.manager_police_b) == {(JAN, None): 0.5}
    assert behind("returns_per_case", p.manager_police_b, JAN, JAN_31) == urns(story, "B1", "B3")


def test_share_returned_two_or_more_times(story: Story) -> None:
    p = story.people
    # Force A: January A2 of A1, A2, A5 -> 1 / 3; February A3 -> 0 / 1. Force B: B3 once, B1 never -> 0 / 2.
    assert values("returned_twice_share", p.manager_police_a) == {(JAN, None): approx(100 / 3), (FEB, None): 0.0}
    assert values("returned_twice_share", p.manager_police_b) == {(JAN, None): 0.0}
    assert behind("returned_twice_share", p.manager_police_a, JAN, JAN_31) == urns(story, "A1", "A2", "A5")


# -- the CPS assessment -------------------------------------------------------------------------------------


def test_quality_failure_reasons_by_code_without_overturned_ones(story: Story) -> None:
    p = story.people
    # Assessed 6 Jan, force A: FQ03 (A1), FQ03 (A2), FQ18 (A1, overturned on 8 Jan: left out) -> FQ03 = 2.
    assert values("quality_failure_reasons", p.manager_police_a, group_by="category") == {(JAN, "FQ03"): 2.0}
    daily = values("quality_failure_reasons", p.manager_police_a, end=JAN_31, grain="day")
    assert daily == {(date(2026, 1, 6), None): 2.0}
    # Force B: FQ18 (B1, upheld) = 1.
    assert values("quality_failure_reasons", p.manager_cps_south, group_by="category") == {(JAN, "FQ18"): 1.0}
    assert behind("quality_failure_reasons", p.manager_police_a, JAN, JAN_31) == urns(story, "A1", "A2")
    assert behind("quality_failure_reasons", p.manager_police_b, JAN, JAN_31) == urns(story, "B1")


def test_dispute_outcomes_by_outcome(story: Story) -> None:
    p = story.people
    # Force A, decided 8 Jan: A1 FQ18 overturned, A2 FQ03 upheld. Force B, 9 Jan: B1 FQ18 upheld.
    assert values("dispute_outcomes", p.manager_police_a, group_by="category") == {
        (JAN, DisputeOutcome.OVERTURNED.value): 1.0,
        (JAN, DisputeOutcome.UPHELD.value): 1.0,
    }
    daily = values("dispute_outcomes", p.manager_police_b, end=JAN_31, grain="day", group_by="category")
    assert daily == {(date(2026, 1, 9), DisputeOutcome.UPHELD.value): 1.0}
    assert behind("dispute_outcomes", p.manager_police_a, JAN, JAN_31) == urns(story, "A1", "A2")
    assert behind("dispute_outcomes", p.manager_police_a, date(2026, 1, 7), date(2026, 1, 7)) == set()


def test_the_cases_behind_a_failure_reason_or_an_outcome_are_those_with_it(story: Story) -> None:
    # For these metrics the category is the FQ code or the dispute outcome, not the charging category.
    p = story.people
    fq03 = behind("quality_failure_reasons", p.manager_police_a, JAN, JAN_31, category="FQ03")
    assert fq03 == urns(story, "A1", "A2")
    # A1's FQ18 was overturned: nothing behind FQ18 in force A.
    assert behind("quality_failure_reasons", p.manager_police_a, JAN, JAN_31, category="FQ18") == set()
    assert behind("quality_failure_reasons", p.manager_police_b, JAN, JAN_31, category="FQ18") == urns(story, "B1")
    overturned = DisputeOutcome.OVERTURNED.value
    assert behind("dispute_outcomes", p.manager_police_a, JAN, JAN_31, category=overturned) == urns(story, "A1")
    assert behind("dispute_outcomes", p.manager_police_a, JAN, JAN_31, category="upheld") == urns(story, "A2")


def test_a_category_a_metric_cannot_hold_is_refused_precisely(story: Story) -> None:
    p = story.people
    with pytest.raises(MetricQueryError) as error:
        values("quality_failure_reasons", p.manager_police_a, category="green")
    assert error.value.field == "category"
    assert error.value.message.startswith(
        "“green” is not a file quality failure reason (FQ code) of File quality failure reasons: choose one of FQ01, "
    )
    with pytest.raises(MetricQueryError) as error:
        values("time_limit_breaches", p.manager_police_a, group_by="category")
    assert (error.value.field, error.value.message) == (
        "group_by",
        "Statutory time limits breached is not split into categories",
    )


# -- scope --------------------------------------------------------------------------------------------------


def test_a_manager_of_another_force_gets_none_of_these_numbers(story: Story) -> None:
    assert_out_of_scope(story, QUALITY_METRICS)
