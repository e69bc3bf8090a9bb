"""Readers turn bytes of one format into lintable text, structure blocks and a source map.

READERS maps a file extension to the module that reads it; modules are imported only when a
file of that kind is read, so a plain-text check never pays for the HTML or PDF parsers.
"""
from __future__ import annotations

import importlib
from pathlib import PurePath

from scopecheck.readers.base import Extracted

READERS: dict[str, str] = {
    ".txt": "scopecheck.readers.plain",
    ".text": "scopecheck.readers.plain",
    ".md": "scopecheck.readers.markdown",
    ".markdown": "scopecheck.readers.markdown",
    ".mdown": "scopecheck.readers.markdown",
    ".html": "scopecheck.readers.html",
    ".htm": "scopecheck.readers.html",
    ".xhtml": "scopecheck.readers.html",
    ".docx": "scopecheck.readers.docx",
    ".pdf": "scopecheck.readers.pdf",
}


def reader_for(path: str) -> str | None:
    return READERS.get(PurePath(path).suffix.lower())


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(READERS))


def read_bytes(data: bytes, path: str, fmt_hint: str | None = None) -> Extracted:
    module_name = READERS.get(fmt_hint or "", None) or reader_for(path) or READERS[".txt"]
    module = importlib.import_module(module_name)
    return module.read(data, path)


__all__ = ["Extracted", "READERS", "read_bytes", "reader_for", "supported_suffixes"]
