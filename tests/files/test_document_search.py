"""A case can be found by the text of its material once the text has been extracted, but never by
the words of sensitive (MG6D) material: files.search through casework's SEARCH_TEXT_PROVIDERS."""

from __future__ import annotations

import pytest

from accounts.models import User
from casework.models import Case
from casework.selectors import CaseFilters, case_search_visible_to
from casework.services._common import SEARCH_TEXT_PROVIDERS, refresh_search
from files import services
from files.choices import DocumentKind, ScanStatus, Sensitivity
from files.models import DocumentVersion
from files.search import DOCUMENT_SEARCH_MAX_CHARS, case_documents_search_text
from tests.files.conftest import UploadFn
from tests.fixtures.files.make_fixtures import pdf_bytes, pdf_with_text

pytestmark = pytest.mark.django_db

WORD = "Zephyrhampton"
PDF = pdf_bytes(pdf_with_text((f"The van was later seen in {WORD} car park.", "Page two.")))


def _found_by(user: User, query: str = WORD) -> list[Case]:
    return list(case_search_visible_to(user=user, filters=CaseFilters(query=query)))


def _extract(version: DocumentVersion) -> None:
    assert services.version_extract_text(version_id=version.pk)


def test_the_files_app_provides_search_text() -> None:
    assert case_documents_search_text in SEARCH_TEXT_PROVIDERS


def test_a_case_is_found_by_the_extracted_text_of_a_clean_pdf(
    add_document: UploadFn, case_a: Case, officer_a: User, lawyer_north: User, officer_b: User
) -> None:
    version = add_document(title="Sighting log", content=PDF, scan=ScanStatus.CLEAN).versions.get()
    assert _found_by(officer_a) == []

    _extract(version)

    assert _found_by(officer_a) == [case_a]
    assert _found_by(lawyer_north) == [case_a]
    assert _found_by(officer_a, "sighting") == [case_a], "titles count too"
    assert _found_by(officer_b) == [], "another force still cannot find it"


def test_the_text_of_sensitive_material_never_makes_a_case_findable(
    add_document: UploadFn, case_a: Case, officer_a: User, disclosure_a: User, lawyer_north: User
) -> None:
    version = add_document(
        title="Informant Quillerby log",
        kind=DocumentKind.MG6D,
        sensitivity=Sensitivity.SENSITIVE,
        by=disclosure_a,
        content=PDF,
        scan=ScanStatus.CLEAN,
    ).versions.get()

    _extract(version)

    version.refresh_from_db()
    assert WORD in version.text, "the text was extracted"
    # Left out for everyone, including those who may read the material: one search text serves all.
    for user in (officer_a, disclosure_a, lawyer_north):
        assert _found_by(user) == []
        assert _found_by(user, "Quillerby") == []
    case_a.refresh_from_db()
    assert WORD not in case_a.search_text
    assert "Quillerby" not in case_a.search_text


def test_only_the_latest_clean_version_counts(add_document: UploadFn, case_a: Case, officer_a: User) -> None:
    document = add_document(title="Statement", content=PDF, scan=ScanStatus.CLEAN)
    first = document.versions.get()
    _extract(first)
    DocumentVersion.objects.create(
        document=document,
        number=2,
        file=first.file.name,
        original_name="statement.pdf",
        size=first.size,
        sha256=first.sha256,
        mime_type=first.mime_type,
        uploaded_by=officer_a,
        scan_status=ScanStatus.CLEAN,
        text="A corrected statement naming Ravensworth.",
    )
    refresh_search(case_a)

    assert _found_by(officer_a, "Ravensworth") == [case_a]
    assert _found_by(officer_a) == []


def test_document_search_text_is_capped(add_document: UploadFn, case_a: Case) -> None:
    for title in ("First statement", "Second statement"):
        document = add_document(title=title, scan=ScanStatus.CLEAN)
        DocumentVersion.objects.filter(document=document).update(text="word " * DOCUMENT_SEARCH_MAX_CHARS)

    text = case_documents_search_text(case_a)

    assert len(text) <= DOCUMENT_SEARCH_MAX_CHARS
    assert text.startswith("First statement\nword word")
    assert "Second statement" not in text


def test_marking_a_document_sensitive_makes_its_words_unsearchable_at_once(
    case_a: Case, officer_a: User, disclosure_a: User, add_document: UploadFn
) -> None:
    from files.services.documents import document_update

    document = add_document(title="Statement mentioning Quillfeather", scan="clean")
    refresh_search(case_a)
    found = case_search_visible_to(user=officer_a, filters=CaseFilters(query="Quillfeather"))
    assert list(found.values_list("pk", flat=True)) == [case_a.pk]
    document_update(document=document, by=disclosure_a, sensitivity="sensitive")
    assert not case_search_visible_to(user=officer_a, filters=CaseFilters(query="Quillfeather")).exists()
    assert DocumentVersion.objects.filter(document=document).exists()
