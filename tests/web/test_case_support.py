"""Helpers shared by the case page tests (tests/web/test_case_*.py): reading the GOV.UK error
summary, building a case with something of everything on it, and proving nothing was written.
No tests live here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpResponse
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Court, Organisation, Unit, User
from casework.choices import Authority, CustodyEventKind, EnhancedRights, ModeOfTrial
from casework.models import (
    Case,
    CustodyEvent,
    Hearing,
    OffenceAllegation,
    OffenceCode,
    Suspect,
    Victim,
    VictimUpdate,
    Witness,
    WitnessUnavailability,
)
from tests.factories.casework import (
    CaseFactory,
    CourtFactory,
    CustodyEventFactory,
    HearingFactory,
    OffenceCodeFactory,
    OffenceFactory,
    SuspectFactory,
    VictimFactory,
    VictimUpdateFactory,
    WitnessFactory,
    WitnessUnavailabilityFactory,
)

URN = "10AA1234526"
URN_DISPLAY = "10/AA/12345/26"


def page(response: HttpResponse) -> str:
    return response.content.decode()


def error_summary(response: HttpResponse) -> list[tuple[str, str]]:
    """The (link target, message) pairs of the GOV.UK error summary."""
    body = page(response)
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    if match is None:
        return []
    return [
        (href, html.unescape(text).strip())
        for href, text in re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', match.group(0), re.S)
    ]


def assert_form_error(response: HttpResponse, message: str, anchor: str | None = None) -> None:
    """The page came back (400) with ``message`` in the error summary (linking to ``#anchor``)
    and a title starting ``Error:``."""
    assert response.status_code == 400, response.status_code
    summary = error_summary(response)
    assert any(text == message for _, text in summary), f"{message!r} not in {summary}"
    if anchor is not None:
        assert (f"#{anchor}", message) in summary, f"{message!r} not linked to #{anchor}: {summary}"
    assert re.search(r"<title>\s*Error: ", page(response)), "the page title must start with 'Error: '"


def date_parts(name: str, day: date) -> dict[str, str]:
    """What the GOV.UK date input posts for ``day``."""
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def datetime_parts(name: str, day: date, clock: str) -> dict[str, str]:
    return {**date_parts(name, day), f"{name}_time": clock}


CASE_MODELS = (
    Case,
    Suspect,
    OffenceAllegation,
    CustodyEvent,
    Victim,
    VictimUpdate,
    Witness,
    WitnessUnavailability,
    Hearing,
)


def snapshot() -> dict[str, object]:
    """Everything the case pages can write, to prove a refused form wrote nothing."""
    state: dict[str, object] = {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at" if hasattr(model, "updated_at") else "pk"))
        for model in CASE_MODELS
    }
    state["Case.status"] = sorted(Case.objects.values_list("pk", "status", "flags", "summary"))
    state["audit"] = (
        AuditEvent.objects.filter(case_id__isnull=False).exclude(event_type=AuditEventType.CASE_VIEWED).count()
    )
    return state


@dataclass
class BuiltCase:
    case: Case
    suspect: Suspect
    offence: OffenceAllegation
    victim: Victim
    witness: Witness
    hearing: Hearing
    court: Court
    codes: list[OffenceCode]


def offence_codes() -> list[OffenceCode]:
    return [
        OffenceCodeFactory(code="CJ88116", title="Assault by beating", mode_of_trial=ModeOfTrial.SUMMARY_ONLY),
        OffenceCodeFactory(
            code="OF61016", title="Assault occasioning actual bodily harm", mode_of_trial=ModeOfTrial.EITHER_WAY
        ),
        OffenceCodeFactory(
            code="CJ03507",
            title="Wounding with intent to do grievous bodily harm",
            mode_of_trial=ModeOfTrial.INDICTABLE_ONLY,
            dg6_group="gbh_abh",
        ),
        OffenceCodeFactory(code="FM00001", title="Family court matter", mode_of_trial=ModeOfTrial.NOT_CRIMINAL),
    ]


def build_case(
    force: Organisation,
    unit: Unit,
    officer: User,
    *,
    urn: str = URN,
    suspects: int = 1,
    offences_each: int = 1,
    people: int = 1,
) -> BuiltCase:
    """A case with suspects (each with offences and custody events), victims (each with an update
    given), witnesses (each with dates to avoid) and a hearing."""
    codes = offence_codes()
    court = CourtFactory(code="B01LY00", name="Newcastle upon Tyne Magistrates' Court")
    case = CaseFactory(
        force=force,
        unit=unit,
        urn=urn,
        officer_in_case=officer,
        summary="Assault outside a takeaway on the Bigg Market",
        reported_on=timezone.localdate() - timedelta(days=40),
    )
    first_suspect: Suspect | None = None
    first_offence: OffenceAllegation | None = None
    for i in range(suspects):
        suspect = SuspectFactory(case=case, first_names="Jordan", last_name=f"Smith{i}", pnc_id=f"2019/00{i:05d}X")
        first_suspect = first_suspect or suspect
        for j in range(offences_each):
            offence = OffenceFactory(case=case, suspect=suspect, offence_code=codes[j % 3])
            first_offence = first_offence or offence
        CustodyEventFactory(suspect=suspect, recorded_by=officer, kind=CustodyEventKind.DETAINED, court=court)
        CustodyEventFactory(
            suspect=suspect,
            recorded_by=officer,
            kind=CustodyEventKind.REMANDED_IN_CUSTODY,
            offence=first_offence,
            authority=Authority.MAGISTRATES_COURT,
        )
    victims = [
        VictimFactory(case=case, last_name=f"Brown{i}", enhanced_rights=[EnhancedRights.VULNERABLE_OR_INTIMIDATED])
        for i in range(people)
    ]
    for victim in victims:
        VictimUpdateFactory(victim=victim, given_by=officer)
    witnesses = [WitnessFactory(case=case, last_name=f"Green{i}") for i in range(people)]
    for witness in witnesses:
        WitnessUnavailabilityFactory(witness=witness)
    hearing = HearingFactory(case=case, court=court)
    assert first_suspect is not None
    assert first_offence is not None
    return BuiltCase(case, first_suspect, first_offence, victims[0], witnesses[0], hearing, court, codes)


def send_to_cps(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()
