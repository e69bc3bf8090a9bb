"""Every bad input becomes a per-document error naming the file; the run goes on and exits 2."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nasty.make_nasty import CLAIM, build
from scopecheck import documents
from scopecheck.api import INTERNAL_ERROR_HINT, Options, run
from scopecheck.outputs import FORMATTERS, formatter

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "packs" / "mini"
OPTIONS = Options(rules_dirs=(MINI,), builtin_rules=False)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "scopecheck", "check", "--no-cache", "--rules", str(MINI), *args],
                          capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def nasty(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("nasty")
    return folder, build(folder)


@pytest.fixture(scope="module")
def report(nasty):
    folder, _ = nasty
    return run([str(folder)], OPTIONS)


def _by_name(report) -> dict:
    return {Path(d.path).name: d for d in report.documents}


def test_each_nasty_file_gets_the_expected_status(nasty, report):
    _, expected = nasty
    docs = _by_name(report)
    assert set(expected) <= set(docs), set(expected) - set(docs)
    for name, outcome in expected.items():
        doc = docs[name]
        if outcome == "error":
            assert doc.status == "error", (name, doc)
            assert "\n" not in doc.error and name in doc.error, doc.error
            assert "Traceback" not in doc.error and "internal error" not in doc.error, doc.error
        else:
            assert doc.status in ("pass", "fail"), (name, doc.error)
            assert bool(doc.warnings) == (outcome == "warn"), (name, doc.warnings)


def test_readable_copies_of_the_claim_are_all_found(report):
    # BOMs, UTF-16/32 and cp1252 fallback must not hide the claim or shift its position
    docs = _by_name(report)
    for name in ("claim.txt", "utf8-bom.md", "utf16-le.txt", "utf16-be.md", "utf32-le.txt", "latin1.txt",
                 "unclosed.html", "deep.html"):
        found = [f for f in docs[name].findings if f.rule_id == "T-TREAT-001"]
        assert found, name
        f = found[0]
        assert f.excerpt[f.highlight[0]:f.highlight[1]].lower().startswith("treat anxiety"), name


def test_symlink_loop_is_walked_once(nasty, report):
    folder, _ = nasty
    paths = [d.path for d in report.documents]
    assert len(paths) == len(set(paths))
    assert not any("/loop/" in p for p in paths)  # loop/again -> .. is the folder already walked


def test_size_cap_is_a_per_document_error(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.txt").write_text("x " * 200)
    (tmp_path / "small.txt").write_text(CLAIM)
    docs = _by_name(run([str(tmp_path)], OPTIONS))
    assert docs["big.txt"].status == "error" and "limit" in docs["big.txt"].error
    assert "big.txt" in docs["big.txt"].error
    assert docs["small.txt"].status == "fail"


def test_permission_denied_is_a_per_document_error(tmp_path, monkeypatch):
    target = tmp_path / "locked.txt"
    target.write_text(CLAIM)
    (tmp_path / "open.txt").write_text(CLAIM)
    real = Path.read_bytes

    def denied(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    docs = _by_name(run([str(tmp_path)], OPTIONS))
    assert docs["locked.txt"].status == "error" and "permission denied" in docs["locked.txt"].error
    assert docs["open.txt"].status == "fail"


def test_chmod_000_when_not_root(tmp_path):
    target = tmp_path / "locked.txt"
    target.write_text(CLAIM)
    target.chmod(0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("running as root: mode 000 files stay readable")
        doc = run([str(target)], OPTIONS).documents[0]
        assert doc.status == "error" and "locked.txt" in doc.error
    finally:
        target.chmod(0o644)


def _boom(data, path):
    raise ZeroDivisionError("simulated reader bug")


def test_internal_error_says_how_to_report_without_traceback(tmp_path, monkeypatch):
    import scopecheck.readers.plain as plain
    monkeypatch.setattr(plain, "read", _boom)
    (tmp_path / "a.txt").write_text(CLAIM)
    (tmp_path / "b.md").write_text(CLAIM)
    docs = _by_name(run([str(tmp_path)], OPTIONS))
    err = docs["a.txt"].error
    assert docs["a.txt"].status == "error" and "a.txt" in err and INTERNAL_ERROR_HINT in err
    assert "Traceback" not in err and "ZeroDivisionError" in err
    assert docs["b.md"].status == "fail"  # the Markdown reader still works
    verbose = _by_name(run([str(tmp_path)], Options(rules_dirs=(MINI,), builtin_rules=False, verbose=True)))
    assert "Traceback" in verbose["a.txt"].error


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_error_documents_appear_in_every_format(report, fmt):
    data = report.to_dict()
    out = formatter(fmt)(data)
    for name in ("binary.txt", "pipe.txt", "broken-link.md", "corrupt.pdf"):
        assert name in out, (fmt, name)
    assert "claim.txt" in out  # the readable documents are still reported


def test_cli_prints_everything_then_exits_2(nasty):
    folder, expected = nasty
    text = cli(str(folder))
    assert text.returncode == 2, text.stderr
    assert "Traceback" not in text.stdout + text.stderr
    for name, outcome in expected.items():
        if outcome == "error":
            assert any(line.startswith("error:") and name in line for line in text.stdout.splitlines()), name
    assert "claim.txt:1:3" in text.stdout  # findings of good files are printed too
    js = cli("--format", "json", str(folder))
    assert js.returncode == 2
    data = json.loads(js.stdout)
    errors = {Path(d["path"]).name for d in data["documents"] if d["status"] == "error"}
    assert errors == {n for n, o in expected.items() if o == "error"}
    assert data["summary"]["errors"] == len(errors)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_endless_device_is_refused_not_read():
    doc = run(["/dev/zero"], OPTIONS).documents[0]
    assert doc.status == "error" and "/dev/zero" in doc.error and "not a regular file" in doc.error


def test_discovered_paths_are_shown_as_each_would_be_alone(tmp_path, monkeypatch):
    """Discovery resolves each folder once; the paths it shows must not change for that."""
    from scopecheck.documents import discover, display_path
    site = tmp_path / "work" / "site"
    (site / "blog").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for page in (site / "index.md", site / "blog" / "post.md", outside / "far.md"):
        page.write_text("I help you set goals.\n", encoding="utf-8")
    os.symlink(outside, site / "linked")  # a folder reached through a link
    os.symlink(outside / "far.md", site / "alias.md")  # a file that is a link
    os.symlink(site / "blog" / "post.md", site / "shortcut.md")  # shown as what it links to
    monkeypatch.chdir(tmp_path / "work")
    for given in ("site", str(site), str(outside)):
        files, errors = discover([given])
        assert not errors
        expected = sorted({display_path(Path(root) / name)
                           for root, _, names in os.walk(given, followlinks=True) for name in names})
        assert sorted(files) == expected, given
    inside, _ = discover(["site"])
    assert {"site/blog/post.md", "site/index.md", "site/linked/far.md", "site/alias.md"} <= set(inside)
    assert "site/shortcut.md" not in inside
    assert str(outside / "far.md") in discover([str(outside)])[0]


def test_named_files_are_shown_as_each_would_be_alone(tmp_path, monkeypatch):
    """Files named one by one (as a pre-commit hook names them) are shown as display_path shows
    each, though their folders are resolved once."""
    from scopecheck.documents import discover, display_path
    work = tmp_path / "work"
    (work / "site" / "blog").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for page in (work / "top.md", work / "site" / "index.md", work / "site" / "blog" / "post.md",
                 outside / "far.md"):
        page.write_text("I help you set goals.\n", encoding="utf-8")
    os.symlink(outside, work / "site" / "linked")
    os.symlink(work / "site" / "blog" / "post.md", work / "site" / "shortcut.md")
    monkeypatch.chdir(work)
    named = ["top.md", "./top.md", "site/index.md", "site/blog/../index.md", "site/blog/post.md",
             str(work / "site" / "index.md"), "site/linked/far.md", "../elsewhere/far.md",
             str(outside / "far.md"), "site/shortcut.md"]
    files, errors = discover(named)
    assert not errors
    expected = list(dict.fromkeys(display_path(Path(name)) for name in named))
    assert files == expected
    assert files[:3] == ["top.md", "site/index.md", "site/blog/post.md"]
    assert "site/shortcut.md" not in files  # a link is shown as what it links to


def test_named_files_resolve_each_folder_once(tmp_path, monkeypatch):
    from scopecheck.documents import discover
    (tmp_path / "site").mkdir()
    names = [f"site/page-{i}.md" for i in range(40)]
    for name in names:
        (tmp_path / name).write_text("Goals.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    calls = []
    real_resolve = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, *a, **k: calls.append(self) or real_resolve(self, *a, **k))
    files, errors = discover(names)
    assert files == names and not errors
    assert len(calls) <= 3  # the working folder, the folder and its placeholder file: not 40
