"""Unused material services: consecutive numbers per schedule, MG6D needs a reason and stays out
of sight of those who may not see sensitive material, the prosecutor's decision fits the
schedule, and a decided item's description is fixed."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as cs
from files.choices import DocumentKind, ProsecutorDecision, Schedule
from files.models import Document, UnusedItem
from files.selectors import unused_items_for
from files.services import unused as s
from files.services.unused import UnusedItemDetails

from .conftest import World, db_state, send_to_cps

pytestmark = pytest.mark.django_db


def add(world: World, by: User, schedule: str = Schedule.MG6C, **overrides: object) -> UnusedItem:
    fields: dict[str, object] = {"description": "Incident log 123", "location": "Force RMS"}
    if schedule == Schedule.MG6D:
        fields["sensitivity_reason"] = "Reveals an observation point"
    fields.update(overrides)
    return s.unused_item_add(
        case=world.case,
        schedule=schedule,
        details=UnusedItemDetails(**fields),  # type: ignore[arg-type]
        by=by,
    )


def test_items_are_numbered_consecutively_per_schedule(world: World, disclosure_a: User) -> None:
    numbers = [
        (item.schedule, item.item_number)
        for item in (
            add(world, disclosure_a),
            add(world, disclosure_a, Schedule.MG6D),
            add(world, disclosure_a),
            add(world, disclosure_a, Schedule.MG6D),
            add(world, disclosure_a),
        )
    ]
    assert numbers == [("mg6c", 1), ("mg6d", 1), ("mg6c", 2), ("mg6d", 2), ("mg6c", 3)]


def test_adding_is_audited_without_the_description(world: World, supervisor_a: User) -> None:
    item = add(world, supervisor_a, Schedule.MG6D, rebuttable_presumption=True)
    event = AuditEvent.objects.get(event_type=AuditEventType.UNUSED_ITEM_ADDED)
    assert event.case_id == world.case.public_id
    assert event.object_id == str(item.public_id)
    assert event.data == {"schedule": "mg6d", "item_number": 1, "sensitive": True}
    assert "observation" not in event.summary
    assert item.rebuttable_presumption


@pytest.mark.parametrize(
    ("schedule", "overrides", "field", "message"),
    [
        (Schedule.MG6C, {"description": " "}, "description", s.DESCRIPTION_REQUIRED),
        (Schedule.MG6C, {"location": ""}, "location", s.LOCATION_REQUIRED),
        (Schedule.MG6C, {"sensitivity_reason": "Informant"}, "sensitivity_reason", s.SENSITIVITY_REASON_ON_MG6C),
        (Schedule.MG6D, {"sensitivity_reason": ""}, "sensitivity_reason", s.SENSITIVITY_REASON_REQUIRED),
        ("mg6e", {}, "schedule", s.SCHEDULE_REQUIRED),
    ],
)
def test_adding_refuses_what_the_schedule_does_not_allow(
    world: World, disclosure_a: User, schedule: str, overrides: dict[str, object], field: str, message: str
) -> None:
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        add(world, disclosure_a, schedule, **overrides)
    assert exc.value.message_dict[field] == [message]
    assert db_state() == before


def test_a_sensitive_document_goes_only_on_the_mg6d(world: World, disclosure_a: User) -> None:
    with pytest.raises(ValidationError) as exc:
        add(world, disclosure_a, Schedule.MG6C, document=world.sensitive)
    assert exc.value.message_dict == {"document": [s.SENSITIVE_DOCUMENT_ON_MG6C]}
    item = add(world, disclosure_a, Schedule.MG6D, document=world.sensitive)
    assert item.document == world.sensitive


def test_a_document_of_another_case_is_refused(world: World, officer_a: User, disclosure_a: User) -> None:
    other = cs.case_create(urn="10/AA/54321/26", details=cs.CaseDetails(), by=officer_a)
    elsewhere = Document.objects.create(case=other, kind=DocumentKind.OTHER, title="Elsewhere", created_by=officer_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        add(world, disclosure_a, document=elsewhere)
    assert exc.value.message_dict == {"document": [s.DOCUMENT_NOT_ON_CASE]}
    assert db_state() == before


@pytest.mark.parametrize("who", ["officer_a", "lawyer_north", "manager_police_a"])
def test_only_the_disclosure_officer_or_a_supervisor_schedules(
    world: World, who: str, request: pytest.FixtureRequest, disclosure_a: User
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a)
    user = request.getfixturevalue(who)
    before = db_state()
    with pytest.raises(PermissionDenied):
        add(world, user)
    with pytest.raises(PermissionDenied):
        s.unused_item_update(item=item, details=UnusedItemDetails("New", "Here"), by=user)
    assert db_state() == before


def test_investigators_never_see_mg6d_rows(
    world: World, disclosure_a: User, officer_a: User, lawyer_north: User
) -> None:
    send_to_cps(world.case)
    open_item = add(world, disclosure_a)
    sensitive = add(world, disclosure_a, Schedule.MG6D)
    assert list(unused_items_for(user=officer_a, case=world.case)) == [open_item]
    with pytest.raises(Http404):
        s.unused_item_get_for(user=officer_a, case=world.case, public_id=sensitive.public_id)
    assert s.unused_item_get_for(user=lawyer_north, case=world.case, public_id=sensitive.public_id) == sensitive


def test_updating_changes_the_item_and_audits_what_changed(world: World, disclosure_a: User) -> None:
    item = add(world, disclosure_a)
    s.unused_item_update(
        item=item,
        details=UnusedItemDetails("Incident log 123 (full)", "Force RMS", rebuttable_presumption=True),
        by=disclosure_a,
    )
    item.refresh_from_db()
    assert (item.description, item.rebuttable_presumption, item.item_number) == ("Incident log 123 (full)", True, 1)
    event = AuditEvent.objects.get(event_type=AuditEventType.UNUSED_ITEM_UPDATED)
    assert event.data["changed"] == ["description", "rebuttable_presumption"]
    assert event.case_id == world.case.public_id


def test_updating_with_no_change_records_nothing(world: World, disclosure_a: User) -> None:
    item = add(world, disclosure_a)
    s.unused_item_update(item=item, details=UnusedItemDetails("Incident log 123", "Force RMS"), by=disclosure_a)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.UNUSED_ITEM_UPDATED).exists()


# -- the prosecutor's decision -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "decision"),
    [
        (Schedule.MG6C, ProsecutorDecision.DISCLOSE),
        (Schedule.MG6C, ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE),
        (Schedule.MG6C, ProsecutorDecision.INSPECT),
        (Schedule.MG6D, ProsecutorDecision.AGREE_SENSITIVE),
        (Schedule.MG6D, ProsecutorDecision.PII_APPLICATION),
    ],
)
def test_the_prosecutor_decides_in_the_schedules_column(
    world: World, disclosure_a: User, lawyer_north: User, schedule: str, decision: str
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a, schedule)
    s.unused_item_decide(item=item, decision=decision, note="Seen", by=lawyer_north)
    item.refresh_from_db()
    assert (item.prosecutor_decision, item.decided_by, item.decision_note) == (decision, lawyer_north, "Seen")
    assert item.decided_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.UNUSED_ITEM_DECIDED)
    assert event.actor == lawyer_north
    assert event.case_id == world.case.public_id
    assert event.data["decision"] == decision
    assert event.data["previous"] == ""


@pytest.mark.parametrize(
    ("schedule", "decision", "message"),
    [
        (
            Schedule.MG6C,
            ProsecutorDecision.AGREE_SENSITIVE,
            s.DECISION_WRONG_SCHEDULE.format(
                decision="Agree sensitive",
                schedule="MG6C",
                allowed="‘Disclose’ or ‘Clearly not disclosable’ or ‘Prosecutor to inspect’",
            ),
        ),
        (
            Schedule.MG6D,
            ProsecutorDecision.DISCLOSE,
            s.DECISION_WRONG_SCHEDULE.format(
                decision="Disclose",
                schedule="MG6D",
                allowed="‘Agree sensitive’ or ‘Public interest immunity application needed’",
            ),
        ),
        (Schedule.MG6C, "", s.DECISION_REQUIRED),
    ],
)
def test_a_decision_that_does_not_fit_the_schedule_is_refused(
    world: World, disclosure_a: User, lawyer_north: User, schedule: str, decision: str, message: str
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a, schedule)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.unused_item_decide(item=item, decision=decision, by=lawyer_north)
    assert exc.value.message_dict == {"decision": [message]}
    assert db_state() == before


@pytest.mark.parametrize("who", ["disclosure_a", "supervisor_a", "manager_cps_north"])
def test_only_a_cps_lawyer_or_paralegal_of_the_case_decides(
    world: World, disclosure_a: User, who: str, request: pytest.FixtureRequest
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a)
    before = db_state()
    with pytest.raises(PermissionDenied):
        s.unused_item_decide(item=item, decision=ProsecutorDecision.DISCLOSE, by=request.getfixturevalue(who))
    assert db_state() == before


def test_a_paralegal_may_decide_and_a_decision_may_be_revisited(
    world: World, disclosure_a: User, paralegal_north: User, lawyer_north: User
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a)
    s.unused_item_decide(item=item, decision=ProsecutorDecision.INSPECT, by=paralegal_north)
    s.unused_item_decide(item=item, decision=ProsecutorDecision.DISCLOSE, by=lawyer_north)
    item.refresh_from_db()
    assert (item.prosecutor_decision, item.decided_by) == (ProsecutorDecision.DISCLOSE, lawyer_north)
    last = AuditEvent.objects.filter(event_type=AuditEventType.UNUSED_ITEM_DECIDED).order_by("-id").first()
    assert last is not None
    assert last.data["previous"] == ProsecutorDecision.INSPECT


def test_once_decided_the_description_is_fixed_but_the_rest_may_change(
    world: World, disclosure_a: User, lawyer_north: User
) -> None:
    send_to_cps(world.case)
    item = add(world, disclosure_a)
    s.unused_item_decide(item=item, decision=ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE, by=lawyer_north)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.unused_item_update(item=item, details=UnusedItemDetails("Something else", "Force RMS"), by=disclosure_a)
    assert exc.value.message_dict == {"description": [s.DESCRIPTION_LOCKED.format(decision="Clearly not disclosable")]}
    assert db_state() == before
    s.unused_item_update(item=item, details=UnusedItemDetails("Incident log 123", "Archive box 4"), by=disclosure_a)
    item.refresh_from_db()
    assert item.location == "Archive box 4"
    assert item.prosecutor_decision == ProsecutorDecision.CLEARLY_NOT_DISCLOSABLE


@pytest.mark.django_db(transaction=True)
def test_concurrent_items_take_consecutive_numbers(world: World, disclosure_a: User) -> None:
    """Both threads lock the case row: the second waits, then numbers after the first."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def worker(description: str) -> None:
        try:
            barrier.wait()
            add(world, disclosure_a, description=description)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"Log {n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = UnusedItem.objects.filter(case=world.case, schedule=Schedule.MG6C).values_list("item_number", flat=True)
    assert sorted(numbers) == [1, 2, 3]
