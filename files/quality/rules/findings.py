"""What the rules report: a ``Finding`` (stored in a quality report), the ``Link`` to the item it is about,
and the ``Hit`` a check yields before the engine adds the rule's metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .standard import BLOCKING

# ---------------------------------------------------------------------------------------------
# Findings


@dataclass(frozen=True)
class Link:
    """What a finding is about, for the page to link to. ``kind`` is one of LINK_KINDS; ``target``
    is a public id, or a document kind / schedule value for something that is missing."""

    kind: str
    target: str = ""


LINK_KINDS = frozenset(
    {
        "case",
        "case_people",
        "case_offences",
        "case_summary",
        "suspect",
        "offence",
        "witness",
        "victim",
        "document",
        "document_kind",
        "exhibit",
        "point_to_prove",
        "unused_item",
        "unused_schedule",
    }
)


@dataclass(frozen=True)
class Finding:
    rule_id: str
    fq_code: str
    reference: str
    severity: str
    title: str
    explanation: str
    fix: str
    link: Link
    sensitive: bool = False  # about MG6D material: shown only to those who may see it

    @property
    def key(self) -> str:
        """Identifies the failure across runs (the wording may change, e.g. days left)."""
        return f"{self.rule_id}|{self.link.kind}|{self.link.target}"

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def as_dict(self) -> dict[str, Any]:
        """What a report stores: ``dataclasses.asdict`` of the finding, built from ``__dict__`` because every
        field but the link is a plain string or bool (``asdict`` deep-copies each value)."""
        data = dict(self.__dict__)
        data["link"] = {"kind": self.link.kind, "target": self.link.target}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        link = data.get("link") or {}
        return cls(
            rule_id=str(data["rule_id"]),
            fq_code=str(data.get("fq_code", "")),
            reference=str(data.get("reference", "")),
            severity=str(data["severity"]),
            title=str(data.get("title", "")),
            explanation=str(data.get("explanation", "")),
            fix=str(data.get("fix", "")),
            link=Link(str(link.get("kind", "case")), str(link.get("target", ""))),
            sensitive=bool(data.get("sensitive", False)),
        )


@dataclass(frozen=True)
class Hit:
    """One failing item, as a rule's check reports it; the engine adds the rule's metadata."""

    explanation: str
    fix: str
    link: Link
    advisory: bool = False  # lower than the stage's severity (never higher)
    sensitive: bool = False
