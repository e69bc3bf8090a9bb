"""docs/rules.md is generated from the packs and must be current."""
from __future__ import annotations

from scopecheck.rules.loader import builtin_pack_files, load_packs
from scopecheck.rules.reference import render_reference
from tests.conftest import ROOT


def test_rules_reference_is_current():
    expected = render_reference(load_packs([(p, True) for p in builtin_pack_files()]).packs)
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == expected, "docs/rules.md is out of date: run `scopecheck rules doc > docs/rules.md`"
