"""Suppressions: comment directives (next block, ranges), exact tokens, reasons, unused ones, files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scopecheck.api import Options, run
from scopecheck.cli import main
from scopecheck.engine.suppress import INVALID_RULE, UNUSED_RULE, load_file
from scopecheck.errors import ConfigError
from scopecheck.readers.directives import rule_matches

MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
OPTIONS = Options(rules_dirs=(MINI,), builtin_rules=False)


def _check(tmp_path, name: str, text: str, options: Options = OPTIONS):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return run([str(tmp_path / name)], options)


def _by_rule(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in report.findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_ignore_applies_to_the_next_block_only(tmp_path):
    report = _check(tmp_path, "a.md", "<!-- scopecheck: ignore T-TREAT-001 -- a client's words -->\n"
                                      "I treat anxiety.\n\nI treat depression.\n")
    treat = _by_rule(report)["T-TREAT-001"]
    assert [(f.line, f.suppressed) for f in treat] == [(2, "a client's words"), (4, None)]
    assert report.exit_code() == 1


def test_disable_enable_range_in_html(tmp_path):
    html = ("<p>I treat anxiety.</p>\n<!-- scopecheck: disable T-TREAT -- quoted research summary -->\n"
            "<p>I treat depression.</p><p>No more panic attacks!</p>\n<!-- scopecheck: enable T-TREAT -->\n"
            "<p>I treat OCD.</p>\n")
    treat = _by_rule(_check(tmp_path, "a.html", html))["T-TREAT-001"]
    assert [(f.line, f.suppressed is not None) for f in treat] == [(1, False), (3, True), (3, True), (5, False)]


def test_prefix_tokens_are_whole_tokens_never_substrings():
    assert rule_matches("SC-TREAT", "SC-TREAT-001")
    assert rule_matches("SC-TREAT-001", "SC-TREAT-001")
    assert not rule_matches("SC-TREAT", "SC-TREATMENT-001")
    assert not rule_matches("SC-TREAT-00", "SC-TREAT-001")


def test_missing_reason_is_reported_and_not_applied(tmp_path):
    report = _check(tmp_path, "a.md", "<!-- scopecheck: ignore T-TREAT-001 -->\nI treat anxiety.\n")
    rules = _by_rule(report)
    assert rules["T-TREAT-001"][0].suppressed is None
    problem = rules[INVALID_RULE][0]
    assert problem.severity == "warning" and (problem.line, problem.column) == (1, 1)
    assert "gives no reason" in problem.message


def test_unused_suppression_is_reported(tmp_path):
    report = _check(tmp_path, "a.md", "<!-- scopecheck: ignore T-LANG-001 -- fine -->\nI treat anxiety.\n")
    unused = _by_rule(report)[UNUSED_RULE]
    assert len(unused) == 1 and "T-LANG-001" in unused[0].message and unused[0].severity == "info"


def test_suppressed_findings_stay_in_json(tmp_path, capsys):
    (tmp_path / "a.md").write_text("<!-- scopecheck: ignore T-TREAT-001 -- client quote -->\nI treat anxiety.\n")
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--rules", str(MINI), "--format", "json", "--no-cache", str(tmp_path / "a.md")])
    data = json.loads(capsys.readouterr().out)
    treat = [f for f in data["findings"] if f["rule_id"] == "T-TREAT-001"]
    assert treat[0]["suppressed"] == "client quote"
    # the suppression names the mini pack's rule only: the built-in packs still fail the run
    assert exit_.value.code == 1
    assert not [f for f in data["findings"] if f.get("suppressed") is None and f["rule_id"] == "T-TREAT-001"]


def test_suppressions_file_by_fingerprint(tmp_path, capsys):
    first = _check(tmp_path, "a.txt", "I treat anxiety.\n\nMy patients love it.\n")
    target = _by_rule(first)["T-TREAT-001"][0]
    file = tmp_path / "suppressions.yaml"
    file.write_text(f'"{target.fingerprint}": reviewed, quoted from a testimonial\n'
                    f'"0000deadbeef": an old entry\n')
    options = Options(rules_dirs=(MINI,), builtin_rules=False, suppressions=tuple(load_file(file).items()))
    again = run([str(tmp_path / "a.txt")], options)
    assert _by_rule(again)["T-TREAT-001"][0].suppressed == "reviewed, quoted from a testimonial"
    assert _by_rule(again)["T-LANG-001"][0].suppressed is None
    with pytest.raises(SystemExit):
        main(["check", "--rules", str(MINI), "--no-cache", "--suppressions", str(file), str(tmp_path / "a.txt")])
    assert "0000deadbeef (an old entry) matches no finding" in capsys.readouterr().err


def test_suppressions_file_needs_reasons(tmp_path):
    file = tmp_path / "s.yaml"
    file.write_text('"abc": ""\n')
    with pytest.raises(ConfigError) as err:
        load_file(file)
    assert "s.yaml:1" in str(err.value) and "reason" in str(err.value)
