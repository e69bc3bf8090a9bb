"""The benchmark and stress scripts read each checker's own peak memory (bench/peak.py)."""
from __future__ import annotations

import importlib.util
import math

from conftest import ROOT


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
