"""The reviewer's verdict for a submission (or one run), decided from the report record alone.

fail          at least one active (not suppressed) error finding
needs review  no errors, but warnings, unreadable inputs, run errors, or nothing was checked
pass          none of the above (informational notes are allowed)
"""
from __future__ import annotations

from dataclasses import dataclass

VERDICTS = ("pass", "needs review", "fail")


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"status": self.status, "reasons": list(self.reasons)}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rules_in(findings: list[dict]) -> str:
    ids = sorted({f["rule_id"] for f in findings})
    shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
    return f"{'rule' if len(ids) == 1 else 'rules'} {shown}"


def decide(data: dict) -> Verdict:
    active = [f for f in data["findings"] if f.get("suppressed") is None]
    by_severity = {s: [f for f in active if f["severity"] == s] for s in ("error", "warning", "info")}
    unreadable = [d for d in data["documents"] if d["status"] == "error"]
    checked = [d for d in data["documents"] if d["status"] != "error"]
    reasons: list[str] = []
    errors = by_severity["error"]
    if errors:
        docs = len({f["path"] for f in errors})
        reasons.append(f"{_plural(len(errors), 'error')} in {_plural(docs, 'document')} "
                       f"({_rules_in(errors)}): claims or gaps outside the scope of coaching.")
    warnings = by_severity["warning"]
    if warnings:
        reasons.append(f"{_plural(len(warnings), 'warning')} ({_rules_in(warnings)}) for a reviewer to judge.")
    if unreadable:
        reasons.append(f"{_plural(len(unreadable), 'file')} could not be read, so "
                       f"{'it was' if len(unreadable) == 1 else 'they were'} not checked: "
                       + ", ".join(d["path"] for d in unreadable) + ".")
    for e in data.get("errors", []):
        reasons.append(f"Run problem: {e}")
    if not checked and not unreadable:
        reasons.append("No documents were found to check.")
    if errors:
        status = "fail"
    elif reasons:
        status = "needs review"
    else:
        status = "pass"
        notes = by_severity["info"]
        reasons.append(f"No errors or warnings in {_plural(len(checked), 'document')}"
                       + (f"; {_plural(len(notes), 'informational note')} to read." if notes else "."))
    suppressed = sum(1 for f in data["findings"] if f.get("suppressed") is not None)
    if suppressed:
        reasons.append(f"{_plural(suppressed, 'finding')} suppressed with a recorded reason (listed below).")
    return Verdict(status, tuple(reasons))
