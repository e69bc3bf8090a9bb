"""Output formats. Each takes the report's dict (one serialisation) and returns text."""
from __future__ import annotations

import importlib
import io
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
    "text": ("scopecheck.outputs.text", "write"),
    "github": ("scopecheck.outputs.github", "write"),
    "sarif": ("scopecheck.outputs.sarif", "write"),
    "junit": ("scopecheck.outputs.junit", "write"),
    "markdown": ("scopecheck.outputs.markdown", "write"),
    "html": ("scopecheck.outputs.html", "write"),
}


def rendered(write: Callable[..., None]) -> Callable[..., str]:
    """A streaming format's `render`: the text its `write` writes, as one string."""
    def render(data: dict, *args: object, **options: object) -> str:
        buffer = io.StringIO()
        write(data, buffer, *args, **options)
        return buffer.getvalue()
    return render


def formatter(name: str) -> Callable[..., str]:
    module, func = FORMATTERS[name]
    return getattr(importlib.import_module(module), func)


def write_report(name: str, data: dict, stream: TextIO, **options: object) -> None:
    """Write one format to an open text stream, streaming where the format allows it."""
    if name in STREAMERS:
        module, func = STREAMERS[name]
        getattr(importlib.import_module(module), func)(data, stream, **options)
    else:
        stream.write(formatter(name)(data, **options))


def report_data(report, name: str) -> dict:
    """The report's data for one format: streaming formats get lists produced as they are
    written (a large run's findings are never all in memory), the others plain lists."""
    return report.to_dict(stream=name in STREAMERS)
