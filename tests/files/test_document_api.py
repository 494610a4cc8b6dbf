"""The document API: list and upload (multipart, one file), a document with its versions, new
versions, sensitivity and redaction, and the download. Outsiders get a 404 identical to a missing
record; sensitive material is 404 and unlisted for those who may not see it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case
from casework.services._common import NOT_ALLOWED
from files import services
from files.choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from files.models import Document, DocumentVersion
from files.services.documents import (
    AWAITING_SCAN,
    QUARANTINED_INFECTED,
    SENSITIVE_NOT_ALLOWED,
    SENSITIVITY_CHANGE_NOT_ALLOWED,
    SUSPECT_NOT_ON_CASE,
    WITNESS_NOT_ON_CASE,
)
from files.uploads import EMPTY, EXECUTABLE, NO_FILE, PDF_ENCRYPTED, PDF_MALFORMED
from tests.factories.casework import SuspectFactory, WitnessFactory
from tests.files.conftest import UploadFn, fixture_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Not found."}}
OUTSIDERS = ["officer_b", "lawyer_south", "admin_user"]


def _base(case: Case) -> str:
    return f"/api/v1/cases/{case.public_id}/documents/"


def _endpoints(case: Case, document_id: uuid.UUID) -> list[tuple[str, str, dict[str, Any]]]:
    base = _base(case)
    return [
        ("get", base, {}),
        ("post", base, {"kind": "mg11", "file": upload("statement.pdf")}),
        ("get", f"{base}{document_id}/", {}),
        ("patch", f"{base}{document_id}/", {"sensitivity": "normal", "redaction_status": "redacted"}),
        ("post", f"{base}{document_id}/versions/", {"file": upload("statement.pdf")}),
        ("get", f"{base}{document_id}/versions/1/download/", {}),
    ]


def _call(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "patch":
        return client.patch(url, data, content_type="application/json")
    if method == "post":
        return client.post(url, data)  # multipart
    return client.get(url)


def _upload(client: Client, case: Case, **data: Any) -> Any:
    return client.post(_base(case), {"kind": DocumentKind.MG11, "title": "Statement", **data})


# -- scope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_the_same_404_as_a_missing_record_everywhere(
    as_user: ClientFor, clean_document: Document, case_a: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    before = (AuditEvent.objects.count(), DocumentVersion.objects.count())
    for method, url, data in _endpoints(case_a, clean_document.public_id):
        response = _call(client, method, url, data)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), (persona, method, url)
    assert (AuditEvent.objects.count(), DocumentVersion.objects.count()) == before
    clean_document.refresh_from_db()
    assert clean_document.redaction_status == RedactionStatus.NOT_REQUIRED


def test_a_missing_document_answers_like_a_sensitive_one(
    as_user: ClientFor, sensitive_document: Document, case_a: Case, officer_a: User
) -> None:
    client = as_user(officer_a)
    for method, url, data in _endpoints(case_a, sensitive_document.public_id)[2:]:
        sensitive = _call(client, method, url, data)
        missing = _call(client, method, url.replace(str(sensitive_document.public_id), str(uuid.uuid4())), data)
        assert (sensitive.status_code, sensitive.json()) == (404, NOT_FOUND), (method, url)
        assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert sensitive_document.versions.count() == 1


def test_the_list_leaves_out_sensitive_material_for_an_investigator(
    as_user: ClientFor, clean_document: Document, sensitive_document: Document, case_a: Case, officer_a: User
) -> None:
    ids = [d["id"] for d in as_user(officer_a).get(_base(case_a)).json()]
    assert ids == [str(clean_document.public_id)]


@pytest.mark.parametrize("persona", ["disclosure_a", "supervisor_a", "lawyer_north"])
def test_sensitive_material_is_listed_for_those_who_may_see_it(
    as_user: ClientFor,
    sensitive_document: Document,
    clean_document: Document,
    case_a: Case,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    client = as_user(request.getfixturevalue(persona))
    listed = {d["id"]: d for d in client.get(_base(case_a)).json()}
    assert set(listed) == {str(sensitive_document.public_id), str(clean_document.public_id)}
    assert listed[str(sensitive_document.public_id)]["sensitivity"] == "sensitive"
    url = f"{_base(case_a)}{sensitive_document.public_id}/versions/1/download/"
    assert client.get(url).status_code == 200


# -- reading ---------------------------------------------------------------------------------------


def test_list_shape(as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User) -> None:
    response = as_user(officer_a).get(_base(case_a))
    assert response.status_code == 200
    (item,) = response.json()
    version = clean_document.versions.get()
    assert item["id"] == str(clean_document.public_id)
    assert item["kind"] == "mg11"
    assert item["kind_label"] == "MG11 Witness statement"
    assert item["version_count"] == 1
    assert item["latest_version"]["number"] == 1
    assert item["latest_version"]["scan_status"] == "clean"
    assert item["latest_version"]["sha256"] == version.sha256
    assert item["latest_version"]["download_url"] == f"{_base(case_a)}{clean_document.public_id}/versions/1/download/"
    assert item["created_by"]["id"] == str(officer_a.public_id)
    viewed = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).last()
    assert viewed is not None
    assert viewed.data == {"via": "api", "part": "documents"}


def test_detail_has_every_version(as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User) -> None:
    client = as_user(officer_a)
    client.post(f"{_base(case_a)}{clean_document.public_id}/versions/", {"file": upload("statement-v2.pdf")})
    body = client.get(f"{_base(case_a)}{clean_document.public_id}/").json()
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert [v["scan_status"] for v in body["versions"]] == ["clean", "pending"]
    assert body["versions"][1]["download_url"] is None
    assert body["versions"][0]["file_name"] == "statement.pdf"
    assert body["latest_version"]["number"] == 2


def test_the_list_costs_the_same_however_many_documents(
    as_user: ClientFor, add_document: UploadFn, case_a: Case, officer_a: User
) -> None:
    client = as_user(officer_a)
    add_document()
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(_base(case_a)).json()) == 1
    for _ in range(4):
        add_document()
    services.document_version_add(document=Document.objects.first(), file=upload("notes.txt"), by=officer_a)
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(_base(case_a)).json()) == 5
    assert len(five) == len(one)


# -- uploading -------------------------------------------------------------------------------------


def test_upload(as_user: ClientFor, case_a: Case, officer_a: User, media_root: Path) -> None:
    response = _upload(as_user(officer_a), case_a, file=upload("statement.pdf", as_name="../../MG11.pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Statement"
    assert body["sensitivity"] == "normal"
    (version,) = body["versions"]
    assert version["number"] == 1
    assert version["file_name"] == "MG11.pdf"
    assert version["scan_status"] == "pending"
    assert version["scan_status_label"] == "Waiting for virus scan"
    assert version["download_url"] is None
    assert version["mime_type"] == "application/pdf"
    assert len(stored_files(media_root)) == 1


def test_upload_linked_to_a_witness_and_suspect(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    witness = WitnessFactory(case=case_a)
    suspect = SuspectFactory(case=case_a)
    client = as_user(officer_a)
    response = _upload(
        client, case_a, witness=str(witness.public_id), suspect=str(suspect.public_id), file=upload("statement.pdf")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["witness"], body["suspect"]) == (str(witness.public_id), str(suspect.public_id))
    document = Document.objects.get()
    assert (document.witness, document.suspect) == (witness, suspect)
    listed = client.get(_base(case_a)).json()
    assert [(d["witness"], d["suspect"]) for d in listed] == [(str(witness.public_id), str(suspect.public_id))]


def test_upload_about_nobody(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    response = _upload(as_user(officer_a), case_a, witness="", file=upload("statement.pdf"))
    assert response.status_code == 201, response.content
    assert (response.json()["witness"], response.json()["suspect"]) == (None, None)


@pytest.mark.parametrize("whose", ["unknown", "other_case"])
def test_upload_naming_a_person_not_on_the_case_is_a_400(
    as_user: ClientFor, case_a: Case, officer_a: User, media_root: Path, whose: str
) -> None:
    if whose == "unknown":
        witness_id, suspect_id = uuid.uuid4(), uuid.uuid4()
    else:  # found, then refused by the service
        witness_id, suspect_id = WitnessFactory().public_id, SuspectFactory().public_id
    response = _upload(
        as_user(officer_a), case_a, witness=str(witness_id), suspect=str(suspect_id), file=upload("statement.pdf")
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"witness": [WITNESS_NOT_ON_CASE], "suspect": [SUSPECT_NOT_ON_CASE]}
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_upload_with_a_malformed_person_id_is_a_400(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    response = _upload(as_user(officer_a), case_a, witness="not-a-uuid", file=upload("statement.pdf"))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"witness"}


def test_upload_must_be_multipart(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    response = as_user(officer_a).post(_base(case_a), {"kind": "mg11"}, content_type="application/json")
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("fixture", "kind", "message"),
    [
        ("program.pdf", DocumentKind.MG11, EXECUTABLE),
        ("empty.pdf", DocumentKind.MG11, EMPTY),
        ("encrypted.pdf", DocumentKind.MG11, PDF_ENCRYPTED),
        ("truncated.pdf", DocumentKind.MG11, PDF_MALFORMED),
        (
            "statement.pdf",
            DocumentKind.PHOTOGRAPH,
            "Photograph must be a JPEG, a PNG, a HEIC or a TIFF; this file is a PDF",
        ),
    ],
)
def test_a_refused_file_is_a_400_on_file_naming_it(
    as_user: ClientFor, case_a: Case, officer_a: User, media_root: Path, fixture: str, kind: str, message: str
) -> None:
    response = _upload(as_user(officer_a), case_a, kind=kind, file=upload(fixture))
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"file": [f"{fixture}: {message}"]}
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_oversized_file(as_user: ClientFor, case_a: Case, officer_a: User, settings: Any, media_root: Path) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 100
    response = _upload(as_user(officer_a), case_a, file=upload("statement.pdf"))
    assert response.json()["error"]["fields"] == {"file": ["statement.pdf: The file must be smaller than 100 bytes"]}
    assert stored_files(media_root) == []


def test_input_errors(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    response = as_user(officer_a).post(_base(case_a), {"kind": "mg99", "sensitivity": "secret"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"kind", "sensitivity", "file"}
    assert fields["file"] == [NO_FILE]


def test_an_investigator_cannot_create_sensitive_material(
    as_user: ClientFor, case_a: Case, officer_a: User, disclosure_a: User
) -> None:
    response = _upload(as_user(officer_a), case_a, sensitivity="sensitive", file=upload("statement.pdf"))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == SENSITIVE_NOT_ALLOWED
    response = _upload(as_user(disclosure_a), case_a, sensitivity="sensitive", file=upload("statement.pdf"))
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["lawyer_north", "manager_police_a"])
def test_those_who_may_read_but_not_upload(
    as_user: ClientFor, clean_document: Document, case_a: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    response = _upload(client, case_a, file=upload("statement.pdf"))
    assert (response.status_code, response.json()["error"]["message"]) == (403, NOT_ALLOWED)
    response = client.post(f"{_base(case_a)}{clean_document.public_id}/versions/", {"file": upload("statement.pdf")})
    assert response.status_code == 403
    assert client.get(_base(case_a)).status_code == 200


def test_new_version(as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User) -> None:
    response = as_user(officer_a).post(
        f"{_base(case_a)}{clean_document.public_id}/versions/", {"file": upload("statement-v2.pdf")}
    )
    assert response.status_code == 201
    assert response.json()["number"] == 2
    assert response.json()["scan_status"] == "pending"
    refused = as_user(officer_a).post(
        f"{_base(case_a)}{clean_document.public_id}/versions/", {"file": upload("photo.png")}
    )
    assert refused.status_code == 400
    assert clean_document.versions.count() == 2


# -- sensitivity and redaction ---------------------------------------------------------------------


def _patch(client: Client, case: Case, document: Document, **data: Any) -> Any:
    return client.patch(f"{_base(case)}{document.public_id}/", data, content_type="application/json")


def test_patch_redaction_records_who_and_when(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    response = _patch(as_user(officer_a), case_a, clean_document, redaction_status="redacted")
    assert response.status_code == 200
    body = response.json()
    assert body["redaction_status"] == "redacted"
    assert body["redaction_confirmed_by"]["id"] == str(officer_a.public_id)
    assert body["redaction_confirmed_at"] is not None
    assert AuditEvent.objects.filter(event_type=AuditEventType.REDACTION_CONFIRMED).count() == 1


def test_patch_sensitivity(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User, supervisor_a: User
) -> None:
    refused = _patch(as_user(officer_a), case_a, clean_document, sensitivity="sensitive")
    assert (refused.status_code, refused.json()["error"]["message"]) == (403, SENSITIVITY_CHANGE_NOT_ALLOWED)
    response = _patch(as_user(supervisor_a), case_a, clean_document, sensitivity="sensitive")
    assert response.status_code == 200
    assert response.json()["sensitivity"] == Sensitivity.SENSITIVE
    assert as_user(officer_a).get(f"{_base(case_a)}{clean_document.public_id}/").status_code == 404


def test_patch_is_refused_to_those_who_may_change_neither(
    as_user: ClientFor, clean_document: Document, case_a: Case, manager_police_a: User
) -> None:
    response = _patch(as_user(manager_police_a), case_a, clean_document, redaction_status="redacted")
    assert response.status_code == 403
    clean_document.refresh_from_db()
    assert clean_document.redaction_status == RedactionStatus.NOT_REQUIRED


def test_patch_redaction_is_not_for_the_cps(
    as_user: ClientFor, clean_document: Document, case_a: Case, lawyer_north: User
) -> None:
    assert _patch(as_user(lawyer_north), case_a, clean_document, redaction_status="redacted").status_code == 403
    assert _patch(as_user(lawyer_north), case_a, clean_document, sensitivity="sensitive").status_code == 200


def test_patch_invalid_values(as_user: ClientFor, clean_document: Document, case_a: Case, supervisor_a: User) -> None:
    response = _patch(as_user(supervisor_a), case_a, clean_document, sensitivity="secret")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"sensitivity"}


# -- downloading -----------------------------------------------------------------------------------


def test_download(as_user: ClientFor, clean_document: Document, case_a: Case, lawyer_north: User) -> None:
    url = f"{_base(case_a)}{clean_document.public_id}/versions/1/download/"
    response = as_user(lawyer_north).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == fixture_bytes("statement.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_DOWNLOADED)
    assert (event.actor, event.data["via"]) == (lawyer_north, "api")


@pytest.mark.parametrize(
    ("scan_status", "code", "message"),
    [
        (ScanStatus.PENDING, "awaiting_scan", AWAITING_SCAN),
        (ScanStatus.INFECTED, "quarantined", QUARANTINED_INFECTED),
    ],
)
def test_download_of_an_unscanned_or_quarantined_version_is_a_409(
    as_user: ClientFor,
    add_document: UploadFn,
    case_a: Case,
    officer_a: User,
    scan_status: str,
    code: str,
    message: str,
) -> None:
    document = add_document(scan=scan_status)
    response = as_user(officer_a).get(
        f"{_base(case_a)}{document.public_id}/versions/1/download/", HTTP_ACCEPT="application/octet-stream"
    )
    assert response.status_code == 409
    assert response.json() == {"error": {"status": 409, "code": code, "message": message}}
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


def test_download_of_a_missing_version(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    response = as_user(officer_a).get(
        f"{_base(case_a)}{clean_document.public_id}/versions/2/download/", HTTP_ACCEPT="application/pdf"
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_signed_out_callers_are_refused(client: Client, clean_document: Document, case_a: Case) -> None:
    response = client.get(f"{_base(case_a)}{clean_document.public_id}/versions/1/download/")
    assert response.status_code == 401
    assert "Content-Disposition" not in response
