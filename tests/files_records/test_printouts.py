"""Printable MG forms: the right rows, the header (URN, defendants, offences), the protective
marking from its one table, the print stylesheet and button, and what each reader may see."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from files.choices import ProsecutorDecision
from files.services import unused as unused_service
from files.views.printouts import CONTACT_DETAILS_WITHHELD, OFFICIAL, OFFICIAL_SENSITIVE, PROTECTIVE_MARKINGS

from .conftest import Records, send_to_cps

pytestmark = pytest.mark.django_db

Signed = Callable[[User], Client]


def printout(client: Client, records: Records, form: str) -> str:
    response = client.get(reverse(f"files:print-{form}", args=[records.case.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def table(html: str, testid: str) -> str:
    match = re.search(rf'<table class="govuk-table" data-testid="{testid}">(.*?)</table>', html, re.S)
    assert match, f"no table {testid}"
    return match.group(1)


def rows(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)


def test_the_markings_are_data_in_one_place() -> None:
    assert PROTECTIVE_MARKINGS == {
        "mg5": OFFICIAL_SENSITIVE,
        "mg6c": OFFICIAL_SENSITIVE,
        "mg6d": OFFICIAL_SENSITIVE,
        "mg9": OFFICIAL,
        "mg12": OFFICIAL,
    }


@pytest.mark.parametrize("form", ["mg5", "mg6c", "mg6d", "mg9", "mg12"])
def test_every_printout_has_the_header_marking_print_css_and_button(
    records: Records, supervisor_a: User, as_user: Signed, form: str
) -> None:
    html = printout(as_user(supervisor_a), records, form)
    header = re.search(r'data-testid="printout-header">(.*?)</dl>', html, re.S)
    assert header
    assert "10/AA/12345/26" in header.group(1)
    assert "John SMITH" in header.group(1)
    assert "TH68001 Theft from the person of another" in header.group(1)
    assert "CJ88001 Common assault" in header.group(1)
    markings = re.findall(r'cb-protective-marking[^"]*"[^>]*>([^<]+)</p>', html)
    assert markings == [PROTECTIVE_MARKINGS[form]] * 2
    assert re.search(r'<link rel="stylesheet" href="[^"]*casebridge-print\.css" media="print">', html)
    assert re.search(r'<button type="button"[^>]*data-cb-print[^>]*>Print this page</button>', html)
    assert re.search(r'<script src="[^"]*js/print-button\.js" defer></script>', html)
    assert "onclick" not in html
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, case_id=records.case.public_id, data__part=f"{form.upper()} printout"
    ).exists()


def test_the_mg12_lists_each_exhibit(records: Records, officer_a: User, as_user: Signed) -> None:
    body = table(printout(as_user(officer_a), records, "mg12"), "mg12")
    [row] = rows(body.split("<tbody")[1])
    for text in ("JS/1", "Black leather wallet", "John Smith", "Forensic lab"):
        assert text in row


def test_the_mg6c_lists_the_non_sensitive_items_with_the_decision(
    records: Records, officer_a: User, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    unused_service.unused_item_decide(
        item=records.mg6c, decision=ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE, by=lawyer_north
    )
    html = printout(as_user(officer_a), records, "mg6c")
    [row] = rows(table(html, "mg6c").split("<tbody")[1])
    assert "Incident log 4471" in row
    assert "Force RMS" in row
    assert "Clearly not disclosable" in row
    assert "Intelligence report Zulu" not in html
    assert "Reason for sensitivity" not in html


def test_the_mg6d_lists_the_sensitive_items_with_their_reason(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    html = printout(as_user(lawyer_north), records, "mg6d")
    [row] = rows(table(html, "mg6d").split("<tbody")[1])
    assert "Intelligence report Zulu" in row
    assert "Source protection" in row
    assert "Not yet reviewed" in row
    assert "Incident log 4471" not in html


def test_investigators_get_404_for_the_mg6d(records: Records, officer_a: User, as_user: Signed) -> None:
    response = as_user(officer_a).get(reverse("files:print-mg6d", args=[records.case.public_id]))
    assert response.status_code == 404
    assert "Intelligence report Zulu" not in response.content.decode()
    assert not AuditEvent.objects.filter(data__part="MG6D printout").exists()


def test_the_mg5_shows_points_to_prove_with_the_evidence_and_certification(
    records: Records, supervisor_a: User, as_user: Signed
) -> None:
    client = as_user(supervisor_a)
    html = printout(client, records, "mg5")
    assert "The suspect took the wallet." in html
    assert "No comment." in html
    points = table(html, f"points-{records.world.theft.public_id}")
    assert "Appropriated property belonging to another" in points
    assert "Exhibit JS/1" in points
    assert "CCTV from the Crown pub" in points
    assert "Covert observation log Bravo" not in html
    assert "Not certified." in html
    client.post(reverse("files:case-summary-certify", args=[records.case.public_id]))
    html = printout(client, records, "mg5")
    assert f"Certified by {supervisor_a.get_full_name()} on {timezone.localdate():%-d %B %Y}" in html


def test_the_mg9_lists_victims_and_witnesses_with_their_flags(
    records: Records, officer_a: User, as_user: Signed
) -> None:
    body = table(printout(as_user(officer_a), records, "mg9"), "mg9").split("<tbody")[1]
    victim, witness = rows(body)
    assert "Mary JONES" in victim
    assert "Yes (enhanced rights)" in victim
    assert "Prefers: Email" in victim
    assert "mary.jones@example.org" in victim
    assert "Alan BROWN" in witness
    assert "Intimidated (s.17)" in witness
    assert "Screens" in witness
    assert "1 Aug 2026 to 14 Aug 2026 (Holiday)" in witness
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', witness, re.S)
    assert cells[1:3] == ["No", "Yes"]  # not a victim; a key witness


def test_the_mg9_withholds_victims_contact_details_from_the_cps(
    records: Records, lawyer_north: User, as_user: Signed
) -> None:
    send_to_cps(records.case)
    html = printout(as_user(lawyer_north), records, "mg9")
    assert "mary.jones@example.org" not in html
    assert CONTACT_DETAILS_WITHHELD in html
    assert "Prefers: Email" in html
