"""JUnit XML: one test suite per document, one test case per rule that applied to it.
A rule with findings in that document fails; an unreadable document is an error."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from scopecheck.outputs.citations import describe_citation

# XML 1.0 cannot carry most control characters, even escaped
_XML_ILLEGAL = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}


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


def build(data: dict) -> ET.Element:
    rules = data.get("rules", {})
    applied = data.get("rules_applied", {})
    by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    skipped_by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for f in data["findings"]:
        target = skipped_by_doc if f.get("suppressed") is not None else by_doc
        target[f["path"]][f["rule_id"]].append(f)

    root = ET.Element("testsuites", {"name": "scopecheck"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for d in data["documents"]:
        suite = ET.SubElement(root, "testsuite", {"name": _clean(d["path"])})
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if d["status"] == "error":
            case = _testcase(suite, d["path"], "read", rules)
            ET.SubElement(case, "error", {"type": "input-error", "message": _clean(d.get("error") or "")}).text = \
                _clean(d.get("error") or "")
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            findings = by_doc.get(d["path"], {})
            suppressed = skipped_by_doc.get(d["path"], {})
            rule_ids = sorted(set(applied.get(d["type"], [])) | set(findings) | set(suppressed))
            for rule_id in rule_ids:
                case = _testcase(suite, d["path"], rule_id, rules)
                counts["tests"] += 1
                hits = findings.get(rule_id, [])
                if hits:
                    worst = max(hits, key=lambda f: ("info", "warning", "error").index(f["severity"]))
                    message = hits[0]["message"] if len(hits) == 1 else \
                        f"{len(hits)} findings; first: {hits[0]['message']}"
                    ET.SubElement(case, "failure", {"type": worst["severity"], "message": _clean(message)}).text = \
                        _clean("\n\n".join(_failure_text(f, rules) for f in hits))
                    counts["failures"] += 1
                elif rule_id in suppressed:
                    reasons = "; ".join(sorted({f["suppressed"] for f in suppressed[rule_id]}))
                    ET.SubElement(case, "skipped", {"message": _clean(f"suppressed: {reasons}")})
                    counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    if data.get("errors"):
        suite = ET.SubElement(root, "testsuite", {"name": "scopecheck run", "tests": str(len(data["errors"])),
                                                  "failures": "0", "errors": str(len(data["errors"])),
                                                  "skipped": "0"})
        for i, e in enumerate(data["errors"], 1):
            case = ET.SubElement(suite, "testcase", {"classname": "scopecheck", "name": f"run error {i}", "time": "0"})
            ET.SubElement(case, "error", {"type": "run-error", "message": _clean(e)}).text = _clean(e)
        root.set("tests", str(totals["tests"] + len(data["errors"])))
        root.set("errors", str(totals["errors"] + len(data["errors"])))
    return root


def render(data: dict, **_: object) -> str:
    root = build(data)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
