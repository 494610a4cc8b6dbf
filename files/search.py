"""What a case's material adds to its search text: the titles of its documents and the text
extracted from the latest clean version of each (PDFs, by ``version_extract_text``).

Registered with ``casework.services._common.SEARCH_TEXT_PROVIDERS`` in ``FilesConfig.ready()``.
Everyone who can see a case can find it by its search text, so sensitive (MG6D) material is left
out entirely - its title as well as its text: a case must never be findable by words only the
disclosure officer, supervisors and the CPS may read. Only documents marked normal count, so a
sensitivity added later is left out until it is decided otherwise here.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from casework.models import Case

from .choices import ScanStatus, Sensitivity
from .models import Document, DocumentVersion

# Keeps the case row (and its full-text vector) a sane size however much material there is; the
# text past this point does not make the case findable.
DOCUMENT_SEARCH_MAX_CHARS = 200_000


def case_documents_search_text(case: Case) -> str:
    """The titles and latest clean extracted text of the case's non-sensitive documents, oldest
    document first, at most ``DOCUMENT_SEARCH_MAX_CHARS`` characters."""
    latest_clean_text = (
        DocumentVersion.objects.filter(document=OuterRef("pk"), scan_status=ScanStatus.CLEAN)
        .order_by("-number")
        .values("text")[:1]
    )
    documents = (
        Document.objects.filter(case=case, sensitivity=Sensitivity.NORMAL)
        .annotate(latest_clean_text=Subquery(latest_clean_text))
        .order_by("created_at", "id")
        .values_list("title", "latest_clean_text")
    )
    parts: list[str] = []
    remaining = DOCUMENT_SEARCH_MAX_CHARS
    for title, text in documents:
        for part in (title, text or ""):
            if part and remaining > 0:
                parts.append(part[:remaining])
                remaining -= len(parts[-1]) + 1
    return "\n".join(parts)
