"""Output formats. Each takes the report's dict (one serialisation) and returns text."""
from __future__ import annotations

import importlib
from typing import Callable, TextIO

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


# formats that can be written piece by piece, so a large report is never held as one string
STREAMERS: dict[str, tuple[str, str]] = {
    "json": ("scopecheck.outputs.json_output", "write"),
}


def formatter(name: str) -> Callable[..., str]:
    module, func = FORMATTERS[name]
    return getattr(importlib.import_module(module), func)


def write_report(name: str, data: dict, stream: TextIO, **options: object) -> None:
    """Write one format to an open text stream, streaming where the format allows it."""
    if name in STREAMERS:
        module, func = STREAMERS[name]
        getattr(importlib.import_module(module), func)(data, stream)
    else:
        stream.write(formatter(name)(data, **options))
