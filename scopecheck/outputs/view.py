"""The report record regrouped for reading: by document, with checklist totals and anchors.
Shared by the HTML and Markdown reports and the audit index."""
from __future__ import annotations

from collections import defaultdict

from scopecheck.model import DOC_TYPES
from scopecheck.outputs.templating import generated_at, record_digest
from scopecheck.verdict import decide


def checklist_completion(data: dict) -> dict:
    items = [c for d in data["documents"] for c in d["checklist"]]
    present = sum(1 for c in items if c["present"])
    return {"present": present, "total": len(items),
            "percent": round(100 * present / len(items)) if items else None}


# optional keys of the record, filled in so templates can use them plainly
FINDING_DEFAULTS = {"searched": [], "fix": None, "suppressed": None, "checklist": None, "page": None}
DOCUMENT_DEFAULTS = {"warnings": [], "error": None}


def build(data: dict, name: str = "", generated: str | None = None) -> dict:
    findings = [FINDING_DEFAULTS | f for f in data["findings"]]
    anchors = {id(f): f"finding-{i}" for i, f in enumerate(findings, 1)}
    by_path: dict[str, list[dict]] = defaultdict(list)  # one walk, not one per document
    for f in findings:
        by_path[f["path"]].append(f)
    documents = []
    for i, d in enumerate(data["documents"], 1):
        mine = by_path.get(d["path"], [])
        active = [dict(f, anchor=anchors[id(f)]) for f in mine if f.get("suppressed") is None]
        missing_links = {f["rule_id"]: f["anchor"] for f in active if f.get("checklist")}
        checklist = [dict(c, finding=missing_links.get(c["rule_id"])) for c in d["checklist"]]
        documents.append(dict(DOCUMENT_DEFAULTS | d, anchor=f"document-{i}", active=active, checklist_rows=checklist,
                              suppressed_findings=[f for f in mine if f.get("suppressed") is not None]))
    by_type = {t: [d for d in documents if d["type"] == t] for t in DOC_TYPES}
    return {
        "name": name,
        "title": name or _describe_inputs(data),
        "data": data,
        "verdict": decide(data).to_dict(),
        "documents": documents,
        "by_type": {t: docs for t, docs in by_type.items() if docs},
        "unreadable": [d for d in documents if d["status"] == "error"],
        "suppressed": [f for f in findings if f.get("suppressed") is not None],
        "active_count": sum(1 for f in findings if f.get("suppressed") is None),
        "completion": checklist_completion(data),
        "generated": generated or generated_at(),
        "digest": record_digest(data),
    }


def _describe_inputs(data: dict) -> str:
    paths = [d["path"] for d in data["documents"]]
    if len(paths) == 1:
        return paths[0]
    return f"{len(paths)} documents"
