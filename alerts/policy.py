"""Alert policy, as data: who is told of which deadline, which alerts are urgent and which must be
acknowledged, and what an alert says.

Recipients (``RECIPIENTS``), by what the deadline is and who owes it:

- police deadlines (s.127 and s.39A time limits, PACE detention and reviews, pre-charge bail, released
  under investigation, action plan items, the first-hearing file, Victims' Code updates and the victim's
  right to review): the officer in the case and the case's supervisor;
- CPS deadlines (the charging decision due, Threshold Test reviews): the allocated lawyer;
- custody time limits, which both sides watch (CTL National Standard 2020): the officer in the case, the
  supervisor and the allocated lawyer.

"The allocated lawyer" is the lawyer allocated to the case's charging request: an open (not yet decided)
request first, otherwise the latest decided one (a Threshold Test charge is reviewed by the lawyer who
made it); withdrawn requests never count.

Fallbacks, so that a deadline is never watched by nobody. A named person is "missing" when the case has
none or the account is inactive. Each missing police person is replaced by the police supervisors of the
case's unit, or, if the case has no unit or the unit has no active supervisor, by the police managers of
the case's force. A missing allocated lawyer is replaced by the CPS legal managers of the case's CPS Area
(the case's own Area, else the Area that serves its force): they allocate the work. If even the fallback
finds no one (a force or Area without any active manager), the alert is not raised, the sweep logs a
warning (without personal detail) and the deadline's cursor moves on regardless.

Urgency (emailed at once rather than in the daily digest): every PACE alert, the last (2 working day)
custody time limit alert and an overdue custody time limit, and any overdue statutory deadline.
Acknowledgement: an alert of a statutory deadline (``Deadline.statutory``) must be acknowledged with a
note and cannot be dismissed without one.

What an alert says: the URN, what is due and when (Europe/London), and a link to the case's deadlines tab.
Never a name: deadline labels name suspects, so the subject uses the kind of deadline instead.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from django.conf import settings

from accounts.choices import Role
from casework.choices import DeadlineKind
from casework.deadlines.calculations import Threshold, in_london
from casework.deadlines.rules import ScheduleKind, Unit
from casework.identifiers import display_urn

ESCALATED_PREFIX = "escalated:"
OVERDUE = "overdue"


class Party(enum.StrEnum):
    """A person named on the case (or its charging request) who may be told of a deadline."""

    OFFICER_IN_CASE = "officer_in_case"
    SUPERVISOR = "supervisor"
    ALLOCATED_LAWYER = "allocated_lawyer"


POLICE_PARTIES = frozenset({Party.OFFICER_IN_CASE, Party.SUPERVISOR})
CPS_PARTIES = frozenset({Party.ALLOCATED_LAWYER})

_POLICE = (Party.OFFICER_IN_CASE, Party.SUPERVISOR)
_CPS = (Party.ALLOCATED_LAWYER,)

RECIPIENTS: Mapping[str, tuple[Party, ...]] = MappingProxyType(
    {
        DeadlineKind.SUMMARY_TIME_LIMIT: _POLICE,
        DeadlineKind.DA_TIME_LIMIT: _POLICE,
        DeadlineKind.PACE_DETENTION: _POLICE,
        DeadlineKind.PACE_REVIEW: _POLICE,
        DeadlineKind.PRE_CHARGE_BAIL: _POLICE,
        DeadlineKind.RUI_AGEING: _POLICE,
        DeadlineKind.ACTION_PLAN_ITEM: _POLICE,
        DeadlineKind.FIRST_HEARING_FILE: _POLICE,
        DeadlineKind.VICTIM_UPDATE: _POLICE,
        DeadlineKind.VICTIM_RIGHT_TO_REVIEW: _POLICE,
        DeadlineKind.CHARGING_DECISION: _CPS,
        DeadlineKind.THRESHOLD_TEST_REVIEW: _CPS,
        DeadlineKind.CUSTODY_TIME_LIMIT: (*_POLICE, *_CPS),
    }
)

# Who stands in for a missing police person: the unit's supervisors, else the force's managers.
POLICE_FALLBACK_UNIT_ROLE = Role.POLICE_SUPERVISOR
POLICE_FALLBACK_FORCE_ROLE = Role.POLICE_MANAGER
# Who stands in for a missing allocated lawyer: the legal managers of the case's CPS Area.
CPS_FALLBACK_ROLE = Role.CPS_LEGAL_MANAGER
# Who is told when an alert is overdue or goes unacknowledged: the managers of the recipient's organisation.
ESCALATION_ROLES = (Role.POLICE_MANAGER, Role.CPS_LEGAL_MANAGER)

# Threshold keys that are urgent for every deadline of a schedule (None: all of them).
URGENT_THRESHOLDS: Mapping[ScheduleKind, frozenset[str] | None] = MappingProxyType(
    {
        ScheduleKind.PACE: None,
        ScheduleKind.CUSTODY_TIME_LIMIT: frozenset({"T-2wd", OVERDUE}),
    }
)


def recipients_for(kind: str) -> tuple[Party, ...]:
    return RECIPIENTS.get(kind, _POLICE)


def is_urgent(*, schedule: ScheduleKind, threshold_key: str, statutory: bool) -> bool:
    if threshold_key == OVERDUE and statutory:
        return True
    if schedule not in URGENT_THRESHOLDS:
        return False
    keys = URGENT_THRESHOLDS[schedule]
    return keys is None or threshold_key in keys


def requires_acknowledgement(*, statutory: bool) -> bool:
    return statutory


def deadlines_path(case_public_id: uuid.UUID | str) -> str:
    """The case's deadlines tab (``casework:case-deadlines``), where the alert leads."""
    return f"/cases/{case_public_id}/deadlines/"


def _unit_word(unit: Unit, amount: int) -> str:
    word = {Unit.DAYS: "day", Unit.WORKING_DAYS: "working day", Unit.HOURS: "hour"}[unit]
    return word if amount == 1 else f"{word}s"


def when_text(moment: datetime) -> str:
    """``14:00 on Friday 3 April 2026`` in Europe/London."""
    local = in_london(moment)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def describe_threshold(threshold: Threshold) -> str:
    if threshold.overdue:
        return "overdue"
    return f"due in {threshold.amount} {_unit_word(threshold.unit, threshold.amount)}"


@dataclass(frozen=True)
class AlertText:
    subject: str
    body: str


def alert_text(
    *, urn: str, kind: str, threshold: Threshold, due_at: datetime, case_public_id: uuid.UUID | str, statutory: bool
) -> AlertText:
    """What an alert says: the URN, what is due and when. No names of suspects, victims or witnesses."""
    urn_text = display_urn(urn)
    what = DeadlineKind(kind).label
    state = describe_threshold(threshold)
    when = when_text(due_at)
    subject = f"{urn_text}: {what} {state} ({when})"
    lines = [
        f"Case: {urn_text}",
        f"What is due: {what}",
        f"Due: {when} (UK time)",
        "Status: overdue" if threshold.overdue else f"Alert: {state}",
    ]
    if statutory:
        lines.append("This is a statutory limit: acknowledge this alert with a note.")
    lines.append(f"See the case's deadlines: {settings.SITE_URL.rstrip('/')}{deadlines_path(case_public_id)}")
    return AlertText(subject=subject[:300], body="\n".join(lines))


def escalation_text(*, subject: str, body: str, threshold_key: str, after_hours: int) -> AlertText:
    """The managers' copy: why it reached them, then the original alert (which carries no names)."""
    if threshold_key == OVERDUE:
        why = "Escalated to managers: this deadline is overdue."
    else:
        why = f"Escalated to managers: not acknowledged within {after_hours} hours."
    return AlertText(subject=f"Escalated: {subject}"[:300], body=f"{why}\n\n{body}")
