"""Documents and their versions: uploading (a new document, or version n+1 of one), the virus scan
and text extraction that follow, downloading, and changing a document's sensitivity and redaction.

Every write checks the rules, writes, records its audit event in the same transaction and queues
background work on commit. A stored file belongs to exactly one committed version: the file is
written inside the transaction and deleted again if the transaction does not commit, so a refused
or failed upload leaves neither a row nor a file behind.

A new version starts ``pending`` (quarantined): nobody can download it until ClamAV has said it is
clean. Infected and unscannable versions stay quarantined for good (ScanStatus).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from accounts.audit import audit_record
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case, Suspect, Witness
from casework.selectors import CASE_NOT_FOUND
from casework.services._common import NOT_ALLOWED, lock_case, notify_case_changed, refresh_search, require_perm

from ..choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from ..models import Document, DocumentVersion
from ..scanning import ClamdClient, ClamdError, ClamdUnavailable
from ..selectors import can_see_sensitive
from ..uploads import NO_FILE, PDF, InspectedUpload, UploadRefused, inspect_upload

logger = structlog.get_logger(__name__)

MAX_FILES_PER_UPLOAD = 20
TITLE_MAX_LENGTH = 300
TEXT_MAX_CHARS = 2_000_000

KIND_REQUIRED = "Select what kind of material this is"
TITLE_TOO_LONG = f"The title must be {TITLE_MAX_LENGTH} characters or fewer"
SENSITIVITY_UNKNOWN = "Select whether the material is sensitive"
REDACTION_UNKNOWN = "Select the redaction status"
WITNESS_NOT_ON_CASE = "Choose a witness on this case"
SUSPECT_NOT_ON_CASE = "Choose a suspect on this case"
TOO_MANY_FILES = f"Upload up to {MAX_FILES_PER_UPLOAD} files at a time"
SENSITIVE_NOT_ALLOWED = "Only the disclosure officer, a police supervisor or the CPS can mark material as sensitive."
SENSITIVITY_CHANGE_NOT_ALLOWED = (
    "Only the disclosure officer, a police supervisor or the CPS can change whether material is sensitive."
)
AWAITING_SCAN = "This file is waiting for its virus scan. Try again in a few minutes."
QUARANTINED_INFECTED = "This file has been quarantined because the virus scan found a virus. It cannot be downloaded."
QUARANTINED_FAILED = "This file has been quarantined because it could not be virus scanned. It cannot be downloaded."
SCAN_FILE_MISSING = "The stored file is missing"


@dataclass(frozen=True)
class DocumentDetails:
    """What the uploader says about the material. A blank title takes each file's name."""

    kind: str
    title: str = ""
    sensitivity: str = Sensitivity.NORMAL
    redaction_status: str = RedactionStatus.NOT_REQUIRED
    witness: Witness | None = None
    """Whose statement or form it is (such as their MG11 or MG2); must be a witness of the case."""
    suspect: Suspect | None = None
    """The suspect it is about (such as their PNC print, MG7 or MG4); must be a suspect of the case."""


class VersionNotDownloadable(Exception):
    """The version exists and may be seen, but its content may not leave: awaiting scan or quarantined."""

    def __init__(self, scan_status: str) -> None:
        self.scan_status = scan_status
        self.code = "awaiting_scan" if scan_status == ScanStatus.PENDING else "quarantined"
        self.message = {
            ScanStatus.PENDING: AWAITING_SCAN,
            ScanStatus.INFECTED: QUARANTINED_INFECTED,
        }.get(ScanStatus(scan_status), QUARANTINED_FAILED)
        super().__init__(self.message)


# ---------------------------------------------------------------------------------------------
# Uploading


def _storage() -> Storage:
    return DocumentVersion._meta.get_field("file").storage  # type: ignore[union-attr,no-any-return]


@contextmanager
def _files_discarded_unless_committed() -> Iterator[list[str]]:
    """Yields the list to record each stored file name in; deletes them all if the block fails.

    Used around a *durable* transaction: when the ``with`` exits normally the transaction has
    committed, so any exception - a refusal, a database error, the commit itself failing - means
    the rows are gone and the files must go too. (Django has no on-rollback hook.)"""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        storage = _storage()
        for name in stored:
            storage.delete(name)
        raise


def _store_version(
    document: Document, number: int, upload: InspectedUpload, by: User, stored: list[str]
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=upload.name,
        size=upload.size,
        sha256=upload.sha256,
        mime_type=upload.mime_type,
        uploaded_by=by,
    )
    # version_upload_path ignores the user's name: the storage name is opaque. It is recorded
    # before writing, so that a half-written file (disk full, storage error) is removed as well.
    field = DocumentVersion._meta.get_field("file")
    assert isinstance(field, models.FileField)
    name = field.generate_filename(version, upload.name)
    stored.append(name)
    saved = field.storage.save(name, upload.file, max_length=field.max_length)
    if saved != name:
        stored.append(saved)
    version.file.name = saved
    version.save()
    transaction.on_commit(partial(enqueue_scan, version.pk))
    return version


def enqueue_scan(version_id: int) -> None:
    from ..tasks import scan_document_version

    scan_document_version.apply_async(args=[version_id], queue=settings.FILES_TASK_QUEUE or None)


def _version_data(version: DocumentVersion) -> dict[str, Any]:
    return {"version": version.number, "size": version.size, "sha256": version.sha256, "mime_type": version.mime_type}


def _inspect_all(uploads: Sequence[UploadedFile[bytes]], kind: str) -> tuple[list[InspectedUpload], list[str]]:
    inspected: list[InspectedUpload] = []
    refusals: list[str] = []
    for upload in uploads:
        try:
            inspected.append(inspect_upload(upload, kind=kind))
        except UploadRefused as refusal:
            refusals.append(refusal.display)
    return inspected, refusals


def _title_for(title: str, upload: InspectedUpload, several: bool) -> str:
    stem = upload.name.rsplit(".", 1)[0] if "." in upload.name.lstrip(".") else upload.name
    if not title:
        return stem[:TITLE_MAX_LENGTH]
    return (f"{title} – {stem}" if several else title)[:TITLE_MAX_LENGTH]


def _check_upload_permissions(case: Case, details: DocumentDetails, by: User) -> None:
    require_perm(by, "files.upload_document", case)
    if details.sensitivity == Sensitivity.SENSITIVE and not can_see_sensitive(by, case):
        raise PermissionDenied(SENSITIVE_NOT_ALLOWED)
    if details.redaction_status == RedactionStatus.REDACTED:
        require_perm(by, "files.confirm_redaction", case)


def _people_data(details: DocumentDetails) -> dict[str, str]:
    """Who the material is linked to, for the audit event: public ids only, never a name."""
    data: dict[str, str] = {}
    if details.witness is not None:
        data["witness"] = str(details.witness.public_id)
    if details.suspect is not None:
        data["suspect"] = str(details.suspect.public_id)
    return data


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def document_upload(
    *, case: Case, details: DocumentDetails, files: Sequence[UploadedFile[bytes]], by: User
) -> list[Document]:
    """Add material to a case: one document per file, each with its version 1 (pending its virus
    scan). All or nothing: if any file is refused, nothing is stored and every refusal is reported
    under ``file``, naming the file. Sensitive (MG6D) material may be created only by those who may
    see it (CPIA Code para 6.12; domain.md 6.3)."""
    _check_upload_permissions(case, details, by)
    errors: dict[str, list[str]] = {}
    title = details.title.strip()
    if details.kind not in DocumentKind.values:
        errors["kind"] = [KIND_REQUIRED]
    if len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [TITLE_TOO_LONG]
    if details.sensitivity not in Sensitivity.values:
        errors["sensitivity"] = [SENSITIVITY_UNKNOWN]
    if details.redaction_status not in RedactionStatus.values:
        errors["redaction_status"] = [REDACTION_UNKNOWN]
    if details.witness is not None and details.witness.case_id != case.pk:
        errors["witness"] = [WITNESS_NOT_ON_CASE]
    if details.suspect is not None and details.suspect.case_id != case.pk:
        errors["suspect"] = [SUSPECT_NOT_ON_CASE]
    if not files:
        errors["file"] = [NO_FILE]
    elif len(files) > MAX_FILES_PER_UPLOAD:
        errors["file"] = [TOO_MANY_FILES]
    _raise_if(errors)
    inspected, refusals = _inspect_all(files, details.kind)
    _raise_if({"file": refusals} if refusals else {})

    documents: list[Document] = []
    with _files_discarded_unless_committed() as stored, transaction.atomic(durable=True):
        now = timezone.now()
        redacted = details.redaction_status == RedactionStatus.REDACTED
        for upload in inspected:
            document = Document.objects.create(
                case=case,
                kind=details.kind,
                title=_title_for(title, upload, len(inspected) > 1),
                sensitivity=details.sensitivity,
                redaction_status=details.redaction_status,
                redaction_confirmed_by=by if redacted else None,
                redaction_confirmed_at=now if redacted else None,
                witness=details.witness,
                suspect=details.suspect,
                created_by=by,
            )
            version = _store_version(document, 1, upload, by, stored)
            _audit_document(
                by=by,
                event_type=AuditEventType.DOCUMENT_UPLOADED,
                obj=document,
                case_id=case.public_id,
                summary=f"{document.get_kind_display()} uploaded: {document.title}",
                data={
                    **_version_data(version),
                    "kind": document.kind,
                    "sensitivity": document.sensitivity,
                    **_people_data(details),
                },
            )
            if redacted:
                _audit_document(
                    by=by,
                    event_type=AuditEventType.REDACTION_CONFIRMED,
                    obj=document,
                    case_id=case.public_id,
                    summary=f"Redaction confirmed on upload: {document.title}",
                    data={"version": version.number},
                )
            documents.append(document)
        refresh_search(case)  # titles are searchable; also re-checks draft files
    return documents


def document_version_add(*, document: Document, file: UploadedFile[bytes] | None, by: User) -> DocumentVersion:
    """Upload a new version of a document: version n+1, pending its virus scan; earlier versions
    stay as they were. A confirmed redaction was a confirmation of the earlier content, so a
    redacted document goes back to "redaction required"."""
    case = document.case
    require_perm(by, "files.upload_document", case)
    if document.sensitivity == Sensitivity.SENSITIVE and not can_see_sensitive(by, case):
        raise Http404(CASE_NOT_FOUND)
    try:
        upload = inspect_upload(file, kind=document.kind)
    except UploadRefused as refusal:
        raise ValidationError({"file": [refusal.display if file is not None else NO_FILE]}) from refusal

    with _files_discarded_unless_committed() as stored, transaction.atomic(durable=True):
        # The lock makes concurrent uploads to one document queue up, so each gets its own number.
        document = Document.objects.select_for_update().get(pk=document.pk)
        number = (document.versions.aggregate(latest=Max("number"))["latest"] or 0) + 1
        version = _store_version(document, number, upload, by, stored)
        data = _version_data(version)
        if document.redaction_status == RedactionStatus.REDACTED:
            document.redaction_status = RedactionStatus.REQUIRED
            document.redaction_confirmed_by = None
            document.redaction_confirmed_at = None
            data["redaction_status"] = {"from": RedactionStatus.REDACTED, "to": RedactionStatus.REQUIRED}
        document.save(
            update_fields=["redaction_status", "redaction_confirmed_by", "redaction_confirmed_at", "updated_at"]
        )
        _audit_document(
            by=by,
            event_type=AuditEventType.DOCUMENT_VERSION_ADDED,
            obj=document,
            case_id=case.public_id,
            summary=f"Version {number} uploaded: {document.title}",
            data=data,
        )
    version.document = document
    notify_case_changed(document.case)
    return version


# ---------------------------------------------------------------------------------------------
# Sensitivity and redaction


def document_update(
    *, document: Document, by: User, sensitivity: str | None = None, redaction_status: str | None = None
) -> Document:
    """Change whether a document is sensitive (only those who may see sensitive material), and its
    redaction status (the police of the case). Marking it redacted records who confirmed the
    redaction and when (DPA 2018 Part 3; Joint Principles for Redaction, domain.md 6.4)."""
    case = document.case
    if document.sensitivity == Sensitivity.SENSITIVE and not can_see_sensitive(by, case):
        raise Http404(CASE_NOT_FOUND)
    if sensitivity is not None and not can_see_sensitive(by, case):
        raise PermissionDenied(SENSITIVITY_CHANGE_NOT_ALLOWED)
    if redaction_status is not None:
        require_perm(by, "files.confirm_redaction", case)
    errors: dict[str, list[str]] = {}
    if sensitivity is not None and sensitivity not in Sensitivity.values:
        errors["sensitivity"] = [SENSITIVITY_UNKNOWN]
    if redaction_status is not None and redaction_status not in RedactionStatus.values:
        errors["redaction_status"] = [REDACTION_UNKNOWN]
    _raise_if(errors)

    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
        changed: list[str] = []
        if sensitivity is not None and sensitivity != document.sensitivity:
            _audit_document(
                by=by,
                event_type=AuditEventType.DOCUMENT_UPDATED,
                obj=document,
                case_id=case.public_id,
                summary=f"Marked {Sensitivity(sensitivity).label.lower()}: {document.title}",
                data={"sensitivity": {"from": document.sensitivity, "to": sensitivity}},
            )
            document.sensitivity = sensitivity
            changed.append("sensitivity")
        if redaction_status is not None and redaction_status != document.redaction_status:
            previous = document.redaction_status
            document.redaction_status = redaction_status
            if redaction_status == RedactionStatus.REDACTED:
                document.redaction_confirmed_by = by
                document.redaction_confirmed_at = timezone.now()
                latest = document.versions.aggregate(latest=Max("number"))["latest"]
                _audit_document(
                    by=by,
                    event_type=AuditEventType.REDACTION_CONFIRMED,
                    obj=document,
                    case_id=case.public_id,
                    summary=f"Redaction confirmed: {document.title}",
                    data={"version": latest, "redaction_status": {"from": previous, "to": redaction_status}},
                )
            else:
                document.redaction_confirmed_by = None
                document.redaction_confirmed_at = None
                _audit_document(
                    by=by,
                    event_type=AuditEventType.DOCUMENT_UPDATED,
                    obj=document,
                    case_id=case.public_id,
                    summary=f"Redaction status set to {RedactionStatus(redaction_status).label.lower()}: "
                    f"{document.title}",
                    data={"redaction_status": {"from": previous, "to": redaction_status}},
                )
            changed += ["redaction_status", "redaction_confirmed_by", "redaction_confirmed_at"]
        if changed:
            document.save(update_fields=[*changed, "updated_at"])
            if "sensitivity" in changed:
                # A document made sensitive must stop making the case findable by its words at once.
                refresh_search(document.case)
            else:
                notify_case_changed(document.case)
    return document


# ---------------------------------------------------------------------------------------------
# Virus scan and text extraction (run by files.tasks)


def _open_stored(version: DocumentVersion) -> IO[bytes]:
    return _storage().open(version.file.name or "", "rb")  # type: ignore[return-value]


def _log_ids(version: DocumentVersion) -> dict[str, str]:
    """How a version appears in a log line: opaque ids only, never a title or file name."""
    return {
        "version_id": str(version.public_id),
        "document_id": str(version.document.public_id),
        "case_id": str(version.document.case.public_id),
    }


def _record_scan(version_id: int, status: ScanStatus, detail: str) -> str:
    with transaction.atomic(durable=True):
        version = (
            DocumentVersion.objects.select_for_update(of=("self",)).select_related("document__case").get(pk=version_id)
        )
        if version.scan_status != ScanStatus.PENDING:
            return version.scan_status  # another worker got there first
        version.scan_status = status
        version.scan_detail = detail[:200]
        version.scanned_at = timezone.now()
        version.save(update_fields=["scan_status", "scan_detail", "scanned_at"])
        notify_case_changed(version.document.case)  # only clean versions count towards a file
        if status != ScanStatus.CLEAN:
            document = version.document
            found = f"the virus scan found {detail}" if status == ScanStatus.INFECTED else "it could not be scanned"
            _audit_document(
                by=None,
                event_type=AuditEventType.DOCUMENT_QUARANTINED,
                obj=document,
                case_id=document.case.public_id,
                summary=f"Version {version.number} quarantined: {found}",
                data={"version": version.number, "scan_status": status.value, "detail": version.scan_detail},
            )
            logger.warning(
                "document_quarantined", scan_status=status.value, detail=version.scan_detail, **_log_ids(version)
            )
    return status.value


def version_scan(*, version_id: int, client: ClamdClient | None = None) -> str:
    """Scan a pending version with ClamAV and record the verdict; a version already scanned is left
    alone (the task may run twice). Raises ``ClamdUnavailable`` when clamd cannot be reached, for
    the task to try again later; any other scanning error quarantines the version as failed."""
    version = DocumentVersion.objects.select_related("document__case").filter(pk=version_id).first()
    if version is None:
        return ""
    if version.scan_status != ScanStatus.PENDING:
        return version.scan_status
    client = client or ClamdClient.from_settings()
    try:
        with _open_stored(version) as stream:
            result = client.instream(stream)
    except ClamdUnavailable:
        raise
    except ClamdError as exc:
        return _record_scan(version_id, ScanStatus.FAILED, str(exc))
    except FileNotFoundError:
        return _record_scan(version_id, ScanStatus.FAILED, SCAN_FILE_MISSING)
    if result.clean:
        return _record_scan(version_id, ScanStatus.CLEAN, "")
    return _record_scan(version_id, ScanStatus.INFECTED, result.signature or "a virus")


def version_scan_failed(*, version_id: int, detail: str) -> str:
    """Quarantine a version whose scan could not be done (clamd unreachable after every retry)."""
    if not DocumentVersion.objects.filter(pk=version_id).exists():
        return ""
    return _record_scan(version_id, ScanStatus.FAILED, detail)


def needs_text(version: DocumentVersion) -> bool:
    return (
        version.scan_status == ScanStatus.CLEAN
        and version.mime_type in PDF.mime_types
        and version.text_extracted_at is None
    )


def _pdf_text(stream: IO[bytes]) -> tuple[int | None, str]:
    try:
        reader = PdfReader(stream, strict=False)
        pages = list(reader.pages)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None, ""
    texts: list[str] = []
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            texts.append("")
    # PostgreSQL text cannot hold NUL characters.
    return len(pages), "\n\n".join(texts).replace("\x00", "")[:TEXT_MAX_CHARS]


def version_extract_text(*, version_id: int) -> bool:
    """Store a clean PDF version's page count and text, and rebuild the case's search text so the
    case can be found by it (unless the material is sensitive: files.search). Only after the virus
    scan, and only once; a PDF whose text cannot be read is recorded as extracted with no text."""
    version = DocumentVersion.objects.select_related("document__case").filter(pk=version_id).first()
    if version is None or not needs_text(version):
        return False
    try:
        with _open_stored(version) as stream:
            page_count, text = _pdf_text(stream)
    except FileNotFoundError:
        logger.error("document_file_missing", **_log_ids(version))
        return False
    with transaction.atomic(durable=True):
        # The case is locked first, as by every case write: a person edited meanwhile cannot be lost
        # to a search text built before that edit committed.
        case = lock_case(version.document.case)
        updated = DocumentVersion.objects.filter(pk=version_id, text_extracted_at__isnull=True).update(
            page_count=page_count, text=text, text_extracted_at=timezone.now()
        )
        if updated:
            refresh_search(case)
    return bool(updated)


# ---------------------------------------------------------------------------------------------
# Downloading


def version_open_for_download(*, version: DocumentVersion, by: User, via: str = "web") -> IO[bytes]:
    """The content of a clean version, opened for streaming to ``by``, and the download recorded in
    the audit log. The caller has reached the version through the scoped selectors; sensitive
    material is checked again here. Raises ``VersionNotDownloadable`` while the version is pending
    or quarantined."""
    document = version.document
    case = document.case
    if document.sensitivity == Sensitivity.SENSITIVE and not can_see_sensitive(by, case):
        raise Http404(CASE_NOT_FOUND)
    if not version.is_downloadable:
        raise VersionNotDownloadable(version.scan_status)
    try:
        stream = _open_stored(version)
    except FileNotFoundError as exc:
        logger.error("document_file_missing", **_log_ids(version))
        raise Http404(CASE_NOT_FOUND) from exc
    _audit_document(
        by=by,
        event_type=AuditEventType.DOCUMENT_DOWNLOADED,
        obj=document,
        case_id=case.public_id,
        summary=f"Version {version.number} downloaded: {document.title}",
        data={"version": version.number, "sha256": version.sha256, "via": via},
    )
    return stream


def version_get(*, document: Document, number: int) -> DocumentVersion:
    """One version of a document already reached through ``files.selectors.document_get_for``
    (which prefetches the versions); 404 if there is none. A read kept beside the download it
    serves until ``files.selectors`` takes it."""
    version = next((v for v in document.versions.all() if v.number == number), None)
    if version is None:
        raise Http404(CASE_NOT_FOUND)
    version.document = document
    return version


__all__ = [
    "AWAITING_SCAN",
    "NOT_ALLOWED",
    "QUARANTINED_FAILED",
    "QUARANTINED_INFECTED",
    "SUSPECT_NOT_ON_CASE",
    "WITNESS_NOT_ON_CASE",
    "DocumentDetails",
    "VersionNotDownloadable",
    "document_update",
    "document_upload",
    "document_version_add",
    "enqueue_scan",
    "needs_text",
    "version_extract_text",
    "version_get",
    "version_open_for_download",
    "version_scan",
    "version_scan_failed",
]


def _audit_document(**kwargs: Any) -> AuditEvent:
    """Audit an event about a document. Events about sensitive (MG6D) material are marked
    ``sensitive`` so the case timeline leaves them out for people who may not see that material —
    including a change of sensitivity in either direction."""
    document = kwargs["obj"]
    data = dict(kwargs.pop("data", None) or {})
    change = data.get("sensitivity")
    to_sensitive = isinstance(change, dict) and change.get("to") == Sensitivity.SENSITIVE
    if document.sensitivity == Sensitivity.SENSITIVE or to_sensitive:
        data["sensitive"] = True
    return audit_record(data=data, **kwargs)
