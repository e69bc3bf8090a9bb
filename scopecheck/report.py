"""The one record of a run. Every output format is built from Report.to_dict()."""
from __future__ import annotations

from dataclasses import dataclass, field

from scopecheck import __version__
from scopecheck.model import DOC_TYPES, SEVERITIES, SEVERITY_RANK, DocumentResult, Finding, Silenced
from scopecheck.rules.model import Pack, Rule

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


@dataclass
class Report:
    documents: list[DocumentResult]
    packs: list[Pack]
    rules: list[Rule]
    fail_on: str = "error"
    errors: list[str] = field(default_factory=list)  # run-level problems (not per document)
    explain: bool = False

    @property
    def findings(self) -> list[Finding]:
        out = [f for d in self.documents for f in d.findings]
        out.sort(key=Finding.sort_key)
        return out

    @property
    def active_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.suppressed is None]

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in reversed(SEVERITIES)}
        for f in self.active_findings:
            counts[f.severity] += 1
        return counts

    def has_input_errors(self) -> bool:
        return any(d.status == "error" for d in self.documents) or bool(self.errors)

    def fails(self) -> bool:
        threshold = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.active_findings)

    def exit_code(self, exit_zero: bool = False) -> int:
        if self.has_input_errors():
            return 2
        if self.fails() and not exit_zero:
            return 1
        return 0

    def rule_map(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def to_dict(self) -> dict:
        used = sorted({f.rule_id for f in self.findings})
        rules = self.rule_map()
        documents = []
        for d in sorted(self.documents, key=lambda d: d.path):
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
            documents.append(doc)
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
                "failed": sum(1 for d in self.documents if d.status == "fail"),
                "errors": sum(1 for d in self.documents if d.status == "error"),
                "findings": self.counts(),
                "suppressed": sum(1 for f in self.findings if f.suppressed is not None),
            },
            "documents": documents,
            "findings": [finding_to_dict(f) for f in self.findings],
            "rules": {rid: rule_summary(rules[rid]) for rid in used if rid in rules},
            # which rules ran on each document type: JUnit reports them as passing test cases
            "rules_applied": {t: sorted(r.id for r in self.rules if t in r.applies_to) for t in DOC_TYPES},
        }
        if self.errors:
            data["errors"] = list(self.errors)
        if self.explain:
            data["silenced"] = [silenced_to_dict(s) | {"path": d.path}
                                for d in sorted(self.documents, key=lambda d: d.path) for s in d.silenced]
        return data


def rule_summary(rule: Rule) -> dict:
    return {
        "title": rule.title, "category": rule.category, "kind": rule.kind,
        "severity": rule.severity, "message": rule.message, "suggestion": rule.suggestion,
        "fixable": rule.has_fix, "rationale": rule.rationale, "pack": rule.pack,
        "citations": [c.to_dict() for c in rule.citations],
    }
