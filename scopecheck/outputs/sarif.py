"""SARIF 2.1.0 for code-scanning services (GitHub code scanning and others)."""
from __future__ import annotations

from typing import TextIO
from urllib.parse import quote

from scopecheck.outputs import rendered
from scopecheck.outputs.citations import describe_citation
from scopecheck.outputs.json_output import indented, write_list

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "scopecheckFingerprint/v1"


def artifact_uri(path: str) -> str:
    """Relative POSIX paths stay relative (code scanning resolves them against the repository);
    absolute paths become file: URIs."""
    if path.startswith("/"):
        return "file://" + quote(path)
    if "://" in path:
        return path
    return quote(path)


def _rule_descriptor(rule_id: str, rule: dict) -> dict:
    rationale = rule.get("rationale") or rule.get("message") or rule_id
    short = rule.get("title") or _first_sentence(rationale)
    cites = [describe_citation(c) for c in rule.get("citations", [])]
    help_lines = [f"Suggestion: {rule.get('suggestion', '')}".rstrip()]
    help_md = [f"**Suggestion:** {rule.get('suggestion', '')}".rstrip()]
    if cites:
        help_lines.append("Rests on: " + "; ".join(cites))
        help_md.append("**Rests on:**\n" + "\n".join(f"- {c}" for c in cites))
    descriptor = {
        "id": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": rationale},
        "help": {"text": "\n".join(help_lines), "markdown": "\n\n".join(help_md)},
        "defaultConfiguration": {"level": LEVELS.get(rule.get("severity", "warning"), "warning")},
        "properties": {"category": rule.get("category", ""), "kind": rule.get("kind", ""),
                       "pack": rule.get("pack", ""), "tags": ["scope-of-practice", rule.get("category", "")]},
    }
    if rule.get("title"):
        descriptor["name"] = rule["title"]
    return descriptor


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text


def _region(f: dict) -> dict | None:
    if f.get("unit", "line") != "line":
        return None  # page and paragraph positions are not lines of the file
    region = {"startLine": f["line"], "startColumn": f["column"],
              "endLine": f["end_line"], "endColumn": f["end_column"]}
    start, end = f["highlight"]
    if end > start:
        region["snippet"] = {"text": f["excerpt"][start:end]}
    return region


def _result(f: dict, rule_index: dict[str, int]) -> dict:
    physical: dict = {"artifactLocation": {"uri": artifact_uri(f["path"])}}
    region = _region(f)
    if region is not None:
        physical["region"] = region
    message = f["message"]
    if f.get("suggestion"):
        message += f" Suggestion: {f['suggestion']}"
    result = {
        "ruleId": f["rule_id"],
        "ruleIndex": rule_index[f["rule_id"]],
        "level": LEVELS[f["severity"]],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {"category": f["category"], "excerpt": f["excerpt"], "location": f["location"]},
    }
    if f.get("page") is not None:
        result["properties"]["page"] = f["page"]
    if f.get("fix") and region is not None:
        replacement = f["fix"]["replacement"]
        original = region.get("snippet", {}).get("text", "")
        result["fixes"] = [{
            "description": {"text": f'Replace "{original}" with "{replacement}"'},
            "artifactChanges": [{
                "artifactLocation": {"uri": artifact_uri(f["path"])},
                "replacements": [{
                    "deletedRegion": {k: region[k] for k in ("startLine", "startColumn", "endLine", "endColumn")},
                    "insertedContent": {"text": replacement},
                }],
            }],
        }]
    if f.get("suppressed") is not None:
        # scopecheck keeps suppressed findings; SARIF consumers show them as dismissed
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f["suppressed"]}]
    return result


def _notifications(data: dict) -> list[dict]:
    notes = []
    for d in data["documents"]:
        if d["status"] == "error":
            notes.append({"level": "error", "message": {"text": d.get("error") or "could not be read"},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(d["path"])}}}]})
        for w in d.get("warnings", []):
            notes.append({"level": "warning", "message": {"text": w},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(d["path"])}}}]})
    for e in data.get("errors", []):
        notes.append({"level": "error", "message": {"text": e}})
    return notes


def _rule_ids(data: dict) -> list[str]:
    return sorted(set(data.get("rules", {})) | {f["rule_id"] for f in data["findings"]})


def _run_parts(data: dict) -> tuple[dict[str, int], dict, dict]:
    """Each rule's index in the driver's rule list, and the run's members before its results
    and after them, in the order they are written."""
    rule_ids = _rule_ids(data)
    rules = data.get("rules", {})
    tool = data["tool"]
    before = {
        "tool": {
            "driver": {
                "name": tool["name"],
                "version": tool["version"],
                "semanticVersion": tool["version"],
                "rules": [_rule_descriptor(rid, rules.get(rid, {})) for rid in rule_ids],
            },
            "extensions": [{"name": p["name"], "version": p["version"],
                            "properties": {"path": p["path"], "sha256": p["sha256"], "builtin": p["builtin"],
                                           "rules": p["rules"]}}
                           for p in tool["packs"]],
        },
        "invocations": [{"executionSuccessful": not data.get("errors") and
                         all(d["status"] != "error" for d in data["documents"]),
                         "toolExecutionNotifications": _notifications(data)}],
        "artifacts": [_artifact(d) for d in data["documents"]],
        "columnKind": "unicodeCodePoints",
    }
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}
    return rule_index, before, {"properties": {"failOn": data["fail_on"], "summary": data["summary"]}}


def build(data: dict) -> dict:
    rule_index, before, after = _run_parts(data)
    run = {**before, "results": [_result(f, rule_index) for f in data["findings"]], **after}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _artifact(d: dict) -> dict:
    artifact: dict = {"location": {"uri": artifact_uri(d["path"])}}
    if d.get("sha256"):
        artifact["hashes"] = {"sha-256": d["sha256"]}
    props = {k: d[k] for k in ("type", "type_source", "format", "status") if d.get(k) is not None}
    if props:
        artifact["properties"] = props
    return artifact


def write(data: dict, stream: TextIO, **_: object) -> None:
    """build(data) as json.dumps(indent=2) writes it, written as it is made: results one at a
    time, so a large run's findings (read back from disk when they were spilled) are never all
    held at once."""
    rule_index, before, after = _run_parts(data)
    stream.write(f'{{\n  "$schema": {indented(SARIF_SCHEMA, 1)},\n  "version": "2.1.0",\n  "runs": [\n    {{')
    for key, value in before.items():
        stream.write(f"\n      {indented(key, 3)}: {indented(value, 3)},")
    stream.write('\n      "results": ')
    write_list(stream, (indented(_result(f, rule_index), 4) for f in data["findings"]), 3)
    stream.write(",")
    for n, (key, value) in enumerate(after.items()):
        stream.write(("\n      " if n == 0 else ",\n      ") + f"{indented(key, 3)}: {indented(value, 3)}")
    stream.write("\n    }\n  ]\n}\n")


render = rendered(write)
