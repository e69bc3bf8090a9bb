"""Shared helpers for the configuration, baseline, fix and integration tests."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from conftest import MINI_PACK, run_cli

MINI = ("--rules", str(MINI_PACK), "--select", "T-")  # only the small test pack's rules


def cli(*args: str, cwd: Path, input: bytes | None = None) -> SimpleNamespace:
    result = run_cli(*args, cwd=cwd, input=input)
    return SimpleNamespace(returncode=result.returncode, stdout=result.stdout.decode("utf-8"),
                           stderr=result.stderr.decode("utf-8"))
