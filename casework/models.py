"""The shared case record, keyed by URN (Unique Reference Number) and owned by a police force.

A case has suspects (with their custody and bail history), the offences alleged or charged against
each suspect, victims (with the log of Victims' Code updates given) and witnesses, and hearings.
``cps_area`` is the CPS Area that serves the owning force (for British Transport Police, the Area
where the offence happened). The CPS sees a case once it has been sent (``sent_to_cps_at``); a
custody referral out of hours goes to CPS Direct (``sent_to_cps_direct``).

Search: ``search_text`` and ``search_names`` are denormalised by the services from the case's URN,
people and offences; ``search_vector`` is generated from them, and its words are GIN-indexed within each
scope (``ScopedLexemes``, migration 0009); misspelt names are found through the distinct words of names
(``casework_name_word``, migration 0007).
"""

from __future__ import annotations

import uuid
from datetime import date

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from accounts.models import Court, Organisation, Unit

from .choices import (
    Authority,
    BailRegime,
    CaseFlag,
    CaseStatus,
    ContactPreference,
    CustodyEventKind,
    DeadlineKind,
    DeadlineStatus,
    EnhancedRights,
    HearingOutcome,
    HearingType,
    ModeOfTrial,
    OffenceQualifier,
    OffenceStatus,
    SpecialMeasure,
    VictimPersonalStatement,
    VictimUpdateReason,
    WitnessType,
    WitnessVulnerability,
)
from .identifiers import display_asn, display_urn

YOUTH_AGE = 18


class UrnFormat(models.Model):
    """An accepted URN unit-code and serial shape. Rows without a force apply to every force;
    rows with a force add that force's own variants (domain.md 9.1). Data, not code."""

    force = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="urn_formats")
    unit_pattern = models.CharField(max_length=100)
    serial_pattern = models.CharField(max_length=100)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.force or 'All forces'}: unit {self.unit_pattern}, serial {self.serial_pattern}"


class OffenceCode(models.Model):
    """A CJS offence code from the MoJ standing data, with its mode of trial and, where DG6
    Annex 1 sends every such offence to the CPS, the DG6 group that says so."""

    code = models.CharField(max_length=12, unique=True)
    title = models.CharField(max_length=500)
    category = models.CharField(max_length=4, help_text="Standing-data offence category, e.g. CS, CM, CE, CI.")
    mode_of_trial = models.CharField(max_length=20, choices=ModeOfTrial.choices)
    home_office_classification = models.CharField(max_length=20, blank=True)
    notifiable = models.BooleanField(default=False)
    recordable = models.BooleanField(default=False)
    dg6_group = models.CharField(
        max_length=40, blank=True, help_text="DG6 Annex 1 group that reserves the charging decision to the CPS."
    )
    is_active = models.BooleanField(default=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("code", "title", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["code"]
        indexes = [
            GinIndex(fields=["search_vector"], name="offencecode_search_idx"),
            GinIndex(fields=["title"], name="offencecode_title_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ScopedLexemes(models.Func):
    """``casework_scoped_lexemes(scope_id, search_vector)`` (migration 0009): the lexemes of a case's search vector,
    each written after the id of a scope that may see the case ("16:smith" in force 16's), as a text array.

    A GIN index over it has a posting list per scope and word: searching a force or an Area for "smith" reads that
    scope's Smiths only. A GIN index led by the scope column (btree_gin) cannot do that: its posting list for
    "smith" holds every Smith in England and Wales, which the search then ANDs with the whole scope, so a common
    name cost about 100 times more at a million cases than at ten thousand."""

    function = "casework_scoped_lexemes"
    output_field = ArrayField(models.TextField())


# The search columns are derived (and can hold document text): row history need not copy them.
@pghistory.track(exclude=["search_text", "search_names", "search_vector"])
class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Unique by the constraint case_urn_unique, not unique=True: that also builds a varchar_pattern_ops (_like)
    # index for LIKE prefixes, and no query looks a URN up by prefix (a URN searched for is parsed whole).
    urn = models.CharField("URN", max_length=20, help_text="Normalised, without separators.")
    urn_as_entered = models.CharField(max_length=40, blank=True)
    # Indexed by case_force_status_idx (force, status) and the other case_force_*_idx.
    force = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    cps_area = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="cps_cases"
    )
    status = models.CharField(max_length=40, choices=CaseStatus.choices, default=CaseStatus.INVESTIGATION)
    flags = ArrayField(models.CharField(max_length=30, choices=CaseFlag.choices), default=list, blank=True)
    summary = models.TextField(blank=True, help_text="What the case is about, in a sentence or two.")
    # Indexed by case_oic_idx (officer_in_case, -updated_at).
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_oic",
        db_index=False,
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_supervised"
    )
    reported_on = models.DateField(null=True, blank=True, help_text="When the crime was reported.")
    sent_to_cps_at = models.DateTimeField(null=True, blank=True)
    sent_to_cps_direct = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(blank=True, default="")
    search_names = models.TextField(blank=True, default="")
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["force", "-updated_at", "-id"], name="case_force_updated_idx"),
            models.Index(fields=["force", "unit", "-updated_at", "-id"], name="case_force_unit_idx"),
            models.Index(
                fields=["cps_area", "-updated_at", "-id"],
                name="case_area_idx",
                condition=models.Q(sent_to_cps_at__isnull=False),
            ),
            models.Index(
                fields=["-updated_at", "-id"], name="case_cpsd_idx", condition=models.Q(sent_to_cps_direct=True)
            ),
            # The other sorts of the case list (``casework.selectors.SORTS``), per scope, so that every sort
            # of every scope reads one page through an index instead of sorting a force's or Area's cases.
            models.Index(fields=["force", "-created_at", "-id"], name="case_force_created_idx"),
            models.Index(fields=["force", "urn", "id"], name="case_force_urn_idx"),
            models.Index(
                fields=["cps_area", "-created_at", "-id"],
                name="case_area_created_idx",
                condition=models.Q(sent_to_cps_at__isnull=False),
            ),
            models.Index(
                fields=["cps_area", "urn", "id"],
                name="case_area_urn_idx",
                condition=models.Q(sent_to_cps_at__isnull=False),
            ),
            models.Index(
                fields=["-created_at", "-id"], name="case_cpsd_created_idx", condition=models.Q(sent_to_cps_direct=True)
            ),
            models.Index(fields=["force", "status"], name="case_force_status_idx"),
            models.Index(fields=["officer_in_case", "-updated_at"], name="case_oic_idx"),
            GinIndex(fields=["flags"], name="case_flags_idx"),
            # Search within a scope (migration 0009): the words of each force's cases and of each Area's, so a
            # search reads only its own force's or Area's matches (``ScopedLexemes``). CPS Direct's cases are a
            # scope of their own, so its index is of their search vectors alone.
            GinIndex(ScopedLexemes(models.F("force"), models.F("search_vector")), name="case_force_lexemes_idx"),
            GinIndex(
                ScopedLexemes(models.F("cps_area"), models.F("search_vector")),
                name="case_area_lexemes_idx",
                condition=models.Q(sent_to_cps_at__isnull=False),
            ),
            GinIndex(
                fields=["search_vector"], name="case_cpsd_search_idx", condition=models.Q(sent_to_cps_direct=True)
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["urn"], name="case_urn_unique")]

    def __str__(self) -> str:
        return self.urn_display

    @property
    def urn_display(self) -> str:
        return display_urn(self.urn)


def person_name(first_names: str, last_name: str) -> str:
    """How a person's name is written everywhere: first names, then the last name in capitals."""
    return f"{first_names} {last_name.upper()}".strip()


class Person(models.Model):
    """Fields every person on a case has."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_names = models.CharField(max_length=200)
    last_name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return person_name(self.first_names, self.last_name)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def is_youth(self) -> bool:
        """Under 18 today (youth is derived from the date of birth, never typed in)."""
        age = self.age_on(date.today())
        return age is not None and age < YOUTH_AGE


@pghistory.track()
class Suspect(Person):
    """A suspect, who becomes a defendant when charged."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    pnc_id = models.CharField("PNC ID", max_length=14, blank=True)
    asn = models.CharField("Arrest/summons number", max_length=20, blank=True)
    custody_record_number = models.CharField(max_length=40, blank=True)
    interpreter_language = models.CharField(
        max_length=100, blank=True, help_text="Leave blank if no interpreter is needed."
    )
    vulnerabilities = models.TextField(blank=True, help_text="Mental health, learning disability or other needs.")
    needs_appropriate_adult = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "pnc_id"], condition=~models.Q(pnc_id=""), name="suspect_pnc_once_per_case"
            )
        ]

    @property
    def asn_display(self) -> str:
        return display_asn(self.asn)


class OffenceAllegation(models.Model):
    """An offence alleged or charged against one suspect on the case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="offences")
    offence_code = models.ForeignKey(OffenceCode, on_delete=models.PROTECT, related_name="+")
    qualifier = models.CharField(max_length=1, choices=OffenceQualifier.choices, blank=True, default="")
    committed_on = models.DateField(help_text="The date, or the first date of a range.")
    committed_until = models.DateField(null=True, blank=True, help_text="The last date, for a continuing offence.")
    location = models.CharField(max_length=300, blank=True)
    particulars = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=OffenceStatus.choices, default=OffenceStatus.ALLEGED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(committed_until__isnull=True)
                | models.Q(committed_until__gte=models.F("committed_on")),
                name="offence_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_with_qualifier} against {self.suspect}"

    @property
    def code_with_qualifier(self) -> str:
        return f"{self.offence_code.code}{self.qualifier}"

    @property
    def last_date(self) -> date:
        return self.committed_until or self.committed_on


class CustodyEvent(models.Model):
    """One step of a suspect's custody and bail history (domain.md 5.2–5.4)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by custody_suspect_idx (suspect, occurred_at).
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="custody_events", db_index=False)
    kind = models.CharField(max_length=40, choices=CustodyEventKind.choices)
    occurred_at = models.DateTimeField(help_text="When it happened.")
    relevant_time = models.DateTimeField(null=True, blank=True, help_text="PACE relevant time (detention).")
    arrested_on = models.DateField(null=True, blank=True, help_text="Arrest date: decides the bail regime.")
    bail_regime = models.CharField(max_length=20, choices=BailRegime.choices, blank=True)
    bail_start_date = models.DateField(null=True, blank=True)
    period_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="End of the detention or bail period this event set."
    )
    authority = models.CharField(max_length=30, choices=Authority.choices, blank=True)
    authorised_by = models.CharField(max_length=200, blank=True, help_text="Name and rank, or the court.")
    court = models.ForeignKey(Court, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    offence = models.ForeignKey(
        OffenceAllegation, on_delete=models.CASCADE, null=True, blank=True, related_name="custody_events"
    )
    first_remand_date = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["suspect", "occurred_at"], name="custody_suspect_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


@pghistory.track()
class Victim(Person):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    is_organisation = models.BooleanField(
        default=False, help_text="A business or organisation, through a named contact."
    )
    enhanced_rights = ArrayField(
        models.CharField(max_length=40, choices=EnhancedRights.choices), default=list, blank=True
    )
    contact_preference = models.CharField(
        max_length=20, choices=ContactPreference.choices, default=ContactPreference.PHONE
    )
    contact_details = models.CharField(max_length=300, blank=True)
    personal_statement = models.CharField(
        max_length=20, choices=VictimPersonalStatement.choices, default=VictimPersonalStatement.NOT_YET_OFFERED
    )
    personal_statement_on = models.DateField(null=True, blank=True)
    first_statement_on = models.DateField(
        null=True, blank=True, help_text="First witness statement or video interview (s.39A time limit)."
    )

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def has_enhanced_rights(self) -> bool:
        return bool(self.enhanced_rights)


class VictimUpdate(models.Model):
    """A Victims' Code update given to a victim (Right 6), recorded by whoever gave it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="updates")
    reason = models.CharField(max_length=40, choices=VictimUpdateReason.choices)
    event_on = models.DateField(help_text="When the event the update is about happened.")
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=ContactPreference.choices)
    summary = models.TextField(blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} given on {self.given_on:%-d %B %Y}"


@pghistory.track()
class Witness(Person):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="witnesses")
    witness_type = models.CharField(max_length=20, choices=WitnessType.choices, default=WitnessType.EYEWITNESS)
    is_key = models.BooleanField(default=False)
    vulnerability = models.CharField(
        max_length=20, choices=WitnessVulnerability.choices, default=WitnessVulnerability.NONE
    )
    special_measures = ArrayField(
        models.CharField(max_length=30, choices=SpecialMeasure.choices), default=list, blank=True
    )
    willing_to_attend = models.BooleanField(default=True)
    no_dates_to_avoid = models.BooleanField(
        default=False,
        help_text='The witness has said there are no dates to avoid ("none" on the MG11 rear, MG10).',
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class WitnessUnavailability(models.Model):
    """Dates a witness cannot attend court (MG10)."""

    witness = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="dates_to_avoid")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="unavailability_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


@pghistory.track()
class Hearing(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    # Indexed by hearing_court_idx (court, starts_at).
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="hearings", db_index=False)
    starts_at = models.DateTimeField()
    hearing_type = models.CharField(max_length=30, choices=HearingType.choices)
    outcome = models.CharField(max_length=20, choices=HearingOutcome.choices, blank=True, default="")
    outcome_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["court", "starts_at"], name="hearing_court_idx")]

    def __str__(self) -> str:
        return f"{self.get_hearing_type_display()} at {self.court} on {self.starts_at:%Y-%m-%d}"


class PublicHoliday(models.Model):
    """A public holiday in England and Wales, for working-day arithmetic (``casework.deadlines``).

    Loaded from the vendored GOV.UK list by ``manage.py load_public_holidays``; ``source`` says where
    each row came from, so that a row added by hand (a newly proclaimed holiday) is never removed by a
    reload."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%-d %B %Y})"


class Deadline(models.Model):
    """One deadline on a case, computed from its facts by ``casework.deadlines.store.recompute_case_deadlines``
    in the same transaction as the change that moves it, and by the periodic sweep.

    ``subject_key`` says which suspect, offence, custody period, request or action it belongs to, so that
    (case, kind, subject_key) is one deadline however often it is recomputed. ``next_alert_at`` is the alert
    sweep's cursor: the earliest moment an alert threshold of this deadline is next reached (null once every
    threshold has been alerted or the deadline is closed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by deadline_case_idx (case, status, due_at) and deadline_one_per_subject (case, kind, subject_key).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines", db_index=False)
    kind = models.CharField(max_length=40, choices=DeadlineKind.choices)
    subject_key = models.CharField(max_length=100, blank=True, default="")
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines")
    offence = models.ForeignKey(
        OffenceAllegation, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    label = models.CharField(max_length=300, help_text="What is due, e.g. 'Custody time limit: J Reed, ABH'.")
    due_at = models.DateTimeField()
    rule = models.CharField(max_length=500, help_text="The rule that produced it and its source.")
    statutory = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    next_alert_at = models.DateTimeField(null=True, blank=True)
    # When it was met (status met): when what met it happened where the facts say (the charge, the end of
    # detention or bail, the start of the trial), else when it was first recorded as met.
    met_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "subject_key"], name="deadline_one_per_subject"),
        ]
        indexes = [
            models.Index(fields=["next_alert_at"], name="deadline_sweep_idx", condition=models.Q(status="open")),
            models.Index(fields=["case", "status", "due_at"], name="deadline_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.due_at:%Y-%m-%d %H:%M})"
