"""Markdown, parsed with markdown-it-py (CommonMark plus tables).

What is linted: headings, paragraphs, list items, table cells and blockquotes, each as a block,
with emphasis and link text kept. What is not: front matter, fenced and indented code, inline
code, link and image URLs, and HTML (whose comments may carry suppression directives).

markdown-it gives line ranges for blocks but not columns for inline text, so each inline run is
found again in its source line; the source is the truth for every position we report.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from scopecheck.readers.assemble import Assembler
from scopecheck.readers.base import Extracted, decode
from scopecheck.readers.plain import split_front_matter

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CONTAINER_KINDS = {"bullet_list_open", "ordered_list_open"}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # imported here: plain-text checks never load it
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _InlineSource:
    """Where each character of an inline token's content sits in the source."""

    def __init__(self, content: str, lines: list[str], first_line: int, cell_columns: int | None = None) -> None:
        self.content = content
        self.starts: list[tuple[int, int, int]] = []  # (content offset, source line, source column)
        offset = 0
        for i, part in enumerate(content.split("\n")):
            line_no = first_line + i
            source = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
            if cell_columns is not None:
                column = cell_columns
            else:
                stripped, want = source.rstrip(), part.rstrip()
                if want and stripped.endswith(want):
                    column = len(stripped) - len(want)
                else:
                    found = source.find(want) if want else -1
                    column = found if found >= 0 else len(source) - len(source.lstrip())
            self.starts.append((offset, line_no, column + 1))
            offset += len(part) + 1

    def position(self, offset: int) -> tuple[int, int]:
        line, column = self.starts[0][1], self.starts[0][2]
        base = 0
        for start, line_no, col in self.starts:
            if start <= offset:
                base, line, column = start, line_no, col
            else:
                break
        return line, column + (offset - base)


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.lines = text.split("\n")
        self.out = Assembler("line")
        self.quote_depth = 0
        self.lead_stack: list[str] = []
        self.item_depth = 0
        self.row_cursor = 0  # where the next table cell is searched for in its row

    def run(self, tokens) -> None:
        pending_kind = "paragraph"
        row_line = 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                pending_kind = "heading"
            elif kind == "paragraph_open":
                pending_kind = "list_item" if self.item_depth else "paragraph"
            elif kind in ("th_open", "td_open"):
                pending_kind = "table_cell"
            elif kind == "tr_open":
                row_line = token.map[0] + 1 if token.map else row_line
                self.row_cursor = 0
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in _CONTAINER_KINDS:
                self.lead_stack.append(self.out.last_lead_in)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lead_stack.pop()
            elif kind == "list_item_open":
                self.item_depth += 1
            elif kind == "list_item_close":
                self.item_depth -= 1
            elif kind == "html_block":
                self.comments(token.content, token.map[0] + 1 if token.map else 1, 1)
            elif kind == "inline":
                self.inline(token, pending_kind, row_line)
            # code_block, fence, hr, html outside comments and front matter are never linted

    def inline(self, token, kind: str, row_line: int) -> None:
        if kind == "table_cell":
            source_line = self.lines[row_line - 1] if row_line else ""
            found = source_line.find(token.content, self.row_cursor) if token.content else -1
            if found < 0:
                found = self.row_cursor
            self.row_cursor = found + len(token.content)
            where = _InlineSource(token.content, self.lines, row_line, cell_columns=found)
        else:
            where = _InlineSource(token.content, self.lines, token.map[0] + 1)
        lead = self.lead_stack[-1] if (kind == "list_item" and self.lead_stack) else ""
        self.out.open_block(kind, quote=self.quote_depth > 0, lead_in=lead)
        self.children(token.children or [], token.content, where)
        self.out.close_block()

    def children(self, children, content: str, where: _InlineSource) -> int:
        cursor = 0
        in_autolink = False
        for child in children:
            kind = child.type
            if in_autolink:  # <https://...>: the text is the URL itself
                if kind == "link_close":
                    in_autolink = False
                    close = content.find(">", cursor)
                    cursor = close + 1 if close >= 0 else cursor
                continue
            if kind == "link_open" and child.markup in ("autolink", "linkify"):
                in_autolink = True
            elif kind == "text":
                cursor = self.run_text(child.content, content, cursor, where)
            elif kind in ("softbreak", "hardbreak"):
                nl = content.find("\n", cursor)
                cursor = nl + 1 if nl >= 0 else cursor
                self.out.space()
            elif kind == "code_inline":
                opening = content.find(child.markup, cursor)
                if opening >= 0:
                    closing = content.find(child.markup, opening + len(child.markup) + len(child.content.strip()))
                    cursor = closing + len(child.markup) if closing >= 0 else opening + len(child.markup)
                self.out.space()  # the code is not linted, but words around it stay apart
            elif kind == "image":
                bracket = content.find("![", cursor)
                cursor = bracket + 2 if bracket >= 0 else cursor
                cursor = self.children_inline(child.children or [], content, cursor, where)
                cursor = _skip_destination(content, cursor)
            elif kind == "link_close":
                cursor = _skip_destination(content, cursor)
            elif kind == "html_inline":
                found = content.find(child.content, cursor)
                if found >= 0:
                    line, column = where.position(found)
                    self.comments(child.content, line, column)
                    cursor = found + len(child.content)
            # em/strong/link_open/s markers carry no text of their own
        return cursor

    def children_inline(self, children, content: str, cursor: int, where: _InlineSource) -> int:
        for child in children:
            if child.type == "text":
                cursor = self.run_text(child.content, content, cursor, where)
        return cursor

    def run_text(self, value: str, content: str, cursor: int, where: _InlineSource) -> int:
        if not value:
            return cursor
        found = content.find(value, cursor)
        if found < 0:
            # an entity or escape changed the text: place each piece where its source is
            start = _next_visible(content, cursor)
            for piece, offset, verbatim in _source_pieces(content, start, value):
                line, column = where.position(offset)
                self.out.add(piece, line, column, verbatim=verbatim)
            return _advance_over(content, start, value)
        line, column = where.position(found)
        self.out.add(value, line, column)
        return found + len(value)

    def comments(self, html: str, line: int, column: int) -> None:
        for m in _COMMENT.finditer(html):
            before = html[:m.start()]
            at_line = line + before.count("\n")
            at_column = (m.start() - before.rfind("\n")) if "\n" in before else column + m.start()
            self.out.comment(m.group(1), at_line, at_column)


def _next_visible(content: str, cursor: int) -> int:
    while cursor < len(content) and content[cursor] in "*_~":
        cursor += 1
    return min(cursor, max(len(content) - 1, 0))


def _source_pieces(content: str, start: int, value: str) -> list[tuple[str, int, bool]]:
    """Split a text run whose source holds backslash escapes or entities into pieces placed at
    their source offsets: literal stretches verbatim, each entity as one character at its '&'.
    If the source and the text part ways in some other manner, the rest is placed at its start."""
    pieces: list[tuple[str, int, bool]] = []
    i, j = start, 0
    run_i, run_j = i, 0  # where the current literal stretch starts, in content and value

    def flush() -> None:
        if j > run_j:
            pieces.append((value[run_j:j], run_i, True))

    while j < len(value):
        ch = content[i] if i < len(content) else ""
        entity = _ENTITY.match(content, i) if ch == "&" else None
        decoded = html.unescape(entity.group()) if entity else ""
        if entity and decoded != entity.group() and value.startswith(decoded, j):
            flush()
            pieces.append((decoded, i, False))
            i, j = entity.end(), j + len(decoded)
            run_i, run_j = i, j
        elif ch == "\\" and content[i + 1:i + 2] == value[j]:
            flush()
            run_i, run_j = i + 1, j
            i, j = i + 2, j + 1
        elif ch == value[j]:
            i, j = i + 1, j + 1
        else:
            flush()
            pieces.append((value[j:], min(i, max(len(content) - 1, 0)), False))
            return pieces
    flush()
    return pieces


def _advance_over(content: str, cursor: int, value: str) -> int:
    """Skip the source of a text run that does not appear literally (entities, escapes)."""
    i, matched = cursor, 0
    while i < len(content) and matched < len(value):
        if content[i] == "&":
            semi = content.find(";", i, i + 12)
            i = semi + 1 if semi > 0 else i + 1
        elif content[i] == "\\" and i + 1 < len(content):
            i += 2
        else:
            i += 1
        matched += 1
    return i


def _skip_destination(content: str, cursor: int) -> int:
    """After a link's text: skip `](url "title")` or `][ref]` so URLs are never read as text."""
    while cursor < len(content) and content[cursor] in "*_~`":
        cursor += 1
    if content.startswith("](", cursor):
        depth, i = 0, cursor + 2
        while i < len(content):
            ch = content[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    return i + 1
                depth -= 1
            i += 1
        return len(content)
    if content.startswith("][", cursor):
        end = content.find("]", cursor + 2)
        return end + 1 if end >= 0 else cursor
    if content.startswith("]", cursor):
        return cursor + 1
    return cursor


def read(data: bytes, path: str) -> Extracted:
    text, warnings = decode(data, path)
    return read_text(text, path, warnings)


def read_text(text: str, path: str, warnings: list[str] | None = None) -> Extracted:
    warnings = list(warnings or [])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body_start, fm_warnings = split_front_matter(text)
    warnings.extend(f"{path}: {w}" for w in fm_warnings)
    # front matter is never linted: keep its line breaks only, so line numbers stay exact
    body = ("\n" * text[:body_start].count("\n")) + text[body_start:]
    reader = _Reader(text, path)
    reader.run(_parser().parse(body))
    lint_text, blocks, source_map, directives = reader.out.finish()
    return Extracted(lint_text, blocks, source_map, "markdown", front, directives, warnings)
