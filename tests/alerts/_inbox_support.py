"""Building alerts for the inbox, acknowledgement and API tests: a case made through the casework services,
a deadline and alerts created directly (not through the sweep), and a snapshot of what a refused request
must leave alone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from accounts.models import AuditEvent, User
from alerts.models import Alert
from casework import services as s
from casework.choices import STATUTORY_DEADLINES, DeadlineKind
from casework.models import Case, Deadline

_serial = count(10000)


def make_case(officer: User, *, sent_to_cps: bool = True) -> Case:
    """A case of the officer's force and unit; sent to the CPS Area that serves the force unless told not."""
    assert officer.organisation is not None
    assert officer.unit is not None
    urn = f"{officer.organisation.code}/{officer.unit.code}/{next(_serial)}/26"
    case = s.case_create(urn=urn, details=s.CaseDetails(summary="Assault outside a pub"), by=officer)
    if sent_to_cps:
        Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
        case.refresh_from_db()
    return case


def make_deadline(
    case: Case,
    *,
    kind: str = DeadlineKind.SUMMARY_TIME_LIMIT,
    due_at: datetime | None = None,
    label: str = "Summary time limit: J Smith, common assault",
    statutory: bool | None = None,
) -> Deadline:
    return Deadline.objects.create(
        case=case,
        kind=kind,
        subject_key=f"key-{next(_serial)}",
        label=label,
        due_at=due_at or timezone.now() + timedelta(days=14),
        rule="s.127 Magistrates' Courts Act 1980: six months from the offence",
        statutory=kind in STATUTORY_DEADLINES if statutory is None else statutory,
    )


def make_alert(
    deadline: Deadline,
    recipient: User,
    *,
    threshold: str = "T-14d",
    urgent: bool = False,
    requires_acknowledgement: bool | None = None,
    **extra: Any,
) -> Alert:
    return Alert.objects.create(
        deadline=deadline,
        case_id=deadline.case.public_id,
        recipient=recipient,
        threshold=threshold,
        due_at=deadline.due_at,
        subject=f"{deadline.label}: {threshold}",
        body=f"Case {deadline.case.urn_display}: {deadline.label}.",
        urgent=urgent,
        requires_acknowledgement=deadline.statutory if requires_acknowledgement is None else requires_acknowledgement,
        **extra,
    )


def alert_state() -> list[tuple[Any, ...]]:
    """Every alert's stamps and the audit rows about alerts: what a refused request must leave alone."""
    alerts = list(
        Alert.objects.order_by("pk").values_list(
            "pk", "read_at", "acknowledged_at", "acknowledgement_note", "dismissed_at"
        )
    )
    audits = list(AuditEvent.objects.filter(event_type__startswith="alert_").values_list("pk", flat=True))
    return [*alerts, ("audit", *audits)]


def strip_nonce(html: bytes) -> bytes:
    """A page without its per-response CSP nonce and CSRF token, to compare two 404s byte for byte."""
    return re.sub(rb'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"', b"", html)
