"""The rule pack built in docs/writing-rules.md passes its own examples."""
from __future__ import annotations

import re

from conftest import ROOT
from workflow_helpers import cli

EXAMPLE = ROOT / "docs" / "examples" / "my-pack"


def test_tutorial_pack_passes_rules_test():
    result = cli("rules", "test", str(EXAMPLE), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout and "(3 rules," in result.stdout


def test_tutorial_snippets_match_the_pack():
    tutorial = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    pack = (EXAMPLE / "my-style.yaml").read_text(encoding="utf-8")
    for rule_id in re.findall(r"id: (MY-[A-Z]+-\d+)", tutorial):
        assert f"id: {rule_id}" in pack
    for line in ('"{my-fix-verb} your {my-relationship}"', "inflect: verb",
                 '"couples therapy session": "couples coaching session"'):
        assert line in tutorial and line in pack
