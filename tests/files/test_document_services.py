"""The document services: uploading (each bad input refused with its precise message, leaving no
row and no file), versions, sensitivity and redaction, the virus scan with the real clamd, text
extraction, and the download's rules."""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.http import Http404

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case
from casework.services._common import NOT_ALLOWED
from files import services
from files import tasks as files_tasks
from files.choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from files.models import Document, DocumentVersion
from files.scanning import ClamdClient, ClamdUnavailable
from files.services.documents import (
    AWAITING_SCAN,
    QUARANTINED_FAILED,
    QUARANTINED_INFECTED,
    SENSITIVE_NOT_ALLOWED,
    SENSITIVITY_CHANGE_NOT_ALLOWED,
    SUSPECT_NOT_ON_CASE,
    TOO_MANY_FILES,
    WITNESS_NOT_ON_CASE,
    DocumentDetails,
    enqueue_scan,
)
from files.tasks import SCAN_MAX_RETRIES, extract_document_text, scan_document_version
from files.uploads import EMPTY, EXECUTABLE, NO_FILE, PDF_ENCRYPTED, PDF_MALFORMED, TOO_LARGE, WRONG_TYPE
from tests.factories.casework import SuspectFactory, WitnessFactory
from tests.files.conftest import EICAR, UploadFn, eicar, fixture_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

STATEMENT = DocumentDetails(kind=DocumentKind.MG11, title="Statement of Alan Brown")


def _state() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "versions": DocumentVersion.objects.count(),
        "audit": AuditEvent.objects.filter(event_type__startswith="document").count(),
    }


def _refusals(exc: ValidationError) -> list[str]:
    return exc.message_dict["file"]


# -- uploading -------------------------------------------------------------------------------------


def test_upload_stores_version_one_pending_its_scan(
    case_a: Case, officer_a: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        (document,) = services.document_upload(
            case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a
        )
    version = document.versions.get()
    assert (document.kind, document.title, document.sensitivity) == (DocumentKind.MG11, STATEMENT.title, "normal")
    assert version.number == 1
    assert version.scan_status == ScanStatus.PENDING
    assert not version.is_downloadable
    assert version.original_name == "statement.pdf"
    assert version.size == len(fixture_bytes("statement.pdf"))
    assert version.sha256 == hashlib.sha256(fixture_bytes("statement.pdf")).hexdigest()
    assert version.mime_type == "application/pdf"
    assert version.uploaded_by == officer_a
    assert stored_files(media_root) == [media_root / version.file.name]
    assert (media_root / version.file.name).read_bytes() == fixture_bytes("statement.pdf")
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)
    assert event.actor == officer_a
    assert event.case_id == case_a.public_id
    assert event.object_id == str(document.public_id)
    assert event.data["sha256"] == version.sha256
    scans = [c for c in callbacks if getattr(c, "func", None) is enqueue_scan]
    assert len(scans) == 1, "the virus scan is queued once the upload is committed"
    assert scans[0].args == (version.pk,)


def test_the_scan_is_queued_on_the_files_queue(
    case_a: Case,
    officer_a: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent: list[tuple[Any, Any]] = []
    monkeypatch.setattr(scan_document_version, "apply_async", lambda args, queue: sent.append((args, queue)))
    settings.FILES_TASK_QUEUE = "files"
    with django_capture_on_commit_callbacks(execute=True):
        (document,) = services.document_upload(
            case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a
        )
    assert sent == [([document.versions.get().pk], "files")]


def test_the_storage_name_is_opaque_and_a_path_in_the_name_is_only_shown(
    case_a: Case, officer_a: User, media_root: Path
) -> None:
    (document,) = services.document_upload(
        case=case_a, details=STATEMENT, files=[upload("statement.pdf", as_name="../../etc/passwd.pdf")], by=officer_a
    )
    version = document.versions.get()
    assert version.original_name == "passwd.pdf"
    assert version.file.name.startswith(f"cases/{case_a.public_id}/")
    assert "passwd" not in version.file.name
    assert ".." not in version.file.name
    (stored,) = stored_files(media_root)
    assert stored.resolve().is_relative_to(media_root.resolve())
    assert stored.name == Path(version.file.name).name


def test_several_files_make_several_documents_named_after_their_files(
    case_a: Case, officer_a: User, media_root: Path
) -> None:
    documents = services.document_upload(
        case=case_a,
        details=DocumentDetails(kind=DocumentKind.PHOTOGRAPH, title="Scene"),
        files=[upload("photo.png", as_name="front door.png"), upload("photo.jpg", as_name="hallway.jpg")],
        by=officer_a,
    )
    assert [d.title for d in documents] == ["Scene – front door", "Scene – hallway"]
    assert len(stored_files(media_root)) == 2
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_UPLOADED).count() == 2


def test_a_blank_title_takes_the_file_name(case_a: Case, officer_a: User) -> None:
    (document,) = services.document_upload(
        case=case_a,
        details=DocumentDetails(kind=DocumentKind.MG11),
        files=[upload("statement.pdf", as_name="MG11 Alan Brown.pdf")],
        by=officer_a,
    )
    assert document.title == "MG11 Alan Brown"


BAD_UPLOADS = [
    pytest.param(
        "photo.png",
        "photo.png",
        DocumentKind.MG11,
        WRONG_TYPE.format(
            kind="MG11 Witness statement",
            allowed="a PDF, a Word document (DOCX), an OpenDocument text (ODT) or a plain text file",
            found="a PNG",
        ),
        id="wrong-type-for-the-kind",
    ),
    pytest.param("program.pdf", "program.pdf", DocumentKind.MG11, EXECUTABLE, id="program-named-pdf"),
    pytest.param("program.pdf", "holiday.jpg", DocumentKind.PHOTOGRAPH, EXECUTABLE, id="program-named-jpg"),
    pytest.param("empty.pdf", "empty.pdf", DocumentKind.MG11, EMPTY, id="empty"),
    pytest.param("encrypted.pdf", "encrypted.pdf", DocumentKind.MG11, PDF_ENCRYPTED, id="password-protected-pdf"),
    pytest.param("truncated.pdf", "truncated.pdf", DocumentKind.MG11, PDF_MALFORMED, id="malformed-pdf"),
    pytest.param(
        "statement.pdf", "../../../statement.pdf", DocumentKind.MEDICAL, None, id="control-accepted-with-path"
    ),
]


@pytest.mark.parametrize(("fixture", "sent_name", "kind", "message"), BAD_UPLOADS)
def test_each_bad_upload_is_refused_precisely_and_leaves_nothing(
    case_a: Case, officer_a: User, media_root: Path, fixture: str, sent_name: str, kind: str, message: str | None
) -> None:
    before = _state()
    details = DocumentDetails(kind=kind, title="Material")
    if message is None:
        services.document_upload(case=case_a, details=details, files=[upload(fixture, as_name=sent_name)], by=officer_a)
        assert len(stored_files(media_root)) == 1
        return
    with pytest.raises(ValidationError) as refused:
        services.document_upload(case=case_a, details=details, files=[upload(fixture, as_name=sent_name)], by=officer_a)
    assert _refusals(refused.value) == [f"{Path(sent_name).name}: {message}"]
    assert _state() == before
    assert stored_files(media_root) == []


def test_an_oversized_file_is_refused(case_a: Case, officer_a: User, media_root: Path, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        services.document_upload(case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a)
    assert _refusals(refused.value) == [f"statement.pdf: {TOO_LARGE.format(limit='1 KB')}"]
    assert _state()["versions"] == 0
    assert stored_files(media_root) == []


def test_one_bad_file_refuses_the_whole_upload_naming_each_bad_file(
    case_a: Case, officer_a: User, media_root: Path
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            case=case_a,
            details=STATEMENT,
            files=[upload("statement.pdf"), upload("encrypted.pdf"), upload("empty.pdf", as_name="blank.pdf")],
            by=officer_a,
        )
    assert _refusals(refused.value) == [f"encrypted.pdf: {PDF_ENCRYPTED}", f"blank.pdf: {EMPTY}"]
    assert _state() == {"documents": 0, "versions": 0, "audit": 0}
    assert stored_files(media_root) == []


def test_no_files_and_too_many_files(case_a: Case, officer_a: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.document_upload(case=case_a, details=STATEMENT, files=[], by=officer_a)
    assert _refusals(refused.value) == [NO_FILE]
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            case=case_a, details=STATEMENT, files=[upload("notes.txt") for _ in range(21)], by=officer_a
        )
    assert _refusals(refused.value) == [TOO_MANY_FILES]


def test_a_failure_after_the_file_is_written_leaves_no_orphan_file(
    case_a: Case, officer_a: User, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr("files.services.documents.audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        services.document_upload(case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a)
    assert _state() == {"documents": 0, "versions": 0, "audit": 0}
    assert stored_files(media_root) == [], "the file written before the failure was removed"


def test_a_half_written_file_is_removed_when_the_storage_fails(
    case_a: Case, officer_a: User, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: FileSystemStorage, name: str, content: Any) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        services.document_upload(case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a)
    assert _state() == {"documents": 0, "versions": 0, "audit": 0}
    assert stored_files(media_root) == []


def test_only_those_who_see_sensitive_material_may_create_it(
    case_a: Case, officer_a: User, disclosure_a: User, media_root: Path
) -> None:
    sensitive = DocumentDetails(kind=DocumentKind.MG6D, title="Informant log", sensitivity=Sensitivity.SENSITIVE)
    with pytest.raises(PermissionDenied, match=SENSITIVE_NOT_ALLOWED):
        services.document_upload(case=case_a, details=sensitive, files=[upload("statement.pdf")], by=officer_a)
    assert stored_files(media_root) == []
    (document,) = services.document_upload(
        case=case_a, details=sensitive, files=[upload("statement.pdf")], by=disclosure_a
    )
    assert document.sensitivity == Sensitivity.SENSITIVE


@pytest.mark.parametrize("persona", ["lawyer_north", "manager_police_a"])
def test_who_may_not_upload(case_a: Case, persona: str, request: pytest.FixtureRequest, media_root: Path) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match=NOT_ALLOWED):
        services.document_upload(case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=user)
    assert stored_files(media_root) == []


def test_uploading_as_redacted_records_who_confirmed_it(case_a: Case, officer_a: User) -> None:
    details = DocumentDetails(kind=DocumentKind.MG11, title="Redacted MG11", redaction_status=RedactionStatus.REDACTED)
    (document,) = services.document_upload(case=case_a, details=details, files=[upload("statement.pdf")], by=officer_a)
    assert document.redaction_confirmed_by == officer_a
    assert document.redaction_confirmed_at is not None
    assert AuditEvent.objects.filter(event_type=AuditEventType.REDACTION_CONFIRMED, actor=officer_a).count() == 1


def test_upload_links_the_witness_and_suspect_and_audits_their_ids(case_a: Case, officer_a: User) -> None:
    witness = WitnessFactory(case=case_a)
    suspect = SuspectFactory(case=case_a)
    details = DocumentDetails(kind=DocumentKind.MG11, title="Statement", witness=witness, suspect=suspect)
    (document,) = services.document_upload(case=case_a, details=details, files=[upload("statement.pdf")], by=officer_a)
    document.refresh_from_db()
    assert (document.witness, document.suspect) == (witness, suspect)
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)
    assert (event.data["witness"], event.data["suspect"]) == (str(witness.public_id), str(suspect.public_id))


def test_upload_without_people_links_nobody(case_a: Case, officer_a: User) -> None:
    (document,) = services.document_upload(
        case=case_a, details=STATEMENT, files=[upload("statement.pdf")], by=officer_a
    )
    document.refresh_from_db()
    assert (document.witness, document.suspect) == (None, None)
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)
    assert not {"witness", "suspect"} & set(event.data)


def test_a_witness_or_suspect_of_another_case_is_refused_and_nothing_stored(
    case_a: Case, officer_a: User, media_root: Path
) -> None:
    before = _state()
    details = DocumentDetails(kind=DocumentKind.MG11, witness=WitnessFactory(), suspect=SuspectFactory())
    with pytest.raises(ValidationError) as refused:
        services.document_upload(case=case_a, details=details, files=[upload("statement.pdf")], by=officer_a)
    assert refused.value.message_dict == {"witness": [WITNESS_NOT_ON_CASE], "suspect": [SUSPECT_NOT_ON_CASE]}
    assert _state() == before
    assert stored_files(media_root) == []


# -- versions --------------------------------------------------------------------------------------


def test_a_new_version_is_n_plus_one_and_earlier_versions_stay(
    add_document: UploadFn, officer_a: User, media_root: Path
) -> None:
    document = add_document()
    first = document.versions.get()
    second = services.document_version_add(document=document, file=upload("statement-v2.pdf"), by=officer_a)
    third = services.document_version_add(document=document, file=upload("statement.pdf"), by=officer_a)
    assert [v.number for v in document.versions.order_by("number")] == [1, 2, 3]
    assert second.number == 2
    assert third.number == 3
    assert second.scan_status == ScanStatus.PENDING
    kept = DocumentVersion.objects.get(pk=first.pk)
    assert (kept.sha256, kept.file.name, kept.original_name) == (first.sha256, first.file.name, first.original_name)
    assert (media_root / kept.file.name).read_bytes() == fixture_bytes("statement.pdf")
    assert len(stored_files(media_root)) == 3
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_VERSION_ADDED).count() == 2


def test_a_refused_version_leaves_nothing(add_document: UploadFn, officer_a: User, media_root: Path) -> None:
    document = add_document()
    with pytest.raises(ValidationError) as refused:
        services.document_version_add(document=document, file=upload("photo.png"), by=officer_a)
    assert _refusals(refused.value)[0].startswith("photo.png: MG11 Witness statement must be")
    with pytest.raises(ValidationError) as refused:
        services.document_version_add(document=document, file=None, by=officer_a)
    assert _refusals(refused.value) == [NO_FILE]
    assert document.versions.count() == 1
    assert len(stored_files(media_root)) == 1


def test_a_new_version_of_a_redacted_document_needs_its_redaction_confirmed_again(
    add_document: UploadFn, officer_a: User
) -> None:
    document = add_document()
    services.document_update(document=document, redaction_status=RedactionStatus.REDACTED, by=officer_a)
    services.document_version_add(document=document, file=upload("statement-v2.pdf"), by=officer_a)
    document.refresh_from_db()
    assert document.redaction_status == RedactionStatus.REQUIRED
    assert document.redaction_confirmed_by is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_new_versions_get_distinct_numbers(add_document: UploadFn, officer_a: User) -> None:
    document = add_document()
    errors: list[BaseException] = []

    def add() -> None:
        try:
            services.document_version_add(document=document, file=upload("statement-v2.pdf"), by=officer_a)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


# -- sensitivity and redaction ---------------------------------------------------------------------


def test_sensitivity_is_changed_only_by_those_who_see_sensitive_material(
    add_document: UploadFn, officer_a: User, supervisor_a: User, lawyer_north: User
) -> None:
    document = add_document()
    with pytest.raises(PermissionDenied, match=SENSITIVITY_CHANGE_NOT_ALLOWED):
        services.document_update(document=document, sensitivity=Sensitivity.SENSITIVE, by=officer_a)
    services.document_update(document=document, sensitivity=Sensitivity.SENSITIVE, by=supervisor_a)
    document.refresh_from_db()
    assert document.sensitivity == Sensitivity.SENSITIVE
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPDATED)
    # Marked sensitive, so the timeline hides the change from those who may not see such material.
    assert event.data == {"sensitivity": {"from": "normal", "to": "sensitive"}, "sensitive": True}
    with pytest.raises(Http404):
        services.document_update(document=document, redaction_status=RedactionStatus.REQUIRED, by=officer_a)
    services.document_update(document=document, sensitivity=Sensitivity.NORMAL, by=lawyer_north)
    document.refresh_from_db()
    assert document.sensitivity == Sensitivity.NORMAL


def test_redaction_confirmed_by_whom_and_when(add_document: UploadFn, officer_a: User, lawyer_north: User) -> None:
    document = add_document()
    services.document_update(document=document, redaction_status=RedactionStatus.REQUIRED, by=officer_a)
    with pytest.raises(PermissionDenied):
        services.document_update(document=document, redaction_status=RedactionStatus.REDACTED, by=lawyer_north)
    services.document_update(document=document, redaction_status=RedactionStatus.REDACTED, by=officer_a)
    document.refresh_from_db()
    assert document.redaction_status == RedactionStatus.REDACTED
    assert document.redaction_confirmed_by == officer_a
    assert document.redaction_confirmed_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.REDACTION_CONFIRMED)
    assert event.data == {"version": 1, "redaction_status": {"from": "required", "to": "redacted"}}
    services.document_update(document=document, redaction_status=RedactionStatus.REQUIRED, by=officer_a)
    document.refresh_from_db()
    assert document.redaction_confirmed_by is None


def test_unknown_values_are_refused(add_document: UploadFn, supervisor_a: User) -> None:
    document = add_document()
    with pytest.raises(ValidationError) as refused:
        services.document_update(document=document, sensitivity="secret", redaction_status="maybe", by=supervisor_a)
    assert set(refused.value.message_dict) == {"sensitivity", "redaction_status"}


# -- virus scan and text ---------------------------------------------------------------------------


def test_an_infected_file_is_quarantined_for_good(
    clamd: ClamdClient, case_a: Case, officer_a: User, caplog: pytest.LogCaptureFixture
) -> None:
    (document,) = services.document_upload(
        case=case_a, details=STATEMENT, files=[eicar("MG11 Alan Brown.txt")], by=officer_a
    )
    version = document.versions.get()
    with caplog.at_level(logging.WARNING):
        assert services.version_scan(version_id=version.pk) == ScanStatus.INFECTED
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.INFECTED
    assert version.scan_detail.startswith("Eicar-Test-Signature")
    assert version.scanned_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_QUARANTINED)
    assert event.actor is None
    assert event.case_id == case_a.public_id
    assert event.data["version"] == 1
    logged = [str(record.msg) for record in caplog.records if "document_quarantined" in str(record.msg)]
    assert len(logged) == 1
    assert str(version.public_id) in logged[0]
    assert "Alan Brown" not in logged[0], "no personal data (names, titles, file names) in logs"
    assert "officer_a" not in logged[0]
    # Scanning again changes nothing, and it never becomes downloadable.
    assert services.version_scan(version_id=version.pk) == ScanStatus.INFECTED
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_QUARANTINED).count() == 1
    with pytest.raises(services.VersionNotDownloadable) as refused:
        services.version_open_for_download(version=version, by=officer_a)
    assert refused.value.message == QUARANTINED_INFECTED
    assert refused.value.code == "quarantined"


def test_a_clean_pdf_is_cleared_then_its_text_extracted(clamd: ClamdClient, add_document: UploadFn) -> None:
    version = add_document().versions.get()
    assert services.version_scan(version_id=version.pk) == ScanStatus.CLEAN
    assert services.version_scan(version_id=version.pk) == ScanStatus.CLEAN, "idempotent"
    assert services.version_extract_text(version_id=version.pk)
    assert not services.version_extract_text(version_id=version.pk), "only once"
    version.refresh_from_db()
    assert version.is_downloadable
    assert version.page_count == 2
    assert "Witness statement of Alan Brown, page one." in version.text
    assert "I saw the man hit the victim, page two." in version.text
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_QUARANTINED).exists()


def test_text_is_not_extracted_before_the_scan_or_from_other_types(add_document: UploadFn) -> None:
    pending = add_document().versions.get()
    assert not services.version_extract_text(version_id=pending.pk)
    photo = add_document("photo.png", kind=DocumentKind.PHOTOGRAPH, scan=ScanStatus.CLEAN).versions.get()
    assert not services.version_extract_text(version_id=photo.pk)


def test_scanning_waits_while_clamd_is_unreachable_then_fails_closed(
    add_document: UploadFn, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CLAMAV_SOCKET = "/nonexistent/clamd.sock"
    version = add_document().versions.get()
    with pytest.raises(ClamdUnavailable):
        services.version_scan(version_id=version.pk)
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.PENDING
    # The task tries again while it can (an eager run retries at once), and when the retries are
    # used up the version is quarantined rather than left pending for ever.
    attempts: list[int] = []
    real_scan = files_tasks.version_scan

    def counting_scan(*, version_id: int) -> str:
        attempts.append(version_id)
        return real_scan(version_id=version_id)

    monkeypatch.setattr(files_tasks, "version_scan", counting_scan)
    assert scan_document_version.apply(args=[version.pk]).get() == ScanStatus.FAILED
    assert len(attempts) == SCAN_MAX_RETRIES + 1
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.FAILED
    assert version.scan_detail.startswith("clamd unavailable")
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_QUARANTINED)
    assert event.data["scan_status"] == ScanStatus.FAILED
    with pytest.raises(services.VersionNotDownloadable, match=QUARANTINED_FAILED):
        services.version_open_for_download(version=version, by=version.uploaded_by)


def test_the_scan_task_queues_text_extraction_for_a_clean_pdf_on_its_own_queue(
    clamd: ClamdClient, add_document: UploadFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[Any, Any]] = []
    monkeypatch.setattr(extract_document_text, "apply_async", lambda args, queue: queued.append((args, queue)))
    pdf = add_document().versions.get()
    photo = add_document("photo.jpg", kind=DocumentKind.PHOTOGRAPH).versions.get()
    assert scan_document_version.apply(args=[pdf.pk]).get() == ScanStatus.CLEAN
    assert scan_document_version.apply(args=[photo.pk]).get() == ScanStatus.CLEAN
    assert queued == [([pdf.pk], None)]
    assert extract_document_text.apply(args=[pdf.pk]).get() is True


def test_a_missing_version_is_ignored(clamd: ClamdClient) -> None:
    assert services.version_scan(version_id=999_999) == ""
    assert services.version_scan_failed(version_id=999_999, detail="x") == ""
    assert services.version_extract_text(version_id=999_999) is False


def test_a_scan_of_eicar_in_a_text_statement_uses_the_stored_bytes(
    clamd: ClamdClient, case_a: Case, officer_a: User, media_root: Path
) -> None:
    services.document_upload(case=case_a, details=STATEMENT, files=[eicar()], by=officer_a)
    (stored,) = stored_files(media_root)
    assert stored.read_bytes() == EICAR


# -- download --------------------------------------------------------------------------------------


def test_download_of_a_clean_version_is_audited(clean_document: Document, lawyer_north: User) -> None:
    version = clean_document.versions.get()
    with services.version_open_for_download(version=version, by=lawyer_north, via="api") as stream:
        assert stream.read() == fixture_bytes("statement.pdf")
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_DOWNLOADED)
    assert event.actor == lawyer_north
    assert event.data == {"version": 1, "sha256": version.sha256, "via": "api"}


def test_a_pending_version_is_not_downloadable(add_document: UploadFn, officer_a: User) -> None:
    version = add_document().versions.get()
    with pytest.raises(services.VersionNotDownloadable) as refused:
        services.version_open_for_download(version=version, by=officer_a)
    assert refused.value.message == AWAITING_SCAN
    assert refused.value.code == "awaiting_scan"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


def test_sensitive_material_is_not_found_for_those_who_may_not_see_it(
    sensitive_document: Document, officer_a: User
) -> None:
    version = sensitive_document.versions.get()
    with pytest.raises(Http404):
        services.version_open_for_download(version=version, by=officer_a)
    with pytest.raises(Http404):
        services.document_version_add(document=sensitive_document, file=upload("statement.pdf"), by=officer_a)


def test_the_timeline_hides_sensitive_material_from_those_who_may_not_see_it(
    case_a: Case, sensitive_document: Document, disclosure_a: User, officer_a: User
) -> None:
    """An investigator must not learn from the case history that sensitive material exists."""
    from casework.selectors import case_timeline

    def uploads(user: User) -> int:
        return case_timeline(case=case_a, user=user).filter(event_type="document_uploaded").count()

    assert uploads(disclosure_a) == 1
    assert uploads(officer_a) == 0
    # ...while the rest of the history stays visible to them.
    assert case_timeline(case=case_a, user=officer_a).filter(event_type="case_created").exists()
