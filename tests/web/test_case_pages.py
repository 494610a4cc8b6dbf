"""The case's tabs (overview, people, offences, timeline, and the placeholders for features to
come) and every case page's access rules: the owning force's builders can change the case, the
serving CPS Area reads it once sent, and everyone else gets the same 404 as for a missing case."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Organisation, Unit, User
from casework.choices import CaseStatus
from casework.models import Case
from casework.services.cases import REASON_REQUIRED
from casework.workflow import TRANSITION_NOT_ALLOWED, TRANSITION_NOT_YOURS
from tests.factories.casework import CaseFactory, OffenceFactory, SuspectFactory

from .test_case_support import URN_DISPLAY, BuiltCase, assert_form_error, build_case, page, send_to_cps, snapshot

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

TABS = ["", "people/", "offences/", "material/", "charging/", "deadlines/", "timeline/"]
TAB_TITLES = {
    "": "Overview",
    "people/": "People",
    "offences/": "Offences",
    "material/": "Material",
    "charging/": "Charging",
    "deadlines/": "Deadlines",
    "timeline/": "Timeline",
}


@pytest.fixture
def built(force_a: Organisation, unit_a1: Unit, officer_a: User) -> BuiltCase:
    return build_case(force_a, unit_a1, officer_a)


def case_url(built: BuiltCase, rest: str = "") -> str:
    return f"/cases/{built.case.public_id}/{rest}"


def every_page(built: BuiltCase) -> list[str]:
    """Every page of the case: its tabs and its add and change forms."""
    c, s, v, w = built.case.public_id, built.suspect.public_id, built.victim.public_id, built.witness.public_id
    o, h = built.offence.public_id, built.hearing.public_id
    return [
        *(f"/cases/{c}/{tab}" for tab in TABS),
        f"/cases/{c}/change/",
        f"/cases/{c}/status/",
        f"/cases/{c}/suspects/new/",
        f"/cases/{c}/suspects/{s}/change/",
        f"/cases/{c}/suspects/{s}/custody/new/",
        f"/cases/{c}/victims/new/",
        f"/cases/{c}/victims/{v}/change/",
        f"/cases/{c}/victims/{v}/updates/new/",
        f"/cases/{c}/witnesses/new/",
        f"/cases/{c}/witnesses/{w}/change/",
        f"/cases/{c}/offences/new/",
        f"/cases/{c}/offences/{o}/change/",
        f"/cases/{c}/hearings/new/",
        f"/cases/{c}/hearings/{h}/change/",
    ]


def change_pages(built: BuiltCase) -> list[str]:
    """The pages only the owning force's case builders may use (the CPS may list hearings, record
    their outcomes, and make the CPS's own status changes)."""
    return [url for url in every_page(built)[len(TABS) :] if "/hearings/" not in url and "/status/" not in url]


# ---------------------------------------------------------------------------------------------
# The owner


@pytest.mark.parametrize("tab", TABS)
def test_owner_sees_each_tab_with_the_sub_navigation(
    built: BuiltCase, officer_a: User, as_user: Login, tab: str
) -> None:
    response = as_user(officer_a).get(case_url(built, tab))
    assert response.status_code == 200
    body = page(response)
    assert f'<span class="govuk-caption-l">Case {URN_DISPLAY}</span>' in body
    assert body.count("<h1") == 1
    assert f'<h1 class="govuk-heading-l">{TAB_TITLES[tab]}</h1>' in body
    assert f"<title>{TAB_TITLES[tab]} – Case {URN_DISPLAY}" in body
    current = re.findall(r'<a class="moj-sub-navigation__link" href="([^"]+)" aria-current="page">', body)
    assert current == [case_url(built, tab)]
    assert body.count("moj-sub-navigation__item") == 7


def test_overview_shows_the_case_details_hearings_and_status_form(
    built: BuiltCase, officer_a: User, as_user: Login
) -> None:
    body = page(as_user(officer_a).get(case_url(built)))
    for text in (
        URN_DISPLAY,
        '<strong class="govuk-tag ">Investigation</strong>',
        "Vulnerable victim" if "vulnerable_victim" in built.case.flags else "None",
        "Northumbria Police",
        "Newcastle (AA)",
        "CPS North East",
        str(officer_a),
        "Assault outside a takeaway",
        "Newcastle upon Tyne Magistrates&#x27; Court",
        "First hearing",
    ):
        assert text in body, text
    assert (
        f'href="/cases/{built.case.public_id}/change/">Change<span class="govuk-visually-hidden"> case details' in body
    )
    assert "Change the status" in body
    # The targets the lifecycle lets the police choose from an investigation, and no others.
    assert re.findall(r'name="status" value="([a-z_]+)"', body) == [
        CaseStatus.CHARGED,
        CaseStatus.NO_FURTHER_ACTION,
        CaseStatus.OUT_OF_COURT_DISPOSAL,
    ]
    assert "Add hearing" in body
    # GOV.UK radios, not checkboxes dressed as radios.
    assert '<div class="govuk-radios" data-module="govuk-radios" id="id_status">' in body
    assert (
        re.findall(r'<input type="radio" name="status" value="[a-z_]+" [^>]*class="([^"]+)"', body)
        == ["govuk-radios__input"] * 3
    )


def test_only_the_overview_is_audited_as_a_view(built: BuiltCase, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    for tab in TABS:
        if tab != "material/":  # the Material area (files app) audits what it shows itself
            client.get(case_url(built, tab))
    views = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED)
    assert [(e.case_id, e.actor_id) for e in views] == [(built.case.public_id, officer_a.pk)]


def test_people_tab_shows_suspects_victims_and_witnesses(built: BuiltCase, officer_a: User, as_user: Login) -> None:
    body = page(as_user(officer_a).get(case_url(built, "people/")))
    for text in (
        built.suspect.full_name,
        "2019/0000000X",
        "Custody and bail history",
        "Detained in police custody",
        "Charged and remanded in custody",
        "Remanded on CJ88116",
        "Record custody or bail event",
        built.victim.full_name,
        "Enhanced rights",
        "Vulnerable or intimidated",
        "Suspect arrested",
        "Record an update given",
        built.witness.full_name,
        "Eyewitness",
        "Dates to avoid",
        "Add suspect",
        "Add victim",
        "Add witness",
    ):
        assert text in body, text
    assert f"/suspects/{built.suspect.public_id}/change/" in body


def test_a_youth_suspect_is_tagged(built: BuiltCase, officer_a: User, as_user: Login) -> None:
    today = timezone.localdate()
    SuspectFactory(
        case=built.case, first_names="Kai", last_name="Young", date_of_birth=today.replace(year=today.year - 15)
    )
    body = page(as_user(officer_a).get(case_url(built, "people/")))
    assert re.search(r"Kai YOUNG <strong class=\"govuk-tag govuk-tag--orange\">Youth</strong>", body)
    assert "(age 15)" in body


def test_offences_tab_lists_codes_mode_of_trial_and_dg6(built: BuiltCase, officer_a: User, as_user: Login) -> None:
    OffenceFactory(case=built.case, suspect=built.suspect, offence_code=built.codes[2], qualifier="A")
    body = page(as_user(officer_a).get(case_url(built, "offences/")))
    for text in (
        "CJ88116",
        "Assault by beating",
        '<strong class="govuk-tag govuk-tag--grey">Summary only</strong>',
        "CJ03507A",
        "A – attempting",
        '<strong class="govuk-tag govuk-tag--red">Indictable only</strong>',
        "Charging decision reserved to the CPS: GBH, wounding or ABH (DG6 Annex 1)",
        built.suspect.full_name,
        "Alleged",
        "Add offence",
    ):
        assert text in body, text


def test_timeline_shows_who_did_what_and_when(
    force_a: Organisation, unit_a1: Unit, officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    response = client.post("/cases/new/", {"urn": "10/AA/55555/26", "summary": "Burglary"})
    assert response.status_code == 302
    case = Case.objects.get(urn="10AA5555526")
    client.get(f"/cases/{case.public_id}/")  # a view: not history
    body = page(client.get(f"/cases/{case.public_id}/timeline/"))
    assert '<div class="moj-timeline">' in body
    assert '<h2 class="moj-timeline__title">Case created</h2>' in body
    assert "by officer_a, Northumbria Police" in body
    assert "Case 10/AA/55555/26 created" in body
    assert "Case viewed" not in body


def test_a_long_timeline_is_paged_newest_first_without_counting(
    force_a: Organisation, unit_a1: Unit, officer_a: User, as_user: Login
) -> None:
    client = as_user(officer_a)
    client.post("/cases/new/", {"urn": "10/AA/55556/26", "summary": "Burglary"})
    case = Case.objects.get(urn="10AA5555626")
    start = timezone.now() - timedelta(days=1)
    # History and views interleaved, some at the same moment: views never show and never fill a page.
    for n in range(120):
        with time_machine.travel(start + timedelta(minutes=n // 3), tick=False):
            audit_record(
                by=officer_a,
                event_type=AuditEventType.CASE_UPDATED if n % 2 else AuditEventType.CASE_VIEWED,
                obj=case,
                case_id=case.public_id,
                summary=f"Step {n}",
            )
    history = list(
        AuditEvent.objects.filter(case_id=case.public_id)
        .exclude(event_type=AuditEventType.CASE_VIEWED)
        .order_by("-occurred_at", "-id")
        .values_list("summary", flat=True)
    )
    assert len(history) == 61  # 60 changes and the creation
    url: str | None = f"/cases/{case.public_id}/timeline/"
    seen, pages = [], 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = page(client.get(url))
        assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        seen.extend(re.findall(r'<div class="moj-timeline__description">([^<]*)</div>', body))
        match = re.search(r'href="([^"]+)" rel="next"', body)
        url = f"/cases/{case.public_id}/timeline/{match.group(1).replace('&amp;', '&')}" if match else None
        pages += 1
    assert pages == 2
    assert seen == history


# ---------------------------------------------------------------------------------------------
# Status changes


def test_a_status_change_the_lifecycle_allows_is_made(built: BuiltCase, officer_a: User, as_user: Login) -> None:
    client = as_user(officer_a)
    response = client.post(
        case_url(built, "status/"), {"status": CaseStatus.NO_FURTHER_ACTION, "reason": "No realistic prospect"}
    )
    assert response.status_code == 302
    built.case.refresh_from_db()
    assert built.case.status == CaseStatus.NO_FURTHER_ACTION
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_STATUS_CHANGED)
    assert event.data["reason"] == "No realistic prospect"
    follow = client.get(response["Location"])
    assert "Status changed to No further action" in page(follow)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": CaseStatus.NO_FURTHER_ACTION, "reason": ""}, REASON_REQUIRED),
        ({"reason": "Because"}, "Choose the new status"),
        (
            {"status": CaseStatus.CONCLUDED, "reason": "Because"},
            TRANSITION_NOT_ALLOWED.format(source="Investigation", target="Concluded"),
        ),
        (
            {"status": CaseStatus.AWAITING_CHARGING_DECISION, "reason": "Because"},
            TRANSITION_NOT_YOURS.format(
                source="Investigation", target="Awaiting charging decision", who="the charging process"
            ),
        ),
        ({"status": "bogus", "reason": "Because"}, "Choose one of the statuses listed"),
    ],
)
def test_a_status_change_that_is_refused_changes_nothing(
    built: BuiltCase, officer_a: User, as_user: Login, data: dict[str, str], message: str
) -> None:
    before = snapshot()
    response = as_user(officer_a).post(case_url(built, "status/"), data)
    assert_form_error(response, message)
    assert snapshot() == before
    # The overview is shown again, with its sub-navigation, but the refusal is not a view.
    assert "moj-sub-navigation" in page(response)


# ---------------------------------------------------------------------------------------------
# The CPS, read-only once the case is sent


def test_cps_area_reads_every_tab_once_sent_without_change_links(
    built: BuiltCase, lawyer_north: User, as_user: Login
) -> None:
    send_to_cps(built.case)
    client = as_user(lawyer_north)
    for tab in TABS:
        response = client.get(case_url(built, tab))
        assert response.status_code == 200, tab
        body = page(response)
        assert URN_DISPLAY in body
        assert ">Change<" not in body, tab
        for button in ("Add suspect", "Add victim", "Add witness", "Add offence", "Change the status"):
            assert button not in body, (tab, button)
        assert "Record custody or bail event" not in body
        assert "Record an update given" not in body
    # Hearings are listed by either side.
    assert "Add hearing" in page(client.get(case_url(built)))


def test_cps_cannot_use_the_change_pages(built: BuiltCase, lawyer_north: User, as_user: Login) -> None:
    send_to_cps(built.case)
    client = as_user(lawyer_north)
    before = snapshot()
    for url in change_pages(built):
        assert client.get(url).status_code == 403, url
        response = client.post(url, {"first_names": "X", "last_name": "Y", "reason": "x", "status": "charged"})
        assert response.status_code == 403, url
        assert "You cannot do this" in page(response)
    assert snapshot() == before


def test_cps_makes_its_own_status_changes_but_not_the_polices(
    built: BuiltCase, lawyer_north: User, as_user: Login
) -> None:
    send_to_cps(built.case)
    client = as_user(lawyer_north)
    before = snapshot()
    response = client.post(case_url(built, "status/"), {"status": CaseStatus.CHARGED, "reason": "Charge"})
    assert_form_error(
        response,
        TRANSITION_NOT_YOURS.format(source="Investigation", target="Charged", who="the POLICE or the charging process"),
    )
    assert snapshot() == before
    Case.objects.filter(pk=built.case.pk).update(status=CaseStatus.CHARGED)
    body = page(client.get(case_url(built)))
    assert re.findall(r'name="status" value="([a-z_]+)"', body) == [CaseStatus.PRE_TRIAL, CaseStatus.CONCLUDED]
    response = client.post(case_url(built, "status/"), {"status": CaseStatus.PRE_TRIAL, "reason": "First hearing held"})
    assert response.status_code == 302
    built.case.refresh_from_db()
    assert built.case.status == CaseStatus.PRE_TRIAL


def test_cps_may_list_a_hearing(built: BuiltCase, lawyer_north: User, as_user: Login) -> None:
    send_to_cps(built.case)
    assert as_user(lawyer_north).get(case_url(built, "hearings/new/")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Outsiders


@pytest.mark.parametrize("outsider", ["officer_b", "lawyer_south", "admin_user", "lawyer_north"])
def test_outsiders_get_404_on_every_case_page_and_nothing_leaks(
    built: BuiltCase, outsider: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    """lawyer_north serves the force but the case has not been sent to the CPS."""
    client = as_user(request.getfixturevalue(outsider))
    before = snapshot()
    for url in every_page(built):
        responses = [client.post(url, {"first_names": "X", "last_name": "Y"})]
        if not url.endswith("/status/"):  # POST only: a GET is refused (405) before any case is read
            responses.append(client.get(url))
        for response in responses:
            assert response.status_code == 404, url
            body = page(response)
            assert URN_DISPLAY not in body
            assert "10AA1234526" not in body
            assert built.suspect.last_name.upper() not in body
    assert snapshot() == before
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).exists()


def test_another_cases_people_are_not_reachable_through_a_visible_case(
    built: BuiltCase, force_a: Organisation, unit_a1: Unit, officer_a: User, as_user: Login
) -> None:
    other = CaseFactory(force=force_a, unit=unit_a1, urn="10AA7777726")
    client = as_user(officer_a)
    assert client.get(f"/cases/{other.public_id}/suspects/{built.suspect.public_id}/change/").status_code == 404
    assert client.get(f"/cases/{built.case.public_id}/suspects/{uuid.uuid4()}/change/").status_code == 404
    assert client.get(f"/cases/{built.case.public_id}/hearings/{built.suspect.public_id}/change/").status_code == 404


@pytest.mark.parametrize("persona", ["lawyer_north", "admin_user", "manager_police_a"])
def test_only_police_case_builders_may_create_a_case(
    persona: str, request: pytest.FixtureRequest, as_user: Login
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/cases/new/").status_code == 403
    response = client.post("/cases/new/", {"urn": "10/AA/12345/26"})
    assert response.status_code == 403
    assert "You cannot do this" in page(response)
    assert not Case.objects.exists()
