"""The benchmark and stress scripts read each checker's own peak memory (bench/peak.py)."""
from __future__ import annotations

import importlib.util
import math

from conftest import ROOT, result_cache_entries


def _peak_module():
    spec = importlib.util.spec_from_file_location("peak", ROOT / "bench" / "peak.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_measured_reports_the_checkers_own_peak_and_leaves_its_output_alone():
    peak = _peak_module()
    proc, mb = peak.run_measured(["check", "--no-cache", "--format", "json", str(ROOT / "examples" / "site")])
    assert proc.returncode == 1
    assert proc.stdout.lstrip().startswith("{") and '"findings"' in proc.stdout
    assert "PEAK_RSS_KB" not in proc.stderr
    assert not math.isnan(mb) and 5 < mb < 1024


def _bench_run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_measures_a_folder_of_own_pages(tmp_path):
    bench = _bench_run_module()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "home.md").write_text(
        "# Home\n\nI treat anxiety without medication. Book a free call.\n", encoding="utf-8")
    (tmp_path / "site" / "about.HTML").write_text(
        "<p>Book a free call. Coaching is not therapy.</p>", encoding="utf-8")
    (tmp_path / "site" / "notes.txt").write_text("Book a free call.\n", encoding="utf-8")
    (tmp_path / "site" / "scan.pdf").write_bytes(b"%PDF-1.4")  # not a page the benchmark reads
    files = bench.files_of(tmp_path / "site")
    assert [f.rsplit("/", 1)[-1] for f in files] == ["about.HTML", "home.md", "notes.txt"]
    # "Book a free call." is on every page: 6 sentences, 4 of them distinct
    assert bench.sentence_counts(files) == {"total": 6, "distinct": 4}

    class Args:
        pages, repeat, sample = tmp_path / "site", 1, 2
    results = bench.measure_pages(files, Args)
    assert results["throughput"]["files"] == 3 and results["throughput"]["mb_per_s"] > 0
    assert results["sentences"] == {"total": 6, "distinct": 4}
    assert results["naive"]["speedup"] > 0 and "proselint" in results and "vale" in results


def test_bench_sets_hand_written_pages_against_the_generated_sample(tmp_path, monkeypatch):
    bench = _bench_run_module()
    pages = tmp_path / "hand"
    (pages / "nested").mkdir(parents=True)
    # a treatment claim and medication advice here, neither in the sample
    (pages / "home.md").write_text("# Home\n\nI treat anxiety. You will not need medication.\n", encoding="utf-8")
    (pages / "nested" / "about.md").write_text("# About\n\nI help founders plan their week.\n", encoding="utf-8")
    (pages / "notes.txt").write_text("I treat anxiety.\n", encoding="utf-8")  # Markdown pages only
    sample = tmp_path / "sample.md"
    sample.write_text("# Sessions\n\nWe meet every two weeks to plan your goals.\n", encoding="utf-8")
    monkeypatch.setattr(bench, "HAND_WRITTEN", (pages, tmp_path / "missing"))
    ruleset = bench.load_rules(bench.Options())
    found = bench.hand_written([str(sample)], ruleset, 1)
    assert found["files"] == 2 and found["mb_per_s"] > 0 and found["ratio_to_generated"] > 0

    def per_10kb(files):
        findings = bench.run([str(f) for f in files], bench.Options(), ruleset).tally().findings
        return round(findings / (sum(f.stat().st_size for f in files) / 10_000), 1)
    assert found["findings_per_10kb"] == per_10kb(sorted(pages.rglob("*.md")))
    assert found["generated_findings_per_10kb"] == per_10kb([sample])
    assert found["findings_per_10kb"] > found["generated_findings_per_10kb"]
    monkeypatch.setattr(bench, "HAND_WRITTEN", (tmp_path / "missing",))
    assert bench.hand_written([str(sample)], ruleset, 1) == "no hand-written pages in this checkout"


def test_bench_audits_generated_submissions_with_and_without_the_cache(tmp_path):
    bench = _bench_run_module()
    corpus = bench.audit_corpus(tmp_path, 3)
    assert sorted(p.name for p in corpus.iterdir()) == ["coach-0000", "coach-0001", "coach-0002"]
    pages = [sorted(p.read_bytes() for p in folder.rglob("*.md")) for folder in sorted(corpus.iterdir())]
    assert all(len(folder) == 5 for folder in pages)
    assert pages[0] != pages[1]  # own seeds: no page meets its twin in the result cache
    assert bench.audit_corpus(tmp_path, 3) == corpus and not (tmp_path / "audit-3.partial").exists()

    cache_dir = tmp_path / "cache"
    found = bench.measure_audit(corpus, cache_dir, {"SCOPECHECK_CACHE_DIR": str(cache_dir)}, 1)
    assert (found["submissions"], found["files"]) == (3, 15)
    assert found["no_cache_s"] > 0 and found["rerun_s"] > 0 and found["percent"] > 0
    assert not math.isnan(found["peak_memory_mb"])
    assert len(result_cache_entries(cache_dir)) == 15  # the cached runs stored every page


def test_bench_measures_a_cached_re_run_against_both_first_runs(tmp_path):
    bench = _bench_run_module()
    corpus = bench.audit_corpus(tmp_path, 2)
    cache_dir = tmp_path / "cache"
    found = bench.measure_cache(corpus, cache_dir, {"SCOPECHECK_CACHE_DIR": str(cache_dir)}, 1)
    assert found["files"] == 10
    assert min(found["no_cache_s"], found["first_s"], found["rerun_s"]) > 0
    assert found["percent"] > 0 and found["percent_of_no_cache"] > 0
    assert len(result_cache_entries(cache_dir)) == 10  # the first cached run stored every page


def test_bench_takes_proselints_start_up_off_its_time_as_ours_is_left_out(tmp_path, monkeypatch):
    import sys
    bench = _bench_run_module()
    fake = tmp_path / "proselint"  # 0.2 s to start, 0.1 s a page
    fake.write_text(f"#!{sys.executable}\nimport sys, time\n"
                    "time.sleep(0.2 + 0.1 * sum(open(p).read().count('coach') for p in sys.argv[2:]))\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(bench, "proselint_exe", lambda: str(fake))
    pages = []
    for i in range(3):
        pages.append(tmp_path / f"page-{i}.md")
        pages[-1].write_text("# Page\n\nA coach helps you plan.\n", encoding="utf-8")
    found = bench.proselint_figures([str(p) for p in pages], 0.1, 1)
    assert 0.2 <= found["startup_s"] < 0.6
    working = found["seconds"] - found["startup_s"]
    assert 0.2 < working < 0.6  # about 0.3 s of work
    assert found["speedup"] == round(working / 0.1, 1) or abs(found["speedup"] - working / 0.1) <= 0.2
    assert found["speedup"] < found["speedup_counting_its_startup"]
    monkeypatch.setattr(bench, "proselint_exe", lambda: None)
    assert bench.proselint_figures([str(p) for p in pages], 0.1, 1) == "not installed"
