"""Markdown, parsed with pyromark (pulldown-cmark: CommonMark plus tables and strikethrough).

What is linted: headings, paragraphs, list items, table cells and blockquotes, each as a block,
with emphasis, link text and image alt text kept. What is not: front matter, fenced and
indented code, inline code, link and image URLs, autolinks, and HTML (whose comments may carry
suppression directives).

The parser gives the source byte range of every event, so each run of text is placed where its
source is. A run whose text differs from its source (an entity such as `&amp;`) is placed at
its first character.
"""
from __future__ import annotations

import re
from functools import lru_cache

from scopecheck.readers.assemble import Assembler
from scopecheck.readers.base import Extracted, decode
from scopecheck.readers.plain import split_front_matter
from scopecheck.text.sourcemap import LineIndex

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_NO_TEXT_LINKS = frozenset({"Autolink", "Email"})  # their text is the address itself
_BLOCK_OF = {"Paragraph": "paragraph", "Heading": "heading", "TableCell": "table_cell"}


@lru_cache(maxsize=1)
def _parser():
    import pyromark  # imported here: plain-text checks never load it
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    return lambda text: pyromark.events_with_range(text, options=options, merge_text=False)


class _Source:
    """The Markdown source as the parser saw it: byte ranges -> (line, column) in characters.

    Events come in source order, so a lookup moves a cursor forwards and decodes only the bytes
    in between; an ASCII source needs no decoding at all."""

    def __init__(self, text: str) -> None:
        self.lines = LineIndex(text)
        self.ascii = text.isascii()
        self.data = text if self.ascii else text.encode("utf-8")
        self._byte_at = 0
        self._char_at = 0

    def char_offset(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        if byte_offset < self._byte_at:
            self._byte_at = self._char_at = 0
        self._char_at += len(self.data[self._byte_at:byte_offset].decode("utf-8", "replace"))
        self._byte_at = byte_offset
        return self._char_at

    def position(self, byte_offset: int) -> tuple[int, int]:
        return self.lines.position(self.char_offset(byte_offset))

    def is_verbatim(self, text: str, start: int, end: int) -> bool:
        if self.ascii:
            return self.data[start:end] == text
        return self.data[start:end] == text.encode("utf-8")


class _Reader:
    def __init__(self, text: str) -> None:
        self.source = _Source(text)
        self.out = Assembler("line")
        self.quote_depth = 0
        self.item_depth = 0
        self.lead_stack: list[str] = []
        self.in_code = False  # text in code blocks is not linted
        self.in_autolink = False  # nor the address an autolink shows
        self.html: list[str] = []  # the lines of the HTML block being read
        self.html_start = 0

    def run(self, events) -> None:
        out = self.out
        source = self.source
        start, end = self.start, self.end
        for event, span in events:
            if type(event) is str:  # SoftBreak, HardBreak, Rule and other bare events
                if event in ("SoftBreak", "HardBreak"):
                    out.space()
                continue
            [(name, value)] = event.items()
            if name == "Text":
                # tens of thousands of runs in a large page: placed here, not through a method
                if value and not (self.in_code or self.in_autolink):
                    at = span["start"]
                    line, column = source.position(at)
                    out.add(value, line, column, verbatim=source.is_verbatim(value, at, span["end"]))
            elif name == "Start":
                start(value if type(value) is str else next(iter(value)), value)
            elif name == "End":
                end(value if type(value) is str else next(iter(value)))
            elif name == "Code":
                out.gap()  # the code is not linted; no phrase runs across it
            elif name == "Html":
                if not self.html:
                    self.html_start = span["start"]
                self.html.append(value)
            elif name == "InlineHtml":
                self.comments(value, span["start"])

    def start(self, kind: str, value) -> None:
        out = self.out
        if kind in _BLOCK_OF:
            block = _BLOCK_OF[kind]
            self.open_block("list_item" if block == "paragraph" and self.item_depth else block)
        elif kind == "Item":
            self.item_depth += 1
            self.open_block("list_item")  # a tight item holds its text directly, with no paragraph
        elif kind == "List":
            out.close_block()  # the item or paragraph before it offers the list's lead-in
            self.lead_stack.append(out.last_lead_in)
        elif kind == "BlockQuote":
            out.close_block()
            self.quote_depth += 1
        elif kind == "CodeBlock":
            out.close_block()
            self.in_code = True
        elif kind == "Link" and value["Link"]["link_type"] in _NO_TEXT_LINKS:
            self.in_autolink = True
        elif kind in ("HtmlBlock", "Table", "TableHead", "TableRow"):
            out.close_block()

    def open_block(self, kind: str) -> None:
        lead = self.lead_stack[-1] if (kind == "list_item" and self.lead_stack) else ""
        self.out.open_block(kind, quote=self.quote_depth > 0, lead_in=lead)

    def end(self, kind: str) -> None:
        out = self.out
        if kind in _BLOCK_OF:
            out.close_block()
        elif kind == "Item":
            self.item_depth -= 1
            out.close_block()
        elif kind == "List":
            out.close_block()
            self.lead_stack.pop()
        elif kind == "BlockQuote":
            out.close_block()
            self.quote_depth -= 1
        elif kind == "CodeBlock":
            self.in_code = False
        elif kind == "Link":
            self.in_autolink = False  # links do not nest
        elif kind == "HtmlBlock":
            self.comments("".join(self.html), self.html_start)
            self.html = []

    def comments(self, html: str, start: int) -> None:
        if "<!--" not in html:
            return
        line, column = self.source.position(start)
        for m in _COMMENT.finditer(html):
            before = html[:m.start()]
            at_line = line + before.count("\n")
            at_column = (m.start() - before.rfind("\n")) if "\n" in before else column + m.start()
            self.out.comment(m.group(1), at_line, at_column)


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
    reader = _Reader(body)
    reader.run(_parser()(body))
    return reader.out.finish("markdown", front, warnings)
