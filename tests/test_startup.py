"""A single-page check imports only what it needs: no templates, no schema validation (once
the compiled rules are cached), no other format's parser, no network client."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("jsonschema", "jinja2", "markupsafe", "docx", "pypdf", "lxml", "bs4", "html5lib",
         "urllib.request", "http.client", "httpx", "requests", "scopecheck.readers.html",
         "scopecheck.readers.pdf", "scopecheck.readers.docx", "scopecheck.web",
         # the other commands: only the one being run is imported
         "scopecheck.cli.serve", "scopecheck.cli.audit", "scopecheck.cli.init", "scopecheck.cli.disclaimer")

PROBE = """
import json, sys
from scopecheck.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _check(path: Path, cache: Path, tmp: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    env = {**os.environ, "SCOPECHECK_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    env.pop("SCOPECHECK_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", PROBE, "check", str(path)], capture_output=True,
                          text=True, env=env, cwd=tmp, timeout=300)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")][-1]
    return done, set(json.loads(line[len("MODULES "):]))


def _warm(path: Path, cache: Path, tmp: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """A run that found the compiled rules in the cache. A miss (the rule loader was imported)
    only happens when a module or pack changed since the previous run; try again then."""
    for _ in range(3):
        done, modules = _check(path, cache, tmp)
        if "scopecheck.rules.loader" not in modules:
            break
    return done, modules


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_single_markdown_page_imports_stay_lean(tmp_path):
    page = tmp_path / "one.md"
    page.write_text("# Hello\n\nI help leaders find clarity. Coaching is not therapy.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cold, cold_modules = _check(page, cache, tmp_path)
    assert cold.returncode in (0, 1), cold.stderr
    warm, modules = _warm(page, cache, tmp_path)
    assert warm.returncode == cold.returncode
    assert warm.stdout == cold.stdout
    heavy = sorted(name for name in HEAVY if _loaded(modules, name))
    assert heavy == [], f"a warm single-page check imported {heavy}"
    assert _loaded(cold_modules, "jsonschema"), "the cold run should have validated the packs"


def test_plain_text_page_does_not_load_markdown(tmp_path):
    page = tmp_path / "one.txt"
    page.write_text("I help leaders find clarity.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    _check(page, cache, tmp_path)
    _, modules = _warm(page, cache, tmp_path)
    assert not _loaded(modules, "pyromark")
    assert not _loaded(modules, "jsonschema")


def test_a_page_under_a_valid_config_file_does_not_validate_it_again(tmp_path):
    (tmp_path / ".scopecheck.yaml").write_text("fail-on: warning\nexclude: ['drafts/*']\n", encoding="utf-8")
    page = tmp_path / "one.txt"
    page.write_text("I help leaders find clarity.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cold, cold_modules = _check(page, cache, tmp_path)
    assert _loaded(cold_modules, "jsonschema") and _loaded(cold_modules, "yaml")
    warm, modules = _warm(page, cache, tmp_path)
    assert warm.returncode == cold.returncode and warm.stdout == cold.stdout
    assert not _loaded(modules, "jsonschema") and not _loaded(modules, "yaml")
