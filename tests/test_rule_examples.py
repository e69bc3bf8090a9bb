"""Every built-in rule carries examples, and every example behaves as its rule says."""
from __future__ import annotations

import pytest

from scopecheck.api import Options
from scopecheck.rules.loader import builtin_pack_files, load_packs
from scopecheck.selftest import run_examples

PACKS = load_packs([(p, True) for p in builtin_pack_files()]).packs
RULES = [rule for pack in PACKS for rule in pack.rules]
RESULTS = run_examples(Options())


def test_there_are_built_in_rules():
    assert len(RULES) >= 20


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples_and_grounding(rule):
    assert rule.examples_flag and rule.examples_pass
    assert rule.citations and all(c.body and c.document for c in rule.citations)
    assert rule.rationale and rule.suggestion and rule.message
    if rule.kind in ("require", "conditional"):
        assert rule.checklist


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: f"{r.rule.id}-{'flag' if r.expected else 'pass'}-{r.example.text[:30]}")
def test_rule_example(result):
    assert result.ok, f"{result.rule.id} ({result.rule.origin}): {result.example.text!r}: {result.detail}"
