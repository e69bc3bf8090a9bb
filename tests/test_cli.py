"""The command line: exit codes, stdin, select/ignore, output files, JSON."""
from __future__ import annotations

import json

from tests.conftest import MINI_PACK, run_cli

MINI = ("--rules", str(MINI_PACK))


def test_exit_0_when_clean(tmp_path):
    page = tmp_path / "clean.md"
    page.write_text("I help you set goals you choose.\n", encoding="utf-8")
    result = run_cli("check", str(page), *MINI, "--select", "T-")
    assert result.returncode == 0, result.stderr
    assert "No scope-of-practice problems found in 1 document." in result.stdout.decode()


def test_exit_1_on_findings_and_exit_zero(tmp_path):
    page = tmp_path / "claims.md"
    page.write_text("I treat anxiety.\n", encoding="utf-8")
    assert run_cli("check", str(page), *MINI, "--select", "T-").returncode == 1
    assert run_cli("check", str(page), *MINI, "--select", "T-", "--exit-zero").returncode == 0


def test_fail_on_threshold(tmp_path):
    page = tmp_path / "words.md"
    page.write_text("My patients love it.\n", encoding="utf-8")
    assert run_cli("check", str(page), *MINI, "--select", "T-LANG").returncode == 0  # warning < error
    assert run_cli("check", str(page), *MINI, "--select", "T-LANG", "--fail-on", "warning").returncode == 1


def test_usage_errors_exit_2_never_1():
    assert run_cli("check", "--no-such-flag", "x").returncode == 2
    assert run_cli("check").returncode == 2
    assert run_cli("check", "x.md", "--format", "yaml").returncode == 2
    assert run_cli("check", "x.md", "--rules", "/no/such/dir").returncode == 2
    assert run_cli("rules", "show", "NO-SUCH-RULE").returncode == 2


def test_missing_input_exits_2_and_still_reports_others(tmp_path):
    page = tmp_path / "claims.md"
    page.write_text("I treat anxiety.\n", encoding="utf-8")
    result = run_cli("check", str(page), str(tmp_path / "missing.md"), *MINI, "--select", "T-", "--exit-zero")
    out = result.stdout.decode()
    assert result.returncode == 2  # --exit-zero never hides an input error
    assert "T-TREAT-001" in out and "missing.md: no such file or folder" in out


def test_stdin_with_filename_and_type():
    result = run_cli("check", "-", "--stdin-filename", "intake.md", "--type", "intake", *MINI,
                     "--select", "T-", "--format", "json",
                     input="Do you have thoughts of suicide? Y / N\n".encode())
    data = json.loads(result.stdout)
    assert data["documents"][0]["path"] == "intake.md" and data["documents"][0]["type"] == "intake"
    assert sorted(f["rule_id"] for f in data["findings"]) == ["T-IF-001", "T-REQ-001"]


def test_select_and_ignore_by_prefix(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("I treat anxiety. My patients agree.\n", encoding="utf-8")
    ids = lambda *a: sorted(f["rule_id"] for f in json.loads(run_cli("check", str(page), *MINI, "--format", "json", *a).stdout)["findings"])  # noqa: E731
    assert ids("--select", "T-TREAT") == ["T-TREAT-001"]
    assert ids("--select", "T-", "--ignore", "T-TREAT") == ["T-LANG-001"]
    assert [i for i in ids("--select", "clinical-title") if i.startswith("T-")] == ["T-LANG-001"]
    assert ids("--select", "T-TRE") == []  # prefixes match at a '-' boundary only


def test_json_is_deterministic_with_relative_posix_paths(tmp_path):
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "b.md").write_text("I cure OCD.\n", encoding="utf-8")
    (site / "sub" / "a.md").write_text("I treat anxiety.\nNo more panic attacks.\n", encoding="utf-8")
    first = run_cli("check", "site", *MINI, "--select", "T-", "--format", "json", cwd=tmp_path).stdout
    second = run_cli("check", "site", *MINI, "--select", "T-", "--format", "json", cwd=tmp_path).stdout
    assert first == second
    data = json.loads(first)
    assert data["schema_version"] == 1
    assert [d["path"] for d in data["documents"]] == ["site/b.md", "site/sub/a.md"]
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("site/b.md", 1), ("site/sub/a.md", 1), ("site/sub/a.md", 2)]
    finding = data["findings"][0]
    for key in ("rule_id", "category", "severity", "path", "line", "column", "end_line", "end_column",
                "message", "excerpt", "suggestion", "citations"):
        assert key in finding


def test_output_file_keeps_stdout_clean(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("I treat anxiety.\n", encoding="utf-8")
    report = tmp_path / "out.json"
    result = run_cli("check", str(page), *MINI, "--select", "T-", "--format", "json", "--output", str(report))
    assert result.stdout == b""
    assert json.loads(report.read_text(encoding="utf-8"))["findings"][0]["rule_id"] == "T-TREAT-001"


def test_text_output_shows_location_sentence_and_suggestion(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("Welcome!\n\nToday I treat anxiety with care.\n", encoding="utf-8")
    out = run_cli("check", "p.md", *MINI, "--select", "T-", cwd=tmp_path).stdout.decode()
    assert "p.md:3:9: error T-TREAT-001" in out
    assert "| Today I treat anxiety with care." in out
    assert "|         ^^^^^^^^^^^^^" in out
    assert "suggestion: Describe the goals you support instead." in out
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_explain_shows_silenced_candidates(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("I do not treat anxiety.\n", encoding="utf-8")
    out = run_cli("check", "p.md", *MINI, "--select", "T-", "--explain", cwd=tmp_path).stdout.decode()
    assert "silenced T-TREAT-001 by negation guard" in out


def test_rules_commands():
    listed = run_cli("rules", "list", *MINI)
    assert listed.returncode == 0 and "T-TREAT-001" in listed.stdout.decode()
    shown = run_cli("rules", "show", "T-TREAT-001", *MINI).stdout.decode()
    assert "why it matters" in shown and "NBHWC" in shown and "I treat anxiety." in shown
    tested = run_cli("rules", "test", str(MINI_PACK))
    assert tested.returncode == 0 and "0 failed" in tested.stdout.decode()


def test_rules_test_reports_failing_examples(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text((MINI_PACK / "mini.yaml").read_text(encoding="utf-8")
                    .replace('flag: ["My patients love this."]', 'flag: ["My clients love this."]'), encoding="utf-8")
    result = run_cli("rules", "test", str(pack))
    assert result.returncode == 1
    assert "FAIL T-LANG-001" in result.stdout.decode() and "1 failed" in result.stdout.decode()


def test_require_findings_say_what_was_looked_for_in_plain_words():
    from scopecheck.outputs.phrasing import readable
    assert readable("(coaching|this program) (is|isn't) (not)? {gap:3} {therapy-noun}") == \
        "coaching/this program is/isn't [not] … <therapy-noun>"
    assert readable("{treat-verb} {possessive?} {condition}") == "<treat-verb> [<possessive>] <condition>"
    assert readable("re:\\bx") == "a pattern written by the rule's author"


def test_a_report_quoting_non_ascii_text_survives_an_ascii_stdout(tmp_path):
    page = tmp_path / "café.md"
    page.write_text("Café sessions — I treat anxiety.\n", encoding="utf-8")
    result = run_cli("check", str(page), *MINI, "--select", "T-", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode("utf-8")
    assert "café.md" in out and "T-TREAT-001" in out
