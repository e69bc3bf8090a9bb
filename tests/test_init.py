"""`scopecheck init`: a valid, commented starter configuration; never overwrites by accident."""
from __future__ import annotations

from scopecheck.config import resolve
from workflow_helpers import cli


def test_init_with_flags_writes_a_valid_config(tmp_path):
    result = cli("init", "--type-glob", "forms/*.md=intake", "--jurisdiction", "uk", "--license", "LMFT",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / ".scopecheck.yaml").read_text(encoding="utf-8")
    assert text.count("\n#") > 10  # explained, not bare
    effective = resolve(["."], cwd=tmp_path)
    assert effective.value("types") == {"forms/*.md": "intake"}
    assert effective.value("profile.jurisdictions") == ["uk"]
    assert effective.value("profile.licenses") == ["LMFT"]


def test_init_never_overwrites_without_force(tmp_path):
    (tmp_path / ".scopecheck.yaml").write_text("fail-on: info\n", encoding="utf-8")
    refused = cli("init", cwd=tmp_path)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (tmp_path / ".scopecheck.yaml").read_text(encoding="utf-8") == "fail-on: info\n"
    assert cli("init", "--force", cwd=tmp_path).returncode == 0
    assert "default-type: marketing" in (tmp_path / ".scopecheck.yaml").read_text(encoding="utf-8")


def test_bad_flags_are_refused_before_writing(tmp_path):
    bad_glob = cli("init", "--type-glob", "forms/*.md=intak", cwd=tmp_path)
    assert bad_glob.returncode == 2 and "GLOB=TYPE" in bad_glob.stderr
    bad_place = cli("init", "--jurisdiction", "U S", cwd=tmp_path)
    assert bad_place.returncode == 2 and "jurisdiction code" in bad_place.stderr
    assert not (tmp_path / ".scopecheck.yaml").exists()


def test_interactive_prompts(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from scopecheck.cli import _register, cli as group
    _register()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("scopecheck.cli.init.interactive", lambda: True)
    result = CliRunner().invoke(group, ["init"], input="au\n\nforms/*.md\n\n")
    assert result.exit_code == 0, result.output
    effective = resolve(["."], cwd=tmp_path)
    assert effective.value("profile.jurisdictions") == ["au"]
    assert effective.value("types") == {"forms/*.md": "intake"}
