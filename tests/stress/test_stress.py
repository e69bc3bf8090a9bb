"""The 10,000-file folder: deselected by default; run with `pytest -m slow tests/stress`."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "stress.py"


@pytest.mark.slow
def test_ten_thousand_files():
    spec = importlib.util.spec_from_file_location("stress", SCRIPT)
    stress = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stress)
    small = stress.stress(2_000)
    result = stress.stress(10_000)
    print(small, result)
    assert result["documents"] == 10_000
    assert result["errors"] == 10  # the ten deliberately binary files, and nothing else
    assert result["exit_code"] == 2
    assert result["findings"] > 4 * small["findings"] > 0
    # results past the spill threshold live in a temporary file, so five times the files (and
    # the findings) must not cost five times the memory; before spilling it was 794 MB here
    assert result["peak_rss_mb"] < 1.5 * small["peak_rss_mb"]
