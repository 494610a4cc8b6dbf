"""The stored deadlines of a case: every deadline its facts give, kept current in ``Deadline`` rows.

``recompute_case_deadlines`` works out each deadline from the case's facts (offences, custody and bail
history, hearings, victims, charging requests and decisions) with the pure functions of
``casework.deadlines.calculations`` and the holiday table, and upserts one row per (case, kind,
subject): new ones are created, moved ones updated (their alert cursor reset), ones whose purpose was
met closed as met, and ones the facts no longer give closed as cancelled. It runs in the transaction of
every change to a case (``casework.services._common.CASE_CHANGED_HOOKS``, registered in
``casework.apps``) and from the periodic sweep (``recompute_open_deadlines``, Celery beat), which picks
up what only the passing of time changes (the next PACE review, RUI review points).

Choices made where the record is silent (each is also stated in the deadline's own rule text):

- A deadline that is a day (a time limit's last day, an action's due date) is due at 23:59 Europe/London
  on that day.
- A statutory limit (s.127/s.39A, PACE detention, pre-charge bail, custody time limit) is *met* only when
  what it guards happened by the limit: charged or summonsed in time, released or charged before the
  detention limit, bail ended before its period, trial started before the custody time limit. One that
  happened late stays open and overdue, because the breach is what people must see. Anything else
  (charging decision, actions, files, victims) is met when it is done, late or not.
- PACE reviews are not recorded in Casebridge: only the next review is open; a review time that passed
  while the suspect was still detained is closed as met, and the rest are cancelled on release.
- Released under investigation has no statutory limit: one deadline per review point reached (90, 180,
  270 days after release by default) plus the next one, each its own row so each raises its own alert.
- Custody time limits start at the first remand date recorded on the remand (the first appearance). An
  either-way offence is given the 56-day limit: the 70-day limit applies only if the court did not decide
  on summary trial within 56 days, and Casebridge does not record that decision, so the earlier date is
  shown. The Crown Court limit runs from a hearing whose outcome is "sent to the Crown Court" (an
  indictable-only offence is sent at once, so from the first remand when none is recorded), less the days
  already spent in magistrates' custody. A trial hearing that was effective, cracked or concluded is the
  start of trial. A later "charged and bailed" event for the defendant ends the limit (no longer in
  custody).
- The first hearing file is due by the end of the day before the listing day (14 days after charge for
  an anticipated guilty plea, 28 otherwise); it is met by a first-hearing file submitted after the charge.
- On a closed case (no further action, out-of-court disposal, concluded) every open deadline is cancelled
  except the victims' ones the decision itself gives.

The package, by part:
- ``facts``: ``Facts`` and reading them for a case (``_load``);
- ``common``: the statuses, ``Computed``, ``RecomputeResult``, the wording of the rule texts and the
  builder's shared state;
- ``limits``: the statutory limits (s.127/s.39A, PACE detention and reviews, pre-charge bail, RUI, custody
  time limits);
- ``decisions``: what the charging decisions give (the CPS decision, action plans, the first hearing file,
  the Threshold Test review, the victims after no further action);
- ``recompute``: ``compute_deadlines`` and the upsert (``recompute_case_deadlines``, ``recompute_on_change``);
- ``sweep``: the periodic sweep (``recompute_open_deadlines``);
- ``reads``: ``case_deadlines``.

This module re-exports what the rest of Casebridge imports, so ``casework.deadlines.store`` stays the one
import path.
"""

from .common import (
    CANCELLED,
    CLOSED_CASE_STATUSES,
    END_OF_DAY,
    KEPT_ON_CLOSED_CASES,
    MET,
    OPEN,
    Computed,
    RecomputeResult,
    end_of_day,
)
from .facts import Facts
from .reads import case_deadlines
from .recompute import (
    UPDATED_FIELDS,
    _Builder,
    compute_deadlines,
    first_alert_at,
    recompute_case_deadlines,
    recompute_on_change,
)
from .sweep import (
    CURSOR_KEY,
    DEFAULT_SWEEP_BATCH,
    DUE_CURSOR_KEY,
    TIME_DRIVEN,
    recompute_open_deadlines,
    sweep_candidates,
)

__all__ = [
    "CANCELLED",
    "CLOSED_CASE_STATUSES",
    "CURSOR_KEY",
    "DEFAULT_SWEEP_BATCH",
    "DUE_CURSOR_KEY",
    "END_OF_DAY",
    "KEPT_ON_CLOSED_CASES",
    "MET",
    "OPEN",
    "TIME_DRIVEN",
    "UPDATED_FIELDS",
    "Computed",
    "Facts",
    "RecomputeResult",
    "_Builder",
    "case_deadlines",
    "compute_deadlines",
    "end_of_day",
    "first_alert_at",
    "recompute_case_deadlines",
    "recompute_on_change",
    "recompute_open_deadlines",
    "sweep_candidates",
]
