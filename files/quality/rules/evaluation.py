"""Evaluating a file: the rules of its stage run over its facts, and the findings come back deduplicated,
blocking first, in a stable order (``evaluate``, ``sort_key``, ``counts``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue import RULE_ORDER, RULES, Rule
from .facts import FileFacts
from .findings import Finding, Hit
from .index import Index
from .standard import ADVISORY, STAGE_ORDER, Thresholds


def _finding(rule: Rule, severity: str, hit: Hit) -> Finding:
    return Finding(
        rule_id=rule.id,
        fq_code=rule.fq_code,
        reference=rule.reference,
        severity=ADVISORY if hit.advisory else severity,
        title=rule.title,
        explanation=hit.explanation,
        fix=hit.fix,
        link=hit.link,
        sensitive=hit.sensitive,
    )


def sort_key(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        0 if finding.blocking else 1,
        RULE_ORDER.get(finding.rule_id, len(RULE_ORDER)),
        finding.link.kind,
        finding.link.target,
        finding.explanation,
    )


# The rules that apply at each stage, with their severity there, in catalogue order: worked out once, so an
# evaluation runs only the checks of its stage.
RULES_AT_STAGE: dict[str, tuple[tuple[Rule, str], ...]] = {
    stage: tuple((rule, rule.stages[stage]) for rule in RULES if stage in rule.stages) for stage in STAGE_ORDER
}


def evaluate(facts: FileFacts, thresholds: Thresholds | None = None) -> list[Finding]:
    """Every finding for the file, blocking first, in a stable order."""
    ix = Index(facts, thresholds or Thresholds())
    findings: dict[tuple[str, str], Finding] = {}
    for rule, severity in RULES_AT_STAGE.get(facts.stage, ()):
        for hit in rule.check(ix):
            finding = _finding(rule, severity, hit)
            findings.setdefault((finding.key, finding.explanation), finding)
    return sorted(findings.values(), key=sort_key)


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    """(blocking, advisory)."""
    blocking = advisory = 0
    for finding in findings:
        if finding.blocking:
            blocking += 1
        else:
            advisory += 1
    return blocking, advisory
