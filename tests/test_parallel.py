"""--jobs: the pool gives the same, deterministically ordered report as one process."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from scopecheck import api, parallel
from scopecheck.api import Options, run
from scopecheck.progress import Progress
from scopecheck.rules.ruleset import load_ruleset

from conftest import MINI_PACK, result_cache_entries, results_loaded, run_cli

LINES = ["I treat anxiety and depression.", "Coaching is a partnership of equals.",
         "I do not diagnose or treat PTSD.", "My patients love this.", "We meet every other week.",
         "No more panic attacks!", "Do you have thoughts of suicide? Y / N"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    for i in range(parallel.MIN_FILES + 12):  # enough files for the pool to be used
        sub = folder / f"section-{i % 4}"
        sub.mkdir(exist_ok=True)
        body = "\n\n".join(LINES[(i + k) % len(LINES)] for k in range(1 + i % 5))
        (sub / f"page-{i:03d}.md").write_text(f"# Page {i}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def rules():
    return load_ruleset((MINI_PACK,), builtin=False)


def _options(**kw) -> Options:
    return Options(rules_dirs=(MINI_PACK,), builtin_rules=False, **kw)


def test_pool_report_equals_serial_report(site, rules):
    serial = run([str(site)], _options(jobs=1), rules)
    pooled = run([str(site)], _options(jobs=2), rules)
    assert parallel.worker_count([str(p) for p in site.rglob("*.md")], 2) == 2
    assert pooled.to_dict() == serial.to_dict()
    assert pooled.documents == serial.documents
    assert any(d.findings for d in serial.documents)


def test_pool_output_is_deterministic(site, rules):
    runs = [run([str(site)], _options(jobs=2), rules).to_dict() for _ in range(2)]
    assert runs[0] == runs[1]
    paths = [d["path"] for d in runs[0]["documents"]]
    assert paths == sorted(paths)


def test_results_come_back_in_input_order(site, rules):
    files = sorted(str(p) for p in site.rglob("*.md"))[::-1]
    results = list(parallel.iter_checked(files, rules, _options(jobs=2)))
    assert [path for path, _ in results] == files
    assert [checked.load().path for _, checked in results] == files


def test_small_runs_stay_in_one_process(tmp_path):
    files = []
    for i in range(parallel.MIN_FILES - 1):
        path = tmp_path / f"p{i}.md"
        path.write_text("Hello.\n")
        files.append(str(path))
    assert parallel.worker_count(files, 8) == 1
    assert parallel.worker_count(files + [str(tmp_path / "x.md")], 8) == 8
    assert parallel.worker_count(files * 2, 1) == 1


def test_big_files_justify_a_pool(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"Coaching is a partnership.\n" * (parallel.MIN_BYTES // 20))
    small = tmp_path / "small.md"
    small.write_text("Hi.\n")
    assert parallel.worker_count([str(big), str(small)], 4) == 2  # never more workers than files
    assert parallel.worker_count([str(small)], 4) == 1


def test_broken_pool_falls_back_to_serial(site, rules, monkeypatch):
    expected = run([str(site)], _options(jobs=1), rules).to_dict()

    def dies_after_three(task, files, workers):
        for path in files[:3]:
            yield task.checked(path)
    monkeypatch.setattr(parallel, "_pooled", dies_after_three)
    assert run([str(site)], _options(jobs=2), rules).to_dict() == expected


def test_pool_that_cannot_start_falls_back(site, rules, monkeypatch):
    expected = run([str(site)], _options(jobs=1), rules).to_dict()

    def no_pool(*_a, **_k):
        raise OSError("no semaphores here")
    import concurrent.futures
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert run([str(site)], _options(jobs=2), rules).to_dict() == expected


def test_spawned_workers_give_the_same_report(site, rules, monkeypatch):
    import multiprocessing
    expected = run([str(site)], _options(jobs=1), rules).to_dict()
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    assert run([str(site)], _options(jobs=2), rules).to_dict() == expected


def test_spawned_workers_use_the_result_cache_through_their_own_connections(site, rules, tmp_path, monkeypatch):
    import multiprocessing
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    expected = run([str(site)], _options(jobs=1), rules).to_dict()
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))

    def not_here(*_a, **_k):  # spawned workers import the module afresh, without this
        raise AssertionError("a file was checked in the main process: the pool did not run")
    monkeypatch.setattr(parallel.FileTask, "checked", not_here)
    assert run([str(site)], _options(jobs=2, cache=True), rules).to_dict() == expected
    assert len(result_cache_entries(tmp_path / "cache")) == len(list(site.rglob("*.md")))
    assert run([str(site)], _options(jobs=2, cache=True), rules).to_dict() == expected


def test_pool_with_result_cache(site, rules, tmp_path, monkeypatch):
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    expected = run([str(site)], _options(jobs=1), rules).to_dict()
    first = run([str(site)], _options(jobs=2, cache=True), rules).to_dict()
    again = run([str(site)], _options(jobs=2, cache=True), rules).to_dict()
    assert first == again == expected
    assert len(result_cache_entries(tmp_path / "cache")) == len(list(site.rglob("*.md")))


def test_cli_jobs_output_is_identical(site, tmp_path):
    env = {"SCOPECHECK_CACHE_DIR": str(tmp_path / "cache")}
    common = ["check", "--rules", str(MINI_PACK), "--format", "json", "--no-cache", str(site)]
    one = run_cli(*common, "--jobs", "1", env=env)
    two = run_cli(*common, "--jobs", "2", env=env)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert b"[" not in two.stderr.split(b"\n")[0]  # no progress bar when stderr is not a terminal


def test_cli_rejects_zero_jobs():
    result = run_cli("check", "--jobs", "0", "README.md")
    assert result.returncode == 2


# ---- progress -------------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_silent_off_a_terminal():
    stream = io.StringIO()
    with Progress(10, "Checking", stream=stream, delay=0, interval=0) as bar:
        for _ in range(10):
            bar.advance()
    assert stream.getvalue() == ""


def test_progress_draws_and_erases_on_a_terminal(monkeypatch):
    monkeypatch.delenv("SCOPECHECK_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    stream = FakeTerminal()
    with Progress(4, "Checking", stream=stream, delay=0, interval=0) as bar:
        for _ in range(4):
            bar.advance()
        assert bar.visible
    out = stream.getvalue()
    assert "Checking [" in out and "4/4" in out
    assert out.endswith("\r") and out.rsplit("\r", 2)[-2].strip() == ""


def test_progress_waits_for_long_runs_and_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    stream = FakeTerminal()
    with Progress(4, stream=stream, delay=60) as bar:
        bar.advance(4)
    assert stream.getvalue() == ""
    monkeypatch.setenv("SCOPECHECK_PROGRESS", "0")
    with Progress(4, stream=stream, delay=0, interval=0) as bar:
        bar.advance(4)
    assert stream.getvalue() == ""


def test_progress_line_fits_the_width():
    bar = Progress(200, "Checking", stream=io.StringIO())
    bar.done = 50
    for width in (20, 40, 80, 200):
        assert len(bar.line(width, now=bar._start + 5)) <= width - 1
    assert "50/200" in bar.line(80, now=bar._start + 5)
    unknown = Progress(None, "Crawling", stream=io.StringIO())
    unknown.done = 7
    assert unknown.line(80, now=unknown._start + 1).startswith("Crawling 7 done")


def test_pooled_cached_results_reach_a_spilled_run_unloaded(site, rules, tmp_path, monkeypatch):
    from scopecheck import cache, spool
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.DISABLE_VAR, raising=False)
    monkeypatch.setenv(spool.SPILL_VAR, "0")
    expected = run([str(site)], _options(jobs=1), rules).to_dict()
    assert run([str(site)], _options(jobs=2, cache=True), rules).to_dict() == expected  # fills the cache
    loaded = results_loaded(monkeypatch)
    again = run([str(site)], _options(jobs=2, cache=True), rules)
    assert again.documents.spilled
    if parallel._context().get_start_method() == "fork":
        assert loaded == []
    assert again.to_dict() == expected


def test_batches_give_the_reports_of_separate_runs(site, rules, tmp_path):
    sections = sorted(str(p) for p in site.iterdir())
    (tmp_path / "empty").mkdir()
    shared = str(next(site.rglob("page-000.md")))
    batches = [[sections[0]], [str(tmp_path / "empty")], [sections[1], shared], [str(tmp_path / "missing.md")],
               sections[2:]]
    for jobs in (1, 2):
        reports = list(api.run_batches(batches, _options(jobs=jobs), rules))
        assert len(reports) == len(batches)
        for batch, report in zip(batches, reports):
            assert report.to_dict() == run(batch, _options(jobs=1), rules).to_dict()
    assert reports[1].to_dict()["documents"] == []
    assert reports[3].to_dict()["summary"]["errors"] == 1


def test_batches_share_one_pool_and_check_a_shared_file_once(site, rules, monkeypatch):
    pages = sorted(str(p) for p in site.rglob("*.md"))
    batches = [[page] for page in pages] + [[pages[0]]]  # each too small for a pool of its own
    pools, checked = [], []
    real_pooled, real_check = parallel._pooled, parallel.check_one
    monkeypatch.setattr(parallel, "_pooled", lambda task, files, workers: pools.append(len(files))
                        or real_pooled(task, files, workers))
    monkeypatch.setattr(parallel, "check_one", lambda path, *a, **k: checked.append(path) or real_check(path, *a, **k))
    reports = list(api.run_batches(batches, _options(jobs=2), rules))
    assert pools == [len(pages)]
    assert reports[0].to_dict() == reports[-1].to_dict()
    # the pool's workers are other processes: the serial run shows the file is checked once
    list(api.run_batches(batches, _options(jobs=1), rules))
    assert sorted(checked) == sorted(set(checked)) and len(checked) == len(pages)


def test_batches_count_every_file_on_one_progress_bar(site, rules, monkeypatch):
    bars = []

    class Recorded(Progress):
        def __init__(self, total, label, enabled=True):
            super().__init__(total, label, enabled=False)
            bars.append((total, label))

    monkeypatch.setattr("scopecheck.progress.Progress", Recorded)
    sections = sorted(str(p) for p in site.iterdir())
    list(api.run_batches([[s] for s in sections], _options(jobs=1, progress=True), rules, label="Auditing"))
    assert bars == [(len(list(site.rglob("*.md"))), "Auditing")]
