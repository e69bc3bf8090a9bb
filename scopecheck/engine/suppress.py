"""Apply suppressions to a checked document.

Two sources: directives in the document's own comments (Markdown, HTML) and a suppressions file
(fingerprint -> reason) for formats without comments (Word, PDF, web pages). A suppressed finding
stays in the report with its reason. Problems with suppressions are findings of two built-in
pseudo-rules, so CI sees them like any other finding:

  SC-SUPPRESS-001 (warning) a directive without a reason or that cannot be read; it is not applied
  SC-SUPPRESS-002 (info)    a directive that suppressed nothing; delete it
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scopecheck.errors import ConfigError, Problem
from scopecheck.model import Document, DocumentResult, Finding, Location
from scopecheck.readers.directives import Directive, rule_matches

INVALID_RULE = "SC-SUPPRESS-001"
UNUSED_RULE = "SC-SUPPRESS-002"
PSEUDO_RULES = (INVALID_RULE, UNUSED_RULE)


def load_file(path: Path) -> dict[str, str]:
    """Read a suppressions file: a YAML mapping of finding fingerprint -> reason."""
    from scopecheck.yamlload import load_yaml
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the suppressions file ({exc.strerror or exc})") from exc
    loaded = load_yaml(text, str(path))
    if loaded.problems:
        raise ConfigError(f"{path}: invalid suppressions file", loaded.problems)
    data = loaded.data or {}
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a suppressions file maps finding fingerprints to reasons, e.g.\n"
                          "  3f2a9c...: quoted from a client's review, not our claim")
    out: dict[str, str] = {}
    for key, reason in data.items():
        line, column = loaded.mark((key,))
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)  # an all-digit fingerprint written without quotes
        if not isinstance(key, str) or not key.strip():
            problems.append(Problem(str(path), line, column, str(key), "a key must be a finding fingerprint "
                                    "(the `fingerprint` of a finding in --format json)"))
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(str(path), line, column, key, "give the reason this finding is acceptable; "
                                    "a suppression without a reason is not accepted"))
        else:
            out[key.strip()] = " ".join(reason.split())
    if problems:
        raise ConfigError(f"{path}: invalid suppressions file", problems)
    return out


def apply(result: DocumentResult, doc: Document, by_fingerprint: dict[str, str] | None = None) -> DocumentResult:
    """Mark suppressed findings and add findings for unreadable or unused directives."""
    if result.status == "error" or (not doc.directives and not by_fingerprint):
        return result
    directives: tuple[Directive, ...] = doc.directives
    valid = [d for d in directives if not d.problem]
    used: set[int] = set()
    ranges = _ranges(valid)
    findings: list[Finding] = []
    for f in result.findings:
        reason = f.suppressed
        if reason is None and by_fingerprint and f.fingerprint in by_fingerprint:
            reason = by_fingerprint[f.fingerprint]
        if reason is None:
            for index, directive, start, end in ranges:
                if start <= f.start < end and any(rule_matches(t, f.rule_id) for t in directive.rule_ids):
                    reason, _ = directive.reason, used.add(index)
                    break
        if reason is None:
            for index, directive in enumerate(valid):
                if directive.action == "ignore" and _next_block_holds(doc, directive, f) \
                        and any(rule_matches(t, f.rule_id) for t in directive.rule_ids):
                    reason, _ = directive.reason, used.add(index)
                    break
        findings.append(f if reason is None else replace(f, suppressed=reason))
    for d in directives:
        if d.problem:
            findings.append(_pseudo(doc, d, INVALID_RULE, "warning", d.problem,
                                    "Write the directive as: scopecheck: ignore RULE-ID -- why this is fine"))
    for index, d in enumerate(valid):
        if d.action != "enable" and index not in used:
            findings.append(_pseudo(doc, d, UNUSED_RULE, "info",
                                    f"this suppression of {', '.join(d.rule_ids)} matches no finding",
                                    "Delete the comment, or check the rule id and where the comment sits."))
    findings.sort(key=Finding.sort_key)
    failing = any(f.suppressed is None for f in findings)
    return replace(result, findings=tuple(findings), status="fail" if failing else "pass")


def _ranges(valid: list[Directive]) -> list[tuple[int, Directive, int, float]]:
    """(index, directive, start, end) for each disable, closed by the next matching enable."""
    out = []
    for index, d in enumerate(valid):
        if d.action != "disable":
            continue
        end: float = float("inf")
        for later in valid[index + 1:]:
            if later.action == "enable" and later.offset >= d.offset \
                    and any(t in later.rule_ids for t in d.rule_ids):
                end = later.offset
                break
        out.append((index, d, d.offset, end))
    return out


def _next_block_holds(doc: Document, directive: Directive, finding: Finding) -> bool:
    for block in doc.blocks:
        if block.start >= directive.offset:
            return block.start <= finding.start <= block.end
    return False


def _pseudo(doc: Document, d: Directive, rule_id: str, severity: str, message: str, suggestion: str) -> Finding:
    from scopecheck.engine.checker import fingerprint
    unit = doc.source_map.unit
    location = Location(d.line, d.column, d.line, d.column, d.page, unit)
    excerpt = f"scopecheck: {d.action} {' '.join(d.rule_ids)}" + (f" -- {d.reason}" if d.reason else "")
    return Finding(
        rule_id=rule_id, category="suppression", severity=severity, kind="suppression", path=doc.path,
        location=location, message=message, excerpt=excerpt, highlight=(0, len(excerpt)),
        suggestion=suggestion, citations=(), fingerprint=fingerprint(rule_id, doc.path, excerpt, d.offset),
        start=d.offset, end=d.offset,
    )
