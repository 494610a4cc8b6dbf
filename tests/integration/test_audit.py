"""The audit log is append-only and written in the same transaction as the change it records."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, InternalError, transaction

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_audit_record_copies_who_and_their_role_and_organisation(officer_a: User) -> None:
    event = audit_record(by=officer_a, event_type=AuditEventType.CASE_VIEWED, obj=officer_a, summary="looked")
    event.refresh_from_db()
    assert event.actor == officer_a
    assert event.actor_username == "officer_a"
    assert event.actor_roles == ["police_investigator"]
    assert event.actor_organisation == officer_a.organisation
    assert event.object_type == "accounts.user"
    assert event.object_id == str(officer_a.public_id)


def test_the_application_cannot_update_an_audit_row(officer_a: User) -> None:
    event = audit_record(by=officer_a, event_type=AuditEventType.SIGNED_IN)
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    event.refresh_from_db()
    assert event.summary == ""


def test_the_application_cannot_delete_an_audit_row(officer_a: User) -> None:
    event = audit_record(by=officer_a, event_type=AuditEventType.SIGNED_IN)
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_rewrite_the_audit_log_either(officer_a: User) -> None:
    from django.db import connection

    event = audit_record(by=officer_a, event_type=AuditEventType.SIGNED_IN)
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditevent SET actor_username = 'someone else' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.actor_username == "officer_a"


def test_saving_an_existing_audit_event_is_refused(officer_a: User) -> None:
    from django.core.exceptions import ValidationError

    event = audit_record(by=officer_a, event_type=AuditEventType.SIGNED_IN)
    event.summary = "changed"
    with pytest.raises(ValidationError):
        event.save()


def test_audit_rolls_back_with_the_change_it_records(officer_a: User) -> None:
    before = AuditEvent.objects.count()

    def change_that_fails() -> None:
        with transaction.atomic():
            audit_record(by=officer_a, event_type=AuditEventType.CASE_UPDATED)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert AuditEvent.objects.count() == before


def test_row_history_records_changes_to_users(officer_a: User) -> None:
    officer_a.job_title = "Detective Sergeant"
    officer_a.save()
    history = list(officer_a.events.order_by("pgh_id").values_list("pgh_label", "job_title"))  # type: ignore[attr-defined]
    assert history[-1] == ("update", "Detective Sergeant")
    assert history[0][0] == "insert"


def test_row_history_never_copies_password_hashes(officer_a: User) -> None:
    from accounts.models import UserEvent  # type: ignore[attr-defined]

    assert "password" not in {f.name for f in UserEvent._meta.get_fields()}
