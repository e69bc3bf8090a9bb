"""The one record of a run. Every output format is built from Report.to_dict()."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from scopecheck import __version__
from scopecheck.model import DOC_TYPES, SEVERITIES, SEVERITY_RANK, DocumentResult, Finding, Silenced
from scopecheck.rules.model import Pack, Rule
from scopecheck.spool import LazyList, ResultSpool

SCHEMA_VERSION = 1


def finding_to_dict(f: Finding, rule: Rule | None = None) -> dict:
    loc = f.location
    data = {
        "rule_id": f.rule_id,
        "category": f.category,
        "severity": f.severity,
        "kind": f.kind,
        "path": f.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "location": loc.describe(),
        "message": f.message,
        "excerpt": f.excerpt,
        "highlight": list(f.highlight),
        "suggestion": f.suggestion,
        "citations": [c.to_dict() for c in f.citations],
        "fingerprint": f.fingerprint,
    }
    if loc.page is not None:
        data["page"] = loc.page
    if loc.unit != "line":
        data["unit"] = loc.unit
    if f.checklist:
        data["checklist"] = f.checklist
    if f.searched:
        data["searched"] = list(f.searched)
    if f.fix is not None:
        data["fix"] = {"replacement": f.fix.replacement}
    if f.suppressed is not None:
        data["suppressed"] = f.suppressed
    return data


def silenced_to_dict(s: Silenced) -> dict:
    return {"rule_id": s.rule_id, "guard": s.guard, "reason": s.reason, "line": s.location.line,
            "column": s.location.column, "excerpt": s.excerpt}


@dataclass(frozen=True)
class Tally:
    """What the summary, the exit code and the rule list need, gathered in one walk."""

    counts: dict[str, int]  # active findings by severity, most severe first
    suppressed: int
    failed: int
    errors: int
    rule_ids: frozenset[str]
    findings: int  # active and suppressed
    silenced: int
    warnings: tuple[str, ...]  # every document's reading warnings, in path order


# what one document adds to the tally: status, reading warnings, silenced candidates, and the
# rule id and severity of each finding (None for a suppressed one)
DocumentTally = tuple[str, tuple[str, ...], int, tuple[tuple[str, str | None], ...]]


def tally_of(d: DocumentResult) -> DocumentTally:
    return (d.status, d.warnings, len(d.silenced),
            tuple((f.rule_id, f.severity if f.suppressed is None else None) for f in d.findings))


class Brief(NamedTuple):
    """What a run needs of a result before it writes the report: its path, what it adds to the
    tally and its entry in the report's document list. The result cache stores one beside each
    result, so a large run that has moved its results to disk writes a cached result's bytes
    there without loading them."""
    path: str
    tally: DocumentTally
    summary: dict

    @property
    def held(self) -> int:
        """Findings and silenced candidates: what the result weighs in a run's memory."""
        return len(self.tally[3]) + self.tally[2]


def brief_of(d: DocumentResult) -> Brief:
    return Brief(d.path, tally_of(d), document_to_dict(d))


class TallyCounter:
    """Builds a Tally one document at a time, in any order."""

    def __init__(self) -> None:
        self.counts = {s: 0 for s in reversed(SEVERITIES)}
        self.suppressed = self.failed = self.errors = self.findings = self.silenced = 0
        self.rule_ids: set[str] = set()
        self.warnings: list[tuple[str, tuple[str, ...]]] = []  # (path, warnings)

    def add(self, d: DocumentResult) -> DocumentResult:
        self.add_tally(d.path, tally_of(d))
        return d

    def add_tally(self, path: str, tally: DocumentTally) -> None:
        status, warnings, silenced, findings = tally
        if warnings:
            self.warnings.append((path, warnings))
        self.failed += status == "fail"
        self.errors += status == "error"
        self.findings += len(findings)
        self.silenced += silenced
        for rule_id, severity in findings:
            self.rule_ids.add(rule_id)
            if severity is None:
                self.suppressed += 1
            else:
                self.counts[severity] += 1

    def tally(self) -> Tally:
        self.warnings.sort(key=lambda entry: entry[0])  # path order, as the report lists them
        return Tally(dict(self.counts), self.suppressed, self.failed, self.errors, frozenset(self.rule_ids),
                     self.findings, self.silenced, tuple(w for _, ws in self.warnings for w in ws))


@dataclass
class Report:
    documents: Sequence[DocumentResult]  # a list, or a ResultSpool for large runs
    packs: list[Pack]
    rules: list[Rule]
    fail_on: str = "error"
    errors: list[str] = field(default_factory=list)  # run-level problems (not per document)
    explain: bool = False
    _tally: Tally | None = field(default=None, init=False, repr=False, compare=False)

    def iter_documents(self) -> Iterator[DocumentResult]:
        """Documents in path order (a spool is already in that order)."""
        if isinstance(self.documents, ResultSpool):
            return iter(self.documents)
        return iter(sorted(self.documents, key=lambda d: d.path))

    def iter_findings(self) -> Iterator[Finding]:
        """Every finding in report order, one document's worth in memory at a time."""
        for d in self.iter_documents():
            yield from sorted(d.findings, key=Finding.sort_key)

    @property
    def findings(self) -> list[Finding]:
        return list(self.iter_findings())

    @property
    def active_findings(self) -> list[Finding]:
        return [f for f in self.iter_findings() if f.suppressed is None]

    def tally(self) -> Tally:
        if self._tally is None:
            counter = TallyCounter()
            for d in self.iter_documents():
                counter.add(d)
            self._tally = counter.tally()
        return self._tally

    def counted(self, counter: "TallyCounter") -> "Report":
        """Take the tally from a counter that saw every document as it was added, so a large
        run's results need not be read back once more to count them."""
        self._tally = counter.tally()
        return self

    def counts(self) -> dict[str, int]:
        return dict(self.tally().counts)

    def has_input_errors(self) -> bool:
        return self.tally().errors > 0 or bool(self.errors)

    def fails(self) -> bool:
        threshold = SEVERITY_RANK[self.fail_on]
        return any(n and SEVERITY_RANK[severity] >= threshold for severity, n in self.tally().counts.items())

    def exit_code(self, exit_zero: bool = False) -> int:
        if self.has_input_errors():
            return 2
        if self.fails() and not exit_zero:
            return 1
        return 0

    def rule_map(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def _document_dicts(self) -> Iterator[dict]:
        if isinstance(self.documents, ResultSpool):
            return self.documents.summaries(document_to_dict)
        return map(document_to_dict, self.iter_documents())

    def to_dict(self, stream: bool = False) -> dict:
        """The report as plain data. With `stream`, a spilled report gives its documents,
        findings and silenced candidates as lists produced while they are written (for the
        streaming writers only; see LazyList)."""
        tally = self.tally()
        rules = self.rule_map()
        lazy = stream and isinstance(self.documents, ResultSpool) and self.documents.spilled

        def listed(length: int, items: Callable[[], Iterator]) -> list:
            return LazyList(length, items) if lazy else list(items())

        data = {
            "schema_version": SCHEMA_VERSION,
            "tool": {
                "name": "scopecheck",
                "version": __version__,
                "packs": [p.to_dict() for p in sorted(self.packs, key=lambda p: p.name)],
            },
            "fail_on": self.fail_on,
            "summary": {
                "documents": len(self.documents),
                "failed": tally.failed,
                "errors": tally.errors,
                "findings": dict(tally.counts),
                "suppressed": tally.suppressed,
            },
            "documents": listed(len(self.documents), self._document_dicts),
            "findings": listed(tally.findings, lambda: map(finding_to_dict, self.iter_findings())),
            "rules": {rid: rule_summary(rules[rid]) for rid in sorted(tally.rule_ids) if rid in rules},
            # which rules ran on each document type: JUnit reports them as passing test cases
            "rules_applied": {t: sorted(r.id for r in self.rules if t in r.applies_to) for t in DOC_TYPES},
        }
        if self.errors:
            data["errors"] = list(self.errors)
        if self.explain:
            data["silenced"] = listed(tally.silenced, lambda: (
                silenced_to_dict(s) | {"path": d.path} for d in self.iter_documents() for s in d.silenced))
        return data


def document_to_dict(d: DocumentResult) -> dict:
    doc = {
        "path": d.path, "type": d.doc_type, "type_source": d.type_source,
        "format": d.format, "sha256": d.sha256, "status": d.status,
        "findings": sum(1 for f in d.findings if f.suppressed is None),
        "suppressed": sum(1 for f in d.findings if f.suppressed is not None),
        "checklist": [{"element": e, "present": p, "rule_id": r, "evidence": ev}
                      for e, p, r, ev in d.checklist],
    }
    if d.error:
        doc["error"] = d.error
    if d.warnings:
        doc["warnings"] = list(d.warnings)
    return doc


def rule_summary(rule: Rule) -> dict:
    return {
        "title": rule.title, "category": rule.category, "kind": rule.kind,
        "severity": rule.severity, "message": rule.message, "suggestion": rule.suggestion,
        "fixable": rule.has_fix, "rationale": rule.rationale, "pack": rule.pack,
        "citations": [c.to_dict() for c in rule.citations],
    }
