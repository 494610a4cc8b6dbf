"""Every write on case material. Each service checks the rules, locks what it changes, writes, and
records an audit event in the same transaction; background work is queued on commit."""

from .documents import (
    DocumentDetails,
    VersionNotDownloadable,
    document_update,
    document_upload,
    document_version_add,
    version_extract_text,
    version_get,
    version_open_for_download,
    version_scan,
    version_scan_failed,
)

__all__ = [
    "DocumentDetails",
    "VersionNotDownloadable",
    "document_update",
    "document_upload",
    "document_version_add",
    "version_extract_text",
    "version_get",
    "version_open_for_download",
    "version_scan",
    "version_scan_failed",
]
