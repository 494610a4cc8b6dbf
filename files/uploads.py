"""Checking an uploaded file before it is stored: a safe display name, the size limit, the SHA-256
of the content, the type sniffed from the content (never the name) against what each kind of
material may be, programs refused whatever they are called, and PDFs that can be opened.

Everything here is free of the database. ``inspect_upload`` raises ``UploadRefused`` with one of the
message constants below (tests import them); the services put the file's name in front of it.
The user's file name is only ever shown: storage names are opaque (``files.models.version_upload_path``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import magic
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .choices import DocumentKind

# Precise refusals, one per reason. GOV.UK style: say what is wrong and what to do.
NO_FILE = "Select a file to upload"
EMPTY = "The file is empty"
TOO_LARGE = "The file must be smaller than {limit}"
EXECUTABLE = "This is a program, not a document: programs cannot be uploaded, whatever their name"
WRONG_TYPE = "{kind} must be {allowed}; this file is {found}"
PDF_ENCRYPTED = "This PDF is password-protected: upload it without the password protection"
PDF_MALFORMED = "This PDF is damaged and cannot be opened: save or export it again and upload the new copy"

FALLBACK_NAME = "unnamed file"
MAX_NAME_LENGTH = 255  # DocumentVersion.original_name

# How much of a file libmagic reads when the file is only in memory (small uploads); large uploads
# are sniffed from their temporary file, so libmagic reads what it needs (OOXML needs more than the
# first few kilobytes).
SNIFF_BYTES = 1024 * 1024
CHUNK_SIZE = 64 * 1024


# ---------------------------------------------------------------------------------------------
# Types


@dataclass(frozen=True)
class FileType:
    label: str
    mime_types: frozenset[str]


def _type(label: str, *mime_types: str) -> FileType:
    return FileType(label, frozenset(mime_types))


PDF = _type("a PDF", "application/pdf")
DOCX = _type("a Word document (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = _type("an OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text")
XLSX = _type("an Excel spreadsheet (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODS = _type("an OpenDocument spreadsheet (ODS)", "application/vnd.oasis.opendocument.spreadsheet")
TEXT = _type("a plain text file", "text/plain")
JPEG = _type("a JPEG", "image/jpeg")
PNG = _type("a PNG", "image/png")
HEIC = _type("a HEIC", "image/heic", "image/heif")
TIFF = _type("a TIFF", "image/tiff")
VIDEO = _type(
    "a video (MP4, MOV, AVI, MKV, WebM, MPEG)",
    "video/mp4",
    "video/quicktime",
    "video/x-msvideo",
    "video/x-matroska",
    "video/webm",
    "video/mpeg",
    "video/MP2T",
    "video/3gpp",
    "video/x-ms-asf",
)
AUDIO = _type(
    "an audio recording (MP3, WAV, M4A, OGG, FLAC, AMR)",
    "audio/mpeg",
    "audio/x-wav",
    "audio/wav",
    "audio/x-m4a",
    "audio/mp4",
    "audio/ogg",
    "audio/flac",
    "audio/x-flac",
    "audio/amr",
    "audio/x-hx-aac-adts",
)

FORMS = (PDF, DOCX, ODT, TEXT)
SCHEDULES = (*FORMS, XLSX, ODS)
IMAGES = (JPEG, PNG, HEIC, TIFF)

# What each kind of material may be. MG forms are documents (schedules and lists may also be
# spreadsheets); media kinds are media; reports from outside the police arrive as PDFs.
_SCHEDULE_KINDS = {DocumentKind.MG6C, DocumentKind.MG6D, DocumentKind.MG9, DocumentKind.MG12, DocumentKind.MG18}
ALLOWED_TYPES: dict[str, tuple[FileType, ...]] = {
    **{kind.value: (SCHEDULES if kind in _SCHEDULE_KINDS else FORMS) for kind in DocumentKind},
    DocumentKind.BODY_WORN_VIDEO.value: (VIDEO,),
    DocumentKind.CCTV.value: (VIDEO,),
    DocumentKind.AUDIO_999.value: (AUDIO,),
    DocumentKind.PHOTOGRAPH.value: IMAGES,
    DocumentKind.PNC_PRINT.value: (PDF, TEXT),
    DocumentKind.FORENSIC_REPORT.value: (PDF,),
    DocumentKind.MEDICAL.value: (PDF,),
    DocumentKind.OTHER.value: (PDF, *IMAGES, DOCX, ODT, XLSX, ODS, TEXT),
}

# Programs and scripts, refused for every kind even before the allow-list is consulted.
EXECUTABLE_MIME_TYPES = frozenset(
    {
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-object",
        "application/x-coredump",
        "application/x-elf",
        "application/x-dosexec",
        "application/x-msdownload",
        "application/vnd.microsoft.portable-executable",
        "application/x-msi",
        "application/x-ms-installer",
        "application/x-mach-binary",
        "application/x-mach-o-executable",
        "application/java-archive",
        "application/x-java-applet",
        "application/x-bytecode.python",
        "text/x-shellscript",
        "text/x-python",
        "text/x-script.python",
        "text/x-perl",
        "text/x-ruby",
        "text/x-php",
        "text/x-msdos-batch",
        "application/x-bat",
    }
)
# Headers that mark a program whatever libmagic makes of the rest: ELF, Mach-O (both byte orders,
# 32/64-bit, fat), a script's ``#!``. (A DOS/Windows ``MZ`` header is too short to trust alone:
# libmagic's ``application/x-dosexec`` checks the PE header behind it.)
EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

_FOUND_LABELS = {
    mime: file_type.label
    for file_type in (PDF, DOCX, ODT, XLSX, ODS, TEXT, *IMAGES, VIDEO, AUDIO)
    for mime in file_type.mime_types
}


def allowed_types(kind: str) -> tuple[FileType, ...]:
    return ALLOWED_TYPES.get(kind, ALLOWED_TYPES[DocumentKind.OTHER])


def allowed_mime_types(kind: str) -> frozenset[str]:
    return frozenset().union(*(t.mime_types for t in allowed_types(kind)))


def describe_allowed(kind: str) -> str:
    labels = [t.label for t in allowed_types(kind)]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def describe_found(mime_type: str) -> str:
    return _FOUND_LABELS.get(mime_type, f"of type {mime_type}")


def is_executable(mime_type: str, head: bytes) -> bool:
    return mime_type in EXECUTABLE_MIME_TYPES or head.startswith(EXECUTABLE_MAGIC)


def kind_label(kind: str) -> str:
    try:
        return str(DocumentKind(kind).label)
    except ValueError:
        return "This kind of material"


def type_refusal(kind: str, mime_type: str, head: bytes = b"") -> str | None:
    """Why a file of this sniffed type cannot be material of this kind, or ``None`` if it can."""
    if is_executable(mime_type, head):
        return EXECUTABLE
    if mime_type not in allowed_mime_types(kind):
        return WRONG_TYPE.format(kind=kind_label(kind), allowed=describe_allowed(kind), found=describe_found(mime_type))
    return None


# ---------------------------------------------------------------------------------------------
# Names

# Windows refuses these as file names whatever the extension; a user downloading "CON.pdf" would
# get an error or worse.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{n}" for n in "123456789¹²³"}
    | {f"LPT{n}" for n in "123456789¹²³"}
)
_UNSAFE_CHARACTERS = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")


def _is_invisible(char: str) -> bool:
    # Control, format (including the right-to-left override used to disguise "exe.pdf"), surrogate,
    # private-use and unassigned characters, and line/paragraph separators.
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _truncate(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and 0 < len(extension) <= 10:
        return stem[: limit - len(extension) - 1].rstrip(" .") + "." + extension
    return name[:limit]


def sanitise_filename(raw: str) -> str:
    """A name that is safe to show and to offer as a download's file name: the last part of any
    path (``../../etc/passwd`` → ``passwd``), without control or invisible characters, characters
    Windows refuses, leading dots (hidden files, ``..``) or a reserved device name. Never empty.
    It is never used to build a storage path."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    # Normalised again: removing an invisible character can leave a base and an accent side by side.
    name = unicodedata.normalize("NFC", "".join(char for char in name if not _is_invisible(char)))
    name = _UNSAFE_CHARACTERS.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem = name.split(".")[0].strip().upper()
    if stem in RESERVED_NAMES:
        name = f"_{name}"
    name = _truncate(name, MAX_NAME_LENGTH).strip(" .")
    return name or FALLBACK_NAME


# ---------------------------------------------------------------------------------------------
# Size


def max_upload_bytes() -> int:
    return int(getattr(settings, "FILE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def format_size(size: int) -> str:
    """``200 MB``, ``1.5 GB``, ``512 KB``, ``10 bytes``, in the 1024-based units Windows shows."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams a large upload to a temporary file, but stops writing once it passes
    ``FILE_UPLOAD_MAX_BYTES``: the rest is counted, not stored, so a huge upload cannot fill the
    disk, and ``size`` stays the true size so the refusal can say the file is too large."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0
        self._limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received <= self._limit:
            self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        self.file.seek(0)
        self.file.size = self._received
        return self.file  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Inspection


class UploadRefused(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message

    @property
    def display(self) -> str:
        """The refusal as the error summary shows it, naming the file."""
        return f"{self.name}: {self.message}"


@dataclass(frozen=True)
class InspectedUpload:
    """What was learnt from an acceptable upload; ``file`` is the upload itself, rewound."""

    file: UploadedFile[bytes]
    name: str
    size: int
    sha256: str
    mime_type: str


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def sniff_mime_type(upload: UploadedFile[bytes]) -> tuple[str, bytes]:
    """The MIME type libmagic finds in the content, and the first bytes (for program headers)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if isinstance(upload, TemporaryUploadedFile):
        if upload.file is not None:
            upload.file.flush()
        found = magic.from_file(upload.temporary_file_path(), mime=True)
    else:
        found = magic.from_buffer(head, mime=True)
    return str(found), head[:64]


def pdf_refusal(stream: IO[bytes]) -> str | None:
    """Why a PDF cannot be accepted (password protection, damage), or ``None``. Opening it and
    walking its page tree is enough to know it will open for the reader; text is extracted later,
    after the virus scan."""
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return PDF_ENCRYPTED
        if len(reader.pages) < 1:
            return PDF_MALFORMED
    except PyPdfError:
        return PDF_MALFORMED
    # pypdf raises plain Python errors on some broken structures, and recursion on cyclic ones.
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, AssertionError, RecursionError):
        return PDF_MALFORMED
    finally:
        stream.seek(0)
    return None


def inspect_upload(upload: UploadedFile[bytes] | None, *, kind: str) -> InspectedUpload:
    """Everything that can be said of an upload without storing it; raises ``UploadRefused``."""
    if upload is None:
        raise UploadRefused(FALLBACK_NAME, NO_FILE)
    name = sanitise_filename(upload.name or "")
    size = int(upload.size or 0)
    if size == 0:
        raise UploadRefused(name, EMPTY)
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRefused(name, TOO_LARGE.format(limit=format_size(limit)))
    mime_type, head = sniff_mime_type(upload)
    refusal = type_refusal(kind, mime_type, head)
    if refusal is None and mime_type in PDF.mime_types:
        refusal = pdf_refusal(upload)
    if refusal is not None:
        raise UploadRefused(name, refusal)
    upload.seek(0)
    digest = sha256_of(upload.chunks(CHUNK_SIZE))
    upload.seek(0)
    return InspectedUpload(file=upload, name=name, size=size, sha256=digest, mime_type=mime_type)
