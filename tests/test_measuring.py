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
