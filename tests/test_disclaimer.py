"""`scopecheck disclaimer`: the wording exists for every type and place, and passes scopecheck."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from scopecheck.disclaimer import PLACES, render
from scopecheck.model import DOC_TYPES
from workflow_helpers import cli

BUILTIN_REQUIREMENTS = ROOT / "rules" / "requirements.yaml"
FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "disclosures"
# the built-in require rules once they exist; until then a fixture pack with one rule per element
PACK_ARGS: tuple[str, ...] = () if BUILTIN_REQUIREMENTS.exists() else ("--rules", str(FIXTURE_PACK))
CRISIS = {"us": ["988", "911"], "us-ca": ["988", "911"], "uk": ["999", "116 123", "111"],
          "ca-on": ["9-8-8", "911"], "ca-qc": ["9-8-8", "911"], "au": ["000", "13 11 14"]}


@pytest.mark.parametrize("place", ["us-ca", "uk", "au"])
def test_rendered_disclaimers_pass_scopecheck(tmp_path, place):
    """Each type's wording, checked as that type: no missing disclosure, and no finding at all."""
    types = []
    for doc_type in DOC_TYPES:
        result = cli("disclaimer", "--type", doc_type, "--jurisdiction", place, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        (tmp_path / f"{doc_type}.md").write_text(result.stdout, encoding="utf-8")
        types.append(f'  "{doc_type}.md": {doc_type}')
    (tmp_path / ".scopecheck.yaml").write_text("types:\n" + "\n".join(types) + "\n", encoding="utf-8")
    checked = cli("check", *PACK_ARGS, "--jurisdiction", place, "--format", "json", ".", cwd=tmp_path)
    assert checked.returncode in (0, 1), checked.stderr
    report = json.loads(checked.stdout)
    assert sorted((d["path"], d["type"]) for d in report["documents"]) == sorted(
        (f"{t}.md", t) for t in DOC_TYPES)
    findings = [f for f in report["findings"] if "suppressed" not in f]
    missing = [f"{f['path']} {f['rule_id']} {f.get('checklist')}" for f in findings
               if f["kind"] in ("require", "conditional")]
    assert missing == []
    if BUILTIN_REQUIREMENTS.exists():
        assert [f"{f['path']} {f['rule_id']}" for f in findings] == []


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_jurisdiction_names_its_crisis_and_emergency_numbers(place):
    text = render("intake", place)
    for number in CRISIS.get(place, CRISIS["us"]):
        assert number in text, f"{place} wording lacks {number}"


def test_every_type_covers_the_scope_basics():
    for doc_type in DOC_TYPES:
        text = render(doc_type, "us").lower()
        assert "coaching is not therapy" in text
        assert "do not diagnose or treat" in text
        assert "not a substitute" in text
        assert "alongside" in text


def test_formats(tmp_path):
    html = cli("disclaimer", "--type", "agreement", "--format", "html", cwd=tmp_path).stdout
    assert html.startswith("<!DOCTYPE html>") and "<h2>Confidentiality and its limits</h2>" in html
    assert "A&amp;E" in cli("disclaimer", "--type", "intake", "--jurisdiction", "uk", "--format", "html",
                            cwd=tmp_path).stdout
    text = cli("disclaimer", "--type", "program", "--format", "text", cwd=tmp_path).stdout
    assert "#" not in text and "  * 988" in text


def test_output_file_is_never_overwritten_without_force(tmp_path):
    target = tmp_path / "disclosure.md"
    assert cli("disclaimer", "--type", "marketing", "-o", str(target), cwd=tmp_path).returncode == 0
    target.write_text("mine", encoding="utf-8")
    refused = cli("disclaimer", "--type", "marketing", "-o", str(target), cwd=tmp_path)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def test_unknown_jurisdiction_is_a_usage_error(tmp_path):
    result = cli("disclaimer", "--type", "intake", "--jurisdiction", "mars", cwd=tmp_path)
    assert result.returncode == 2 and "us-ca" in result.stderr


def test_missing_disclosure_findings_point_to_the_command(tmp_path):
    (tmp_path / "form.md").write_text("Name: ____\n", encoding="utf-8")
    result = cli("check", "--rules", str(FIXTURE_PACK), "--select", "D-", "--type", "intake", "form.md",
                 cwd=tmp_path)
    assert "tip: run `scopecheck disclaimer --type intake` for ready wording" in result.stdout
