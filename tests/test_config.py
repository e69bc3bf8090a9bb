"""Configuration: discovery, validation with positions, precedence, and use by `check`."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import MINI_PACK, run_cli
from scopecheck.config import anchor_glob, find_config, resolve
from scopecheck.errors import ConfigError


def cli(*args: str, cwd: Path):
    result = run_cli(*args, cwd=cwd)
    return SimpleNamespace(returncode=result.returncode, stdout=result.stdout.decode("utf-8"),
                           stderr=result.stderr.decode("utf-8"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_by_walking_up_from_the_checked_path(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "fail-on: warning\n")
    doc = write(tmp_path / "site" / "pages" / "home.md", "Hello.\n")
    effective = resolve([str(doc)], cwd=tmp_path / "site")
    assert effective.value("fail-on") == "warning"
    assert effective.settings["fail-on"].source.endswith(".scopecheck.yaml:1")


def test_pyproject_table_is_used_and_pyproject_without_it_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.scopecheck]\nselect = ["SC-TREAT"]\n\n[tool.scopecheck.profile]\njurisdictions = ["uk"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    effective = resolve([str(tmp_path / "sub")], cwd=tmp_path)
    assert effective.value("select") == ["SC-TREAT"]
    assert effective.value("profile.jurisdictions") == ["uk"]
    assert effective.settings["profile.jurisdictions"].source.endswith("pyproject.toml:5")


def test_two_yaml_configs_in_one_folder_are_refused(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "{}\n")
    write(tmp_path / "scopecheck.yaml", "{}\n")
    with pytest.raises(ConfigError, match="keep one of them"):
        find_config(tmp_path)


def test_unknown_key_names_file_line_key_and_suggestion(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "fail-on: error\nexlude: [drafts/*]\n")
    with pytest.raises(ConfigError) as caught:
        resolve(["."], cwd=tmp_path)
    text = str(caught.value)
    assert ".scopecheck.yaml:2:" in text and "exlude" in text and "did you mean 'exclude'" in text


def test_bad_values_report_every_problem_with_its_line(tmp_path):
    write(tmp_path / ".scopecheck.yaml",
          'types:\n  "forms/*.md": intak\nfail-on: loud\nselect: SC-TREAT\nprofile:\n  jurisdictions: [US]\n')
    with pytest.raises(ConfigError) as caught:
        resolve(["."], cwd=tmp_path)
    problems = {p.key_path: p for p in caught.value.problems}
    assert problems["types.forms/*.md"].line == 2 and "did you mean 'intake'" in problems["types.forms/*.md"].message
    assert problems["fail-on"].line == 3
    assert problems["select"].line == 4 and "[SC-TREAT]" in problems["select"].message
    assert problems["profile.jurisdictions[0]"].line == 6


def test_toml_errors_carry_lines(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.scopecheck]\nfail_on = "error"\n')
    with pytest.raises(ConfigError) as caught:
        resolve(["."], cwd=tmp_path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.key_path) == (5, "fail_on") and "did you mean 'fail-on'" in problem.message
    write(tmp_path / "pyproject.toml", '[tool.scopecheck]\nfail-on = \n')
    with pytest.raises(ConfigError) as caught:
        resolve(["."], cwd=tmp_path)
    assert caught.value.problems[0].line == 2


def test_missing_rule_pack_is_reported_relative_to_the_config(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "rules: [my-rules/]\n")
    with pytest.raises(ConfigError, match="my-rules/' not found"):
        resolve(["."], cwd=tmp_path)


def test_precedence_defaults_config_command_line(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "select: [SC-TREAT]\nignore: [SC-LANG]\nfail-on: warning\n")
    effective = resolve(["."], {"select": ("SC-TITLE",), "ignore": ("SC-X",)}, cwd=tmp_path)
    assert effective.value("select") == ["SC-TITLE"]
    assert effective.settings["select"].source == "command line"
    assert effective.value("ignore") == ["SC-LANG", "SC-X"]
    assert effective.value("fail-on") == "warning"
    assert effective.value("default-type") == "marketing"
    assert effective.settings["default-type"].source == "default"


def test_globs_are_relative_to_the_config_folder(tmp_path):
    project = tmp_path / "project"
    assert anchor_glob("forms/*.md", project, project)[0] == "forms/*.md"
    assert anchor_glob("forms/*.md", project / "site", project)[0] == "site/forms/*.md"
    assert anchor_glob("forms/*.md", project, project / "forms")[0] == "*.md"
    assert anchor_glob("*agreement*", project, tmp_path) == ("*agreement*", "*/*agreement*")


def test_check_uses_types_severity_and_per_file_ignores(tmp_path):
    write(tmp_path / ".scopecheck.yaml", f"""\
select: [T-]
rules: [{MINI_PACK.as_posix()}]
types:
  "forms/*.md": intake
severity:
  T-LANG-001: error
per-file-ignores:
  "blog/*.md": [T-TREAT]
""")
    write(tmp_path / "forms" / "intake.md", "Name: ____\n")
    write(tmp_path / "blog" / "post.md", "I treat anxiety. My patients agree.\n")
    result = cli("check", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    by_rule = {(f["path"], f["rule_id"]): f for f in data["findings"]}
    assert ("forms/intake.md", "T-REQ-001") in by_rule  # typed as intake by the glob
    assert by_rule[("blog/post.md", "T-LANG-001")]["severity"] == "error"
    assert by_rule[("blog/post.md", "T-TREAT-001")]["suppressed"].startswith("per-file-ignores")


def test_command_line_overrides_config_fail_on(tmp_path):
    write(tmp_path / ".scopecheck.yaml", f"select: [T-LANG]\nrules: [{MINI_PACK.as_posix()}]\nfail-on: warning\n")
    write(tmp_path / "page.md", "My patients say hi.\n")
    assert cli("check", "page.md", cwd=tmp_path).returncode == 1
    assert cli("check", "--fail-on", "error", "page.md", cwd=tmp_path).returncode == 0


def test_invalid_config_exits_2_with_position(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "selct: [T-]\n")
    write(tmp_path / "page.md", "Hi.\n")
    result = cli("check", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert ".scopecheck.yaml:1:" in result.stderr and "did you mean 'select'" in result.stderr


def test_explicit_config_file(tmp_path):
    other = write(tmp_path / "ci" / "strict.yaml", "fail-on: info\n")
    result = cli("config", "show", "--config", str(other), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["fail-on"] == {"value": "info", "source": "ci/strict.yaml:1"}
    missing = cli("check", "--config", "nope.yaml", ".", cwd=tmp_path)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_config_show_text_names_sources(tmp_path):
    write(tmp_path / ".scopecheck.yaml", "fail-on: warning\n")
    result = cli("config", "show", "--select", "SC-TREAT", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "[.scopecheck.yaml:1]" in lines["fail-on"]
    assert "[command line]" in lines["select"]
    assert "[default]" in lines["default-type"]


def test_a_valid_config_is_parsed_and_validated_once(tmp_path, monkeypatch):
    import scopecheck.config as config_module
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SCOPECHECK_NO_CACHE", raising=False)
    write(tmp_path / "packs" / "extra.yaml", "pack: extra\nversion: 1.0.0\nrules: []\n")
    path = write(tmp_path / ".scopecheck.yaml", "fail-on: warning\nrules: [packs/extra.yaml]\n")
    first = config_module.load_config(path)
    calls = []
    monkeypatch.setattr(config_module, "validate", lambda config: calls.append(config) or [])
    again = config_module.load_config(path)
    assert calls == [] and again.data == first.data and again.marks == first.marks
    # a missing rule pack is still found without parsing the file again
    (tmp_path / "packs" / "extra.yaml").unlink()
    with pytest.raises(ConfigError) as missing:
        config_module.load_config(path)
    assert "rule pack 'packs/extra.yaml' not found" in missing.value.problems[0].message
    assert missing.value.problems[0].line == 2
    # an edited file is validated again
    write(path, "fail-on: sometimes\n")
    monkeypatch.undo()
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(ConfigError):
        config_module.load_config(path)


def test_invalid_configs_and_disabled_caches_are_never_remembered(tmp_path, monkeypatch):
    import scopecheck.config as config_module
    monkeypatch.setenv("SCOPECHECK_CACHE_DIR", str(tmp_path / "cache"))
    bad = write(tmp_path / "a" / ".scopecheck.yaml", "fail-on: sometimes\n")
    for _ in range(2):
        with pytest.raises(ConfigError):
            config_module.load_config(bad)
    monkeypatch.setenv("SCOPECHECK_NO_CACHE", "1")
    good = write(tmp_path / "b" / ".scopecheck.yaml", "fail-on: warning\n")
    config_module.load_config(good)
    assert not (tmp_path / "cache" / "config").exists() or not any((tmp_path / "cache" / "config").iterdir())
