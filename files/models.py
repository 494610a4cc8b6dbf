"""Case material: documents and their immutable versions, exhibits with continuity, unused
material schedules, the structured MG5 (points to prove linked to evidence), file submissions for
a National File Standard stage with their quality reports, and the CPS assessment of a file.

Files are stored through Django ``STORAGES`` (private filesystem by default, S3 by
configuration) under opaque names, and leave only through an authorising, auditing view.
"""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from casework.models import Case, OffenceAllegation, Suspect, Witness

from .choices import (
    AnticipatedPlea,
    DisputeOutcome,
    DocumentKind,
    FailureResponse,
    FileStage,
    ProsecutorDecision,
    RedactionStatus,
    ScanStatus,
    Schedule,
    Sensitivity,
    SubmissionStatus,
)


def version_upload_path(instance: DocumentVersion, filename: str) -> str:
    """An opaque storage name: the user's file name never becomes a path."""
    return f"cases/{instance.document.case.public_id}/{uuid.uuid4().hex}"


@pghistory.track()
class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by document_case_kind_idx (case, kind).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents", db_index=False)
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=300)
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.NORMAL)
    redaction_status = models.CharField(
        max_length=20, choices=RedactionStatus.choices, default=RedactionStatus.NOT_REQUIRED
    )
    redaction_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redaction_confirmed_at = models.DateTimeField(null=True, blank=True)
    witness = models.ForeignKey(Witness, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    suspect = models.ForeignKey(Suspect, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="document_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class DocumentVersion(models.Model):
    """One upload. Never changed after it is written (except by the scanner and text extractor,
    which fill in what they find); re-uploading makes version n+1 and earlier versions stay."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by document_version_unique (document, number).
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions", db_index=False)
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_path, max_length=300)
    original_name = models.CharField(max_length=255, help_text="Sanitised name as uploaded.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    mime_type = models.CharField(max_length=100, help_text="Sniffed from the content, not the name.")
    scan_status = models.CharField(max_length=20, choices=ScanStatus.choices, default=ScanStatus.PENDING)
    scan_detail = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, help_text="Extracted text, for search.")
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]
        indexes = [models.Index(fields=["scan_status"], name="version_scan_idx")]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.number}"

    @property
    def is_downloadable(self) -> bool:
        return self.scan_status == ScanStatus.CLEAN


@pghistory.track()
class Exhibit(models.Model):
    """An exhibit, referenced by the producer's initials and a number (e.g. JS/1)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by exhibit_reference_unique (case, reference).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exhibits", db_index=False)
    reference = models.CharField(max_length=20)
    producer_name = models.CharField(max_length=200)
    producer_initials = models.CharField(max_length=6)
    number = models.PositiveIntegerField()
    description = models.TextField()
    location = models.CharField(max_length=300, help_text="Where the exhibit is now.")
    documents = models.ManyToManyField(Document, blank=True, related_name="exhibits")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["producer_initials", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "reference"], name="exhibit_reference_unique")]

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:60]}"


class ExhibitMovement(models.Model):
    """Continuity: each time an exhibit changes hands or place."""

    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="movements")
    moved_at = models.DateTimeField()
    from_location = models.CharField(max_length=300)
    to_location = models.CharField(max_length=300)
    handled_by = models.CharField(max_length=200)
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moved_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_location} → {self.to_location}"


@pghistory.track()
class UnusedItem(models.Model):
    """A row of the MG6C (non-sensitive) or MG6D (sensitive) unused material schedule."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by unused_item_number_unique (case, schedule, item_number).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="unused_items", db_index=False)
    schedule = models.CharField(max_length=10, choices=Schedule.choices)
    item_number = models.PositiveIntegerField()
    description = models.TextField(help_text="Enough to identify it, without revealing why it is sensitive.")
    location = models.CharField(max_length=300)
    sensitivity_reason = models.TextField(blank=True, help_text="MG6D only: why the item is sensitive.")
    rebuttable_presumption = models.BooleanField(
        default=False, help_text="Presumed to meet the disclosure test (AG Guidelines Annex A)."
    )
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    prosecutor_decision = models.CharField(
        max_length=20, choices=ProsecutorDecision.choices, blank=True, default=ProsecutorDecision.UNDECIDED
    )
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["schedule", "item_number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "schedule", "item_number"], name="unused_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_schedule_display()} item {self.item_number}"


class CaseSummary(models.Model):
    """The structured MG5: entered once, printed many times. Supervisor certification is FQ01."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="mg5")
    summary = models.TextField(blank=True, help_text="Objective, balanced and chronological.")
    interview_summary = models.TextField(blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"MG5 for {self.case}"


class PointToProve(models.Model):
    """A point the prosecution must prove for an offence, linked to the evidence that proves it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="points_to_prove")
    offence = models.ForeignKey(OffenceAllegation, on_delete=models.CASCADE, related_name="points_to_prove")
    text = models.CharField(max_length=500)
    order = models.PositiveIntegerField(default=0)
    evidence_documents = models.ManyToManyField(Document, blank=True, related_name="proves")
    evidence_exhibits = models.ManyToManyField(Exhibit, blank=True, related_name="proves")

    class Meta:
        ordering = ["offence", "order", "id"]

    def __str__(self) -> str:
        return self.text


# The snapshot is not copied into the history: it is written once, with the status, when the file is submitted,
# and the trigger below keeps it as it was sent from then on, so the row itself is its record. (Copied, it was the
# largest part of every submission's history, 6 KB an event.)
@pghistory.track(exclude=["snapshot"])
class FileSubmission(models.Model):
    """A file assembled for one National File Standard stage. While a draft it follows the case;
    on submission it becomes an immutable snapshot of exactly which document versions and data
    were sent (``items`` and ``snapshot``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by submission_case_status_idx (case, status).
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="submissions", db_index=False)
    stage = models.CharField(max_length=30, choices=FileStage.choices)
    anticipated_plea = models.CharField(max_length=20, choices=AnticipatedPlea.choices, default=AnticipatedPlea.UNKNOWN)
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    snapshot = models.JSONField(default=dict, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="submission_case_status_idx")]
        triggers = [
            # What was sent stays what was sent: no change to the snapshot of a submitted (or withdrawn) file.
            pgtrigger.Protect(
                name="submitted_snapshot_kept",
                operation=pgtrigger.Update,
                condition=~pgtrigger.Q(old__status="draft")
                & pgtrigger.Q(new__snapshot__df=pgtrigger.F("old__snapshot")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.get_status_display()})"


class SubmissionItem(models.Model):
    """A document version that was part of a submitted file."""

    # Indexed by submission_item_unique (submission, version).
    submission = models.ForeignKey(FileSubmission, on_delete=models.CASCADE, related_name="items", db_index=False)
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "version"], name="submission_item_unique")]

    def __str__(self) -> str:
        return str(self.version)


class QualityReport(models.Model):
    """The findings of one run of the quality rules on a file, kept with the rule-set version that
    produced them. ``inputs_digest`` lets the background check skip a run when nothing changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by report_submission_idx (submission, -created_at).
    submission = models.ForeignKey(FileSubmission, on_delete=models.CASCADE, related_name="reports", db_index=False)
    ruleset_version = models.CharField(max_length=20)
    inputs_digest = models.CharField(max_length=64)
    findings = models.JSONField(default=list)
    blocking_count = models.PositiveIntegerField(default=0)
    advisory_count = models.PositiveIntegerField(default=0)
    on_submission = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["submission", "-created_at"], name="report_submission_idx")]

    def __str__(self) -> str:
        return f"Quality report {self.created_at:%Y-%m-%d %H:%M} ({self.blocking_count} blocking)"


class CpsAssessment(models.Model):
    """The CPS's own assessment of a submitted file against the National File Standard."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.OneToOneField(FileSubmission, on_delete=models.CASCADE, related_name="assessment")
    met_standard = models.BooleanField()
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["assessed_at"], name="cps_assessment_day_idx")]

    def __str__(self) -> str:
        return f"CPS assessment: {'met' if self.met_standard else 'not met'}"


class AssessmentFailure(models.Model):
    """One failure reason from the shared taxonomy (FQ01–FQ20), the police response to it, and the
    outcome of any dispute as recorded by a CPS legal manager."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by assessment_failure_once (assessment, code).
    assessment = models.ForeignKey(CpsAssessment, on_delete=models.CASCADE, related_name="failures", db_index=False)
    code = models.CharField(max_length=4)
    note = models.TextField(blank=True)
    response = models.CharField(max_length=20, choices=FailureResponse.choices, blank=True, default="")
    response_note = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    dispute_outcome = models.CharField(max_length=20, choices=DisputeOutcome.choices, blank=True, default="")
    dispute_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="assessment_failure_once")]

    def __str__(self) -> str:
        return self.code
