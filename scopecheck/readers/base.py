"""What every reader returns, and helpers shared by the text-based readers."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from scopecheck.errors import InputError
from scopecheck.model import Block
from scopecheck.text.sourcemap import SourceMap


@dataclass
class Extracted:
    text: str
    blocks: list[Block]
    source_map: SourceMap
    format: str
    front_matter: dict = field(default_factory=dict)
    directives: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_text: str | None = None  # decoded source, for fixes; None for binary formats
    gaps: tuple[int, ...] = ()  # offsets of spaces standing for text left out; no match crosses one


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes -> text. BOMs are honoured; invalid UTF-8 falls back to cp1252 with a warning."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), []
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: starts with a {encoding} byte-order mark but is not valid "
                                 f"{encoding} at byte {exc.start}; re-save it as UTF-8") from exc
    sample = data[:8192]
    if b"\x00" in sample:
        raise InputError(f"{path}: looks like a binary file (it contains NUL bytes); "
                         "scopecheck reads text, Markdown, HTML, Word and PDF documents")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        return text, [f"{path}: not valid UTF-8 (first bad byte at offset {exc.start}); "
                      "read as Windows-1252, so a few characters may be wrong; re-save it as UTF-8"]
