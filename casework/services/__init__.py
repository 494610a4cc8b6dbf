"""Every write on the case record. Each service locks the case row, checks the rules, writes,
and records an audit event in the same transaction."""

from .cases import CaseDetails, case_create, case_transition, case_update
from .custody import CustodyDetails, custody_event_record
from .hearings import HearingDetails, hearing_add, hearing_update
from .offences import OffenceDetails, offence_add, offence_update
from .people import (
    SuspectDetails,
    VictimDetails,
    WitnessDetails,
    suspect_add,
    suspect_update,
    victim_add,
    victim_update,
    victim_update_record,
    witness_add,
    witness_update,
)

__all__ = [
    "CaseDetails",
    "CustodyDetails",
    "HearingDetails",
    "OffenceDetails",
    "SuspectDetails",
    "VictimDetails",
    "WitnessDetails",
    "case_create",
    "case_transition",
    "case_update",
    "custody_event_record",
    "hearing_add",
    "hearing_update",
    "offence_add",
    "offence_update",
    "suspect_add",
    "suspect_update",
    "victim_add",
    "victim_update",
    "victim_update_record",
    "witness_add",
    "witness_update",
]
