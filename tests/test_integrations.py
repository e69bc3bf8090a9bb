"""The pre-commit hook and the GitHub Action, run locally the way their hosts run them."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import MINI_PACK, ROOT

PAGES = {"clean.md": "# Welcome\n\nWe work on goals you choose.\n",
         "claims.md": "# Welcome\n\nI treat anxiety.\n"}
CONFIG = f"select: [T-]\nrules: [{MINI_PACK.as_posix()}]\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def test_hook_definition_matches_the_cli():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "scopecheck")
    assert hook["entry"] == "scopecheck check" and hook["language"] == "python"
    assert "markdown" in hook["types_or"] and "text" not in hook["types_or"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo(tmp_path):
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(pre_commit).exists():
        pytest.skip("pre-commit is not installed (pip install '.[test]')")
    repo = tmp_path / "site"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".scopecheck.yaml").write_text(CONFIG, encoding="utf-8")
    for name, text in PAGES.items():
        (repo / name).write_text(text, encoding="utf-8")
    (repo / "notes.yaml").write_text("i: treat anxiety\n", encoding="utf-8")  # not a document type
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    result = subprocess.run([pre_commit, "try-repo", str(ROOT), "scopecheck", "--all-files", "--verbose"],
                            cwd=repo, capture_output=True, text=True, env=env, timeout=900)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # the hook failed because of claims.md
    assert "claims.md:3:3: error T-TREAT-001" in output
    assert "clean.md:" not in output.split("scopecheck (coaching scope of practice)")[-1].replace(
        "clean.md\n", "")  # no finding in the clean page
    assert "notes.yaml" not in output


def _expand(value: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: context.get(m.group(1), ""), str(value))


def run_action(workspace: Path, tmp_path: Path, inputs: dict[str, str]) -> tuple[list[tuple[str, dict]], dict]:
    """Run the composite action's shell steps with bash; `uses:` steps are recorded, not run.

    `python -m pip install` is intercepted (scopecheck is already installed in this
    environment), every other python call goes to the real interpreter.
    """
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()} | inputs
    shims = tmp_path / "shims"
    shims.mkdir()
    pip_log = tmp_path / "pip.log"
    shim = shims / "python"
    shim.write_text(f"#!/bin/sh\nif [ \"$1\" = -m ] && [ \"$2\" = pip ]; then echo \"$@\" >> {pip_log}; exit 0; fi\n"
                    f"exec {sys.executable} \"$@\"\n", encoding="utf-8")
    shim.chmod(0o755)
    output_file = tmp_path / "github_output"
    output_file.touch()
    context = {f"inputs.{k}": v for k, v in values.items()} | {"github.action_path": str(ROOT)}
    ran: list[tuple[str, dict]] = []
    outputs: dict[str, str] = {}
    for step in action["runs"]["steps"]:
        condition = step.get("if", "")
        if "inputs.upload == 'true'" in condition and values["upload"] != "true":
            continue
        if "exit-code != '2'" in condition and outputs.get("exit-code") == "2":
            continue
        if "uses" in step:
            ran.append((step["uses"], {k: _expand(v, context) for k, v in step.get("with", {}).items()}))
            continue
        env = {**os.environ, "GITHUB_OUTPUT": str(output_file), "NO_COLOR": "1",
               "PATH": f"{shims}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        env |= {k: _expand(v, context) for k, v in step.get("env", {}).items()}
        result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=env,
                                capture_output=True, text=True, timeout=300)
        ran.append((step["name"], {"returncode": result.returncode, "output": result.stdout + result.stderr}))
        for line in output_file.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
        context |= {f"steps.{step.get('id')}.outputs.{k}": v for k, v in outputs.items()}
    outputs["pip"] = pip_log.read_text(encoding="utf-8") if pip_log.exists() else ""
    return ran, outputs


def _sarif_supported() -> bool:
    result = subprocess.run([sys.executable, "-m", "scopecheck", "check", "--help"], capture_output=True, text=True)
    return "sarif" in result.stdout


@pytest.mark.skipif(not _sarif_supported(), reason="`scopecheck check --format sarif` is not available yet")
def test_action_steps_run_locally(tmp_path):
    workspace = tmp_path / "repo"
    workspace.mkdir()
    (workspace / ".scopecheck.yaml").write_text(CONFIG, encoding="utf-8")
    for name, text in PAGES.items():
        (workspace / name).write_text(text, encoding="utf-8")
    ran, outputs = run_action(workspace, tmp_path, {})
    assert f"install --disable-pip-version-check {ROOT}" in outputs["pip"]
    assert outputs["exit-code"] == "1"
    sarif = json.loads((workspace / "scopecheck.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"], "the SARIF report lists the finding"
    upload = dict(ran)["github/codeql-action/upload-sarif@v3"]
    assert upload["sarif_file"] == "scopecheck.sarif"
    assert dict(ran)["Report result"]["returncode"] == 1  # findings fail the job by default

    second = tmp_path / "second"
    second.mkdir()
    ran, outputs = run_action(workspace, second, {"fail": "false", "version": "1.0.0"})
    assert "scopecheck==1.0.0" in outputs["pip"]
    assert dict(ran)["Report result"]["returncode"] == 0


def test_action_reports_usage_errors_without_uploading(tmp_path):
    workspace = tmp_path / "repo"
    workspace.mkdir()
    ran, outputs = run_action(workspace, tmp_path, {"args": "--no-such-option"})
    assert outputs["exit-code"] == "2"
    assert "github/codeql-action/upload-sarif@v3" not in dict(ran)
    assert dict(ran)["Report result"]["returncode"] == 2


def _doc_snippet(marker: str) -> dict:
    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    return yaml.safe_load(next(b for b in blocks if marker in b))


def test_gitlab_snippet_script_runs(tmp_path):
    job = _doc_snippet(".gitlab-ci.yml")["scopecheck"]
    site = tmp_path / "site"
    site.mkdir()
    for name, text in PAGES.items():
        (site / name).write_text(text, encoding="utf-8")
    (tmp_path / ".scopecheck.yaml").write_text(CONFIG, encoding="utf-8")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    codes = []
    for line in job["script"]:
        if line.startswith("pip install"):
            continue  # scopecheck is installed in this environment already
        codes.append(subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True).returncode)
    assert codes == [1]  # the job fails on claims.md
    report = json.loads((tmp_path / job["artifacts"]["paths"][0]).read_text(encoding="utf-8"))
    assert [f["path"] for f in report["findings"]] == ["site/claims.md"]
