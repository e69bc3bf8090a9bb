"""Plain text (and Markdown read line by line): the text is linted in place, so positions are
exact by construction. Structure comes from the lines: headings, list items, lead-ins ending in
a colon, table cells, quotes and form fields.
"""
from __future__ import annotations

import re

from scopecheck.model import Block
from scopecheck.readers.assemble import lead_in_of
from scopecheck.readers.base import Extracted, decode
from scopecheck.text.normalize import lone_cr_to_lf
from scopecheck.text.sourcemap import SourceMap

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_LIST = re.compile(r"^([ \t]*)(?:[-*+\u2022\u25aa\u25cf\u2013]|\d{1,3}[.)]|[a-zA-Z][.)])[ \t]+")
_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_FORM = re.compile(r"_{3,}|\bY\s*/\s*N\b|\byes\s*/\s*no\b|\[\s?\]|\u2610|\u25a1", re.IGNORECASE)
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)  # CRLF too


def split_front_matter(text: str) -> tuple[dict, int, list[str]]:
    """Front matter at the very top: (data, offset where the body starts, warnings)."""
    if not text.startswith("---"):
        return {}, 0, []
    first_newline = text.find("\n")
    if first_newline == -1 or text[:first_newline].strip() != "---":
        return {}, 0, []
    end = _FRONT_END.search(text, first_newline + 1)
    if not end:
        return {}, 0, ["front matter starts with '---' but never ends; it is read as text"]
    raw = text[first_newline + 1:end.start()]
    body_start = text.find("\n", end.end())
    body_start = len(text) if body_start == -1 else body_start + 1
    import yaml  # only documents with front matter pay for the YAML parser

    from scopecheck.yamlload import load_plain

    try:
        data = load_plain(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)  # 0-based, in the text after the opening '---'
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return {}, body_start, [f"front matter is not valid YAML{where} ({getattr(exc, 'problem', exc)}); "
                                "it was skipped"]
    if not isinstance(data, dict):
        return {}, body_start, ["front matter is not a mapping; it was skipped"]
    return data, body_start, []


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[Block] = []
        self.heading = ""
        self.section = 0
        self.lead_in = ""
        self.last_kind = ""

    def add(self, kind: str, start: int, end: int, quote: bool = False) -> None:
        while start < end and self.text[start] in " \t":
            start += 1
        while end > start and self.text[end - 1] in " \t\r\n":
            end -= 1
        if end <= start:
            return
        content = self.text[start:end]
        if kind == "heading":
            self.section += 1
            self.heading = content
            self.lead_in = ""
            self.blocks.append(Block(kind, start, end, "", "", self.section, quote))
        else:
            lead = self.lead_in if kind == "list_item" else ""
            self.blocks.append(Block(kind, start, end, self.heading, lead, self.section, quote))
            if kind == "paragraph":
                self.lead_in = lead_in_of(content)
        self.last_kind = kind


def structure(text: str, start: int, markdown: bool) -> list[Block]:
    builder = _Builder(text)
    para_start: int | None = None
    para_kind = "paragraph"
    para_quote = False
    in_fence = False
    pos = start
    length = len(text)

    def flush(end: int) -> None:
        nonlocal para_start
        if para_start is not None:
            builder.add(para_kind, para_start, end, para_quote)
            para_start = None

    while pos < length:
        newline = text.find("\n", pos)
        line_end = length if newline == -1 else newline
        nxt = line_end + 1
        line = text[pos:line_end]
        stripped = line.strip()
        if markdown and _FENCE.match(line):
            flush(pos)
            in_fence = not in_fence
            pos = nxt
            continue
        if in_fence:
            pos = nxt
            continue
        if not stripped:
            flush(pos)
            pos = nxt
            continue
        quote = _QUOTE.match(line)
        content_start = pos + (quote.end() if quote else 0)
        rest = text[content_start:line_end]
        heading = _HEADING.match(rest)
        listed = _LIST.match(rest)
        if heading:
            flush(pos)
            builder.add("heading", content_start + heading.start(2), content_start + heading.end(2), bool(quote))
        elif markdown and stripped.startswith("|") and "|" in stripped[1:]:
            flush(pos)
            if not _TABLE_SEPARATOR.match(rest):
                cell = content_start + rest.index("|") + 1
                for part in rest[rest.index("|") + 1:].split("|"):
                    builder.add("table_cell", cell, cell + len(part), bool(quote))
                    cell += len(part) + 1
        elif listed:
            flush(pos)
            para_start, para_kind, para_quote = content_start + listed.end(), "list_item", bool(quote)
        elif _FORM.search(rest) or (stripped.endswith(":") and len(stripped) < 100 and para_start is None):
            flush(pos)
            builder.add("form_field" if _FORM.search(rest) else "paragraph", content_start, line_end, bool(quote))
        else:
            if para_start is None:
                para_start, para_kind, para_quote = content_start, "paragraph", bool(quote)
            elif para_kind == "list_item" and not line[:1].isspace() and not quote:
                flush(pos)
                para_start, para_kind, para_quote = content_start, "paragraph", False
        pos = nxt
    flush(length)
    return builder.blocks


def read(data: bytes, path: str) -> Extracted:
    text, warnings = decode(data, path)
    return read_text(text, path, warnings)


def read_text(text: str, path: str, warnings: list[str] | None = None) -> Extracted:
    warnings = list(warnings or [])
    # a lone CR ends a line, as in every reader; same length, so offsets are source offsets
    lines = lone_cr_to_lf(text)
    front, body_start, fm_warnings = split_front_matter(lines)
    warnings.extend(f"{path}: {w}" for w in fm_warnings)
    markdown = path.lower().endswith((".md", ".markdown", ".mdown")) or path == "<stdin>"
    # the front matter is never linted: blank it out (same length) so offsets stay exact
    lint_text = (re.sub(r"[^\n]", " ", lines[:body_start]) + lines[body_start:]) if body_start else lines
    blocks = structure(lint_text, body_start, markdown)
    return Extracted(lint_text, blocks, SourceMap.identity(lines), "markdown" if markdown else "text",
                     front, [], warnings, source_text=text)
