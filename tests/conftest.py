from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI_PACK = ROOT / "tests" / "fixtures" / "packs" / "mini"


@pytest.fixture
def mini_check():
    """check_text with only the small engine-test pack, so engine tests do not depend on the
    built-in packs' wording."""
    from scopecheck import check_text

    def run(text: str, doc_type: str = "marketing", **kwargs):
        findings = check_text(text, doc_type=doc_type, rules_dirs=(MINI_PACK,), builtin_rules=False, **kwargs)
        return [f for f in findings if f.suppressed is None]

    return run


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "scopecheck", *args], input=input, cwd=cwd or ROOT,
                          capture_output=True, env=full_env, timeout=300)


def result_cache_entries(cache_dir: Path) -> dict[str, bytes]:
    """The result cache's entries under a cache folder (every context), by key."""
    import sqlite3
    entries: dict[str, bytes] = {}
    for database in sorted((cache_dir / "results").glob("*/entries.sqlite3")):
        connection = sqlite3.connect(database)
        try:
            entries.update(connection.execute("SELECT key, entry FROM entries").fetchall())
        finally:
            connection.close()
    return entries


def results_pickled(monkeypatch) -> list[str]:
    """Paths of the DocumentResults pickled in this process from now on."""
    import pickle
    from scopecheck.model import DocumentResult
    pickled: list[str] = []
    real = pickle.dumps

    def dumps(value, *args, **kw):
        if isinstance(value, DocumentResult):
            pickled.append(value.path)
        return real(value, *args, **kw)
    monkeypatch.setattr(pickle, "dumps", dumps)
    return pickled


def results_loaded(monkeypatch) -> list[str]:
    """Paths of the DocumentResults unpickled in this process from now on."""
    import pickle
    from scopecheck.model import DocumentResult
    loaded: list[str] = []

    def watched(real):
        def load(source, *args, **kw):
            value = real(source, *args, **kw)
            if isinstance(value, DocumentResult):
                loaded.append(value.path)
            return value
        return load
    monkeypatch.setattr(pickle, "loads", watched(pickle.loads))
    monkeypatch.setattr(pickle, "load", watched(pickle.load))
    return loaded
