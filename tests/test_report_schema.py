"""The JSON output of a real `scopecheck check` run matches schemas/report.schema.json."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from outputs_support import HOSTILE, MINI_PACK, ROOT, write
from scopecheck.resources import schema


def _check_json(*args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "scopecheck", "check", "--format", "json", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return json.loads(proc.stdout)


def _errors(data: dict) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema("report.schema.json"))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema("report.schema.json"))


def test_examples_run_matches_the_schema() -> None:
    data = _check_json("examples/audit", "--rules", str(MINI_PACK), "--explain")
    assert data["findings"] and any(d["checklist"] for d in data["documents"])
    assert not _errors(data)


def test_unreadable_and_hostile_inputs_match_the_schema(tmp_path) -> None:
    write(tmp_path, "intake.txt", HOSTILE)
    (tmp_path / "broken.md").write_bytes(b"\xff\xfe\x00bad\x00")
    data = _check_json(str(tmp_path), "--rules", str(MINI_PACK))
    assert any(d["status"] == "error" for d in data["documents"])
    assert not _errors(data)


def test_the_schema_rejects_drift() -> None:
    data = _check_json("examples/audit/rebecca-shaw-wellness", "--rules", str(MINI_PACK))
    data["findings"].append(dict(data["findings"][0], colour="red") if data["findings"] else {"rule_id": 1})
    assert _errors(data)


def test_json_writer_gives_the_same_data_as_the_json_module():
    from scopecheck.outputs.json_output import render
    data = {"a": 1, "nested": {"x": [1, {"y": 'line\nbreak "quoted" é'}]},
            "items": [{"k": i, "s": "ü"} for i in range(3)], "empty": [], "text": "<script>"}
    text = render(data)
    assert json.loads(text) == data
    assert text.endswith("}\n") and '\n    {"k": 1, "s": "ü"}' in text  # one item per line
    assert render({}) == "{}\n"
