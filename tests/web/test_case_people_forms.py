"""Adding and changing suspects, victims and witnesses, recording custody and bail events and
Victims' Code updates: each refusal shows the precise message against its field and writes
nothing; each success lands back on the People tab with a success banner."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from accounts.models import Organisation, Unit, User
from casework import bail
from casework.choices import Authority, CaseFlag, CustodyEventKind, EnhancedRights
from casework.forms import (
    AVOID_END_MISSING,
    EVENT_ON_REQUIRED,
    GIVEN_ON_REQUIRED,
    KIND_REQUIRED,
    OCCURRED_AT_REQUIRED,
    UPDATE_METHOD_REQUIRED,
    UPDATE_REASON_REQUIRED,
)
from casework.identifiers import PNC_CHECK_LETTER, pnc_check_letter
from casework.models import CustodyEvent, Suspect, Victim, VictimUpdate, Witness
from casework.services import CustodyDetails, custody_event_record
from casework.services._common import DATE_IN_FUTURE
from casework.services.custody import (
    IN_FUTURE,
    NO_BAIL_TO_EXTEND,
    OFFENCE_NOT_SUSPECTS,
    REMAND_NEEDS_OFFENCE,
    REQUIRED,
    SUPERINTENDENT_ONLY,
)
from casework.services.people import (
    NAME_REQUIRED,
    NO_DATES_TO_AVOID_WITH_DATES,
    PNC_ON_CASE,
    RANGE_REVERSED,
    SPECIAL_MEASURES_NEED_CATEGORY,
    UPDATE_BEFORE_EVENT,
    VPS_DATE_REQUIRED,
)
from tests.factories.casework import OffenceFactory, SuspectFactory, WitnessUnavailabilityFactory

from .test_case_support import (
    BuiltCase,
    assert_form_error,
    build_case,
    date_parts,
    datetime_parts,
    error_summary,
    page,
    snapshot,
)

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
TODAY = timezone.localdate
VALID_PNC = f"2019/0012345{pnc_check_letter('2019', '12345')}"
WRONG_PNC = f"2019/0012345{'A' if pnc_check_letter('2019', '12345') != 'A' else 'B'}"


@pytest.fixture
def built(force_a: Organisation, unit_a1: Unit, officer_a: User) -> BuiltCase:
    return build_case(force_a, unit_a1, officer_a)


@pytest.fixture
def client_a(officer_a: User, as_user: Login) -> Client:
    return as_user(officer_a)


def url(built: BuiltCase, rest: str) -> str:
    return f"/cases/{built.case.public_id}/{rest}"


def people(built: BuiltCase) -> str:
    return url(built, "people/")


def assert_refused(client: Client, path: str, data: dict[str, object], message: str, anchor: str | None) -> None:
    before = snapshot()
    assert_form_error(client.post(path, data), message, anchor)
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Suspects


def test_the_add_suspect_page_has_one_heading_a_caption_and_a_back_link(built: BuiltCase, client_a: Client) -> None:
    body = page(client_a.get(url(built, "suspects/new/")))
    assert body.count("<h1") == 1
    assert '<h1 class="govuk-heading-l">Add a suspect</h1>' in body
    assert '<span class="govuk-caption-l">Case 10/AA/12345/26</span>' in body
    assert f'<a href="{people(built)}" class="govuk-back-link">Back</a>' in body
    assert ">Add suspect</button>" in body


def test_an_empty_suspect_form_lists_every_missing_field(built: BuiltCase, client_a: Client) -> None:
    before = snapshot()
    response = client_a.post(url(built, "suspects/new/"), {})
    assert_form_error(response, NAME_REQUIRED.format(part="first names"), "id_first_names")
    assert error_summary(response) == [
        ("#id_first_names", "Enter the first names"),
        ("#id_last_name", "Enter the last name"),
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({"pnc_id": WRONG_PNC}, PNC_CHECK_LETTER, "id_pnc_id"),
        ({"pnc_id": VALID_PNC}, PNC_ON_CASE, "id_pnc_id"),
        (
            {"date_of_birth_day": "30", "date_of_birth_month": "2", "date_of_birth_year": "1990"},
            "Date of birth must be a real date",
            "id_date_of_birth_0",
        ),
        (
            {"date_of_birth_day": "3", "date_of_birth_month": "", "date_of_birth_year": "1990"},
            "Date of birth must include a month",
            "id_date_of_birth_0",
        ),
        (
            {"date_of_birth_day": "3", "date_of_birth_month": "4", "date_of_birth_year": "90"},
            "Date of birth must include a year with 4 numbers, like 2026",
            "id_date_of_birth_0",
        ),
        (
            date_parts("date_of_birth", date.today() + timedelta(days=2)),
            DATE_IN_FUTURE.format(label="Date of birth"),
            "id_date_of_birth_0",
        ),
    ],
)
def test_a_refused_suspect_is_not_added(
    built: BuiltCase, client_a: Client, data: dict[str, object], message: str, anchor: str
) -> None:
    if data.get("pnc_id") == VALID_PNC:
        Suspect.objects.filter(pk=built.suspect.pk).update(pnc_id=VALID_PNC)
    assert_refused(
        client_a, url(built, "suspects/new/"), {"first_names": "Al", "last_name": "Jones", **data}, message, anchor
    )


def test_a_suspect_is_added_and_a_youth_flags_the_case(built: BuiltCase, client_a: Client) -> None:
    youth_dob = TODAY() - relativedelta(years=16)
    response = client_a.post(
        url(built, "suspects/new/"),
        {
            "first_names": "Kai",
            "last_name": "Young",
            **date_parts("date_of_birth", youth_dob),
            "pnc_id": VALID_PNC,
            "interpreter_language": "Polish",
            "needs_appropriate_adult": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == people(built)
    suspect = Suspect.objects.get(last_name="Young")
    assert (suspect.pnc_id, suspect.date_of_birth, suspect.needs_appropriate_adult) == (VALID_PNC, youth_dob, True)
    built.case.refresh_from_db()
    assert CaseFlag.YOUTH in built.case.flags
    body = page(client_a.get(people(built)))
    assert "Suspect Kai YOUNG added" in body
    assert "Polish" in body


def test_a_suspect_is_changed(built: BuiltCase, client_a: Client) -> None:
    path = url(built, f"suspects/{built.suspect.public_id}/change/")
    body = page(client_a.get(path))
    assert 'value="Jordan"' in body
    assert 'value="17"' in body  # date of birth, day box
    response = client_a.post(path, {"first_names": "Jordan", "last_name": "Smythe", "pnc_id": VALID_PNC})
    assert response.status_code == 302
    built.suspect.refresh_from_db()
    assert (built.suspect.last_name, built.suspect.date_of_birth) == ("Smythe", None)
    assert_refused(
        client_a, path, {"first_names": "", "last_name": "Smythe"}, "Enter the first names", "id_first_names"
    )


# ---------------------------------------------------------------------------------------------
# Victims and the updates given to them


def test_an_empty_victim_form_is_refused(built: BuiltCase, client_a: Client) -> None:
    assert_refused(client_a, url(built, "victims/new/"), {}, "Enter the first names", "id_first_names")


def test_a_victim_personal_statement_made_needs_its_date(built: BuiltCase, client_a: Client) -> None:
    data = {"first_names": "Ann", "last_name": "Lee", "contact_preference": "phone", "personal_statement": "made"}
    assert_refused(client_a, url(built, "victims/new/"), data, VPS_DATE_REQUIRED, "id_personal_statement_on_0")


def test_a_victim_with_enhanced_rights_is_added(built: BuiltCase, client_a: Client) -> None:
    response = client_a.post(
        url(built, "victims/new/"),
        {
            "first_names": "Ann",
            "last_name": "Lee",
            "enhanced_rights": [EnhancedRights.SERIOUS_CRIME, EnhancedRights.BEREAVED],
            "contact_preference": "email",
            "contact_details": "ann@example.invalid",
            "personal_statement": "not_offered",
        },
    )
    assert response.status_code == 302
    victim = Victim.objects.get(last_name="Lee")
    assert victim.enhanced_rights == [EnhancedRights.SERIOUS_CRIME, EnhancedRights.BEREAVED]
    body = page(client_a.get(people(built)))
    assert "Victim of the most serious crime" in body
    assert "Bereaved close relative" in body


def test_a_victim_is_changed(built: BuiltCase, client_a: Client) -> None:
    path = url(built, f"victims/{built.victim.public_id}/change/")
    body = page(client_a.get(path))
    assert re.search(r'value="vulnerable_or_intimidated"[^>]*checked', body)
    assert f'value="{built.victim.last_name}"' in body
    response = client_a.post(
        path,
        {"first_names": "Vic", "last_name": "Browne", "contact_preference": "letter", "personal_statement": "declined"},
    )
    assert response.status_code == 302
    built.victim.refresh_from_db()
    assert (built.victim.last_name, built.victim.contact_preference, built.victim.enhanced_rights) == (
        "Browne",
        "letter",
        [],
    )


def test_an_empty_victim_update_lists_every_missing_field(built: BuiltCase, client_a: Client) -> None:
    before = snapshot()
    response = client_a.post(url(built, f"victims/{built.victim.public_id}/updates/new/"), {})
    assert [text for _, text in error_summary(response)] == [
        UPDATE_REASON_REQUIRED,
        EVENT_ON_REQUIRED,
        GIVEN_ON_REQUIRED,
        UPDATE_METHOD_REQUIRED,
    ]
    assert_form_error(response, EVENT_ON_REQUIRED, "id_event_on_0")
    assert snapshot() == before


def test_an_update_cannot_be_given_before_the_event(built: BuiltCase, client_a: Client) -> None:
    data = {
        "reason": "charged",
        **date_parts("event_on", TODAY() - timedelta(days=1)),
        **date_parts("given_on", TODAY() - timedelta(days=3)),
        "method": "phone",
    }
    path = url(built, f"victims/{built.victim.public_id}/updates/new/")
    assert_refused(client_a, path, data, UPDATE_BEFORE_EVENT, "id_given_on_0")


def test_a_victim_update_is_recorded_and_listed(built: BuiltCase, client_a: Client, officer_a: User) -> None:
    data = {
        "reason": "charged",
        **date_parts("event_on", TODAY() - timedelta(days=2)),
        **date_parts("given_on", TODAY() - timedelta(days=1)),
        "method": "phone",
        "summary": "Told of the charge and the first hearing date",
    }
    response = client_a.post(url(built, f"victims/{built.victim.public_id}/updates/new/"), data)
    assert response.status_code == 302
    update = VictimUpdate.objects.get(reason="charged")
    assert (update.given_by, update.given_on) == (officer_a, TODAY() - timedelta(days=1))
    body = page(client_a.get(people(built)))
    assert "Suspect charged" in body
    assert "Told of the charge" in body


# ---------------------------------------------------------------------------------------------
# Witnesses and their dates to avoid


def witness(**extra: object) -> dict[str, object]:
    return {"first_names": "Wes", "last_name": "Hall", "witness_type": "eyewitness", "vulnerability": "none", **extra}


def test_an_empty_witness_form_is_refused(built: BuiltCase, client_a: Client) -> None:
    assert_refused(client_a, url(built, "witnesses/new/"), {}, "Enter the last name", "id_last_name")


def test_a_reversed_range_of_dates_to_avoid_is_shown_on_that_range(built: BuiltCase, client_a: Client) -> None:
    start = TODAY() + timedelta(days=30)
    data = witness(
        **date_parts("avoid_1_from", start),
        **date_parts("avoid_1_to", start + timedelta(days=2)),
        **date_parts("avoid_2_from", start + timedelta(days=10)),
        **date_parts("avoid_2_to", start + timedelta(days=5)),
    )
    assert_refused(client_a, url(built, "witnesses/new/"), data, RANGE_REVERSED, "id_avoid_2_to_0")


def test_half_a_range_of_dates_to_avoid_is_refused(built: BuiltCase, client_a: Client) -> None:
    data = witness(**date_parts("avoid_1_from", TODAY() + timedelta(days=3)))
    assert_refused(client_a, url(built, "witnesses/new/"), data, AVOID_END_MISSING, "id_avoid_1_to_0")


def test_special_measures_need_a_vulnerable_or_intimidated_witness(built: BuiltCase, client_a: Client) -> None:
    data = witness(special_measures=["screens"])
    assert_refused(client_a, url(built, "witnesses/new/"), data, SPECIAL_MEASURES_NEED_CATEGORY, "id_vulnerability_0")


def test_a_witness_is_added_with_three_ranges_of_dates_to_avoid(built: BuiltCase, client_a: Client) -> None:
    start = TODAY() + timedelta(days=30)
    data = witness(
        is_key="on",
        vulnerability="intimidated",
        special_measures=["screens", "live_link"],
        willing_to_attend="on",
        **{f"avoid_{i}_reason": f"Holiday {i}" for i in (1, 2, 3)},
    )
    for i in (1, 2, 3):
        data |= date_parts(f"avoid_{i}_from", start + timedelta(days=10 * i))
        data |= date_parts(f"avoid_{i}_to", start + timedelta(days=10 * i + 2))
    response = client_a.post(url(built, "witnesses/new/"), data)
    assert response.status_code == 302
    added = Witness.objects.get(last_name="Hall")
    assert (added.is_key, added.vulnerability, added.special_measures) == (
        True,
        "intimidated",
        ["screens", "live_link"],
    )
    assert [(d.starts_on, d.reason) for d in added.dates_to_avoid.all()] == [
        (start + timedelta(days=10 * i), f"Holiday {i}") for i in (1, 2, 3)
    ]
    body = page(client_a.get(people(built)))
    assert "Key witness" in body
    assert "Holiday 2" in body


def test_the_witness_form_records_that_a_witness_has_no_dates_to_avoid(built: BuiltCase, client_a: Client) -> None:
    body = page(client_a.get(url(built, "witnesses/new/")))
    assert 'name="no_dates_to_avoid"' in body
    assert "The witness has no dates to avoid" in body
    assert client_a.post(url(built, "witnesses/new/"), witness(no_dates_to_avoid="on")).status_code == 302
    added = Witness.objects.get(last_name="Hall")
    assert added.no_dates_to_avoid is True

    path = url(built, f"witnesses/{added.public_id}/change/")
    assert re.search(r'name="no_dates_to_avoid"[^>]*checked', page(client_a.get(path)))
    assert client_a.post(path, witness()).status_code == 302, "unticking the box takes the answer back"
    added.refresh_from_db()
    assert added.no_dates_to_avoid is False


def test_no_dates_to_avoid_is_refused_alongside_dates_to_avoid(built: BuiltCase, client_a: Client) -> None:
    start = TODAY() + timedelta(days=30)
    data = witness(
        no_dates_to_avoid="on",
        **date_parts("avoid_1_from", start),
        **date_parts("avoid_1_to", start + timedelta(days=2)),
    )
    assert_refused(client_a, url(built, "witnesses/new/"), data, NO_DATES_TO_AVOID_WITH_DATES, "id_no_dates_to_avoid")


def test_changing_a_witness_keeps_every_range_it_already_has(built: BuiltCase, client_a: Client) -> None:
    for i in range(3):  # the factory case gave the witness one range already: now four
        first = TODAY() + timedelta(days=100 + 10 * i)
        WitnessUnavailabilityFactory(witness=built.witness, starts_on=first, ends_on=first + timedelta(days=1))
    path = url(built, f"witnesses/{built.witness.public_id}/change/")
    body = page(client_a.get(path))
    assert 'name="avoid_4_from_day"' in body
    assert 'name="avoid_5_from_day"' not in body
    data = witness(first_names="Wendy", last_name=built.witness.last_name)
    for i, span in enumerate(built.witness.dates_to_avoid.all(), start=1):
        data |= date_parts(f"avoid_{i}_from", span.starts_on) | date_parts(f"avoid_{i}_to", span.ends_on)
    assert client_a.post(path, data).status_code == 302
    assert built.witness.dates_to_avoid.count() == 4


# ---------------------------------------------------------------------------------------------
# Custody and bail


def custody_url(built: BuiltCase) -> str:
    return url(built, f"suspects/{built.suspect.public_id}/custody/new/")


def test_custody_starts_by_asking_what_happened(built: BuiltCase, client_a: Client) -> None:
    response = client_a.get(custody_url(built))
    assert response.status_code == 200
    body = page(response)
    assert '<h1 class="govuk-fieldset__heading">What happened?</h1>' in body
    assert body.count('type="radio" name="kind"') == len(CustodyEventKind.values)
    response = client_a.get(custody_url(built), {"chosen": "1"})
    assert_form_error(response, KIND_REQUIRED, "id_kind_0")


def test_each_kind_of_custody_event_asks_only_for_its_details(built: BuiltCase, client_a: Client) -> None:
    bail_page = page(client_a.get(custody_url(built), {"kind": "pre_charge_bail"}))
    assert '<h1 class="govuk-heading-l">Released on pre-charge bail</h1>' in bail_page
    for name in ("occurred_at_day", "arrested_on_day", "bail_start_date_day", "period_ends_on_day", "authority"):
        assert f'name="{name}"' in bail_page, name
    assert 'name="relevant_time_day"' not in bail_page
    assert 'name="offence"' not in bail_page
    detained_page = page(client_a.get(custody_url(built), {"kind": "detained"}))
    assert 'name="relevant_time_time"' in detained_page
    assert 'name="arrested_on_day"' not in detained_page


def _bail(built: BuiltCase, officer: User, start: date) -> None:
    custody_event_record(
        suspect=built.suspect,
        details=CustodyDetails(
            kind=CustodyEventKind.PRE_CHARGE_BAIL,
            occurred_at=timezone.now() - timedelta(days=(TODAY() - start).days),
            arrested_on=start,
            bail_start_date=start,
        ),
        by=officer,
    )


def test_bail_extended_to_seven_months_needs_a_superintendent_not_an_inspector(
    built: BuiltCase, client_a: Client, officer_a: User
) -> None:
    start = TODAY() - timedelta(days=60)
    _bail(built, officer_a, start)
    end = start + relativedelta(months=7)
    data = {
        "kind": "bail_extended",
        **datetime_parts("occurred_at", TODAY() - timedelta(days=1), "09:30"),
        **date_parts("period_ends_on", end),
        "authority": Authority.INSPECTOR,
        "authorised_by": "Insp Khan",
    }
    message = bail.BAIL_NEEDS_AUTHORITY.format(end=f"{end:%-d %B %Y}", needed="a superintendent", given="an inspector")
    assert_refused(client_a, custody_url(built), data, message, "id_authority_0")
    # The same extension on a superintendent's authority is recorded.
    response = client_a.post(custody_url(built), {**data, "authority": Authority.SUPERINTENDENT})
    assert response.status_code == 302, error_summary(response)
    event = CustodyEvent.objects.get(kind="bail_extended")
    assert timezone.localdate(event.period_ends_at) == end
    assert "Pre-charge bail extended" in page(client_a.get(people(built)))


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        ({"kind": "detained"}, OCCURRED_AT_REQUIRED, "id_occurred_at_0"),
        ({"kind": "detained", "occurred_at_time": "25:00"}, "The time it happened must include a date", None),
        ({"kind": "bail_extended"}, NO_BAIL_TO_EXTEND, None),
        ({"kind": "detained"}, REQUIRED.format(what="PACE relevant time"), "id_relevant_time_0"),
        ({"kind": "detention_extended", "authority": "inspector"}, SUPERINTENDENT_ONLY, "id_authority_0"),
        ({"kind": "remanded_in_custody"}, REMAND_NEEDS_OFFENCE, "id_offence"),
        ({"kind": "remanded_in_custody", "offence": "nonsense"}, OFFENCE_NOT_SUSPECTS, "id_offence"),
        (
            {"kind": "released_nfa", **datetime_parts("occurred_at", TODAY() + timedelta(days=2), "10:00")},
            IN_FUTURE,
            "id_occurred_at_0",
        ),
        (
            {"kind": "released_nfa", **datetime_parts("occurred_at", TODAY(), "25:61")},
            "The time it happened must include a real time, like 14:30",
            "id_occurred_at_0",
        ),
    ],
)
def test_a_refused_custody_event_is_not_recorded(
    built: BuiltCase, client_a: Client, data: dict[str, object], message: str, anchor: str | None
) -> None:
    if "occurred_at_day" not in data and message != OCCURRED_AT_REQUIRED and "occurred_at_time" not in data:
        data = {**datetime_parts("occurred_at", TODAY() - timedelta(days=1), "08:00"), **data}
    if data["kind"] == "detention_extended":
        custody_event_record(
            suspect=built.suspect,
            details=CustodyDetails(
                kind=CustodyEventKind.DETAINED,
                occurred_at=timezone.now() - timedelta(hours=30),
                relevant_time=timezone.now() - timedelta(hours=30),
            ),
            by=built.case.officer_in_case,  # type: ignore[arg-type]
        )
    assert_refused(client_a, custody_url(built), data, message, anchor)


def test_a_detention_and_a_remand_are_recorded(built: BuiltCase, client_a: Client) -> None:
    other = SuspectFactory(case=built.case, last_name="Other")
    others_offence = OffenceFactory(case=built.case, suspect=other, offence_code=built.codes[0])
    response = client_a.post(
        custody_url(built),
        {
            "kind": "remanded_in_custody",
            **datetime_parts("occurred_at", TODAY() - timedelta(days=1), "2:15pm"),
            "offence": str(others_offence.public_id),
            **date_parts("first_remand_date", TODAY() - timedelta(days=1)),
        },
    )
    assert_form_error(response, OFFENCE_NOT_SUSPECTS, "id_offence")
    response = client_a.post(
        custody_url(built),
        {
            "kind": "remanded_in_custody",
            **datetime_parts("occurred_at", TODAY() - timedelta(days=1), "2:15pm"),
            "offence": str(built.offence.public_id),
            **date_parts("first_remand_date", TODAY() - timedelta(days=1)),
            "court": built.court.code,
        },
    )
    assert response.status_code == 302
    event = CustodyEvent.objects.filter(kind="remanded_in_custody").latest("recorded_at")
    assert timezone.localtime(event.occurred_at).strftime("%H:%M") == "14:15"
    assert (event.offence, event.court) == (built.offence, built.court)
