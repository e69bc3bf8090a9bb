"""Output formats. Each takes the report's dict (one serialisation) and returns text."""
from __future__ import annotations

import importlib
from typing import Callable

# format name -> (module, function); imported only when used
FORMATTERS: dict[str, tuple[str, str]] = {
    "text": ("scopecheck.outputs.text", "render"),
    "json": ("scopecheck.outputs.json_output", "render"),
    "sarif": ("scopecheck.outputs.sarif", "render"),
    "junit": ("scopecheck.outputs.junit", "render"),
    "github": ("scopecheck.outputs.github", "render"),
    "markdown": ("scopecheck.outputs.markdown", "render"),
    "html": ("scopecheck.outputs.html", "render"),
}


def formatter(name: str) -> Callable[..., str]:
    module, func = FORMATTERS[name]
    return getattr(importlib.import_module(module), func)
