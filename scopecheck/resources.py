"""Where the bundled rules/, schemas/ and templates/ live: inside the installed package, or
at the top of the source tree when running from a checkout."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"scopecheck's bundled '{name}' folder is missing; reinstall scopecheck")


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    return json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
