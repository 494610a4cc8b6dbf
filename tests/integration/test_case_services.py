"""The case services: the rules a police officer and a CPS lawyer rely on when building a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, Court, Organisation, Unit, User
from casework import services as s
from casework.choices import Authority, BailRegime, CaseFlag, CaseStatus, CustodyEventKind, EnhancedRights
from casework.identifiers import pnc_check_letter
from casework.models import Case, OffenceCode
from casework.selectors import CaseFilters, case_search_visible_to, case_timeline
from casework.services.cases import URN_OTHER_FORCE, URN_TAKEN
from casework.services.people import NO_DATES_TO_AVOID_WITH_DATES
from casework.workflow import Mover
from tests.factories.accounts import ForceFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def case(officer_a: User, unit_a1: Unit) -> Case:
    return s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(summary="Assault outside a pub"), by=officer_a)


def pnc(year: int = 2019, serial: int = 12345) -> str:
    return f"{year}/{serial:07d}{pnc_check_letter(str(year), str(serial))}"


# -- cases ---------------------------------------------------------------------------------------


def test_creating_a_case_derives_force_unit_and_cps_area_and_is_audited(case: Case, officer_a: User) -> None:
    assert case.urn == "10AA1234526"
    assert case.urn_display == "10/AA/12345/26"
    assert case.force == officer_a.organisation
    assert case.unit is not None
    assert case.unit.code == "AA"
    assert case.cps_area is not None
    assert case.cps_area.code == "north-east"
    assert case.officer_in_case == officer_a
    assert case.status == CaseStatus.INVESTIGATION
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_CREATED)
    assert event.case_id == case.public_id
    assert event.actor == officer_a


@pytest.mark.parametrize(
    ("urn", "message"),
    [
        ("12345", "like 46/AF/12345/26"),
        ("46/AF/12345/26", URN_OTHER_FORCE.format(code="46", force="Northumbria Police")),
        ("10/ZZ/12345/26", "Unit ZZ is not a current unit of Northumbria Police"),
    ],
)
def test_bad_urns_are_refused_with_a_precise_message(officer_a: User, unit_a1: Unit, urn: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        s.case_create(urn=urn, details=s.CaseDetails(), by=officer_a)
    assert message in errors_of(exc)["urn"][0]
    assert not Case.objects.exists()


def test_a_duplicate_urn_in_another_format_is_refused(case: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        s.case_create(urn="10aa1234526", details=s.CaseDetails(), by=officer_a)
    assert errors_of(exc)["urn"] == [URN_TAKEN]
    assert Case.objects.count() == 1


def test_btp_cases_must_name_the_area_where_the_offence_happened(area_south: Organisation) -> None:
    btp = ForceFactory(code="93", name="British Transport Police", served_by=None)
    UnitFactory(organisation=btp, code="AA")
    officer = UserFactory(username="btp_officer", organisation=btp)
    with pytest.raises(ValidationError) as exc:
        s.case_create(urn="93/AA/12345/26", details=s.CaseDetails(), by=officer)
    assert "Area where the offence happened" in errors_of(exc)["cps_area"][0]
    case = s.case_create(urn="93/AA/12345/26", details=s.CaseDetails(cps_area=area_south), by=officer)
    assert case.cps_area == area_south


def test_the_oic_must_belong_to_the_owning_force(officer_a: User, officer_b: User, unit_a1: Unit) -> None:
    with pytest.raises(ValidationError) as exc:
        s.case_create(urn="10/AA/12345/26", details=s.CaseDetails(officer_in_case=officer_b), by=officer_a)
    assert "officer in case must be an officer of Northumbria Police" in errors_of(exc)["officer_in_case"][0]


def test_cps_and_other_roles_cannot_create_or_change_cases(
    case: Case, lawyer_north: User, manager_police_a: User
) -> None:
    with pytest.raises(PermissionDenied):
        s.case_create(urn="10/AA/54321/26", details=s.CaseDetails(), by=lawyer_north)
    with pytest.raises(PermissionDenied):
        s.case_update(case=case, details=s.CaseDetails(summary="x"), by=lawyer_north)
    with pytest.raises(PermissionDenied):
        s.case_update(case=case, details=s.CaseDetails(summary="x"), by=manager_police_a)


def test_updating_a_case_records_what_changed(case: Case, officer_a: User, supervisor_a: User) -> None:
    s.case_update(
        case=case,
        details=s.CaseDetails(
            summary="Assault outside a pub",
            flags=[CaseFlag.DOMESTIC_ABUSE],
            supervisor=supervisor_a,
            officer_in_case=officer_a,
        ),
        by=officer_a,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_UPDATED)
    assert set(event.data) == {"flags", "supervisor"}
    assert event.data["flags"] == {"from": [], "to": ["domestic_abuse"]}


# -- lifecycle -----------------------------------------------------------------------------------


def test_the_police_can_take_no_further_action_with_a_reason(case: Case, officer_a: User) -> None:
    s.case_transition(case=case, to=CaseStatus.NO_FURTHER_ACTION, by=officer_a, reason="No realistic prospect")
    case.refresh_from_db()
    assert case.status == CaseStatus.NO_FURTHER_ACTION
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_STATUS_CHANGED)
    assert event.data["from"] == "investigation"
    assert event.data["reason"] == "No realistic prospect"


def test_a_transition_the_lifecycle_does_not_allow_changes_nothing(case: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        s.case_transition(case=case, to=CaseStatus.CONCLUDED, by=officer_a, reason="Done")
    assert errors_of(exc)["status"] == ["A case cannot move from Investigation to Concluded."]
    with pytest.raises(ValidationError) as exc:
        s.case_transition(case=case, to=CaseStatus.AWAITING_CHARGING_DECISION, by=officer_a, reason="Send")
    assert "charging process" in errors_of(exc)["status"][0]
    with pytest.raises(ValidationError) as exc:
        s.case_transition(case=case, to=CaseStatus.NO_FURTHER_ACTION, by=officer_a, reason="  ")
    assert "reason" in errors_of(exc)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATION
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_STATUS_CHANGED).exists()


def test_the_charging_process_moves_a_case_to_awaiting_decision(case: Case) -> None:
    s.case_transition(
        case=case, to=CaseStatus.AWAITING_CHARGING_DECISION, by=None, reason="MG3 sent", mover=Mover.SYSTEM
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CHARGING_DECISION


# -- suspects ------------------------------------------------------------------------------------


def test_a_suspect_with_a_good_pnc_is_added_and_a_youth_flags_the_case(case: Case, officer_a: User) -> None:
    dob = timezone.localdate() - timedelta(days=16 * 365)
    suspect = s.suspect_add(
        case=case,
        details=s.SuspectDetails("Jamie", "Smith", date_of_birth=dob, pnc_id=pnc(2019, 12345).lower()),
        by=officer_a,
    )
    assert suspect.pnc_id == pnc(2019, 12345)
    assert suspect.is_youth
    case.refresh_from_db()
    assert CaseFlag.YOUTH in case.flags
    assert AuditEvent.objects.filter(event_type=AuditEventType.SUSPECT_ADDED, case_id=case.public_id).exists()


def test_a_bad_pnc_check_letter_adds_nobody(case: Case, officer_a: User) -> None:
    good = pnc()
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    with pytest.raises(ValidationError) as exc:
        s.suspect_add(case=case, details=s.SuspectDetails("Jamie", "Smith", pnc_id=bad), by=officer_a)
    assert "check letter is wrong" in errors_of(exc)["pnc_id"][0]
    assert not case.suspects.exists()


def test_names_and_dates_are_checked(case: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        s.suspect_add(case=case, details=s.SuspectDetails(" ", "", date_of_birth=date(2999, 1, 1)), by=officer_a)
    assert set(errors_of(exc)) == {"first_names", "last_name", "date_of_birth"}


def test_the_same_pnc_twice_on_one_case_is_refused(case: Case, officer_a: User) -> None:
    s.suspect_add(case=case, details=s.SuspectDetails("A", "One", pnc_id=pnc()), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        s.suspect_add(case=case, details=s.SuspectDetails("B", "Two", pnc_id=pnc()), by=officer_a)
    assert "already recorded" in errors_of(exc)["pnc_id"][0]


# -- offences ------------------------------------------------------------------------------------


@pytest.fixture
def suspect(case: Case, officer_a: User):  # type: ignore[no-untyped-def]
    return s.suspect_add(case=case, details=s.SuspectDetails("Jamie", "Smith"), by=officer_a)


def test_an_offence_takes_its_qualifier_from_the_code(
    case: Case, suspect, officer_a: User, offence_codes: dict[str, OffenceCode]
) -> None:  # type: ignore[no-untyped-def]
    offence = s.offence_add(
        case=case,
        details=s.OffenceDetails(suspect=suspect, code="th68001a", committed_on=date(2026, 1, 5)),
        by=officer_a,
    )
    assert offence.offence_code.code == "TH68001"
    assert offence.qualifier == "A"
    assert offence.code_with_qualifier == "TH68001A"


@pytest.mark.parametrize(
    ("code", "on", "until", "field", "message"),
    [
        ("XX99999", date(2026, 1, 5), None, "code", "There is no current CJS offence code XX99999"),
        ("0101AP001", date(2026, 1, 5), None, "code", "is not a criminal offence"),
        ("CJ88001", date(2999, 1, 5), None, "committed_on", "must be today or in the past"),
        ("CJ88001", date(2026, 1, 5), date(2026, 1, 1), "committed_until", "same as or after the first date"),
    ],
)
def test_bad_offences_are_refused_with_a_precise_message(  # type: ignore[no-untyped-def]
    case: Case,
    suspect,
    officer_a: User,
    offence_codes: dict[str, OffenceCode],
    code: str,
    on: date,
    until: date | None,
    field: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as exc:
        s.offence_add(
            case=case,
            details=s.OffenceDetails(suspect=suspect, code=code, committed_on=on, committed_until=until),
            by=officer_a,
        )
    assert message in errors_of(exc)[field][0]
    assert not case.offences.exists()


def test_an_offence_against_another_cases_suspect_is_refused(
    case: Case, officer_a: User, offence_codes: dict[str, OffenceCode]
) -> None:
    other = s.case_create(urn="10/AA/99999/26", details=s.CaseDetails(), by=officer_a)
    stranger = s.suspect_add(case=other, details=s.SuspectDetails("Other", "Person"), by=officer_a)
    with pytest.raises(ValidationError) as exc:
        s.offence_add(
            case=case,
            details=s.OffenceDetails(suspect=stranger, code="CJ88001", committed_on=date(2026, 1, 1)),
            by=officer_a,
        )
    assert errors_of(exc)["suspect"] == ["Choose a suspect on this case"]


# -- custody and bail ----------------------------------------------------------------------------


def test_detention_sets_the_24_hour_pace_limit_and_a_superintendent_extends_it(suspect, officer_a: User) -> None:  # type: ignore[no-untyped-def]
    relevant = timezone.now() - timedelta(hours=3)
    detained = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(kind=CustodyEventKind.DETAINED, occurred_at=relevant, relevant_time=relevant),
        by=officer_a,
    )
    assert detained.period_ends_at == relevant + timedelta(hours=24)
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.DETENTION_EXTENDED, occurred_at=timezone.now(), authority=Authority.INSPECTOR
            ),
            by=officer_a,
        )
    assert "superintendent" in errors_of(exc)["authority"][0]
    extended = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(
            kind=CustodyEventKind.DETENTION_EXTENDED, occurred_at=timezone.now(), authority=Authority.SUPERINTENDENT
        ),
        by=officer_a,
    )
    assert extended.period_ends_at == relevant + timedelta(hours=36)


def test_pre_charge_bail_uses_the_regime_of_the_arrest_date_and_extensions_need_authority(
    suspect, officer_a: User
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    start = date(2026, 1, 10)
    bailed = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(
            kind=CustodyEventKind.PRE_CHARGE_BAIL, occurred_at=now, arrested_on=date(2026, 1, 9), bail_start_date=start
        ),
        by=officer_a,
    )
    assert bailed.bail_regime == BailRegime.PCSC_2022
    assert timezone.localdate(bailed.period_ends_at) == date(2026, 4, 9)  # 3 months beginning with 10 January
    count = suspect.custody_events.count()
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.BAIL_EXTENDED,
                occurred_at=now,
                period_ends_on=date(2026, 8, 10),
                authority=Authority.INSPECTOR,
            ),
            by=officer_a,
        )
    assert "needs the authority of a superintendent" in errors_of(exc)["authority"][0]
    assert suspect.custody_events.count() == count
    extended = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(
            kind=CustodyEventKind.BAIL_EXTENDED,
            occurred_at=now,
            period_ends_on=date(2026, 8, 10),
            authority=Authority.SUPERINTENDENT,
            authorised_by="Supt A Jones",
        ),
        by=officer_a,
    )
    assert extended.bail_start_date == start
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.BAIL_EXTENDED,
                occurred_at=now,
                period_ends_on=date(2026, 7, 1),
                authority=Authority.SUPERINTENDENT,
            ),
            by=officer_a,
        )
    assert "must end after the current bail period" in errors_of(exc)["period_ends_on"][0]


def test_extending_bail_that_does_not_exist_is_refused(suspect, officer_a: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.BAIL_EXTENDED,
                occurred_at=timezone.now(),
                period_ends_on=date(2026, 8, 1),
                authority=Authority.SUPERINTENDENT,
            ),
            by=officer_a,
        )
    assert "no pre-charge bail to extend" in errors_of(exc)["kind"][0]


def test_a_remand_is_recorded_per_offence(
    suspect, case: Case, officer_a: User, offence_codes: dict[str, OffenceCode]
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(kind=CustodyEventKind.REMANDED_IN_CUSTODY, occurred_at=timezone.now()),
            by=officer_a,
        )
    assert set(errors_of(exc)) == {"offence", "first_remand_date"}
    offence = s.offence_add(
        case=case,
        details=s.OffenceDetails(suspect=suspect, code="OF61016", committed_on=date(2026, 1, 1)),
        by=officer_a,
    )
    remand = s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(
            kind=CustodyEventKind.REMANDED_IN_CUSTODY,
            occurred_at=timezone.now(),
            offence=offence,
            first_remand_date=timezone.localdate(),
        ),
        by=officer_a,
    )
    assert remand.offence == offence


def test_a_warrant_cannot_run_past_96_hours(suspect, officer_a: User, magistrates_court: Court) -> None:  # type: ignore[no-untyped-def]
    relevant = timezone.now() - timedelta(hours=30)
    s.custody_event_record(
        suspect=suspect,
        details=s.CustodyDetails(kind=CustodyEventKind.DETAINED, occurred_at=relevant, relevant_time=relevant),
        by=officer_a,
    )
    with pytest.raises(ValidationError) as exc:
        s.custody_event_record(
            suspect=suspect,
            details=s.CustodyDetails(
                kind=CustodyEventKind.WARRANT_OF_FURTHER_DETENTION,
                occurred_at=timezone.now(),
                court=magistrates_court,
                period_ends_at=relevant + timedelta(hours=97),
            ),
            by=officer_a,
        )
    assert "96 hours" in errors_of(exc)["period_ends_at"][0]


# -- victims, witnesses, hearings ----------------------------------------------------------------


def test_a_vulnerable_victim_flags_the_case_and_updates_are_logged(case: Case, officer_a: User) -> None:
    victim = s.victim_add(
        case=case,
        details=s.VictimDetails("Sam", "Jones", enhanced_rights=[EnhancedRights.VULNERABLE_OR_INTIMIDATED]),
        by=officer_a,
    )
    case.refresh_from_db()
    assert CaseFlag.VULNERABLE_VICTIM in case.flags
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        s.victim_update_record(
            victim=victim,
            reason="arrest",
            event_on=today,
            given_on=today - timedelta(days=1),
            method="phone",
            summary="",
            by=officer_a,
        )
    assert "before the event" in errors_of(exc)["given_on"][0]
    s.victim_update_record(
        victim=victim,
        reason="arrest",
        event_on=today,
        given_on=today,
        method="phone",
        summary="Told of arrest",
        by=officer_a,
    )
    assert victim.updates.count() == 1


def test_special_measures_need_a_vulnerable_or_intimidated_witness(case: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        s.witness_add(case=case, details=s.WitnessDetails("Ali", "Khan", special_measures=["screens"]), by=officer_a)
    assert "vulnerability" in errors_of(exc)
    witness = s.witness_add(
        case=case,
        details=s.WitnessDetails(
            "Ali",
            "Khan",
            vulnerability="intimidated",
            special_measures=["screens"],
            is_key=True,
            dates_to_avoid=[(date(2026, 8, 1), date(2026, 8, 14), "Holiday")],
        ),
        by=officer_a,
    )
    assert witness.dates_to_avoid.get().reason == "Holiday"


def test_a_witness_cannot_have_no_dates_to_avoid_while_dates_to_avoid_are_given(case: Case, officer_a: User) -> None:
    holiday = [(date(2026, 8, 1), date(2026, 8, 14), "Holiday")]
    with pytest.raises(ValidationError) as exc:
        s.witness_add(
            case=case,
            details=s.WitnessDetails("Ali", "Khan", dates_to_avoid=holiday, no_dates_to_avoid=True),
            by=officer_a,
        )
    assert errors_of(exc) == {"no_dates_to_avoid": [NO_DATES_TO_AVOID_WITH_DATES]}
    assert not case.witnesses.exists()

    witness = s.witness_add(case=case, details=s.WitnessDetails("Ali", "Khan", no_dates_to_avoid=True), by=officer_a)
    witness.refresh_from_db()
    assert witness.no_dates_to_avoid is True
    with pytest.raises(ValidationError):
        s.witness_update(
            witness=witness,
            details=s.WitnessDetails("Ali", "Khan", dates_to_avoid=holiday, no_dates_to_avoid=True),
            by=officer_a,
        )
    s.witness_update(witness=witness, details=s.WitnessDetails("Ali", "Khan", dates_to_avoid=holiday), by=officer_a)
    witness.refresh_from_db()
    assert witness.no_dates_to_avoid is False
    assert witness.dates_to_avoid.count() == 1
    changed = AuditEvent.objects.get(event_type=AuditEventType.WITNESS_UPDATED).data["changed"]
    assert set(changed) == {"dates_to_avoid", "no_dates_to_avoid"}


def test_the_cps_lawyer_of_a_sent_case_may_list_a_hearing_but_not_edit_people(
    case: Case, officer_a: User, lawyer_north: User, lawyer_south: User, magistrates_court: Court
) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now())
    case.refresh_from_db()
    details = s.HearingDetails(
        court=magistrates_court, starts_at=timezone.now() + timedelta(days=14), hearing_type="first_hearing"
    )
    assert s.hearing_add(case=case, details=details, by=lawyer_north).court == magistrates_court
    with pytest.raises(PermissionDenied):
        s.hearing_add(case=case, details=details, by=lawyer_south)
    with pytest.raises(PermissionDenied):
        s.suspect_add(case=case, details=s.SuspectDetails("X", "Y"), by=lawyer_north)


# -- timeline and search -------------------------------------------------------------------------


def test_the_timeline_is_the_cases_history_in_order_without_views(case: Case, officer_a: User) -> None:
    from accounts.audit import audit_record

    s.suspect_add(case=case, details=s.SuspectDetails("Jamie", "Smith"), by=officer_a)
    audit_record(by=officer_a, event_type=AuditEventType.CASE_VIEWED, obj=case, case_id=case.public_id)
    s.case_transition(case=case, to=CaseStatus.NO_FURTHER_ACTION, by=officer_a, reason="Insufficient evidence")
    types = list(case_timeline(case=case, user=officer_a).values_list("event_type", flat=True))
    assert types == [AuditEventType.CASE_CREATED, AuditEventType.SUSPECT_ADDED, AuditEventType.CASE_STATUS_CHANGED]


def search(user: User, **filters: object) -> list[str]:
    return list(case_search_visible_to(user=user, filters=CaseFilters(**filters)).values_list("urn", flat=True))  # type: ignore[arg-type]


def test_search_finds_cases_by_urn_name_misspelt_name_and_offence(
    case: Case, officer_a: User, officer_b: User, offence_codes: dict[str, OffenceCode]
) -> None:
    suspect = s.suspect_add(case=case, details=s.SuspectDetails("Jamie", "Fotheringham"), by=officer_a)
    s.offence_add(
        case=case,
        details=s.OffenceDetails(suspect=suspect, code="CJ88116", committed_on=date(2026, 1, 1)),
        by=officer_a,
    )
    s.case_create(urn="10/AA/22222/26", details=s.CaseDetails(summary="Burglary"), by=officer_a)
    assert search(officer_a, query="10/AA/12345/26") == [case.urn]
    assert search(officer_a, query="Fotheringham") == [case.urn]
    assert search(officer_a, query="Fotheringam") == [case.urn]  # misspelt
    assert search(officer_a, query="beating") == [case.urn]
    assert search(officer_b, query="Fotheringham") == []  # another force never sees it


def test_filters_by_status_flag_and_unit(case: Case, officer_a: User, unit_a2: Unit) -> None:
    other = s.case_create(urn="10/AB/22222/26", details=s.CaseDetails(flags=[CaseFlag.HATE_CRIME]), by=officer_a)
    assert search(officer_a, flags=(CaseFlag.HATE_CRIME,)) == [other.urn]
    assert search(officer_a, unit_code="ab") == [other.urn]
    s.case_transition(case=case, to=CaseStatus.NO_FURTHER_ACTION, by=officer_a, reason="x")
    assert search(officer_a, statuses=(CaseStatus.NO_FURTHER_ACTION,)) == [case.urn]
    assert set(search(officer_a, sort="urn")) == {case.urn, other.urn}


def test_the_cps_of_a_sent_case_moves_it_as_the_cps(case: Case, officer_a: User, lawyer_north: User) -> None:
    Case.objects.filter(pk=case.pk).update(sent_to_cps_at=timezone.now(), status=CaseStatus.CHARGED)
    case.refresh_from_db()
    s.case_transition(case=case, to=CaseStatus.PRE_TRIAL, by=lawyer_north, reason="First hearing held")
    case.refresh_from_db()
    assert case.status == CaseStatus.PRE_TRIAL
    assert AuditEvent.objects.get(event_type=AuditEventType.CASE_STATUS_CHANGED).data["by"] == "cps"


def test_a_superuser_gets_no_case_powers(case: Case, admin_user: User) -> None:
    assert admin_user.is_superuser
    with pytest.raises(PermissionDenied):
        s.case_create(urn="10/AA/77777/26", details=s.CaseDetails(), by=admin_user)
    with pytest.raises(PermissionDenied):
        s.case_update(case=case, details=s.CaseDetails(summary="x"), by=admin_user)


def test_flags_the_facts_give_cannot_be_unticked(case: Case, officer_a: User) -> None:
    s.victim_add(
        case=case,
        details=s.VictimDetails("Sam", "Jones", enhanced_rights=[EnhancedRights.VULNERABLE_OR_INTIMIDATED]),
        by=officer_a,
    )
    s.case_update(case=case, details=s.CaseDetails(summary="x", flags=[], officer_in_case=officer_a), by=officer_a)
    case.refresh_from_db()
    assert case.flags == [CaseFlag.VULNERABLE_VICTIM]


def test_filtering_by_updated_dates_includes_the_whole_last_day(case: Case, officer_a: User) -> None:
    today = timezone.localdate()
    assert search(officer_a, updated_from=today, updated_to=today) == [case.urn]
    assert search(officer_a, updated_to=today - timedelta(days=1)) == []
