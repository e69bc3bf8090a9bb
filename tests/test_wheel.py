"""The built wheel carries rules/, schemas/ and templates/, and finds them when installed
somewhere else (not from the source tree)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0 and "No module named build" in result.stderr:
        pytest.skip("the 'build' package is not installed")
    assert result.returncode == 0, result.stderr[-2000:]
    return next(out.glob("*.whl"))


def test_wheel_contains_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "scopecheck/_data/rules/context.yaml" in names
    assert "scopecheck/_data/schemas/rule-pack.schema.json" in names
    assert any(n.startswith("scopecheck/_data/templates/") for n in names)


def test_installed_wheel_runs_from_another_folder(wheel, tmp_path):
    # the wheel's files go first on sys.path, so they shadow any source checkout or editable install
    python = sys.executable
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
                   check=True, timeout=300)
    page = tmp_path / "page.md"
    page.write_text("I help you set goals you choose.\n", encoding="utf-8")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import scopecheck.resources as r, scopecheck.cli as c;"
            "assert str(r.data_dir('rules')).startswith(sys.argv[1]), r.data_dir('rules');"
            "sys.argv = ['scopecheck', 'check', sys.argv[2]]; c.main()")
    result = subprocess.run([str(python), "-c", code, str(target), str(page)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    assert "document" in result.stdout
