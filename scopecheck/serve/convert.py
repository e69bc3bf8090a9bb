"""Turn an uploaded or fetched document into the text the coach edits in the page.

Everything happens in memory: the bytes go to the same readers `scopecheck check` uses, and
what comes back is Markdown-shaped text (headings, list items and quotes keep their markers),
so the structure the rules rely on survives while the coach edits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from scopecheck.errors import InputError
from scopecheck.model import Block
from scopecheck.readers import read_bytes, supported_suffixes
from scopecheck.readers.base import Extracted, decode

FORMAT_NAMES = {
    ".txt": "plain text", ".text": "plain text", ".md": "Markdown", ".markdown": "Markdown",
    ".mdown": "Markdown", ".html": "web page", ".htm": "web page", ".docx": "Word document",
    ".pdf": "PDF",
}
EDITABLE_AS_IS = {"text", "markdown"}


class UnsupportedFile(InputError):
    """A file of a kind no installed reader handles."""


@dataclass
class Converted:
    name: str
    text: str
    format: str
    converted: bool  # False when the editor holds the file's own text
    warnings: list[str] = field(default_factory=list)


def describe_accepted() -> str:
    names = sorted({FORMAT_NAMES.get(s, s) for s in supported_suffixes()})
    return ", ".join(names) + " (" + " ".join(supported_suffixes()) + ")"


def safe_name(name: str) -> str:
    """Only the last path component, printable, bounded: it is shown, never opened."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:120] or "document.txt"


def convert(data: bytes, name: str) -> Converted:
    name = safe_name(name)
    suffix = PurePath(name).suffix.lower()
    if suffix not in supported_suffixes():
        raise UnsupportedFile(f"{name}: this kind of file cannot be read here; upload one of: "
                         f"{describe_accepted()}")
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    extracted = read_bytes(data, name)
    warnings = [w.removeprefix(f"{name}: ") for w in extracted.warnings]
    if extracted.format in EDITABLE_AS_IS:
        # Markdown and plain text are edited as written, so the coach keeps their own markup
        text = extracted.source_text if extracted.source_text is not None else decode(data, name)[0]
        converted = False
    else:
        text = blocks_as_markdown(extracted)
        converted = True
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: no readable text was found in this file")
    return Converted(name, text, extracted.format, converted, warnings)


_MARKERS = {"heading": "## ", "list_item": "- ", "table_cell": "", "form_field": "", "paragraph": ""}


def blocks_as_markdown(extracted: Extracted) -> str:
    if not extracted.blocks:
        return extracted.text.strip() + "\n"
    parts: list[str] = []
    previous: Block | None = None
    for block in extracted.blocks:
        content = " ".join(extracted.text[block.start:block.end].split())
        if not content:
            continue
        line = _MARKERS.get(block.kind, "") + content
        if block.quote:
            line = "> " + line
        # consecutive list items stay one list; everything else is its own paragraph
        together = previous is not None and previous.kind == block.kind == "list_item"
        parts.append(("\n" if together else "\n\n") + line if parts else line)
        previous = block
    return "".join(parts) + "\n"
