"""Documents of a synthetic case and their stored files, exhibits with continuity, and the material gathered as
the investigation goes (statements, media, interview records, PNC prints, charge sheets).

Stored files are small but real (``tinyfiles``): a one-page PDF for forms and statements (with the text the
application would extract), a PNG for photographs, a minimal MP4 for video and a WAV for 999 calls, so the type
sniffed from the content matches ``mime_type``; ``sha256`` and ``size`` are the file's. Each version has its own
file under the application's own naming (``cases/<case>/<random hex>``, as ``files.models.version_upload_path``):
a stored file belongs to exactly one version."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from casework.choices import CaseFlag, VictimPersonalStatement
from casework.identifiers import display_urn
from files.choices import (
    DocumentKind,
    RedactionStatus,
    Sensitivity,
)
from files.quality.rules import (
    FileFacts,
    Thresholds,
)

from .context import london_date
from .records import (
    DocumentRec,
    ExhibitRec,
    SuspectRec,
    VersionRec,
    WitnessRec,
)
from .story import StoryBase
from .tinyfiles import mp4, pdf, png, wav

if TYPE_CHECKING:
    from .chunk import ChunkBuilder


MEDIA = frozenset({"bwv", "cctv", "photograph", "audio_999"})
MEDIA_TITLES = {
    "bwv": "Body-worn video: {officer}",
    "cctv": "CCTV from the scene",
    "photograph": "Photographs of the injuries",
    "audio_999": "999 call recording",
    "medical": "Medical records and statement",
    "forensic_report": "Forensic report (SFR1)",
    "other": "Screenshots of messages",
}
EXHIBIT_DESCRIPTIONS = {
    "bwv": "Body-worn video footage downloaded to the digital evidence system",
    "cctv": "CCTV footage on a USB stick from the premises",
    "photograph": "Photographs taken at the scene",
    "audio_999": "Recording of the 999 call",
}
PHYSICAL_EXHIBITS = {
    "drugs": "Bag of green plant material (suspected cannabis)",
    "supply": "Wraps of white powder and cash in a sealed bag",
    "weapon": "Knife with a 10 cm blade in a knife tube",
    "indecent_images": "Mobile telephone seized from the suspect",
    "homicide": "Clothing of the deceased in sealed bags",
}
K = DocumentKind


class Documents:
    """Documents, versions, exhibits; the base of ``material.Material``."""

    def __init__(self, chunk: ChunkBuilder) -> None:
        self.chunk = chunk
        self.thresholds = Thresholds()
        self._digests: dict[int, tuple[FileFacts, str]] = {}

    def document(
        self,
        s: StoryBase,
        kind: str,
        title: str,
        at: datetime,
        *,
        suspect: SuspectRec | None = None,
        witness: WitnessRec | None = None,
        sensitive: bool = False,
        by: int | None = None,
        redaction: str = RedactionStatus.NOT_REQUIRED,
    ) -> DocumentRec | None:
        """A document uploaded at ``at`` (nothing when that is after ``as_of``), with its first version and,
        now and then, a second (a corrected or redacted copy)."""
        if at > s.as_of:
            return None
        d = s.d
        uploader = by or s.oic
        document = DocumentRec(
            pk=s.ids("document"),
            public_id=d.uuid(),
            kind=kind,
            title=title[:300],
            created_by_id=uploader,
            created_at=at,
            sensitivity=Sensitivity.SENSITIVE if sensitive else Sensitivity.NORMAL,
            redaction_status=str(redaction),
            witness_id=witness.pk if witness else None,
            suspect_id=suspect.pk if suspect else None,
        )
        if redaction == RedactionStatus.REDACTED:
            document.redaction_confirmed_by_id = s.supervisor
            document.redaction_confirmed_at = at + timedelta(hours=d.uniform(1, 48))
            if document.redaction_confirmed_at > s.as_of:
                document.redaction_status = RedactionStatus.REQUIRED
                document.redaction_confirmed_by_id = document.redaction_confirmed_at = None
        self._version(s, document, at, uploader)
        if d.chance(0.03):
            second = at + timedelta(days=d.uniform(0.5, 20))
            if second <= s.as_of:
                self._version(s, document, second, uploader)
        s.documents.append(document)
        if at > s.last:
            s.last = at
        return document

    def _version(self, s: StoryBase, document: DocumentRec, at: datetime, by: int) -> None:
        d = s.d
        number = len(document.versions) + 1
        if self.chunk.ctx.shared_files:
            content, mime, extension, text, sha256, name = shared_blob(document.kind, d.randint(0, SHARED_VARIANTS - 1))
        else:
            content, mime, extension, text = self._content(s, document, number)
            sha256, name = hashlib.sha256(content).hexdigest(), f"cases/{s.case.public_id}/{d.hex()}"
        scanned = at + timedelta(seconds=d.randint(3, 90))
        clean = scanned <= s.as_of
        version = VersionRec(
            pk=s.ids("version"),
            public_id=d.uuid(),
            number=number,
            name=name,
            original_name=f"{document.kind.upper()}_{document.public_id[:8]}_v{number}.{extension}",
            content=content,
            sha256=sha256,
            mime_type=mime,
            uploaded_by_id=by,
            uploaded_at=at,
            scan_status="clean" if clean else "pending",
            scanned_at=scanned if clean else None,
        )
        if clean and mime == "application/pdf":
            version.text = text
            version.page_count = 1
            version.text_extracted_at = min(scanned + timedelta(seconds=d.randint(1, 20)), s.as_of)
        document.versions.append(version)

    def _content(self, s: StoryBase, document: DocumentRec, number: int) -> tuple[bytes, str, str, str]:
        """The stored file: (bytes, MIME type, extension, the text a PDF yields)."""
        d = s.d
        kind = document.kind
        if kind in ("bwv", "cctv"):
            return mp4(document.public_id, number), "video/mp4", "mp4", ""
        if kind == "photograph":
            return png(d.randint(0, 255), d.randint(0, 255), d.randint(0, 255)), "image/png", "png", ""
        if kind == "audio_999":
            return wav(d.randint(16, 96)), "audio/x-wav", "wav", ""
        lines = [document.title, f"URN {display_urn(s.case.urn)} version {number}", _body(s, kind)]
        if kind in ("medical", "forensic_report", "other") or d.chance(0.75):
            return pdf(lines), "application/pdf", "pdf", "\n".join(lines)
        return ("\n".join(lines) + "\n").encode(), "text/plain", "txt", ""

    def initial(self, s: StoryBase) -> None:
        """Statements, media and exhibits gathered in the days after the report."""
        d, p = s.d, s.profile
        start = s.case.created_at
        officer = s.ref.people[s.oic]
        for victim in s.victims:
            witness = victim.witness
            if witness is None:
                continue
            lag = timedelta(hours=d.uniform(0.5, 30)) if not victim.is_organisation else timedelta(days=d.uniform(0, 4))
            statement = self.document(s, K.MG11, f"MG11 statement of {witness.full_name}", start + lag, witness=witness)
            if statement is None:
                continue
            if not victim.is_organisation:
                victim.first_statement_on = london_date(statement.created_at)
                victim.first_statement_at = statement.created_at
                victim.statement_answered_at = statement.created_at
                roll = d.random()
                if roll < 0.3:
                    victim.personal_statement = VictimPersonalStatement.MADE
                    victim.personal_statement_on = london_date(statement.created_at)
                    self.document(
                        s,
                        K.VICTIM_PERSONAL_STATEMENT,
                        f"Victim personal statement: {victim.full_name}",
                        statement.created_at + timedelta(minutes=30),
                    )
                elif roll < 0.65:
                    victim.personal_statement = VictimPersonalStatement.OFFERED_DECLINED
                elif roll < 0.85:
                    victim.personal_statement = VictimPersonalStatement.OFFERED_LATER
                else:
                    victim.statement_answered_at = None
        for witness in s.witnesses:
            if witness.notes == "Victim" or any(v.witness is witness for v in s.victims):
                continue
            if witness.witness_type == "police":
                if witness.is_key or d.chance(0.2):
                    title = f"MG11 statement of PC {witness.last_name}"
                    self.document(s, K.MG11, title, start + timedelta(hours=d.uniform(2, 48)), witness=witness)
            elif witness.is_key:
                title = f"MG11 statement of {witness.full_name}"
                self.document(s, K.MG11, title, start + timedelta(days=d.uniform(0.1, 3)), witness=witness)
            elif d.chance(0.3):
                title = f"MG11 statement of {witness.full_name}"
                self.document(s, K.MG11, title, start + timedelta(days=d.uniform(0.2, 21)), witness=witness)
        number = 0
        for kind in p.media:
            if not d.chance(0.4):
                continue
            days = {
                "bwv": d.uniform(0, 0.3),
                "audio_999": d.uniform(0, 1),
                "photograph": d.uniform(0, 2),
                "cctv": d.uniform(1, 12),
                "medical": d.uniform(5, 35),
                "forensic_report": d.uniform(20, 90),
                "other": d.uniform(0, 5),
            }[kind]
            title = MEDIA_TITLES[kind].format(officer=f"PC {officer.last_name}")
            document = self.document(s, kind, title, start + timedelta(days=days))
            if document is not None and kind in MEDIA:
                number += 1
                self.exhibit(s, EXHIBIT_DESCRIPTIONS[kind], document.created_at, number, [document], digital=True)
        physical = PHYSICAL_EXHIBITS.get(p.name)
        if physical:
            number += 1
            self.exhibit(s, physical, start + timedelta(hours=d.uniform(0.2, 6)), number, [], digital=False)

    def exhibit(
        self, s: StoryBase, description: str, at: datetime, number: int, documents: list[DocumentRec], *, digital: bool
    ) -> ExhibitRec | None:
        if at > s.as_of:
            return None
        d = s.d
        producer = s.ref.people[s.oic]
        exhibit = ExhibitRec(
            pk=s.ids("exhibit"),
            public_id=d.uuid(),
            reference=f"{producer.initials}/{number}",
            producer_name=f"PC {producer.full_name}",
            producer_initials=producer.initials,
            number=number,
            description=description,
            location="Digital evidence management system" if digital else "Force property store",
            created_by_id=s.oic,
            created_at=at,
            documents=[doc.pk for doc in documents],
        )
        moves = [("Scene", "Police station", at + timedelta(minutes=d.randint(20, 120)))]
        if digital:
            moves.append(
                ("Police station", "Digital evidence management system", at + timedelta(hours=d.uniform(2, 20)))
            )
        else:
            moves.append(("Police station", "Force property store", at + timedelta(hours=d.uniform(1, 12))))
            if d.chance(0.4):
                moves.append(("Force property store", "Forensic laboratory", at + timedelta(days=d.uniform(2, 20))))
        for source, target, when in moves:
            if when > s.as_of:
                break
            exhibit.movements.append((s.ids("movement"), when, source, target, producer.full_name, "Continuity"))
            exhibit.location = target
        s.exhibits.append(exhibit)
        return exhibit

    def interview(self, s: StoryBase, at: datetime) -> None:
        d = s.d
        for suspect in s.suspects:
            self.document(
                s,
                K.MG15,
                f"MG15 record of interview: {suspect.full_name}",
                at + timedelta(hours=d.uniform(1, 40)),
                suspect=suspect,
            )

    def for_charge(self, s: StoryBase, at: datetime) -> None:
        """What a police charge is built on: PNC prints and the charge sheets."""
        d = s.d
        for suspect in s.suspects:
            self._pnc(s, suspect, at - timedelta(hours=d.uniform(1, 6)))
            self.document(
                s,
                K.MG4,
                f"MG4 charge sheet: {suspect.full_name}",
                at + timedelta(minutes=d.randint(5, 40)),
                suspect=suspect,
            )

    def _pnc(self, s: StoryBase, suspect: SuspectRec, at: datetime) -> None:
        if any(doc.kind == K.PNC_PRINT and doc.suspect_id == suspect.pk for doc in s.documents):
            return
        self.document(s, K.PNC_PRINT, f"PNC print: {suspect.full_name}", max(at, s.case.created_at), suspect=suspect)

    def _have(self, s: StoryBase, kind: str, **link: int) -> bool:
        return any(
            doc.kind == kind and all(getattr(doc, name) == value for name, value in link.items()) for doc in s.documents
        )


def _body(s: StoryBase, kind: str) -> str:
    flags = " (domestic abuse)" if CaseFlag.DOMESTIC_ABUSE in s.flags else ""
    return {
        "mg11": f"I make this statement about the incident {s.location}{flags}.",
        "mg15": "Short descriptive note of the interview under caution.",
        "pnc_print": "Previous convictions and cautions as held on the Police National Computer.",
        "mg6": "Confidential information for the prosecutor.",
        "mg4": "Charge: " + "; ".join(o.offence_code.title for o in s.active_offences())[:300],
        "medical": "Injuries observed on examination are consistent with the account given.",
        "forensic_report": "Streamlined forensic report: the item was examined and the findings are set out.",
    }.get(kind, "Exhibited material, as described in the title.")


# -- shared, content-addressed files ----------------------------------------------------------------

SHARED_VARIANTS = 32  # distinct specimen files per kind of document
SHARED_PREFIX = "synthetic"
_BLOBS: dict[tuple[str, int], tuple[bytes, str, str, str, str, str]] = {}


def shared_blob(kind: str, variant: int) -> tuple[bytes, str, str, str, str, str]:
    """One of a few specimen files per kind of document, stored once under its SHA-256 (``synthetic/<sha>``) and
    shared by every version with that content: (content, MIME type, extension, PDF text, sha256, name). For
    national-size runs, where a file per version would mean millions of files: nothing in ``DocumentVersion``
    ties a stored name to one version, and Casebridge never deletes a committed version's file."""
    blob = _BLOBS.get((kind, variant))  # a choice (StrEnum) hashes and compares as its value
    if blob is None:
        key = (str(kind), variant)
        text = ""
        if kind in ("bwv", "cctv"):
            content, mime, extension = mp4(f"specimen-{kind}", variant), "video/mp4", "mp4"
        elif kind == "photograph":
            content, mime, extension = png(40 + variant * 6, 80, 120), "image/png", "png"
        elif kind == "audio_999":
            content, mime, extension = wav(16 + variant), "audio/x-wav", "wav"
        else:
            lines = [
                DocumentKind(kind).label,
                f"Synthetic specimen {variant + 1} of {SHARED_VARIANTS}",
                "Case material generated for load testing; it describes no real person.",
            ]
            if kind in ("medical", "forensic_report", "other") or variant % 4:
                content, mime, extension, text = pdf(lines), "application/pdf", "pdf", "\n".join(lines)
            else:
                content, mime, extension = ("\n".join(lines) + "\n").encode(), "text/plain", "txt"
        sha256 = hashlib.sha256(content).hexdigest()
        blob = _BLOBS[key] = (content, mime, extension, text, sha256, f"{SHARED_PREFIX}/{sha256[:2]}/{sha256}")
    return blob
