"""Shared by the alert delivery tests: a case with a custody time limit, alerts and their outbox rows written
directly (not through the sweep), and a real SMTP server on loopback (aiosmtpd in a thread)."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from django.test import override_settings

from accounts.models import User
from alerts.choices import DeliveryStatus
from alerts.models import Alert, AlertDelivery
from casework import services as cs
from casework.choices import DeadlineKind
from casework.models import Case, Deadline

SUSPECT_FIRST, SUSPECT_LAST = "Jamie", "Smitherton"
URN = "10/AA/12345/26"


def make_case(officer: User, urn: str = URN) -> tuple[Case, Deadline]:
    """A case with a suspect and a custody time limit whose label names the suspect (as stored deadlines do):
    the email must not carry it."""
    case = cs.case_create(urn=urn, details=cs.CaseDetails(summary="Assault outside a pub"), by=officer)
    suspect = cs.suspect_add(case=case, details=cs.SuspectDetails(SUSPECT_FIRST, SUSPECT_LAST), by=officer)
    deadline = Deadline.objects.create(
        case=case,
        kind=DeadlineKind.CUSTODY_TIME_LIMIT,
        subject_key=f"suspect:{suspect.pk}",
        suspect=suspect,
        label=f"Custody time limit: {SUSPECT_FIRST} {SUSPECT_LAST}, ABH",
        due_at=datetime.fromisoformat("2026-03-30T23:59:00+01:00"),
        rule="Prosecution of Offences (Custody Time Limits) Regulations 1987, reg. 4",
        statutory=True,
    )
    return case, deadline


def make_alert(
    deadline: Deadline,
    recipient: User,
    *,
    threshold: str = "T-2wd",
    urgent: bool = True,
    next_attempt_at: datetime | None = None,
    status: str = DeliveryStatus.PENDING,
    attempts: int = 0,
    due_at: datetime | None = None,
) -> AlertDelivery:
    case = deadline.case
    alert = Alert.objects.create(
        deadline=deadline,
        case_id=case.public_id,
        recipient=recipient,
        threshold=threshold,
        due_at=due_at or deadline.due_at,
        subject=f"Custody time limit ({threshold}): {case.urn_display}",
        body=f"A custody time limit on {case.urn_display} is near. Apply to extend it before it expires.",
        urgent=urgent,
        requires_acknowledgement=True,
    )
    return AlertDelivery.objects.create(
        alert=alert, digest=not urgent, next_attempt_at=next_attempt_at, status=status, attempts=attempts
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RecordingHandler:
    """Keeps every accepted message; ``data_reply`` / ``rcpt_reply`` make the server refuse instead."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.data_reply: str | None = None
        self.rcpt_reply: str | None = None
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_reply:
            return self.data_reply
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        return [str(m.get_body(preferencelist=("plain",)).get_content()) for m in self.messages]  # type: ignore[union-attr]


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    port = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def smtp_settings(port: int) -> override_settings:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)
