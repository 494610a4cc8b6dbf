"""Charging metrics (domain.md 8.1, 8.3): referrals, decisions and their timeliness, action plans, open referrals.

Words used in every definition here:
- *received*: ``ChargingRequest.received_by_cps_at``, when a police supervisor last sent the request to the CPS
  (a request returned as not to the National File Standard is received again when it is sent back);
- *first sent*: the first time it reached the CPS (its first ``CHARGING_REQUEST_APPROVED`` audit event);
- *final decision*: a charge, no further action (evidential or public interest) or an out-of-court disposal
  (``charging.choices.FINAL_OUTCOMES``). A correction (``ChargingDecision.corrects``) keeps the outcome and is
  never counted again: only the decision it corrects counts, on the day it was made;
- days are whole calendar days in Europe/London between the two events' dates.

The package, by part (importing it registers every charging metric):
- ``helpers``: what the charging and file-quality metrics (``metrics.definitions.quality``) share: day
  arithmetic in SQL, the audit trail of a charging request, and folding grouped day counts into histograms;
- ``decisions``: referrals, the outcomes of final decisions, administrative finalisations, timeliness;
- ``action_plans``: action plan turnaround and items answered on time;
- ``open_referrals``: the open referrals and their age (stocks);
- ``case_days``: which days a change to a case's charging records touches.
"""

# Importing a module registers its metrics, and REGISTRY keeps the order of registration, which is the order
# the pages and the API list the metrics in: these imports are in that order, so they are not sorted.
# isort: off
from .helpers import (
    NDAYS,
    REQUEST_LABEL,
    day_contributions,
    days_between,
    first_event_at,
    local_date,
    request_events,
    requests_with_event,
)
from .decisions import (
    ADMINISTRATIVE_FINALISATIONS,
    CHARGE_RATE,
    DAYS_REFERRAL_TO_DECISION,
    NFA_EVIDENTIAL,
    NFA_PUBLIC_INTEREST,
    NON_CUSTODY,
    NON_CUSTODY_DAYS,
    NON_CUSTODY_WITHIN_28_DAYS,
    OOCD,
    REFERRALS,
)
from .action_plans import ACTION_ITEMS_ON_TIME, ACTION_PLAN_TURNAROUND
from .open_referrals import OPEN_REFERRAL_AGE, OPEN_REFERRALS, first_sent_expression
from . import case_days  # noqa: F401  (registers the charging case-day sources)
# isort: on

__all__ = [
    "ACTION_ITEMS_ON_TIME",
    "ACTION_PLAN_TURNAROUND",
    "ADMINISTRATIVE_FINALISATIONS",
    "CHARGE_RATE",
    "DAYS_REFERRAL_TO_DECISION",
    "NDAYS",
    "NFA_EVIDENTIAL",
    "NFA_PUBLIC_INTEREST",
    "NON_CUSTODY",
    "NON_CUSTODY_DAYS",
    "NON_CUSTODY_WITHIN_28_DAYS",
    "OOCD",
    "OPEN_REFERRALS",
    "OPEN_REFERRAL_AGE",
    "REFERRALS",
    "REQUEST_LABEL",
    "day_contributions",
    "days_between",
    "first_event_at",
    "first_sent_expression",
    "local_date",
    "request_events",
    "requests_with_event",
]
