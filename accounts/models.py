"""Organisations (police forces, CPS Areas, CPS Direct), their units, courts, users and the audit log.

Organisations, units and courts are reference data: they come from the MoJ standing-data package
(``manage.py load_reference_data``), never typed in by hand.
"""

from __future__ import annotations

import uuid
from typing import Any

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, TextField
from django.db.models.functions import Cast, Upper

from .choices import CPS_ROLES, MANAGER_ROLES, POLICE_ROLES, AuditEventType, CourtKind, OrganisationKind, Role, Side


@pghistory.track()
class Organisation(models.Model):
    """A police force, a CPS Area or CPS Direct.

    ``code`` is the two-digit force code for a police force (e.g. ``46`` Kent), and a stable slug for
    a CPS Area (``south-east``). A police force is served by one CPS Area (``served_by``); British
    Transport Police has none, because its cases go to the Area where the offence happened.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    served_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serves",
        limit_choices_to={"kind": OrganisationKind.CPS_AREA},
        help_text="For a police force: the CPS Area that takes its charging requests.",
    )
    restrict_police_to_unit = models.BooleanField(
        default=False,
        help_text="Police officers (not supervisors or managers) see only cases of their own unit.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="organisation_kind_code_unique"),
            models.CheckConstraint(
                condition=models.Q(served_by__isnull=True) | models.Q(kind=OrganisationKind.POLICE_FORCE),
                name="organisation_only_forces_are_served",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def side(self) -> Side:
        return Side.POLICE if self.kind == OrganisationKind.POLICE_FORCE else Side.CPS


@pghistory.track()
class Unit(models.Model):
    """A unit within an organisation: a police station or division (its two-character URN unit code)
    or a CPS unit (e.g. Magistrates' Court Unit, RASSO unit) within an Area."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unit_org_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Court(models.Model):
    """A magistrates' court or Crown Court from the standing data's organisation units."""

    code = models.CharField(max_length=20, unique=True, help_text="Standing-data organisation unit code.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CourtKind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class CasebridgeUserManager(UserManager["User"]):
    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("organisation", "unit")


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in. Belongs to one organisation (optionally one of its units) and holds one
    or more roles there. System administrators without an organisation manage the service only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    roles = ArrayField(models.CharField(max_length=40, choices=Role.choices), default=list, blank=True)
    job_title = models.CharField(
        max_length=200, blank=True, help_text="Rank or grade, e.g. DC, Senior Crown Prosecutor."
    )
    shoulder_number = models.CharField(max_length=20, blank=True)

    objects = CasebridgeUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        # The case list's "officer in case" box (casework.selectors.officers_named): every word typed is a collar
        # number or the start of a first or last name, within the user's force: UPPER(column) = / LIKE 'X%', which
        # these serve (text_pattern_ops: the database's collation is not C). Without them the Met's 3,000 officers
        # were read one by one for each lookup (3 ms at national size).
        indexes = [
            models.Index(
                F("organisation"),
                OpClass(Upper(Cast("shoulder_number", TextField())), "text_pattern_ops"),
                name="user_force_collar_idx",
            ),
            models.Index(
                F("organisation"),
                OpClass(Upper(Cast("first_name", TextField())), "text_pattern_ops"),
                name="user_force_first_name_idx",
            ),
            models.Index(
                F("organisation"),
                OpClass(Upper(Cast("last_name", TextField())), "text_pattern_ops"),
                name="user_force_last_name_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        roles = set(self.roles)
        if self.unit_id and self.organisation_id and self.unit and self.unit.organisation_id != self.organisation_id:
            errors["unit"] = "The unit must belong to the user's organisation."
        if self.organisation_id and self.organisation:
            allowed = POLICE_ROLES if self.organisation.side == Side.POLICE else CPS_ROLES
            wrong = roles - allowed - {Role.SYSTEM_ADMINISTRATOR}
            if wrong:
                errors["roles"] = (
                    f"{', '.join(sorted(Role(r).label for r in wrong))} cannot be held in {self.organisation.name}."
                )
        elif roles - {Role.SYSTEM_ADMINISTRATOR}:
            errors["organisation"] = "Choose the organisation this person works for."
        if errors:
            raise ValidationError(errors)

    # Role helpers used by rules, selectors and templates.
    def has_role(self, *roles: str) -> bool:
        return bool(set(self.roles) & set(roles))

    @property
    def side(self) -> Side | None:
        return self.organisation.side if self.organisation else None

    @property
    def is_police(self) -> bool:
        return self.side == Side.POLICE and bool(set(self.roles) & POLICE_ROLES)

    @property
    def is_cps(self) -> bool:
        return self.side == Side.CPS and bool(set(self.roles) & CPS_ROLES)

    @property
    def is_manager(self) -> bool:
        return bool(set(self.roles) & MANAGER_ROLES)

    @property
    def is_system_administrator(self) -> bool:
        return Role.SYSTEM_ADMINISTRATOR in self.roles or self.is_superuser

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles if r in Role.values]


class AuditEvent(models.Model):
    """One thing that happened, who did it and from where. Append-only: a database trigger refuses
    UPDATE and DELETE (``Meta.triggers``), so not even the application can rewrite history.

    Written by services in the same transaction as the change they record, and by views that show
    sensitive records (a view is an event too in a justice system).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    event_type = models.CharField(max_length=50, choices=AuditEventType.choices, db_index=True)
    # Indexed by audit_actor_idx (actor, -occurred_at).
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False)
    # Copied at the time of the event: a later change of role or organisation must not rewrite it.
    actor_username = models.CharField(max_length=150, blank=True)
    actor_roles = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model of the object.")
    # Indexed by audit_object_idx (object_type, object_id): every lookup of an object's events names its type.
    object_id = models.CharField(max_length=64, blank=True, help_text="Public id of the object.")
    # Indexed by audit_case_idx (case_id, occurred_at).
    case_id = models.UUIDField(null=True, blank=True, help_text="Public id of the case, if any.")
    summary = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["case_id", "occurred_at"], name="audit_case_idx"),
            # The case timeline (``casework.selectors.case_timeline``): a case's history without its views and
            # searches, which are audited on every page and would otherwise be read and thrown away.
            models.Index(
                fields=["case_id", "occurred_at", "id"],
                name="audit_case_timeline_idx",
                condition=~models.Q(event_type__in=[AuditEventType.CASE_VIEWED, AuditEventType.CASE_SEARCHED]),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_event_type_display()} by {self.actor_username or 'system'} at {self.occurred_at:%Y-%m-%d %H:%M}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Audit events cannot be changed.")
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for another system. Only a SHA-256 of the key is stored; the key is shown once,
    by ``manage.py issue_api_token``. Revoked in the admin by setting ``revoked_at``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Force RMS integration'.")
    prefix = models.CharField(max_length=12, db_index=True, help_text="First characters of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WorkerHeartbeat(models.Model):
    """Written by the ``record_worker_heartbeat`` task from Celery beat, so /healthz and
    administrators can see that background work is really running."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """A message to one person about something on a case they work on (a charging decision, an action plan, a
    return, a resubmission, a delay alert). Shown in the app; emailed by ``accounts.tasks.send_notification_email``
    once the transaction that raised it commits. ``case_id`` is the case's public id, so the link is scoped by
    the case views like any other."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by notification_inbox_idx and notification_list_idx (recipient, ...).
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    kind = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    # Path inside Casebridge (never an absolute URL: the email adds the site's address).
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx"),
            # The notifications page's order (newest first, the id making it total), read a page at a time.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"
