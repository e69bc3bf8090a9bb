"""SARIF 2.1.0: structure always checked; the official schema where a copy is available."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from outputs_support import HOSTILE, ROOT, report_for, write
from scopecheck.outputs import formatter

OFFICIAL_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"


@pytest.fixture
def sarif(tmp_path: Path) -> dict:
    intake = write(tmp_path, "intake.txt", HOSTILE)
    about = write(tmp_path, "about.md", "---\ntype: marketing\n---\nI'm welcoming new patients.\n\nWe treat PTSD.\n")
    data = report_for([intake, about], suppress_first="reviewed with the coach: quoted from a client").to_dict()
    return json.loads(formatter("sarif")(data))


def test_sarif_has_rules_results_and_locations(sarif: dict) -> None:
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    for rule in rules:
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"].startswith("Suggestion:")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    treat = next(r for r in rules if r["id"] == "T-TREAT-001")
    assert "NBHWC, Scope of Practice" in treat["help"]["text"]
    assert treat["fullDescription"]["text"] == "Treating a condition is clinical care."
    results = run["results"]
    assert results, "the fixtures have findings"
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert len(result["partialFingerprints"]["scopecheckFingerprint/v1"]) == 32
    ptsd = next(r for r in results if r["ruleId"] == "T-TREAT-001" and r["locations"][0]["physicalLocation"]
                ["artifactLocation"]["uri"].endswith("about.md"))
    region = ptsd["locations"][0]["physicalLocation"]["region"]
    # "We treat PTSD." on line 6: the match starts at column 4 and the end column is exclusive
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (6, 4, 6, 14)
    assert region["snippet"]["text"] == "treat PTSD"
    assert ptsd["level"] == "error"


def test_prefer_findings_carry_a_fix_and_suppressions_a_justification(sarif: dict) -> None:
    results = sarif["runs"][0]["results"]
    patients = next(r for r in results if r["ruleId"] == "T-LANG-001")
    (change,) = patients["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "clients"
    assert replacement["deletedRegion"] == {"startLine": 4, "startColumn": 19, "endLine": 4, "endColumn": 27}
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"][0]["justification"] == "reviewed with the coach: quoted from a client"


def test_artifacts_carry_hashes(sarif: dict) -> None:
    artifacts = sarif["runs"][0]["artifacts"]
    assert all(len(a["hashes"]["sha-256"]) == 64 for a in artifacts)
    assert {a["properties"]["type"] for a in artifacts} == {"intake", "marketing"}


def test_fingerprints_survive_moved_lines(tmp_path: Path) -> None:
    from scopecheck.outputs.sarif import build

    def results() -> list[tuple[int, dict]]:
        data = report_for([tmp_path / "about.md"]).to_dict()
        return [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["partialFingerprints"])
                for r in build(data)["runs"][0]["results"]]

    write(tmp_path, "about.md", "We treat PTSD.\n")
    ((line_before, print_before),) = results()
    write(tmp_path, "about.md", "A new first paragraph.\n\nAnother one.\n\nWe treat PTSD.\n")
    ((line_after, print_after),) = results()
    assert (line_before, line_after) == (1, 5)
    assert print_before == print_after


@pytest.mark.skipif(not OFFICIAL_SCHEMA.is_file(), reason="the official SARIF schema copy is not available here")
def test_sarif_validates_against_the_official_schema(sarif: dict) -> None:
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(sarif), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_sarif_written_result_by_result_is_the_whole_run_indented(tmp_path: Path) -> None:
    from scopecheck.outputs.sarif import build
    about = write(tmp_path, "about.md", "We treat PTSD.\n\nI am a therapist.\n")
    for data in (report_for([about]).to_dict(), report_for([]).to_dict()):
        assert formatter("sarif")(data) == json.dumps(build(data), indent=2, ensure_ascii=False) + "\n"
