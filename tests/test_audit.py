"""`scopecheck audit`: submissions, verdicts, the written folder, reproducibility."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outputs_support import MINI, MINI_PACK, ROOT, write
from scopecheck.audit import find_submissions, run_audit, write_audit
from scopecheck.errors import ScopecheckError
from scopecheck.outputs.templating import record_digest
from scopecheck.verdict import decide

EXAMPLES = ROOT / "examples" / "audit"


def audit_cli(*args: str, epoch: str = "1700000000") -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "scopecheck", "audit", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def mini_audit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("audit") / "out"
    proc = audit_cli("examples/audit", "--output", str(out), "--no-builtin-rules", "--rules", str(MINI_PACK))
    assert proc.returncode == 1, proc.stderr  # two submissions fail
    assert "README.md" in proc.stderr  # the loose file is named, not silently skipped
    return out


def test_writes_index_reports_json_and_csv(mini_audit: Path) -> None:
    record = json.loads((mini_audit / "audit.json").read_text(encoding="utf-8"))
    names = [s["name"] for s in record["submissions"]]
    assert names == sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
    verdicts = {s["name"]: s["verdict"]["status"] for s in record["submissions"]}
    assert verdicts["ana-ruiz-coaching"] == "pass"
    assert verdicts["breakthrough-mind-method"] == "fail"
    assert verdicts["healing-room-collective"] == "fail"
    assert verdicts["rebecca-shaw-wellness"] == "needs review"  # one warning: "patients"
    assert record["generated"] == "2023-11-14 22:13:20 UTC"
    index = (mini_audit / "index.html").read_text(encoding="utf-8")
    for s in record["submissions"]:
        report = (mini_audit / s["report_file"]).read_text(encoding="utf-8")
        assert f'href="{s["report_file"]}"' in index
        assert s["record_sha256"] in report
        assert s["record_sha256"] == record_digest(s["report"])  # the page shows the report's own digest
        assert f"Verdict: {s['verdict']['status'].capitalize()}" in report
        for d in s["report"]["documents"]:
            assert d["sha256"] in report
    rows = list(csv.DictReader((mini_audit / "summary.csv").open(encoding="utf-8", newline="")))
    assert [r["submission"] for r in rows] == names
    assert [r["verdict"] for r in rows] == [s["verdict"]["status"] for s in record["submissions"]]
    assert all(r["record_sha256"] == s["record_sha256"] for r, s in zip(rows, record["submissions"]))


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        proc = audit_cli("examples/audit", "--output", str(out))
        assert proc.returncode in (0, 1), proc.stderr
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert len(files) == 3 + sum(1 for p in EXAMPLES.iterdir() if p.is_dir())
    assert files == sorted(p.relative_to(outs[1]) for p in outs[1].rglob("*") if p.is_file())
    for rel in files:
        assert (outs[0] / rel).read_bytes() == (outs[1] / rel).read_bytes(), rel


def test_submissions_from_one_folder_or_several_paths(tmp_path: Path) -> None:
    write(tmp_path / "batch" / "Coach A", "about.md", "Hello.\n")
    write(tmp_path / "batch" / "coach-a", "about.md", "Hello.\n")
    write(tmp_path / "batch", "notes.txt", "not a submission\n")
    subs, notes = find_submissions([str(tmp_path / "batch")])
    assert [s.name for s in subs] == ["Coach A", "coach-a"]
    assert [s.slug for s in subs] == ["coach-a", "coach-a-2"]
    assert "notes.txt" in notes[0]
    subs, notes = find_submissions([str(tmp_path / "batch")], each_path=True)
    assert len(subs) == 1 and not notes
    subs, _ = find_submissions([str(tmp_path / "batch" / "coach-a"), str(tmp_path / "batch" / "notes.txt")])
    assert [s.name for s in subs] == ["coach-a", "notes.txt"]
    with pytest.raises(ScopecheckError, match="not found"):
        find_submissions([str(tmp_path / "missing")])


def test_verdict_rules() -> None:
    def data(severities=(), unreadable=0, suppressed=0):
        findings = [{"rule_id": f"R-{i}", "severity": s, "path": "a.md"} for i, s in enumerate(severities)]
        findings += [{"rule_id": "R-S", "severity": "error", "path": "a.md", "suppressed": "ok"}] * suppressed
        docs = [{"path": "a.md", "status": "pass"}] + [{"path": f"b{i}.pdf", "status": "error"} for i in range(unreadable)]
        return {"findings": findings, "documents": docs}

    assert decide(data()).status == "pass"
    assert decide(data(["info"])).status == "pass"
    assert decide(data(suppressed=2)).status == "pass"
    assert decide(data(["warning", "info"])).status == "needs review"
    assert decide(data(unreadable=1)).status == "needs review"
    assert decide(data(["error", "warning"], unreadable=1)).status == "fail"
    assert "b0.pdf" in " ".join(decide(data(unreadable=1)).reasons)


def test_refuses_a_folder_with_other_files(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    proc = audit_cli("examples/audit/ana-ruiz-coaching", "--output", str(tmp_path), "--no-builtin-rules",
                     "--rules", str(MINI_PACK))
    assert proc.returncode == 2 and "already holds other files" in proc.stderr
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_bad_source_date_epoch_is_a_usage_error(tmp_path: Path) -> None:
    proc = audit_cli("examples/audit/ana-ruiz-coaching", "--output", str(tmp_path / "o"), "--no-builtin-rules",
                     "--rules", str(MINI_PACK), epoch="yesterday")
    assert proc.returncode == 2 and "SOURCE_DATE_EPOCH" in proc.stderr


def test_user_templates_are_used_and_sandboxed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    record = run_audit([str(EXAMPLES / "ana-ruiz-coaching")], MINI)
    own = tmp_path / "templates"
    write(own, "audit-index.html.j2", "<h1>Certification board</h1>{{ audit.submissions | length }}")
    write_audit(record, tmp_path / "out", own)
    assert (tmp_path / "out" / "index.html").read_text() == "<h1>Certification board</h1>1"
    write(own, "audit-index.html.j2", "{{ audit.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(ScopecheckError):
        write_audit(record, tmp_path / "out2", own)


def test_submissions_are_checked_in_one_pool_and_cached(tmp_path: Path, monkeypatch) -> None:
    from dataclasses import replace

    from scopecheck import parallel
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SCOPECHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    for i in range(parallel.MIN_FILES + 5):  # many coaches, one page each: none is worth a pool alone
        write(tmp_path / "batch" / f"coach-{i:02d}", "about.md", f"# Coach {i}\n\nI treat anxiety. Session {i}.\n")
    pools: list[int] = []
    real_pooled = parallel._pooled
    monkeypatch.setattr(parallel, "_pooled", lambda task, files, workers: pools.append(len(files))
                        or real_pooled(task, files, workers))
    serial = run_audit([str(tmp_path / "batch")], replace(MINI, jobs=1))
    pooled = run_audit([str(tmp_path / "batch")], replace(MINI, jobs=2))
    assert pools == [parallel.MIN_FILES + 5]
    assert pooled == serial
    checked: list[str] = []
    real_check = parallel.check_one
    monkeypatch.setattr(parallel, "check_one", lambda path, *a, **k: checked.append(path) or real_check(path, *a, **k))
    first = run_audit([str(tmp_path / "batch")], replace(MINI, jobs=1, cache=True))
    again = run_audit([str(tmp_path / "batch")], replace(MINI, jobs=1, cache=True))
    assert len(checked) == parallel.MIN_FILES + 5  # the second audit read every result from the cache
    assert first == again == serial


def test_cli_audit_takes_jobs_and_cache(tmp_path: Path) -> None:
    help_text = audit_cli("--help").stdout
    assert "--jobs" in help_text and "--no-cache" in help_text
    outs = [tmp_path / "one", tmp_path / "two"]
    for out, jobs in zip(outs, ("1", "2")):
        proc = audit_cli("examples/audit", "--output", str(out), "--jobs", jobs, "--no-cache",
                         "--no-builtin-rules", "--rules", str(MINI_PACK))
        assert proc.returncode == 1, proc.stderr
    for path in sorted(p for p in outs[0].rglob("*") if p.is_file()):
        assert path.read_bytes() == (outs[1] / path.relative_to(outs[0])).read_bytes(), path
    assert audit_cli("examples/audit", "--output", str(tmp_path / "z"), "--jobs", "0").returncode == 2


def test_folder_written_as_submissions_come_in_matches_the_whole_record(tmp_path: Path, monkeypatch) -> None:
    from scopecheck.audit import audit_to_folder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    record = run_audit([str(EXAMPLES)], MINI)
    write_audit(record, tmp_path / "whole")
    light = audit_to_folder([str(EXAMPLES)], MINI, tmp_path / "stream")
    assert (tmp_path / "whole" / "audit.json").read_text(encoding="utf-8") == (
        json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    files = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "stream") for p in (tmp_path / "stream").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "whole" / rel).read_bytes() == (tmp_path / "stream" / rel).read_bytes(), rel
    assert light == {**record, "submissions": [{k: v for k, v in e.items() if k != "report"}
                                               for e in record["submissions"]]}


def test_each_submission_is_written_before_the_next_is_checked(tmp_path: Path, monkeypatch) -> None:
    from scopecheck import parallel
    from scopecheck.audit import audit_to_folder
    from scopecheck.outputs import html
    events: list[tuple[str, str]] = []
    real_check, real_render = parallel.check_one, html.render
    monkeypatch.setattr(parallel, "check_one", lambda path, *a, **k: events.append(("check", path))
                        or real_check(path, *a, **k))
    monkeypatch.setattr(html, "render", lambda data, name="", **k: events.append(("render", name))
                        or real_render(data, name, **k))
    for name in ("a", "b", "c"):
        write(tmp_path / "in" / name, "about.md", "I treat anxiety.\n")
    audit_to_folder([str(tmp_path / "in")], MINI, tmp_path / "out")  # one process, no cache
    assert [kind for kind, _ in events] == ["check", "render"] * 3


def test_a_failed_audit_leaves_the_output_folder_as_it_was(tmp_path: Path, monkeypatch) -> None:
    from scopecheck.audit import STAGING_PREFIX, audit_to_folder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    out = tmp_path / "out"
    audit_to_folder([str(EXAMPLES)], MINI, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    own = tmp_path / "templates"
    write(own, "report.html.j2", "{{ view.no_such_thing }}")
    with pytest.raises(ScopecheckError, match="no_such_thing"):
        audit_to_folder([str(EXAMPLES)], MINI, out, own)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
    with pytest.raises(ScopecheckError):
        audit_to_folder([str(EXAMPLES)], MINI, tmp_path / "new" / "out", own)
    assert not (tmp_path / "new" / "out").exists()


def test_other_files_are_refused_before_any_checking(tmp_path: Path, monkeypatch) -> None:
    from scopecheck import parallel
    from scopecheck.audit import audit_to_folder
    monkeypatch.setattr(parallel, "check_one", lambda *a, **k: pytest.fail("checked before refusing"))
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ScopecheckError, match="already holds other files"):
        audit_to_folder([str(EXAMPLES)], MINI, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_index_templates_can_still_read_each_report(tmp_path: Path, monkeypatch) -> None:
    from scopecheck.audit import audit_to_folder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    own = tmp_path / "templates"
    write(own, "audit-index.html.j2",
          "{% for e in audit.submissions %}{{ e.name }}={{ e.report.summary.documents }};{% endfor %}")
    audit_to_folder([str(EXAMPLES)], MINI, tmp_path / "out", own)
    record = run_audit([str(EXAMPLES)], MINI)
    assert (tmp_path / "out" / "index.html").read_text() == "".join(
        f"{e['name']}={e['report']['summary']['documents']};" for e in record["submissions"])


def _staged(out: Path) -> set[str]:
    from scopecheck.audit import STAGING_PREFIX
    return {p.name for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)}


def _leave_staging(out: Path, name: str, owner: str | None, age_days: float = 0) -> None:
    from scopecheck.audit import STAGING_PREFIX, STAGING_OWNER
    staging = out / (STAGING_PREFIX + name)
    (staging / "submissions").mkdir(parents=True)
    (staging / "submissions.part").write_text("{}")
    if owner is not None:
        (staging / STAGING_OWNER).write_text(owner)
    stamp = time.time() - age_days * 86400
    for path in [staging, *staging.rglob("*")]:
        os.utime(path, (stamp, stamp))


@pytest.mark.skipif(os.name != "posix", reason="whether a process exists is asked only on POSIX")
def test_an_audit_removes_what_stopped_audits_left_and_keeps_running_ones(tmp_path: Path, monkeypatch) -> None:
    import socket

    from scopecheck.audit import audit_to_folder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    out = tmp_path / "out"
    audit_to_folder([str(EXAMPLES)], MINI, out)
    host = socket.gethostname()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _leave_staging(out, "killed", f"{host} {ended.stdout.strip()}")
    _leave_staging(out, "running", f"{host} {os.getpid()}", age_days=3)  # alive: kept
    # a process of that number runs, but nothing changed in a week: another took the number over
    _leave_staging(out, "number-taken-over", f"{host} {os.getpid()}", age_days=8)
    _leave_staging(out, "elsewhere-recent", "another-host 123")
    _leave_staging(out, "elsewhere-old", "another-host 123", age_days=2)
    _leave_staging(out, "unowned-recent", None)
    _leave_staging(out, "unowned-old", None, age_days=2)
    audit_to_folder([str(EXAMPLES)], MINI, out)
    prefix = ".scopecheck-partial-"
    assert _staged(out) == {prefix + n for n in ("running", "elsewhere-recent", "unowned-recent")}
    assert json.loads((out / "audit.json").read_text(encoding="utf-8"))["submissions"]


@pytest.mark.skipif(os.name != "posix", reason="kills the audit with SIGKILL")
def test_the_next_audit_clears_up_after_one_that_was_killed(tmp_path: Path) -> None:
    import signal

    for n in range(80):
        write(tmp_path / "in" / f"coach-{n:02d}", "about.md", "I treat anxiety and heal trauma.\n" * 40)
    out = tmp_path / "out"
    env = {**os.environ, "SCOPECHECK_NO_CACHE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "scopecheck", "audit", str(tmp_path / "in"), "--output",
                             str(out), "--jobs", "1", "--no-cache"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not (
            out.is_dir() and any(next((out / name / "submissions").glob("*.html"), None) is not None
                                 for name in _staged(out))):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not _staged(out):
        pytest.skip("the audit finished before it could be stopped")
    assert not (out / "audit.json").exists()
    done = audit_cli(str(tmp_path / "in"), "--output", str(out), "--jobs", "1")
    assert done.returncode == 1, done.stderr
    assert not _staged(out)
    assert len(json.loads((out / "audit.json").read_text(encoding="utf-8"))["submissions"]) == 80
