"""Per-run adjustments from configuration: severity overrides and per-file ignores.

Both work on finished findings, so the engine stays unaware of configuration. Ignored findings
are kept and marked as suppressed (shown with -v, counted in the summary), never dropped.
"""
from __future__ import annotations

import fnmatch
from dataclasses import replace

from scopecheck.model import DocumentResult, Finding
from scopecheck.rules.ruleset import selected


def override_severity(finding: Finding, overrides: tuple[tuple[str, str], ...]) -> str:
    """The severity for a finding: an exact id beats the longest id prefix, which beats a category."""
    best: tuple[int, int] | None = None
    severity = finding.severity
    for pattern, new in overrides:
        if not selected(finding.rule_id, finding.category, (pattern,)):
            continue
        exact = pattern == finding.rule_id
        rank = (2 if exact else 1 if pattern != finding.category else 0, len(pattern))
        if best is None or rank > best:
            best, severity = rank, new
    return severity


def ignored_by(path: str, finding: Finding, per_file: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    for pattern, rule_patterns in per_file:
        if fnmatch.fnmatch(path, pattern) and selected(finding.rule_id, finding.category, rule_patterns):
            return f"per-file-ignores ({pattern})"
    return None


def adjust(result: DocumentResult, per_file: tuple[tuple[str, tuple[str, ...]], ...],
           severities: tuple[tuple[str, str], ...]) -> DocumentResult:
    if not result.findings or not (per_file or severities):
        return result
    findings = []
    for f in result.findings:
        if severities:
            f = replace(f, severity=override_severity(f, severities))
        if per_file and f.suppressed is None:
            reason = ignored_by(result.path, f, per_file)
            if reason:
                f = replace(f, suppressed=reason)
        findings.append(f)
    status = "fail" if any(f.suppressed is None for f in findings) else "pass"
    return replace(result, findings=tuple(findings), status=status)
