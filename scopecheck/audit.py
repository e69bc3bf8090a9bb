"""Batch audits: many submissions (one coach or program each) checked with one rule set, written
as an index, one report per submission, audit.json and summary.csv.

A submission is each top-level folder of a single named folder, or else each named path."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scopecheck import __version__
from scopecheck.api import Options, load_rules, run_batches
from scopecheck.documents import SKIP_DIRS, display_path
from scopecheck.errors import ScopecheckError
from scopecheck.outputs import html, templating
from scopecheck.outputs.json_output import indented, write_object
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
    """The whole audit record, every submission's report included, in memory."""
    head, entries = _audit_entries(paths, options, each_path)
    return _record(head, list(entries))


def audit_to_folder(paths: list[str], options: Options, out_dir: Path, user_templates: Path | None = None,
                    each_path: bool = False) -> dict:
    """Check the submissions and write the audit folder as they come in: each submission's
    report is rendered and set down as soon as it is checked, so memory holds one submission's
    report at a time, not the audit's. Returns the record without the reports."""
    _check_target(out_dir)
    head, entries = _audit_entries(paths, options, each_path)
    record = _write_folder(head, entries, out_dir, user_templates)
    return {**record, "submissions": [dict(e) for e in record["submissions"]]}


def _audit_entries(paths: list[str], options: Options, each_path: bool) -> tuple[dict, Iterator[dict]]:
    generated = templating.generated_at()  # a bad SOURCE_DATE_EPOCH stops the run before any work
    submissions, notes = find_submissions(paths, each_path)
    if not submissions:
        raise ScopecheckError("nothing to audit: the folder is empty")
    ruleset = load_rules(options)
    # one stream of files for all the submissions: a pool pays off across many small ones
    reports = run_batches([list(sub.paths) for sub in submissions], options, ruleset, label="Auditing")
    entries = (_entry(sub, report.to_dict()) for sub, report in zip(submissions, reports, strict=True))
    return {"generated": generated, "notes": notes, "fail_on": options.fail_on}, entries


def _record(head: dict, entries: list[dict], tool: dict | None = None) -> dict:
    first_tool = tool if tool is not None else entries[0]["report"]["tool"]
    return {
        "schema_version": AUDIT_SCHEMA_VERSION,
        "kind": "scopecheck-audit",
        "generated": head["generated"],
        "tool": first_tool | {"version": __version__},
        "fail_on": head["fail_on"],
        "summary": {"submissions": len(entries),
                    **{v: sum(1 for e in entries if e["verdict"]["status"] == v) for v in VERDICTS}},
        "notes": head["notes"],
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


STAGING_PREFIX = ".scopecheck-partial-"  # where an audit is written before it is moved into place
STAGING_OWNER = "owner"  # inside it: the host and process writing it
STALE_AFTER_SECONDS = 24 * 3600  # a staging folder of unknown owner left this long is abandoned
# a process of that number still runs on this host: it may be another that took the number over
STALE_WHILE_RUNNING_SECONDS = 7 * 24 * 3600


def _this_host() -> str:
    return socket.gethostname() or "unknown-host"


def _process_gone(owner: str) -> bool | None:
    """Whether the process named in a staging folder's owner file has ended: None when that
    cannot be told here (another host, not POSIX, a garbled file)."""
    try:
        host, pid = owner.split()
        if host != _this_host() or os.name != "posix":
            return None
        os.kill(int(pid), 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, as another user's process
    except (ValueError, OverflowError, OSError):
        return None
    return False


def _owner_gone(staging: Path) -> bool:
    """Whether the audit that was writing this staging folder stopped without removing it
    (killed, or its machine lost power): its process is gone from this host, or nothing in the
    folder changed for a day when that cannot be told (a week when a process of that number
    still runs here)."""
    try:
        gone = _process_gone((staging / STAGING_OWNER).read_text(encoding="utf-8"))
    except OSError:
        gone = None
    if gone:
        return True
    try:
        newest = max([staging.stat().st_mtime] + [p.stat().st_mtime for p in staging.rglob("*")])
    except OSError:
        return False
    limit = STALE_AFTER_SECONDS if gone is None else STALE_WHILE_RUNNING_SECONDS
    return time.time() - newest > limit


def _remove_abandoned_staging(out_dir: Path) -> None:
    """Remove what audits that were stopped mid-way left in this folder. A staging folder of an
    audit still running here is kept."""
    for staging in out_dir.glob(STAGING_PREFIX + "*"):
        if staging.is_dir() and not staging.is_symlink() and _owner_gone(staging):
            shutil.rmtree(staging, ignore_errors=True)


def _check_target(out_dir: Path) -> None:
    """Refuse, before any work, a folder that would lose files of someone else's."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ScopecheckError(f"{out_dir} is a file; give --output a folder name")
    if out_dir.is_dir() and not (out_dir / "audit.json").is_file() and any(
            not p.name.startswith(STAGING_PREFIX) for p in out_dir.iterdir()):
        raise ScopecheckError(f"{out_dir} already holds other files and no earlier audit.json; "
                              "choose a new or empty folder so nothing of yours is overwritten")


class _Entry(dict):
    """A submission's entry without its report, which is read back from the staged audit.json
    text when a template asks for it (`e.report`)."""

    def __init__(self, entry: dict, load: Callable[[], dict]) -> None:
        super().__init__((k, v) for k, v in entry.items() if k != "report")
        self._load = load

    def __missing__(self, key: str) -> object:
        if key == "report":
            return self._load()
        raise KeyError(key)


class _AuditWriter:
    """Writes an audit into a hidden folder inside the output folder, one submission at a time,
    then moves the files into place; if anything fails, the output folder is left as it was."""

    def __init__(self, out_dir: Path, user_templates: Path | None, generated: str) -> None:
        self.out_dir = out_dir
        self.user_templates = user_templates
        self.generated = generated
        self.created = not out_dir.exists()
        self.entries: list[_Entry] = []
        self.tool: dict | None = None
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            _remove_abandoned_staging(out_dir)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
            (self.staging / STAGING_OWNER).write_text(f"{_this_host()} {os.getpid()}\n", encoding="utf-8")
            (self.staging / REPORTS_DIR).mkdir()
            # each entry as it sits in audit.json's list of submissions, one after the other
            self.pieces = (self.staging / "submissions.part").open("w+", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise _unwritable(out_dir, exc) from None
        self.spans: list[tuple[int, int]] = []

    def __enter__(self) -> "_AuditWriter":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pieces.close()
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.created and self.out_dir.is_dir() and not any(self.out_dir.iterdir()):
            self.out_dir.rmdir()  # a failed first audit leaves no empty folder behind

    def add(self, entry: dict) -> None:
        if self.tool is None:
            self.tool = entry["report"]["tool"]
        page = html.render(entry["report"], name=entry["name"], generated=self.generated,
                           index_href="../index.html", user_templates=self.user_templates,
                           digest=entry["record_sha256"])
        text = indented(entry, 2)
        try:
            (self.staging / entry["report_file"]).write_text(page, encoding="utf-8", newline="\n")
            start = self.pieces.seek(0, 2)
            self.pieces.write(text)
        except OSError as exc:
            raise _unwritable(self.out_dir, exc) from None
        self.spans.append((start, len(text)))
        self.entries.append(_Entry(entry, lambda span=self.spans[-1]: self._report(span)))

    def _report(self, span: tuple[int, int]) -> dict:
        self.pieces.flush()
        self.pieces.seek(span[0])
        return json.loads(self.pieces.read(span[1]))["report"]

    def finish(self, head: dict) -> dict:
        record = _record(head, self.entries, self.tool)
        index = templating.render("html", "audit-index.html.j2", self.user_templates, audit=record)
        try:
            (self.staging / "index.html").write_text(index, encoding="utf-8", newline="\n")
            (self.staging / "summary.csv").write_text(summary_csv(record), encoding="utf-8", newline="\n")
            with (self.staging / "audit.json").open("w", encoding="utf-8", newline="\n") as out:
                self._write_json(record, out)
            self._move_into_place()
        except OSError as exc:
            raise _unwritable(self.out_dir, exc) from None
        return record

    def _write_json(self, record: dict, out) -> None:
        """audit.json, as json.dumps(record, indent=2) would write it, with the submissions
        copied from their staged text one at a time."""
        write_object(record, out, lambda key, _: self._staged_entries() if key == "submissions" else None)

    def _staged_entries(self) -> Iterator[str]:
        for start, length in self.spans:
            self.pieces.seek(start)
            yield self.pieces.read(length)

    def _move_into_place(self) -> None:
        reports = self.out_dir / REPORTS_DIR
        reports.mkdir(exist_ok=True)
        for stale in reports.glob("*.html"):  # reports of an earlier audit in this folder
            stale.unlink()
        for staged in sorted((self.staging / REPORTS_DIR).iterdir()):
            os.replace(staged, reports / staged.name)
        for name in ("index.html", "audit.json", "summary.csv"):
            os.replace(self.staging / name, self.out_dir / name)


def _write_folder(head: dict, entries: Iterable[dict], out_dir: Path, user_templates: Path | None) -> dict:
    """Write the submissions' entries as they come, then the index, audit.json and summary.csv;
    the record returned holds the entries without their reports."""
    with _AuditWriter(out_dir, user_templates, head["generated"]) as writer:
        for entry in entries:
            writer.add(entry)
        return writer.finish(head)


def _unwritable(out_dir: Path, exc: OSError) -> ScopecheckError:
    return ScopecheckError(f"cannot write the audit to {out_dir}: {exc.strerror or exc}; "
                           "check that the folder is writable")


def write_audit(record: dict, out_dir: Path, user_templates: Path | None = None) -> list[Path]:
    """Write an audit record made by run_audit."""
    _check_target(out_dir)
    head = {key: record[key] for key in ("generated", "notes", "fail_on")}
    _write_folder(head, record["submissions"], out_dir, user_templates)
    return ([out_dir / e["report_file"] for e in record["submissions"]]
            + [out_dir / name for name in ("index.html", "audit.json", "summary.csv")])
