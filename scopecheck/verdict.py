"""The reviewer's verdict for a submission (or one run), decided from the report record alone.

fail          at least one active (not suppressed) error finding
needs review  no errors, but warnings, unreadable inputs, run errors, or nothing was checked
pass          none of the above (informational notes are allowed)
"""
from __future__ import annotations

from dataclasses import dataclass, field

VERDICTS = ("pass", "needs review", "fail")


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"status": self.status, "reasons": list(self.reasons)}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rules_in(rule_ids: set[str]) -> str:
    ids = sorted(rule_ids)
    shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
    return f"{'rule' if len(ids) == 1 else 'rules'} {shown}"


@dataclass
class _Severity:
    """What the verdict says about the active findings of one severity."""
    count: int = 0
    rule_ids: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)


@dataclass
class FindingCounts:
    """A record's findings as the verdict weighs them, counted in one walk."""
    by_severity: dict[str, _Severity]
    suppressed: int

    @property
    def active(self) -> int:
        return sum(s.count for s in self.by_severity.values())


def count_findings(data: dict) -> FindingCounts:
    """One walk of the findings (a large run's are read back from disk as they are walked,
    never held whole)."""
    counts = FindingCounts({s: _Severity() for s in ("error", "warning", "info")}, 0)
    for f in data["findings"]:
        if f.get("suppressed") is not None:
            counts.suppressed += 1
            continue
        seen = counts.by_severity[f["severity"]]
        seen.count += 1
        seen.rule_ids.add(f["rule_id"])
        seen.paths.add(f["path"])
    return counts


def decide(data: dict, counts: FindingCounts | None = None) -> Verdict:
    """The verdict, from the findings' counts (made here unless given) and one walk of the
    documents."""
    counts = counts if counts is not None else count_findings(data)
    by_severity, suppressed = counts.by_severity, counts.suppressed
    unreadable: list[str] = []
    checked = 0
    for d in data["documents"]:
        if d["status"] == "error":
            unreadable.append(d["path"])
        else:
            checked += 1
    reasons: list[str] = []
    errors = by_severity["error"]
    if errors.count:
        reasons.append(f"{_plural(errors.count, 'error')} in {_plural(len(errors.paths), 'document')} "
                       f"({_rules_in(errors.rule_ids)}): claims or gaps outside the scope of coaching.")
    warnings = by_severity["warning"]
    if warnings.count:
        reasons.append(f"{_plural(warnings.count, 'warning')} ({_rules_in(warnings.rule_ids)}) for a reviewer to judge.")
    if unreadable:
        reasons.append(f"{_plural(len(unreadable), 'file')} could not be read, so "
                       f"{'it was' if len(unreadable) == 1 else 'they were'} not checked: "
                       + ", ".join(unreadable) + ".")
    for e in data.get("errors", []):
        reasons.append(f"Run problem: {e}")
    if not checked and not unreadable:
        reasons.append("No documents were found to check.")
    if errors.count:
        status = "fail"
    elif reasons:
        status = "needs review"
    else:
        status = "pass"
        notes = by_severity["info"].count
        reasons.append(f"No errors or warnings in {_plural(checked, 'document')}"
                       + (f"; {_plural(notes, 'informational note')} to read." if notes else "."))
    if suppressed:
        reasons.append(f"{_plural(suppressed, 'finding')} suppressed with a recorded reason (listed below).")
    return Verdict(status, tuple(reasons))
