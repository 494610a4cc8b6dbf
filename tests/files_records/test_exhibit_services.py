"""Exhibit services: references from the producer's initials, linked documents of the case only
(and never a sensitive one the user may not see), continuity from where the exhibit is."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework import services as cs
from casework.services._common import NOT_ALLOWED
from files.choices import DocumentKind
from files.models import Document, Exhibit
from files.services import exhibits as s
from files.services.exhibits import ExhibitChanges, ExhibitDetails, MovementDetails, initials_from_name

from .conftest import World, db_state, send_to_cps

pytestmark = pytest.mark.django_db


def add(world: World, by: User, **overrides: object) -> Exhibit:
    fields: dict[str, object] = {"description": "Black wallet", "producer_name": "John Smith", "location": "Store A"}
    fields.update(overrides)
    return s.exhibit_add(case=world.case, details=ExhibitDetails(**fields), by=by)  # type: ignore[arg-type]


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("John Smith", "JS"),
        ("PC 1234 Mary-Jane O'Brien", "MJO"),
        ("DC Alan Brown", "AB"),
        ("  ann   lee ", "AL"),
        ("A B C D E F G", "ABCDG"),
        ("1234", ""),
    ],
)
def test_initials_are_worked_out_from_the_producers_name(name: str, initials: str) -> None:
    assert initials_from_name(name) == initials


def test_references_count_per_initials_on_the_case(world: World, officer_a: User) -> None:
    first = add(world, officer_a)
    second = add(world, officer_a, description="Phone")
    other = add(world, officer_a, producer_name="Alan Brown")
    given = add(world, officer_a, producer_name="Alan Brown", producer_initials="j.s")
    assert [first.reference, second.reference, other.reference, given.reference] == ["JS/1", "JS/2", "AB/1", "JS/3"]
    assert (given.producer_initials, given.number) == ("JS", 3)


def test_references_start_again_on_another_case(world: World, officer_a: User) -> None:
    add(world, officer_a)
    other_case = cs.case_create(urn="10/AA/54321/26", details=cs.CaseDetails(), by=officer_a)
    exhibit = s.exhibit_add(
        case=other_case,
        details=ExhibitDetails(description="Knife", producer_name="Jo Soap", location="Store"),
        by=officer_a,
    )
    assert exhibit.reference == "JS/1"


def test_adding_is_audited_with_the_case(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a, documents=[world.statement])
    event = AuditEvent.objects.get(event_type=AuditEventType.EXHIBIT_ADDED)
    assert event.case_id == world.case.public_id
    assert event.object_id == str(exhibit.public_id)
    assert event.actor == officer_a
    assert event.data["reference"] == "JS/1"
    assert list(exhibit.documents.all()) == [world.statement]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "  "}, "description", s.DESCRIPTION_REQUIRED),
        ({"producer_name": ""}, "producer_name", s.PRODUCER_REQUIRED),
        ({"location": ""}, "location", s.LOCATION_REQUIRED),
        ({"producer_initials": "J5"}, "producer_initials", s.INITIALS_INVALID),
        ({"producer_initials": "ABCDEF"}, "producer_initials", s.INITIALS_INVALID),
        ({"producer_name": "1234"}, "producer_initials", s.INITIALS_NOT_DERIVABLE),
    ],
)
def test_adding_refuses_incomplete_details_and_changes_nothing(
    world: World, officer_a: User, overrides: dict[str, object], field: str, message: str
) -> None:
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        add(world, officer_a, **overrides)
    assert messages(exc)[field] == [message]
    assert db_state() == before


def test_a_document_of_another_case_cannot_be_linked(world: World, officer_a: User) -> None:
    other_case = cs.case_create(urn="10/AA/54321/26", details=cs.CaseDetails(), by=officer_a)
    elsewhere = Document.objects.create(case=other_case, kind=DocumentKind.MG11, title="Other", created_by=officer_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        add(world, officer_a, documents=[elsewhere])
    assert messages(exc)["documents"] == [s.DOCUMENT_NOT_ON_CASE]
    assert db_state() == before


def test_an_investigator_cannot_link_a_sensitive_document_and_is_told_as_for_any_other(
    world: World, officer_a: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        add(world, officer_a, documents=[world.sensitive])
    assert messages(exc)["documents"] == [s.DOCUMENT_NOT_ON_CASE]


def test_a_disclosure_officer_may_link_a_sensitive_document(world: World, disclosure_a: User) -> None:
    exhibit = add(world, disclosure_a, documents=[world.sensitive])
    assert list(exhibit.documents.all()) == [world.sensitive]


def test_an_investigator_never_sees_a_linked_sensitive_document(
    world: World, disclosure_a: User, officer_a: User
) -> None:
    exhibit = add(world, disclosure_a, documents=[world.sensitive, world.cctv])
    seen = s.exhibit_get_for(user=officer_a, case=world.case, public_id=exhibit.public_id)
    assert list(seen.documents.all()) == [world.cctv]


def test_editing_keeps_sensitive_links_the_editor_cannot_see(world: World, disclosure_a: User, officer_a: User) -> None:
    exhibit = add(world, disclosure_a, documents=[world.sensitive, world.cctv])
    s.exhibit_update(
        exhibit=exhibit,
        changes=ExhibitChanges(
            description="Black leather wallet", producer_name="John Smith", documents=[world.statement]
        ),
        by=officer_a,
    )
    exhibit.refresh_from_db()
    assert exhibit.description == "Black leather wallet"
    assert exhibit.reference == "JS/1"
    assert set(exhibit.documents.all()) == {world.sensitive, world.statement}
    event = AuditEvent.objects.get(event_type=AuditEventType.EXHIBIT_UPDATED)
    assert event.data == {"changed": ["description", "documents"]}
    assert event.case_id == world.case.public_id


def test_editing_with_no_change_records_nothing(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a)
    s.exhibit_update(
        exhibit=exhibit, changes=ExhibitChanges(description="Black wallet", producer_name="John Smith"), by=officer_a
    )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.EXHIBIT_UPDATED).exists()


def test_editing_refuses_a_blank_description(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        s.exhibit_update(exhibit=exhibit, changes=ExhibitChanges(description="", producer_name=""), by=officer_a)
    assert messages(exc) == {"description": [s.DESCRIPTION_REQUIRED], "producer_name": [s.PRODUCER_REQUIRED]}
    assert db_state() == before


@pytest.mark.parametrize("who", ["lawyer_north", "manager_police_a"])
def test_only_builders_of_the_owning_force_manage_exhibits(
    world: World, officer_a: User, who: str, request: pytest.FixtureRequest
) -> None:
    send_to_cps(world.case)
    exhibit = add(world, officer_a)
    user = request.getfixturevalue(who)
    before = db_state()
    with pytest.raises(PermissionDenied, match=NOT_ALLOWED):
        add(world, user)
    with pytest.raises(PermissionDenied):
        s.exhibit_update(exhibit=exhibit, changes=ExhibitChanges(description="x", producer_name="y"), by=user)
    with pytest.raises(PermissionDenied):
        s.exhibit_move(
            exhibit=exhibit,
            details=MovementDetails(timezone.now(), "Store A", "Lab", "PC 1 Smith"),
            by=user,
        )
    assert db_state() == before


# -- continuity ----------------------------------------------------------------------------------


def move(exhibit: Exhibit, by: User, **overrides: object) -> object:
    fields: dict[str, object] = {
        "moved_at": timezone.now() - timedelta(hours=1),
        "from_location": exhibit.location,
        "to_location": "Forensic lab",
        "handled_by": "PC 1234 Jane Doe",
        "reason": "Fingerprints",
    }
    fields.update(overrides)
    return s.exhibit_move(exhibit=exhibit, details=MovementDetails(**fields), by=by)  # type: ignore[arg-type]


def test_a_move_starts_where_the_exhibit_is_and_leaves_it_at_its_destination(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a)
    move(exhibit, officer_a, from_location="store a")
    exhibit.refresh_from_db()
    assert exhibit.location == "Forensic lab"
    movement = exhibit.movements.get()
    assert (movement.from_location, movement.to_location, movement.handled_by) == (
        "Store A",
        "Forensic lab",
        "PC 1234 Jane Doe",
    )
    assert movement.recorded_by == officer_a
    move(exhibit, officer_a, to_location="Store A", moved_at=timezone.now())
    exhibit.refresh_from_db()
    assert exhibit.location == "Store A"
    assert [m.to_location for m in exhibit.movements.all()] == ["Forensic lab", "Store A"]
    events = AuditEvent.objects.filter(event_type=AuditEventType.EXHIBIT_MOVED, case_id=world.case.public_id)
    assert [e.data["from"] for e in events.order_by("id")] == ["Store A", "Forensic lab"]


def test_a_move_from_anywhere_else_is_refused_with_where_the_exhibit_is(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        move(exhibit, officer_a, from_location="Store B")
    assert messages(exc) == {"from_location": [s.FROM_NOT_CURRENT.format(location="Store A")]}
    assert db_state() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"moved_at": None}, "moved_at", s.MOVED_AT_REQUIRED),
        ({"moved_at": timezone.now() + timedelta(days=1)}, "moved_at", s.MOVED_AT_IN_FUTURE),
        ({"from_location": ""}, "from_location", s.FROM_REQUIRED),
        ({"to_location": " "}, "to_location", s.TO_REQUIRED),
        ({"to_location": "STORE A"}, "to_location", s.TO_SAME_AS_FROM),
        ({"handled_by": ""}, "handled_by", s.HANDLED_BY_REQUIRED),
    ],
)
def test_a_move_needs_every_detail(
    world: World, officer_a: User, overrides: dict[str, object], field: str, message: str
) -> None:
    exhibit = add(world, officer_a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        move(exhibit, officer_a, **overrides)
    assert messages(exc)[field] == [message]
    assert db_state() == before


def test_a_move_cannot_be_dated_before_the_last_move(world: World, officer_a: User) -> None:
    exhibit = add(world, officer_a)
    last = timezone.now() - timedelta(hours=1)
    move(exhibit, officer_a, moved_at=last)
    exhibit.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        move(exhibit, officer_a, to_location="Court", moved_at=last - timedelta(minutes=5))
    when = timezone.localtime(last)
    assert messages(exc)["moved_at"] == [s.MOVED_BEFORE_LAST_MOVE.format(when=f"{when:%-d %B %Y at %H:%M}")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_take_different_numbers(world: World, officer_a: User) -> None:
    """Both threads lock the case row: the second waits, then sees the first's number."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(description: str) -> None:
        try:
            barrier.wait()
            add(world, officer_a, description=description)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"Item {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Exhibit.objects.filter(case=world.case).values_list("reference", flat=True)) == ["JS/1", "JS/2"]
