"""Baselines: record today's findings, then report only what is new.

A finding is recognised by its fingerprint (rule, path, normalised sentence, occurrence), which
holds no line numbers: inserting or moving lines elsewhere in a file keeps old findings matched.
Matched findings are kept in the report, marked as suppressed by the baseline.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from scopecheck import __version__
from scopecheck.errors import ConfigError, Problem
from scopecheck.report import Report

BASELINE_FORMAT = 1
SUPPRESSED_REASON = "baseline"


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule_id: str
    path: str
    excerpt: str


@dataclass(frozen=True)
class Comparison:
    new: int
    unchanged: int
    fixed: int

    def describe(self) -> str:
        return f"Baseline: {self.new} new, {self.unchanged} unchanged, {self.fixed} fixed."


def entries(report: Report) -> list[Entry]:
    return sorted((Entry(f.fingerprint, f.rule_id, f.path, " ".join(f.excerpt.split()))
                   for f in report.active_findings),
                  key=lambda e: (e.path, e.rule_id, e.fingerprint))


def write_baseline(report: Report, path: Path) -> int:
    records = entries(report)
    data = {"scopecheck_baseline": BASELINE_FORMAT, "tool_version": __version__,
            "findings": [e.__dict__ for e in records]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the baseline ({exc.strerror or exc})") from None
    return len(records)


def load_baseline(path: Path) -> list[Entry]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{name}: baseline not found; create it with "
                          f"`scopecheck check --write-baseline {name} ...`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read the baseline ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError("invalid baseline", [Problem(name, exc.lineno, exc.colno, "",
                                                       f"not valid JSON ({exc.msg}); write it again with --write-baseline")]) from None
    if not isinstance(data, dict) or data.get("scopecheck_baseline") != BASELINE_FORMAT \
            or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{name}: not a scopecheck baseline (format {BASELINE_FORMAT}); "
                          "write it again with --write-baseline")
    out = []
    for i, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str)
                                                 for k in ("fingerprint", "rule_id", "path")):
            raise ConfigError(f"{name}: findings[{i}] needs text fields fingerprint, rule_id and path; "
                              "write the baseline again with --write-baseline")
        out.append(Entry(item["fingerprint"], item["rule_id"], item["path"], str(item.get("excerpt", ""))))
    return out


def apply_baseline(report: Report, baseline: list[Entry]) -> tuple[Report, Comparison]:
    """Mark findings already in the baseline as suppressed; count new, unchanged and fixed.

    Only files checked in this run count towards `fixed`: a baseline for a whole site still
    works when one page is checked.
    """
    remaining = Counter((e.path, e.fingerprint) for e in baseline)
    checked = {d.path for d in report.documents if d.status != "error"}
    new = unchanged = 0
    documents = []
    for document in report.documents:
        findings = []
        for f in document.findings:
            key = (f.path, f.fingerprint)
            if f.suppressed is None and remaining[key] > 0:
                remaining[key] -= 1
                unchanged += 1
                f = replace(f, suppressed=SUPPRESSED_REASON)
            elif f.suppressed is None:
                new += 1
            findings.append(f)
        status = document.status
        if status != "error":
            status = "fail" if any(f.suppressed is None for f in findings) else "pass"
        documents.append(replace(document, findings=tuple(findings), status=status))
    fixed = sum(n for (path, _), n in remaining.items() if path in checked)
    return replace(report, documents=documents), Comparison(new, unchanged, fixed)


__all__ = ["Comparison", "Entry", "apply_baseline", "load_baseline", "write_baseline"]
