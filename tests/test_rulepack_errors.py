"""Broken rule packs are reported as file:line:col: key.path: message, all at once, exit 2."""
from __future__ import annotations

import pytest

from scopecheck.errors import RulePackError
from scopecheck.rules.loader import load_packs
from scopecheck.rules.ruleset import compile_rules
from tests.conftest import run_cli

GOOD_RULE = """  - id: {id}
    category: diagnosis-treatment
    severity: error
    applies-to: [marketing]
    kind: forbid
    match: ["{phrase}"]
    message: m
    rationale: r
    citations: [{{body: B, document: D}}]
    suggestion: s
    examples: {{flag: ["x"], pass: ["y"]}}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(paths):
    with pytest.raises(RulePackError) as info:
        compile_rules(load_packs([(p, False) for p in paths]))
    return [str(p) for p in info.value.problems]


def test_schema_errors_carry_file_line_and_key(tmp_path):
    pack = write(tmp_path, "bad.yaml", "pack: bad\nversion: 1.0.0\nrules:\n" + GOOD_RULE.format(id="X-1", phrase="cure anxiety")
                 .replace("severity: error", "severity: fatal").replace("    suggestion: s\n", "    suggestion: s\n    colour: red\n"))
    found = problems_of([pack])
    assert any(p.startswith(f"{pack.name}:") or ":6:" in p for p in found)
    assert any(":6:15: rules[0].severity: 'fatal' is not one of" in p for p in found), found
    assert any("rules[0].colour: unknown key" in p for p in found), found


def test_duplicate_keys_and_ids(tmp_path):
    text = "pack: dup\nversion: 1.0.0\nversion: 1.0.1\nrules:\n" + GOOD_RULE.format(id="X-1", phrase="a b") \
        + GOOD_RULE.format(id="X-1", phrase="c d")
    found = problems_of([write(tmp_path, "dup.yaml", text)])
    assert any(":3:1: version: duplicate key (first defined on line 2)" in p for p in found), found
    assert any("duplicate rule id X-1" in p for p in found), found


def test_bad_phrases_and_regexes(tmp_path):
    text = "pack: ph\nversion: 1.0.0\nrules:\n" + GOOD_RULE.format(id="X-1", phrase="{no-such-lexicon} anxiety") \
        + GOOD_RULE.format(id="X-2", phrase="re:(a+)+b") + GOOD_RULE.format(id="X-3", phrase="re:(unclosed")
    found = problems_of([write(tmp_path, "ph.yaml", text)])
    assert any(":9:" in p and "rules[0].match[0]" in p and "unknown lexicon" in p for p in found), found
    assert any("rules[1].match[0]" in p and "nested repetition" in p for p in found), found
    assert any("rules[2].match[0]" in p and "invalid regular expression" in p for p in found), found


def test_yaml_syntax_error_and_unsafe_tags(tmp_path):
    broken = write(tmp_path, "syntax.yaml", "pack: s\nversion: 1.0.0\nrules: [\n")
    unsafe = write(tmp_path, "unsafe.yaml", "pack: !!python/object:os.system echo\nversion: 1.0.0\nrules: []\n")
    found = problems_of([broken, unsafe])
    assert any(p.startswith("") and "syntax.yaml" in p and "YAML syntax error" in p for p in found), found
    assert any("unsafe.yaml" in p for p in found), found


def test_cli_reports_all_problems_and_exits_2(tmp_path):
    (tmp_path / "a").mkdir()
    write(tmp_path / "a", "a.yaml", "pack: a\nversion: one\nrules: []\n")
    write(tmp_path / "a", "b.yaml", "pack: b\nversion: 1.0.0\nrules:\n  - id: lower-case\n")
    doc = write(tmp_path, "doc.md", "Hello.\n")
    result = run_cli("check", str(doc), "--rules", str(tmp_path / "a"))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "a.yaml:2:10: version:" in err
    assert "b.yaml:4:5: rules[0]" in err
