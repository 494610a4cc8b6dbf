"""The upload checks of files.uploads, without the database: safe names (hypothesis), the
allow-list of types for each kind of material, programs, sizes and PDFs, on real files."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from files import uploads
from files.choices import DocumentKind
from files.uploads import (
    EMPTY,
    EXECUTABLE,
    FALLBACK_NAME,
    MAX_NAME_LENGTH,
    NO_FILE,
    PDF_ENCRYPTED,
    PDF_MALFORMED,
    TOO_LARGE,
    WRONG_TYPE,
    LimitedTemporaryFileUploadHandler,
    UploadRefused,
    format_size,
    inspect_upload,
    sanitise_filename,
    type_refusal,
)
from tests.files.conftest import FIXTURES, fixture_bytes, upload

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("statement.pdf", "statement.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\config.pdf", "config.pdf"),
        ("C:\\Users\\pc1234\\Desktop\\MG11 Alan Brown.pdf", "MG11 Alan Brown.pdf"),
        ("/var/www/../secret.docx", "secret.docx"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("line\nbreak\ttab.pdf", "linebreaktab.pdf"),
        ("bell\x07\x00null.pdf", "bellnull.pdf"),
        ('what?<is>"this"|*.pdf', "what__is__this___.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("..", FALLBACK_NAME),
        ("...", FALLBACK_NAME),
        ("", FALLBACK_NAME),
        ("   ", FALLBACK_NAME),
        ("dir/", FALLBACK_NAME),
        (".bashrc", "bashrc"),
        ("  report  final .pdf  ", "report final .pdf"),
        ("e\u0301vidence.pdf", "évidence.pdf"),
    ],
)
def test_sanitise_filename(raw: str, expected: str) -> None:
    assert sanitise_filename(raw) == expected


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    name = sanitise_filename("a" * 400 + ".pdf")
    assert len(name) == MAX_NAME_LENGTH
    assert name.endswith("a.pdf")


@given(st.text(max_size=400))
def test_a_sanitised_name_is_always_safe(raw: str) -> None:
    name = sanitise_filename(raw)
    assert name
    assert "/" not in name
    assert "\\" not in name
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name)
    assert not name.startswith(".")
    assert len(name) <= MAX_NAME_LENGTH
    assert name.split(".")[0].upper() not in uploads.RESERVED_NAMES
    assert sanitise_filename(name) == name


@given(st.lists(st.sampled_from(["..", ".", "etc", "passwd", "a b", "x.pdf", ""]), max_size=8), st.sampled_from("/\\"))
def test_no_path_survives_sanitising(parts: list[str], separator: str) -> None:
    name = sanitise_filename(separator.join(parts))
    assert os.path.basename(name) == name
    assert ".." not in name.split("/")


# -- types for each kind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "mime_type"),
    [
        (DocumentKind.MG11, PDF),
        (DocumentKind.MG11, DOCX),
        (DocumentKind.MG11, "application/vnd.oasis.opendocument.text"),
        (DocumentKind.MG11, "text/plain"),
        (DocumentKind.MG6C, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (DocumentKind.BODY_WORN_VIDEO, "video/mp4"),
        (DocumentKind.CCTV, "video/x-msvideo"),
        (DocumentKind.AUDIO_999, "audio/x-wav"),
        (DocumentKind.AUDIO_999, "audio/mpeg"),
        (DocumentKind.PHOTOGRAPH, "image/jpeg"),
        (DocumentKind.PHOTOGRAPH, "image/heic"),
        (DocumentKind.PHOTOGRAPH, "image/tiff"),
        (DocumentKind.PNC_PRINT, "text/plain"),
        (DocumentKind.FORENSIC_REPORT, PDF),
        (DocumentKind.MEDICAL, PDF),
        (DocumentKind.OTHER, "image/png"),
        (DocumentKind.OTHER, DOCX),
    ],
)
def test_allowed_types(kind: str, mime_type: str) -> None:
    assert type_refusal(kind, mime_type) is None


@pytest.mark.parametrize(
    ("kind", "mime_type", "message"),
    [
        (
            DocumentKind.PHOTOGRAPH,
            PDF,
            "Photograph must be a JPEG, a PNG, a HEIC or a TIFF; this file is a PDF",
        ),
        (
            DocumentKind.MG11,
            "image/png",
            "MG11 Witness statement must be a PDF, a Word document (DOCX), an OpenDocument text (ODT) or a plain "
            "text file; this file is a PNG",
        ),
        (
            DocumentKind.FORENSIC_REPORT,
            DOCX,
            "Forensic report (SFR1/SFR2) must be a PDF; this file is a Word document (DOCX)",
        ),
        (
            DocumentKind.BODY_WORN_VIDEO,
            "image/jpeg",
            "Body-worn video must be a video (MP4, MOV, AVI, MKV, WebM, MPEG); this file is a JPEG",
        ),
        (
            DocumentKind.AUDIO_999,
            "video/mp4",
            "999 call recording must be an audio recording (MP3, WAV, M4A, OGG, FLAC, AMR); this file is a video "
            "(MP4, MOV, AVI, MKV, WebM, MPEG)",
        ),
        (
            DocumentKind.MG11,
            "application/zip",
            "MG11 Witness statement must be a PDF, a Word document (DOCX), an "
            "OpenDocument text (ODT) or a plain text file; this file is of type application/zip",
        ),
    ],
)
def test_wrong_type_for_the_kind_says_what_it_must_be(kind: str, mime_type: str, message: str) -> None:
    assert type_refusal(kind, mime_type) == message


@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize(
    ("mime_type", "head"),
    [
        ("application/x-executable", b"\x7fELF"),
        ("application/x-dosexec", b"MZ\x90\x00"),
        ("application/x-sharedlib", b"\x7fELF"),
        ("text/x-shellscript", b"#!/bin/sh\n"),
        # A program whose content libmagic does not recognise is still caught by its header.
        ("text/plain", b"#!/usr/bin/env python3\n"),
        ("application/octet-stream", b"\xcf\xfa\xed\xfe"),
        ("application/pdf", b"\x7fELF\x02\x01\x01"),
    ],
)
def test_programs_are_refused_for_every_kind(kind: str, mime_type: str, head: bytes) -> None:
    assert type_refusal(kind, mime_type, head) == EXECUTABLE


def test_wrong_type_message_is_the_template() -> None:
    assert WRONG_TYPE.format(kind="K", allowed="A", found="F") == "K must be A; this file is F"


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (500, "500 bytes"),
        (2048, "2 KB"),
        (1536, "1.5 KB"),
        (200 * 1024 * 1024, "200 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_format_size(size: int, text: str) -> None:
    assert format_size(size) == text


# -- inspecting real files -------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_with_its_hash_and_sniffed_type() -> None:
    inspected = inspect_upload(upload("statement.pdf", as_name="../../MG11.pdf"), kind=DocumentKind.MG11)
    assert inspected.name == "MG11.pdf"
    assert inspected.size == len(fixture_bytes("statement.pdf"))
    assert inspected.sha256 == hashlib.sha256(fixture_bytes("statement.pdf")).hexdigest()
    assert inspected.mime_type == PDF
    assert inspected.file.read() == fixture_bytes("statement.pdf"), "the upload is rewound for storing"


@pytest.mark.parametrize(
    ("name", "kind", "mime_type"),
    [
        ("photo.png", DocumentKind.PHOTOGRAPH, "image/png"),
        ("photo.jpg", DocumentKind.PHOTOGRAPH, "image/jpeg"),
        ("call.wav", DocumentKind.AUDIO_999, "audio/x-wav"),
        ("statement.docx", DocumentKind.MG11, DOCX),
        ("notes.txt", DocumentKind.PNC_PRINT, "text/plain"),
    ],
)
def test_real_files_of_the_right_type_are_accepted(name: str, kind: str, mime_type: str) -> None:
    assert inspect_upload(upload(name), kind=kind).mime_type == mime_type


def test_the_type_comes_from_the_content_not_the_name() -> None:
    # A PNG called .pdf is a PNG; a PDF called .jpg is a PDF.
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(upload("photo.png", as_name="statement.pdf"), kind=DocumentKind.MG11)
    assert refused.value.message.endswith("this file is a PNG")
    assert inspect_upload(upload("statement.pdf", as_name="photo.jpg"), kind=DocumentKind.MG11).mime_type == PDF


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("program.pdf", DocumentKind.MG11, EXECUTABLE),
        ("program.pdf", DocumentKind.OTHER, EXECUTABLE),
        ("empty.pdf", DocumentKind.MG11, EMPTY),
        ("encrypted.pdf", DocumentKind.MG11, PDF_ENCRYPTED),
        ("truncated.pdf", DocumentKind.MG11, PDF_MALFORMED),
    ],
)
def test_refusals_name_the_file(name: str, kind: str, message: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(upload(name), kind=kind)
    assert refused.value.message == message
    assert refused.value.display == f"{name}: {message}"


def test_a_pdf_that_is_garbage_after_its_header_is_malformed() -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(upload("x.pdf", b"%PDF-1.7\n" + os.urandom(2000)), kind=DocumentKind.MG11)
    assert refused.value.message == PDF_MALFORMED


def test_the_size_limit_comes_from_the_setting(settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(upload("statement.pdf"), kind=DocumentKind.MG11)
    assert refused.value.message == TOO_LARGE.format(limit="1000 bytes")
    settings.FILE_UPLOAD_MAX_BYTES = len(fixture_bytes("statement.pdf"))
    assert inspect_upload(upload("statement.pdf"), kind=DocumentKind.MG11).size == settings.FILE_UPLOAD_MAX_BYTES


def test_no_file() -> None:
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(None, kind=DocumentKind.MG11)
    assert refused.value.message == NO_FILE


def test_large_uploads_stop_growing_on_disk_at_the_limit(settings: Any, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 10_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    handler = LimitedTemporaryFileUploadHandler()
    handler.new_file("file", "huge.pdf", "application/pdf", 50_000)
    for start in range(0, 50_000, 4096):
        assert handler.receive_data_chunk(b"x" * min(4096, 50_000 - start), start) is None
    received = handler.file_complete(50_000)
    assert received is not None
    assert received.size == 50_000, "the true size, so the refusal can say the file is too large"
    assert os.path.getsize(received.temporary_file_path()) <= 10_000  # type: ignore[attr-defined]
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(received, kind=DocumentKind.MG11)
    assert refused.value.message == TOO_LARGE.format(limit=format_size(10_000))
    received.close()


def test_fixture_files_are_what_they_say() -> None:
    """The committed fixtures (tests/fixtures/files/make_fixtures.py) are real files of their type."""
    assert fixture_bytes("statement.pdf").startswith(b"%PDF-")
    assert fixture_bytes("program.pdf").startswith(b"\x7fELF")
    assert fixture_bytes("empty.pdf") == b""
    assert not any(b"EICAR" in p.read_bytes() for p in FIXTURES.iterdir() if p.is_file() and p.suffix != ".py")


def test_simple_uploaded_file_in_memory_is_sniffed_from_its_bytes() -> None:
    small = SimpleUploadedFile("x.txt", b"Plain words.\n")
    assert uploads.sniff_mime_type(small)[0] == "text/plain"
