"""The report record regrouped for reading: by document, with checklist totals and anchors.
Shared by the HTML and Markdown reports and the audit index.

A spilled report (see report.Report.to_dict) gives its lists as LazyLists, read back from disk
on each walk; the view's lists are then lazy too, each document made with its findings as a
template walks it, so a large run's report is written without holding its findings whole."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from scopecheck.model import DOC_TYPES
from scopecheck.outputs.templating import generated_at, record_digest
from scopecheck.outputs.walk import documents_with_findings
from scopecheck.spool import LazyList
from scopecheck.verdict import count_findings, decide


def checklist_completion(data: dict) -> dict:
    present = total = 0
    for d in data["documents"]:
        for c in d["checklist"]:
            total += 1
            present += bool(c["present"])
    return {"present": present, "total": total,
            "percent": round(100 * present / total) if total else None}


# optional keys of the record, filled in so templates can use them plainly
FINDING_DEFAULTS = {"searched": [], "fix": None, "suppressed": None, "checklist": None, "page": None}
DOCUMENT_DEFAULTS = {"warnings": [], "error": None}


def _document(number: int, d: dict, findings: list[dict], first: int) -> dict:
    """A document as the templates read it: its active findings with their anchors, its
    checklist rows linked to the finding that reports a missing element, and its suppressed
    findings."""
    filled = [(FINDING_DEFAULTS | f, n) for n, f in enumerate(findings, first)]
    active = [dict(f, anchor=f"finding-{n}") for f, n in filled if f.get("suppressed") is None]
    missing_links = {f["rule_id"]: f["anchor"] for f in active if f.get("checklist")}
    checklist = [dict(c, finding=missing_links.get(c["rule_id"])) for c in d["checklist"]]
    return dict(DOCUMENT_DEFAULTS | d, anchor=f"document-{number}", active=active, checklist_rows=checklist,
                suppressed_findings=[f for f, _ in filled if f.get("suppressed") is not None])


def _documents(data: dict) -> Iterator[dict]:
    for number, (d, findings, first) in enumerate(documents_with_findings(data), 1):
        yield _document(number, d, findings, first)


def build(data: dict, name: str = "", generated: str | None = None, digest: str | None = None) -> dict:
    """`digest`, when the caller has it already, is record_digest(data)."""
    lazy = isinstance(data["documents"], LazyList) or isinstance(data["findings"], LazyList)

    def listed(length: int, items: Callable[[], Iterator]) -> list:
        return LazyList(length, items) if lazy else list(items())

    types = Counter(d["type"] for d in data["documents"])
    counts = count_findings(data)
    documents = listed(len(data["documents"]), lambda: _documents(data))
    return {
        "name": name,
        "title": name or _describe_inputs(data),
        "data": data,
        "verdict": decide(data, counts).to_dict(),
        "documents": documents,
        "by_type": {t: listed(types[t], lambda t=t: (d for d in documents if d["type"] == t))
                    for t in DOC_TYPES if types[t]},
        # an unreadable document has no findings: made from the document list alone, not by a
        # walk of every document with its findings
        "unreadable": [_document(number, d, [], 1) for number, d in enumerate(data["documents"], 1)
                       if d["status"] == "error"],
        "suppressed": listed(counts.suppressed, lambda: (FINDING_DEFAULTS | f for f in data["findings"]
                                                          if f.get("suppressed") is not None)),
        "active_count": counts.active,
        "completion": checklist_completion(data),
        "generated": generated or generated_at(),
        "digest": digest or record_digest(data),
    }


def _describe_inputs(data: dict) -> str:
    if len(data["documents"]) == 1:
        return next(iter(data["documents"]))["path"]
    return f"{len(data['documents'])} documents"
