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
