"""The case lifecycle table and the pre-charge bail authority ladder."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from casework import bail
from casework.choices import Authority, BailRegime
from casework.choices import CaseStatus as S
from casework.workflow import TRANSITIONS, Mover, TransitionError, check_transition, targets_from


def test_police_can_charge_nfa_or_dispose_from_investigation_but_not_refer_by_hand() -> None:
    assert set(targets_from(S.INVESTIGATION, Mover.POLICE)) == {S.CHARGED, S.NO_FURTHER_ACTION, S.OUT_OF_COURT_DISPOSAL}
    with pytest.raises(TransitionError, match="charging process"):
        check_transition(S.INVESTIGATION, S.AWAITING_CHARGING_DECISION, Mover.POLICE)


def test_a_concluded_case_goes_nowhere() -> None:
    for mover in Mover:
        assert targets_from(S.CONCLUDED, mover) == []
    with pytest.raises(TransitionError, match="cannot move from Concluded to Investigation"):
        check_transition(S.CONCLUDED, S.INVESTIGATION, Mover.POLICE)


def test_only_the_charging_process_records_a_cps_charge() -> None:
    check_transition(S.AWAITING_CHARGING_DECISION, S.CHARGED, Mover.SYSTEM)
    with pytest.raises(TransitionError):
        check_transition(S.AWAITING_CHARGING_DECISION, S.CHARGED, Mover.POLICE)


def test_every_status_is_reachable_from_investigation() -> None:
    reached, frontier = {S.INVESTIGATION}, [S.INVESTIGATION]
    while frontier:
        source = frontier.pop()
        for t in TRANSITIONS:
            if t.source == source and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(S)


@pytest.mark.parametrize(
    ("arrested", "regime"),
    [
        (date(2017, 4, 2), BailRegime.PRE_2017),
        (date(2017, 4, 3), BailRegime.PCA_2017),
        (date(2022, 10, 27), BailRegime.PCA_2017),
        (date(2022, 10, 28), BailRegime.PCSC_2022),
    ],
)
def test_bail_regime_is_decided_by_the_arrest_date(arrested: date, regime: BailRegime) -> None:
    assert bail.regime_for(arrested) == regime


def test_worked_example_of_the_2022_ladder() -> None:
    """Bail from 10 January 2026. Each period runs "beginning with the bail start date" (PACE ss.47ZB-47ZG), so
    the start date is its first day: 3 months on the custody officer end on 9 April, an inspector may go to
    9 July, a superintendent to 9 October, then only a court, never beyond 24 months (9 January 2028)."""
    start = date(2026, 1, 10)
    r = BailRegime.PCSC_2022
    assert bail.initial_period_end(r, start) == date(2026, 4, 9)
    assert bail.required_authority(r, start, date(2026, 4, 9)) == Authority.CUSTODY_OFFICER
    assert bail.required_authority(r, start, date(2026, 4, 10)) == Authority.INSPECTOR
    assert bail.required_authority(r, start, date(2026, 7, 9)) == Authority.INSPECTOR
    assert bail.required_authority(r, start, date(2026, 10, 9)) == Authority.SUPERINTENDENT
    assert bail.required_authority(r, start, date(2026, 10, 10)) == Authority.MAGISTRATES_COURT
    assert bail.required_authority(r, start, date(2028, 1, 9)) == Authority.MAGISTRATES_COURT
    with pytest.raises(bail.BailRuleError, match="24 months"):
        bail.required_authority(r, start, date(2028, 1, 10))


def test_an_inspector_cannot_authorise_seven_months() -> None:
    start = date(2026, 1, 10)
    with pytest.raises(bail.BailRuleError, match="needs the authority of a superintendent; an inspector cannot"):
        bail.check_authority(BailRegime.PCSC_2022, start, start + relativedelta(months=7), Authority.INSPECTOR)
    bail.check_authority(BailRegime.PCSC_2022, start, start + relativedelta(months=7), Authority.SUPERINTENDENT)
    bail.check_authority(BailRegime.PCSC_2022, start, start + relativedelta(months=7), Authority.MAGISTRATES_COURT)


def test_worked_example_of_the_2017_ladder() -> None:
    """28 days beginning with 1 March 2020 end on 28 March; 3 months (a superintendent) on 31 May."""
    start = date(2020, 3, 1)
    assert bail.initial_period_end(BailRegime.PCA_2017, start) == date(2020, 3, 28)
    assert bail.required_authority(BailRegime.PCA_2017, start, date(2020, 3, 29)) == Authority.SUPERINTENDENT
    assert bail.required_authority(BailRegime.PCA_2017, start, date(2020, 5, 31)) == Authority.SUPERINTENDENT
    assert bail.required_authority(BailRegime.PCA_2017, start, date(2020, 6, 1)) == Authority.MAGISTRATES_COURT


def test_before_2017_there_was_no_limit() -> None:
    assert bail.required_authority(BailRegime.PRE_2017, date(2016, 1, 1), date(2019, 1, 1)) is None


@given(st.dates(date(2022, 10, 28), date(2030, 1, 1)), st.integers(1, 700))
def test_a_higher_authority_can_always_do_what_a_lower_one_can(start: date, days: int) -> None:
    end = start + relativedelta(days=days)
    try:
        needed = bail.required_authority(BailRegime.PCSC_2022, start, end)
    except bail.BailRuleError:
        return
    assert needed is not None
    for authority, rank in bail.AUTHORITY_RANK.items():
        if rank >= bail.AUTHORITY_RANK[needed]:
            bail.check_authority(BailRegime.PCSC_2022, start, end, authority)
        else:
            with pytest.raises(bail.BailRuleError):
                bail.check_authority(BailRegime.PCSC_2022, start, end, authority)


def test_pace_limits_run_from_the_relevant_time() -> None:
    relevant = datetime(2026, 3, 1, 22, 30)
    assert bail.pace_limit(relevant) == datetime(2026, 3, 2, 22, 30)
    assert bail.pace_limit(relevant, bail.PACE_SUPERINTENDENT_HOURS) == datetime(2026, 3, 3, 10, 30)
