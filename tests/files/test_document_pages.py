"""The document pages: the Material tab, uploading (with the GOV.UK error summary naming each
refused file), a document with its versions, new versions, sensitivity, redaction, and the
download. Outsiders get 404 on every page; sensitive material is 404 and unlisted for those who
may not see it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from casework.models import Case
from files.choices import DocumentKind, RedactionStatus, ScanStatus, Sensitivity
from files.models import Document, DocumentVersion
from files.services.documents import AWAITING_SCAN, KIND_REQUIRED, QUARANTINED_INFECTED
from files.uploads import EMPTY, EXECUTABLE, NO_FILE, PDF_ENCRYPTED, PDF_MALFORMED
from tests.factories.casework import SuspectFactory, WitnessFactory
from tests.files.conftest import UploadFn, fixture_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
OUTSIDERS = ["officer_b", "lawyer_south", "admin_user"]


def _urls(case: Case, document: Document) -> dict[str, tuple[str, str]]:
    c, d = case.public_id, document.public_id
    return {
        "material": ("get", reverse("files:material", args=[c])),
        "upload": ("get", reverse("files:document-upload", args=[c])),
        "detail": ("get", reverse("files:document-detail", args=[c, d])),
        "download": ("get", reverse("files:document-download", args=[c, d, 1])),
        "version": ("post", reverse("files:document-version-add", args=[c, d])),
        "sensitivity": ("post", reverse("files:document-sensitivity", args=[c, d])),
        "redaction": ("post", reverse("files:document-redaction", args=[c, d])),
    }


def _error_summary(html: str) -> list[str]:
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


# -- who may reach the pages -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("page", ["material", "upload", "detail", "download", "version", "sensitivity", "redaction"])
def test_outsiders_get_404_on_every_page(
    as_user: ClientFor, clean_document: Document, case_a: Case, persona: str, page: str, request: pytest.FixtureRequest
) -> None:
    method, url = _urls(case_a, clean_document)[page]
    client = as_user(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    response = getattr(client, method)(url, {"sensitivity": "sensitive", "redaction_status": "redacted"})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before
    assert clean_document.title not in response.content.decode()


@pytest.mark.parametrize("page", ["detail", "download", "version", "sensitivity", "redaction"])
def test_sensitive_material_is_404_for_an_investigator(
    as_user: ClientFor, sensitive_document: Document, case_a: Case, officer_a: User, page: str
) -> None:
    method, url = _urls(case_a, sensitive_document)[page]
    response = getattr(as_user(officer_a), method)(url, {"redaction_status": "required"})
    assert response.status_code == 404
    sensitive_document.refresh_from_db()
    assert sensitive_document.redaction_status == RedactionStatus.NOT_REQUIRED


def test_sensitive_material_is_not_listed_for_an_investigator(
    as_user: ClientFor, sensitive_document: Document, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    html = as_user(officer_a).get(reverse("files:material", args=[case_a.public_id])).content.decode()
    assert clean_document.title in html
    assert sensitive_document.title not in html
    assert str(sensitive_document.public_id) not in html


@pytest.mark.parametrize("persona", ["disclosure_a", "supervisor_a", "lawyer_north"])
def test_sensitive_material_is_seen_by_disclosure_supervisors_and_the_cps(
    as_user: ClientFor, sensitive_document: Document, case_a: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    html = client.get(reverse("files:material", args=[case_a.public_id])).content.decode()
    assert sensitive_document.title in html
    assert "Sensitive" in html
    urls = _urls(case_a, sensitive_document)
    assert client.get(urls["detail"][1]).status_code == 200
    assert client.get(urls["download"][1]).status_code == 200


@pytest.mark.parametrize("persona", ["lawyer_north", "manager_police_a"])
def test_those_who_may_see_but_not_upload_are_refused(
    as_user: ClientFor, case_a: Case, clean_document: Document, persona: str, request: pytest.FixtureRequest
) -> None:
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("files:document-upload", args=[case_a.public_id])).status_code == 403
    url = reverse("files:document-version-add", args=[case_a.public_id, clean_document.public_id])
    assert client.post(url, {"file": upload("statement.pdf")}).status_code == 403
    assert clean_document.versions.count() == 1
    html = client.get(reverse("files:material", args=[case_a.public_id])).content.decode()
    assert "Upload material" not in html


# -- the Material tab ------------------------------------------------------------------------------


def test_material_tab_groups_documents_by_kind_with_their_status_in_words(
    as_user: ClientFor, add_document: UploadFn, case_a: Case, officer_a: User
) -> None:
    statement = add_document()
    photo = add_document("photo.png", kind=DocumentKind.PHOTOGRAPH, title="Front door", scan=ScanStatus.CLEAN)
    response = as_user(officer_a).get(reverse("files:material", args=[case_a.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="moj-sub-navigation"' in html
    assert re.search(r'href="[^"]*/material/"\s+aria-current="page">Material<', html)
    assert html.index("MG11 Witness statement") < html.index("Photograph")
    assert statement.title in html
    assert photo.title in html
    assert "Waiting for virus scan" in html
    assert ">Clean<" in html
    assert "Not required" in html
    assert reverse("files:document-upload", args=[case_a.public_id]) in html
    viewed = AuditEvent.objects.get(event_type=AuditEventType.CASE_VIEWED)
    assert (viewed.actor, viewed.data) == (officer_a, {"part": "material"})


def test_material_tab_links_to_the_files_for_the_cps(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    html = as_user(officer_a).get(reverse("files:material", args=[case_a.public_id])).content.decode()
    url = reverse("files:submission-list", args=[case_a.public_id])
    assert re.search(rf'<a[^>]*href="{re.escape(url)}"[^>]*>\s*Files for the CPS\s*<', html)


def test_material_tab_with_no_documents(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    html = as_user(officer_a).get(reverse("files:material", args=[case_a.public_id])).content.decode()
    assert "No documents have been uploaded to this case." in html


# -- uploading -------------------------------------------------------------------------------------


def test_upload_form_offers_several_files_and_sensitivity_only_to_those_who_see_it(
    as_user: ClientFor, case_a: Case, officer_a: User, disclosure_a: User
) -> None:
    url = reverse("files:document-upload", args=[case_a.public_id])
    html = as_user(officer_a).get(url).content.decode()
    assert re.search(r'<input type="file" name="file" multiple[^>]*class="govuk-file-upload"', html)
    assert 'data-module="govuk-file-upload"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="sensitivity"' not in html
    assert 'name="sensitivity"' in as_user(disclosure_a).get(url).content.decode()


def test_the_upload_form_starts_with_the_kind_a_finding_links_with(
    as_user: ClientFor, case_a: Case, officer_a: User
) -> None:
    url = reverse("files:document-upload", args=[case_a.public_id])
    client = as_user(officer_a)
    html = client.get(f"{url}?kind={DocumentKind.PNC_PRINT.value}").content.decode()
    assert re.search(rf'<option value="{DocumentKind.PNC_PRINT.value}" selected>', html)
    for ignored in ("mg99", ""):
        response = client.get(f"{url}?kind={ignored}")
        assert response.status_code == 200
        select = response.content.decode().split('name="kind"', 1)[1].split("</select>", 1)[0]
        assert re.findall(r'<option value="([^"]*)" selected>', select) == [""]


def test_the_upload_form_offers_the_case_witnesses_and_suspects(
    as_user: ClientFor, case_a: Case, officer_a: User
) -> None:
    witness = WitnessFactory(case=case_a, first_names="Alan", last_name="Brown")
    suspect = SuspectFactory(case=case_a, first_names="Sam", last_name="Jones")
    other = WitnessFactory(first_names="Other", last_name="Case")
    html = as_user(officer_a).get(reverse("files:document-upload", args=[case_a.public_id])).content.decode()
    assert "Whose statement or form is it? (witness)" in html
    assert "Which suspect is it about?" in html
    assert html.count('<option value="" selected>Not about one person</option>') == 2
    assert f'<option value="{witness.public_id}">Alan BROWN</option>' in html
    assert f'<option value="{suspect.public_id}">Sam JONES</option>' in html
    assert str(other.public_id) not in html


def test_uploading_linked_to_a_witness_and_suspect(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    witness = WitnessFactory(case=case_a, first_names="Alan", last_name="Brown")
    suspect = SuspectFactory(case=case_a, first_names="Sam", last_name="Jones")
    client = as_user(officer_a)
    response = client.post(
        reverse("files:document-upload", args=[case_a.public_id]),
        {
            "kind": DocumentKind.MG11,
            "title": "Statement",
            "redaction_status": RedactionStatus.NOT_REQUIRED,
            "witness": str(witness.public_id),
            "suspect": str(suspect.public_id),
            "file": upload("statement.pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.witness, document.suspect) == (witness, suspect)
    html = client.get(response["Location"]).content.decode()
    people = html.split('data-testid="document-people">', 1)[1].split("</dd>", 1)[0]
    assert people == "Witness: Alan BROWN<br>Suspect: Sam JONES"


def test_a_document_about_nobody_says_so(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    url = reverse("files:document-detail", args=[case_a.public_id, clean_document.public_id])
    html = as_user(officer_a).get(url).content.decode()
    assert 'data-testid="document-people">Not about one person</dd>' in html


def test_uploading_several_files(as_user: ClientFor, case_a: Case, officer_a: User, media_root: Path) -> None:
    response = as_user(officer_a).post(
        reverse("files:document-upload", args=[case_a.public_id]),
        {
            "kind": DocumentKind.OTHER,
            "title": "",
            "redaction_status": RedactionStatus.REQUIRED,
            "file": [upload("statement.pdf", as_name="MG11.pdf"), upload("photo.jpg", as_name="scene.jpg")],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("files:material", args=[case_a.public_id])
    assert sorted(Document.objects.values_list("title", flat=True)) == ["MG11", "scene"]
    assert set(Document.objects.values_list("redaction_status", flat=True)) == {RedactionStatus.REQUIRED}
    assert len(stored_files(media_root)) == 2


def test_uploading_one_file_goes_to_its_document(as_user: ClientFor, case_a: Case, disclosure_a: User) -> None:
    response = as_user(disclosure_a).post(
        reverse("files:document-upload", args=[case_a.public_id]),
        {
            "kind": DocumentKind.MG6D,
            "title": "Informant log",
            "sensitivity": Sensitivity.SENSITIVE,
            "redaction_status": RedactionStatus.NOT_REQUIRED,
            "file": upload("statement.pdf"),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("files:document-detail", args=[case_a.public_id, document.public_id])
    assert document.sensitivity == Sensitivity.SENSITIVE


def test_bad_uploads_are_listed_in_the_error_summary_naming_each_file(
    as_user: ClientFor, case_a: Case, officer_a: User, media_root: Path
) -> None:
    response = as_user(officer_a).post(
        reverse("files:document-upload", args=[case_a.public_id]),
        {
            "kind": DocumentKind.MG11,
            "title": "Statements",
            "redaction_status": RedactionStatus.NOT_REQUIRED,
            "file": [
                upload("statement.pdf"),
                upload("program.pdf", as_name="invoice.pdf"),
                upload("empty.pdf"),
                upload("encrypted.pdf"),
                upload("truncated.pdf"),
                upload("photo.png"),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert _error_summary(html) == [
        f"invoice.pdf: {EXECUTABLE}",
        f"empty.pdf: {EMPTY}",
        f"encrypted.pdf: {PDF_ENCRYPTED}",
        f"truncated.pdf: {PDF_MALFORMED}",
        "photo.png: MG11 Witness statement must be a PDF, a Word document (DOCX), an OpenDocument text (ODT) or "
        "a plain text file; this file is a PNG",
    ]
    assert 'href="#id_file"' in html
    assert 'class="govuk-file-upload govuk-file-upload--error"' in html
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_upload_with_nothing_chosen(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    response = as_user(officer_a).post(
        reverse("files:document-upload", args=[case_a.public_id]), {"redaction_status": "not_required"}
    )
    assert response.status_code == 400
    assert _error_summary(response.content.decode()) == [KIND_REQUIRED, NO_FILE]


def test_an_oversized_upload(
    as_user: ClientFor, case_a: Case, officer_a: User, settings: Any, media_root: Path
) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # through the temporary-file handler, as large files go
    response = as_user(officer_a).post(
        reverse("files:document-upload", args=[case_a.public_id]),
        {"kind": DocumentKind.MG11, "redaction_status": "not_required", "file": upload("statement.pdf")},
    )
    assert response.status_code == 400
    assert _error_summary(response.content.decode()) == ["statement.pdf: The file must be smaller than 1 KB"]
    assert stored_files(media_root) == []


# -- a document ------------------------------------------------------------------------------------


def test_document_page_shows_versions_and_downloads_only_clean_ones(
    as_user: ClientFor, add_document: UploadFn, case_a: Case, officer_a: User
) -> None:
    document = add_document(scan=ScanStatus.CLEAN)
    second = DocumentVersion.objects.create(
        document=document,
        number=2,
        file="cases/x/pending",
        original_name="statement v2.pdf",
        size=10,
        sha256="ab" * 32,
        mime_type="application/pdf",
        uploaded_by=officer_a,
    )
    response = as_user(officer_a).get(reverse("files:document-detail", args=[case_a.public_id, document.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert document.title in html
    first = document.versions.get(number=1)
    assert f"{first.sha256[:12]}…" in html
    assert first.sha256 in html  # in full for those who check it (title attribute)
    assert "Waiting for virus scan" in html
    assert reverse("files:document-download", args=[case_a.public_id, document.public_id, 1]) in html
    assert reverse("files:document-download", args=[case_a.public_id, document.public_id, 2]) not in html
    assert second.original_name in html
    assert 'name="file"' in html
    assert 'name="redaction_status"' in html
    assert 'name="sensitivity"' not in html, "an investigator may not change sensitivity"
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED).last()
    assert event is not None
    assert event.data == {"part": "document"}


def test_adding_a_version(as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User) -> None:
    url = reverse("files:document-version-add", args=[case_a.public_id, clean_document.public_id])
    response = as_user(officer_a).post(url, {"file": upload("statement-v2.pdf")})
    assert response.status_code == 302
    assert [v.number for v in clean_document.versions.order_by("number")] == [1, 2]


def test_a_refused_version_shows_the_error_summary(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User, media_root: Path
) -> None:
    url = reverse("files:document-version-add", args=[case_a.public_id, clean_document.public_id])
    response = as_user(officer_a).post(url, {"file": upload("encrypted.pdf", as_name="v2.pdf")})
    assert response.status_code == 400
    assert _error_summary(response.content.decode()) == [f"v2.pdf: {PDF_ENCRYPTED}"]
    assert clean_document.versions.count() == 1
    assert len(stored_files(media_root)) == 1


def test_confirming_redaction(as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User) -> None:
    url = reverse("files:document-redaction", args=[case_a.public_id, clean_document.public_id])
    client = as_user(officer_a)
    assert client.post(url, {"redaction_status": RedactionStatus.REDACTED}).status_code == 302
    html = client.get(reverse("files:document-detail", args=[case_a.public_id, clean_document.public_id])).content
    assert "Confirmed by" in html.decode()
    clean_document.refresh_from_db()
    assert clean_document.redaction_confirmed_by == officer_a


def test_redaction_is_not_for_the_cps(
    as_user: ClientFor, clean_document: Document, case_a: Case, lawyer_north: User
) -> None:
    url = reverse("files:document-redaction", args=[case_a.public_id, clean_document.public_id])
    assert as_user(lawyer_north).post(url, {"redaction_status": RedactionStatus.REDACTED}).status_code == 403


def test_an_invalid_redaction_choice(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    url = reverse("files:document-redaction", args=[case_a.public_id, clean_document.public_id])
    response = as_user(officer_a).post(url, {"redaction_status": "shredded"})
    assert response.status_code == 400
    assert len(_error_summary(response.content.decode())) == 1


def test_changing_sensitivity(
    as_user: ClientFor, clean_document: Document, case_a: Case, supervisor_a: User, officer_a: User
) -> None:
    url = reverse("files:document-sensitivity", args=[case_a.public_id, clean_document.public_id])
    assert as_user(officer_a).post(url, {"sensitivity": Sensitivity.SENSITIVE}).status_code == 403
    assert as_user(supervisor_a).post(url, {"sensitivity": Sensitivity.SENSITIVE}).status_code == 302
    clean_document.refresh_from_db()
    assert clean_document.sensitivity == Sensitivity.SENSITIVE
    # Now the investigator cannot find it at all.
    detail = reverse("files:document-detail", args=[case_a.public_id, clean_document.public_id])
    assert as_user(officer_a).get(detail).status_code == 404


# -- downloading -----------------------------------------------------------------------------------


def test_downloading_a_clean_version(
    as_user: ClientFor, add_document: UploadFn, case_a: Case, lawyer_north: User
) -> None:
    document = add_document(scan=ScanStatus.CLEAN, content=None)
    DocumentVersion.objects.filter(document=document).update(original_name='MG11 "Alan" Brown.pdf')
    response = as_user(lawyer_north).get(
        reverse("files:document-download", args=[case_a.public_id, document.public_id, 1])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == fixture_bytes("statement.pdf")  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Alan" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_DOWNLOADED)
    assert event.actor == lawyer_north
    assert event.data["via"] == "web"


@pytest.mark.parametrize(
    ("scan_status", "message"), [(ScanStatus.PENDING, AWAITING_SCAN), (ScanStatus.INFECTED, QUARANTINED_INFECTED)]
)
def test_a_version_not_cleared_by_the_scan_does_not_download(
    as_user: ClientFor, add_document: UploadFn, case_a: Case, officer_a: User, scan_status: str, message: str
) -> None:
    document = add_document(scan=scan_status)
    response = as_user(officer_a).get(
        reverse("files:document-download", args=[case_a.public_id, document.public_id, 1])
    )
    assert response.status_code == 409
    assert message in response.content.decode()
    assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


def test_a_version_that_does_not_exist(
    as_user: ClientFor, clean_document: Document, case_a: Case, officer_a: User
) -> None:
    url = reverse("files:document-download", args=[case_a.public_id, clean_document.public_id, 7])
    assert as_user(officer_a).get(url).status_code == 404


def test_the_casework_material_tab_link_leads_here(as_user: ClientFor, case_a: Case, officer_a: User) -> None:
    assert reverse("casework:case-material", args=[case_a.public_id]) == reverse(
        "files:material", args=[case_a.public_id]
    )
    response = as_user(officer_a).get(reverse("casework:case-material", args=[case_a.public_id]))
    assert "No documents have been uploaded to this case." in response.content.decode()
