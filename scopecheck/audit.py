"""Batch audits: many submissions (one coach or program each) checked with one rule set, written
as an index, one report per submission, audit.json and summary.csv.

A submission is each top-level folder of a single named folder, or else each named path."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from scopecheck import __version__
from scopecheck.api import Options, load_rules, run_batches
from scopecheck.documents import SKIP_DIRS, display_path
from scopecheck.errors import ScopecheckError
from scopecheck.outputs import html, templating
from scopecheck.outputs.view import checklist_completion
from scopecheck.verdict import VERDICTS, decide

AUDIT_SCHEMA_VERSION = 1
REPORTS_DIR = "submissions"
OWN_FILES = ("index.html", "audit.json", "summary.csv")
CSV_COLUMNS = ("submission", "verdict", "errors", "warnings", "notes", "suppressed", "documents",
               "unreadable", "checklist_present", "checklist_total", "report", "record_sha256")


@dataclass(frozen=True)
class Submission:
    name: str
    slug: str
    paths: tuple[str, ...]


def _visible_dirs(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                   and p.name not in SKIP_DIRS), key=lambda p: p.name)


def _slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "submission"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def find_submissions(paths: list[str], each_path: bool = False) -> tuple[list[Submission], list[str]]:
    """Returns the submissions and notes about top-level files that belong to none."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise ScopecheckError("not found: " + ", ".join(missing) + "; give folders or files that exist "
                              "(for example: scopecheck audit submissions/ --output audit-report)")
    notes: list[str] = []
    if len(paths) == 1 and not each_path and Path(paths[0]).is_dir() and _visible_dirs(Path(paths[0])):
        folder = Path(paths[0])
        chosen = _visible_dirs(folder)
        loose = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        if loose:
            notes.append(f"not audited (only the folders inside {display_path(folder)} are submissions; "
                         f"name a file directly to audit it): {', '.join(loose)}")
    else:
        chosen = [Path(p) for p in paths]
    names = [p.name or display_path(p) for p in chosen]
    taken: set[str] = set()
    submissions = []
    for path, name in zip(chosen, names):
        shown = display_path(path)
        label = name if names.count(name) == 1 else shown
        submissions.append(Submission(label, _slug(label, taken), (shown,)))
    return submissions, notes


def _entry(sub: Submission, data: dict) -> dict:
    counts = data["summary"]["findings"]
    return {
        "name": sub.name,
        "slug": sub.slug,
        "inputs": list(sub.paths),
        "report_file": f"{REPORTS_DIR}/{sub.slug}.html",
        "verdict": decide(data).to_dict(),
        "counts": {"error": counts["error"], "warning": counts["warning"], "info": counts["info"]},
        "suppressed": data["summary"]["suppressed"],
        "documents": data["summary"]["documents"],
        "unreadable": data["summary"]["errors"],
        "checklist": checklist_completion(data),
        "record_sha256": templating.record_digest(data),
        "report": data,
    }


def run_audit(paths: list[str], options: Options, each_path: bool = False) -> dict:
    generated = templating.generated_at()  # a bad SOURCE_DATE_EPOCH stops the run before any work
    submissions, notes = find_submissions(paths, each_path)
    if not submissions:
        raise ScopecheckError("nothing to audit: the folder is empty")
    ruleset = load_rules(options)
    # one stream of files for all the submissions: a pool pays off across many small ones
    reports = run_batches([list(sub.paths) for sub in submissions], options, ruleset, label="Auditing")
    entries = [_entry(sub, report.to_dict()) for sub, report in zip(submissions, reports, strict=True)]
    first = entries[0]["report"]
    return {
        "schema_version": AUDIT_SCHEMA_VERSION,
        "kind": "scopecheck-audit",
        "generated": generated,
        "tool": first["tool"] | {"version": __version__},
        "fail_on": options.fail_on,
        "summary": {"submissions": len(entries),
                    **{v: sum(1 for e in entries if e["verdict"]["status"] == v) for v in VERDICTS}},
        "notes": notes,
        "submissions": entries,
    }


def summary_csv(record: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in record["submissions"]:
        writer.writerow([_cell(e["name"]), e["verdict"]["status"], e["counts"]["error"], e["counts"]["warning"],
                         e["counts"]["info"], e["suppressed"], e["documents"], e["unreadable"],
                         e["checklist"]["present"], e["checklist"]["total"], e["report_file"], e["record_sha256"]])
    return out.getvalue()


def _cell(text: str) -> str:
    # a spreadsheet would run a folder name such as "=HYPERLINK(...)" as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ScopecheckError(f"{out_dir} is a file; give --output a folder name")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / "audit.json").is_file():
        raise ScopecheckError(f"{out_dir} already holds other files and no earlier audit.json; "
                              "choose a new or empty folder so nothing of yours is overwritten")
    (out_dir / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    for stale in (out_dir / REPORTS_DIR).glob("*.html"):  # reports of an earlier audit in this folder
        stale.unlink()


def write_audit(record: dict, out_dir: Path, user_templates: Path | None = None) -> list[Path]:
    files: dict[Path, str] = {}
    for e in record["submissions"]:
        files[out_dir / e["report_file"]] = html.render(
            e["report"], name=e["name"], generated=record["generated"], index_href="../index.html",
            user_templates=user_templates)
    files[out_dir / "index.html"] = templating.render("html", "audit-index.html.j2", user_templates, audit=record)
    files[out_dir / "audit.json"] = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    files[out_dir / "summary.csv"] = summary_csv(record)
    try:
        _prepare(out_dir)
        for path, text in files.items():
            path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ScopecheckError(f"cannot write the audit to {out_dir}: {exc.strerror or exc}; "
                              "check that the folder is writable") from None
    return list(files)
