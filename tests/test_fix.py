"""check --fix and --diff through the command line."""
from __future__ import annotations

import os
import stat

import pytest

from scopecheck.fix import FileFix, FixError, write
from workflow_helpers import MINI, cli


def test_fix_rewrites_and_reports_what_remains(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes("My Patients love it.\r\nI treat anxiety.\r\n".encode("utf-8"))
    result = cli("check", *MINI, "--fix", "page.md", cwd=tmp_path)
    assert page.read_bytes() == "My Clients love it.\r\nI treat anxiety.\r\n".encode("utf-8")
    assert "Fixed 1 problem in 1 file" in result.stderr
    assert "T-TREAT-001" in result.stdout and "T-LANG-001" not in result.stdout
    assert result.returncode == 1


def test_diff_prints_and_changes_nothing(tmp_path):
    page = tmp_path / "page.txt"
    original = "\ufeffOur therapy session plans suit patients.\n".encode("utf-8")
    page.write_bytes(original)
    result = cli("check", *MINI, "--diff", "page.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert "-\ufeffOur therapy session plans suit patients." not in result.stdout  # BOM is not text
    assert "+Our coaching session plans suit clients." in result.stdout
    assert result.stdout.startswith("--- a/page.txt\n+++ b/page.txt\n")
    assert page.read_bytes() == original
    clean = tmp_path / "clean.txt"
    clean.write_text("Welcome.\n", encoding="utf-8")
    assert cli("check", *MINI, "--diff", "clean.txt", cwd=tmp_path).returncode == 0


def test_fix_keeps_bom_and_permissions(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(b"\xef\xbb\xbfmy patients\n")
    os.chmod(page, 0o640)
    cli("check", *MINI, "--fix", "page.txt", cwd=tmp_path)
    assert page.read_bytes() == b"\xef\xbb\xbfmy clients\n"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".scopecheck-tmp")]


def test_read_only_file_gets_a_clear_error(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("my patients\n", encoding="utf-8")
    os.chmod(page, 0o444)
    result = cli("check", *MINI, "--fix", "page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "read-only" in result.stdout + result.stderr
    assert page.read_text(encoding="utf-8") == "my patients\n"


def test_write_refuses_a_file_changed_since_it_was_read(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    page.write_bytes(b"my patients\n")
    planned = FileFix("page.md", b"my patients\n", b"my clients\n", "my patients\n", "my clients\n", 1)
    page.write_bytes(b"my patients, edited meanwhile\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FixError, match="changed since it was checked"):
        write(planned)
    assert page.read_bytes() == b"my patients, edited meanwhile\n"


def test_invalid_utf8_is_never_rewritten(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(b"caf\xe9 patients\n")
    result = cli("check", *MINI, "--fix", "page.txt", cwd=tmp_path)
    assert page.read_bytes() == b"caf\xe9 patients\n"
    assert "not valid UTF-8" in result.stderr


def test_fix_and_diff_together_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text("Hi.\n", encoding="utf-8")
    assert cli("check", *MINI, "--fix", "--diff", "a.md", cwd=tmp_path).returncode == 2
