"""JUnit XML: one test suite per document, one test case per rule that applied to it.
A rule with findings in that document fails; an unreadable document is an error.

The report is written suite by suite: a document's findings are grouped while its suite is
made, so a large run's findings are never all held at once. The totals on the root element come
first in the file, so the findings are walked twice: once to count, once to write."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TextIO

from scopecheck.outputs import rendered
from scopecheck.outputs.citations import describe_citation
from scopecheck.outputs.walk import documents_with_findings

# XML 1.0 cannot carry most control characters, even escaped
_XML_ILLEGAL = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_COUNTS = ("tests", "failures", "errors", "skipped")
_SEVERITY_ORDER = ("info", "warning", "error")
_Grouped = dict[str, list[dict]]  # rule id -> findings


def _clean(text: str) -> str:
    return text.translate(_XML_ILLEGAL)


def _failure_text(f: dict, rules: dict) -> str:
    lines = [f"{f['path']}:{f['line']}:{f['column']} ({f['location']}): {f['severity']} {f['message']}"]
    if f["excerpt"].strip():
        lines.append(f"  | {' '.join(f['excerpt'].split())}")
    if f.get("searched"):
        lines.append("  looked for: " + "; ".join(f["searched"]))
    lines.append(f"  suggestion: {f['suggestion']}")
    rationale = rules.get(f["rule_id"], {}).get("rationale")
    if rationale:
        lines.append(f"  why: {rationale}")
    for c in f["citations"]:
        lines.append(f"  see: {describe_citation(c)}")
    return "\n".join(lines)


def _testcase(suite: ET.Element, path: str, rule_id: str, rules: dict) -> ET.Element:
    title = rules.get(rule_id, {}).get("title")
    return ET.SubElement(suite, "testcase", {
        "classname": _clean(path), "name": _clean(f"{rule_id}: {title}" if title else rule_id),
        "file": _clean(path), "time": "0"})


def _documents_with_findings(data: dict) -> Iterator[tuple[dict, _Grouped, _Grouped]]:
    """Each document with its path's findings by rule, active and suppressed."""
    for d, findings, _ in documents_with_findings(data):
        active: _Grouped = defaultdict(list)
        suppressed: _Grouped = defaultdict(list)
        for f in findings:
            (active if f.get("suppressed") is None else suppressed)[f["rule_id"]].append(f)
        yield d, active, suppressed


def _cases(d: dict, active: _Grouped, suppressed: _Grouped, applied: dict) -> Iterator[tuple[str, str]]:
    """(rule id, outcome) of each test case of a document's suite: "error" for an unreadable
    document, then per rule "failure", "skipped" (all suppressed) or "passed"."""
    if d["status"] == "error":
        yield "read", "error"
        return
    for rule_id in sorted(set(applied.get(d["type"], [])) | set(active) | set(suppressed)):
        yield rule_id, "failure" if active.get(rule_id) else "skipped" if rule_id in suppressed else "passed"


def _counts(outcomes: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(_COUNTS, 0)
    for outcome in outcomes:
        counts["tests"] += 1
        if outcome != "passed":
            counts[{"error": "errors", "failure": "failures", "skipped": "skipped"}[outcome]] += 1
    return counts


def _suite(d: dict, active: _Grouped, suppressed: _Grouped, rules: dict, applied: dict) -> ET.Element:
    suite = ET.Element("testsuite", {"name": _clean(d["path"])})
    outcomes = []
    for rule_id, outcome in _cases(d, active, suppressed, applied):
        outcomes.append(outcome)
        case = _testcase(suite, d["path"], rule_id, rules)
        if outcome == "error":
            ET.SubElement(case, "error", {"type": "input-error", "message": _clean(d.get("error") or "")}).text = \
                _clean(d.get("error") or "")
        elif outcome == "failure":
            hits = active[rule_id]
            worst = max(hits, key=lambda f: _SEVERITY_ORDER.index(f["severity"]))
            message = hits[0]["message"] if len(hits) == 1 else f"{len(hits)} findings; first: {hits[0]['message']}"
            ET.SubElement(case, "failure", {"type": worst["severity"], "message": _clean(message)}).text = \
                _clean("\n\n".join(_failure_text(f, rules) for f in hits))
        elif outcome == "skipped":
            reasons = "; ".join(sorted({f["suppressed"] for f in suppressed[rule_id]}))
            ET.SubElement(case, "skipped", {"message": _clean(f"suppressed: {reasons}")})
    for key, value in _counts(outcomes).items():
        suite.set(key, str(value))
    return suite


def _errors_suite(errors: list[str]) -> ET.Element:
    suite = ET.Element("testsuite", {"name": "scopecheck run", "tests": str(len(errors)), "failures": "0",
                                     "errors": str(len(errors)), "skipped": "0"})
    for i, e in enumerate(errors, 1):
        case = ET.SubElement(suite, "testcase", {"classname": "scopecheck", "name": f"run error {i}", "time": "0"})
        ET.SubElement(case, "error", {"type": "run-error", "message": _clean(e)}).text = _clean(e)
    return suite


def _root(data: dict) -> ET.Element:
    """The root element with its totals and no children."""
    applied = data.get("rules_applied", {})
    totals = dict.fromkeys(_COUNTS, 0)
    for d, active, suppressed in _documents_with_findings(data):
        for key, value in _counts(outcome for _, outcome in _cases(d, active, suppressed, applied)).items():
            totals[key] += value
    errors = data.get("errors") or []
    totals["tests"] += len(errors)
    totals["errors"] += len(errors)
    return ET.Element("testsuites", {"name": "scopecheck", **{key: str(value) for key, value in totals.items()}})


def _suites(data: dict) -> Iterator[ET.Element]:
    rules, applied = data.get("rules", {}), data.get("rules_applied", {})
    for d, active, suppressed in _documents_with_findings(data):
        yield _suite(d, active, suppressed, rules, applied)
    if data.get("errors"):
        yield _errors_suite(data["errors"])


def build(data: dict) -> ET.Element:
    root = _root(data)
    root.extend(_suites(data))
    return root


def write(data: dict, stream: TextIO, **_: object) -> None:
    """The text ET.indent and ET.tostring give for build(data), written a suite at a time."""
    root = _root(data)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    head = ET.tostring(root, encoding="unicode")  # '<testsuites ... />': no suites yet
    opened = False
    for suite in _suites(data):
        if not opened:
            stream.write(head[:-len(" />")] + ">")
            opened = True
        ET.indent(suite, level=1)
        suite.tail = None
        stream.write("\n  " + ET.tostring(suite, encoding="unicode"))
    stream.write("\n</testsuites>\n" if opened else head + "\n")


render = rendered(write)
