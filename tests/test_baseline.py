"""Baselines: record findings, then report only new ones, surviving edits elsewhere in a file."""
from __future__ import annotations

import json

from workflow_helpers import MINI, cli

PAGE = "# Welcome\n\nI treat anxiety.\n\nMy patients love it.\n"


def test_write_then_compare_after_lines_are_inserted_above(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    written = cli("check", *MINI, "--write-baseline", "baseline.json", "page.md", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "Recorded 2 findings" in written.stderr
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert {e["rule_id"] for e in recorded["findings"]} == {"T-TREAT-001", "T-LANG-001"}
    assert all(e["path"] == "page.md" and e["fingerprint"] and e["excerpt"] for e in recorded["findings"])

    # new lines above both findings move them down; the baseline must still match them
    page.write_text("# Welcome\n\nA new opening paragraph.\n\nAnd another.\n\n" + PAGE.split("\n", 2)[2],
                    encoding="utf-8")
    same = cli("check", *MINI, "--baseline", "baseline.json", "page.md", cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Baseline: 0 new, 2 unchanged, 0 fixed." in same.stderr
    assert "T-TREAT-001" not in same.stdout


def test_new_and_fixed_findings_are_counted(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(PAGE, encoding="utf-8")
    cli("check", *MINI, "--write-baseline", "base.json", "page.md", cwd=tmp_path)
    page.write_text("# Welcome\n\nMy patients love it.\n\nNo more panic attacks!\n", encoding="utf-8")
    result = cli("check", *MINI, "--baseline", "base.json", "--format", "json", "page.md", cwd=tmp_path)
    assert "Baseline: 1 new, 1 unchanged, 1 fixed." in result.stderr
    assert result.returncode == 1
    active = [f for f in json.loads(result.stdout)["findings"] if "suppressed" not in f]
    assert [f["excerpt"] for f in active] == ["No more panic attacks!"]


def test_repeated_sentences_are_matched_by_occurrence(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("I treat anxiety.\n", encoding="utf-8")
    cli("check", *MINI, "--write-baseline", "base.json", "page.md", cwd=tmp_path)
    page.write_text("I treat anxiety.\n\nI treat anxiety.\n", encoding="utf-8")
    result = cli("check", *MINI, "--baseline", "base.json", "page.md", cwd=tmp_path)
    assert "Baseline: 1 new, 1 unchanged, 0 fixed." in result.stderr


def test_bad_baselines_exit_2_with_a_way_out(tmp_path):
    (tmp_path / "page.md").write_text("Hi.\n", encoding="utf-8")
    missing = cli("check", *MINI, "--baseline", "none.json", "page.md", cwd=tmp_path)
    assert missing.returncode == 2 and "--write-baseline" in missing.stderr
    (tmp_path / "bad.json").write_text("{\n  nope\n}\n", encoding="utf-8")
    broken = cli("check", *MINI, "--baseline", "bad.json", "page.md", cwd=tmp_path)
    assert broken.returncode == 2 and "bad.json:2:" in broken.stderr
    both = cli("check", *MINI, "--baseline", "a.json", "--write-baseline", "b.json", "page.md", cwd=tmp_path)
    assert both.returncode == 2
