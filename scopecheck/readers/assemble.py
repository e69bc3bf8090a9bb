"""Build extracted text from runs of source text, keeping blocks and source positions.

Structured readers (Markdown, HTML, Word, PDF) push runs of text with the source position of
their first character; the assembler joins blocks with blank lines, records a Piece per run and
derives the structure fields every rule sees (heading, lead-in, section, quote).
"""
from __future__ import annotations

import re

from scopecheck.model import Block
from scopecheck.readers.base import Extracted
from scopecheck.readers.directives import Directive, parse_comment
from scopecheck.text.sourcemap import PieceTable, SourceMap

BLOCK_SEPARATOR = "\n\n"
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?])\s+)([^.!?]*:)\s*$")


def lead_in_of(text: str) -> str:
    """The sentence that introduces a list ("What coaching is not:"), or "". A short line with
    no closing punctuation ("WHAT COACHING IS NOT") introduces what follows it too."""
    stripped = text.strip()
    m = _LAST_SENTENCE.search(stripped) if stripped.endswith(":") else None  # most blocks do not
    if m:
        return m.group(1).strip()
    if stripped and "\n" not in stripped and len(stripped) <= 80 and stripped[-1] not in ".!?;,\"')":
        return stripped
    return ""


class Assembler:
    def __init__(self, unit: str = "line") -> None:
        self.unit = unit
        self._parts: list[str] = []
        self._length = 0
        self._pieces = PieceTable()
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self._block_start: int | None = None
        self._block_part = 0
        self._block_separated = False
        self._block_kind = "paragraph"
        self._block_quote = False
        self._block_lead = ""
        self.heading = ""
        self.section = 0
        # the text of the block just finished, when it may introduce a list (see last_lead_in)
        self._last_text = ""
        self.gaps: list[int] = []  # offsets of spaces that stand for text left out (see gap())

    @property
    def last_lead_in(self) -> str:
        """The lead-in offered by the block just finished: worked out only when a list follows
        it, not for every block."""
        return lead_in_of(self._last_text) if self._last_text else ""

    # --- text -------------------------------------------------------------------------------
    @property
    def length(self) -> int:
        return self._length

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def ends_with_space(self) -> bool:
        return not self._parts or self._parts[-1][-1:].isspace()

    def add(self, text: str, line: int, column: int, *, verbatim: bool = True, page: int | None = None) -> None:
        """Add a run that starts at (line, column) of the source, inside the open block."""
        if not text:
            return
        if self._block_start is None:
            self.open_block()
        self._pieces.append(self._length, len(text), line, column, verbatim, page)
        self._append(text)

    def space(self) -> None:
        """A single separating space (collapsed whitespace, a soft line break)."""
        if self._block_start is not None and not self.ends_with_space() and self._length > self._block_start:
            self._pieces.append(self._length, 1, *self._last_end(), False, self._last_page())
            self._append(" ")

    def gap(self) -> None:
        """A space standing for text that is not linted (inline code, hidden HTML): words
        around it stay apart, and no phrase may match across it."""
        self.space()
        if self._block_start is not None and self._length > self._block_start:
            self.gaps.append(self._length - 1)

    def _last_end(self) -> tuple[int, int]:
        pieces = self._pieces
        if not pieces:
            return 1, 1
        return pieces.lines[-1], pieces.columns[-1] + (pieces.lengths[-1] if pieces.verbatim[-1] else 0)

    def _last_page(self) -> int | None:
        return self._pieces.page(-1) if self._pieces else None

    # --- blocks -------------------------------------------------------------------------------
    def open_block(self, kind: str = "paragraph", *, quote: bool = False, lead_in: str = "") -> None:
        if self._block_start is not None:
            self.close_block()
        self._block_separated = bool(self._length)
        if self._block_separated:
            self._append(BLOCK_SEPARATOR)
        self._block_start = self._length
        self._block_part = len(self._parts)
        self._block_kind = kind
        self._block_quote = quote
        self._block_lead = lead_in

    def close_block(self) -> None:
        if self._block_start is None:
            return
        start = self._block_start
        self._block_start = None
        text = "".join(self._parts[self._block_part:])
        # trim trailing spaces added by `space()` so a block ends on its last character
        while self._length > start and self._parts and self._parts[-1] == " ":
            self._parts.pop()
            self._pieces.pop()
            self._length -= 1
        end = start + len(text.rstrip())
        while self.gaps and self.gaps[-1] >= end:  # trimmed away with the block's trailing spaces
            self.gaps.pop()
        if end <= start:
            del self._parts[self._block_part:]
            while self._pieces and self._pieces.starts[-1] >= start:
                self._pieces.pop()
            self._length = start
            if self._block_separated:  # an empty block leaves no trace, not even its separator
                self._parts.pop()
                self._length -= len(BLOCK_SEPARATOR)
            return
        kind = self._block_kind
        if kind == "heading":
            self.section += 1
            self.heading = " ".join(text.split())
            self.blocks.append(Block("heading", start, end, "", "", self.section, self._block_quote))
            self._last_text = ""
        else:
            self.blocks.append(Block(kind, start, end, self.heading, self._block_lead, self.section,
                                     self._block_quote))
            self._last_text = text

    # --- comments -----------------------------------------------------------------------------
    def comment(self, body: str, line: int, column: int, page: int | None = None) -> None:
        directive = parse_comment(body, self._length, line, column)
        if directive is not None:
            if page is not None:
                directive = Directive(**{**directive.__dict__, "page": page})
            self.directives.append(directive)

    def finish(self, fmt: str, front_matter: dict | None = None, warnings: list[str] | None = None) -> Extracted:
        """Everything read, as a reader returns it (text, blocks, source map, directives, gaps)."""
        self.close_block()
        return Extracted("".join(self._parts), self.blocks, SourceMap(self.unit, pieces=self._pieces), fmt,
                         front_matter or {}, self.directives, list(warnings or []), gaps=tuple(self.gaps))
