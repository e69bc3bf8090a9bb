"""Map offsets in extracted text back to a line and column in the source.

Readers extract lintable text from a source (Markdown, HTML, Word...). Each extracted run of
characters remembers where it came from, so a finding points at the source, not at our copy.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable

from scopecheck.model import Location
from scopecheck.text.normalize import lone_cr_to_lf


class LineIndex:
    """Offsets -> (line, column), 1-based, by bisecting the line starts once computed.

    A line ends at LF, CRLF or a lone CR, as the readers and editors count them.
    """

    def __init__(self, source: str) -> None:
        source = lone_cr_to_lf(source)
        starts = array("q", [0])  # 8 bytes a line, not a list of int objects
        append = starts.append
        find = source.find
        pos = find("\n")
        while pos != -1:
            append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


@dataclass(frozen=True, slots=True)
class Piece:
    text_start: int  # where this run starts in the extracted text
    length: int  # its length in the extracted text
    line: int  # source line (or paragraph number) of its first character
    column: int  # source column of its first character, 1-based
    verbatim: bool = True  # True when text and source match character for character
    page: int | None = None


_NO_PAGE = -1


class PieceTable:
    """Pieces kept column by column in arrays, in text order.

    A document has a piece per run of text (tens of thousands in a large page); as objects with
    their integers each took about 200 bytes, here about 33 (41 with pages). Indexing gives a
    Piece back.
    """

    __slots__ = ("starts", "lengths", "lines", "columns", "verbatim", "pages")

    def __init__(self, pieces: Iterable[Piece] = ()) -> None:
        self.starts = array("q")
        self.lengths = array("q")
        self.lines = array("q")
        self.columns = array("q")
        self.verbatim = bytearray()
        self.pages: array | None = None  # only once a piece has a page (PDF)
        for p in pieces:
            self.append(p.text_start, p.length, p.line, p.column, p.verbatim, p.page)

    def append(self, text_start: int, length: int, line: int, column: int, verbatim: bool = True,
               page: int | None = None) -> None:
        if page is not None and self.pages is None:
            self.pages = array("q", [_NO_PAGE]) * len(self.starts)
        self.starts.append(text_start)
        self.lengths.append(length)
        self.lines.append(line)
        self.columns.append(column)
        self.verbatim.append(1 if verbatim else 0)
        if self.pages is not None:
            self.pages.append(_NO_PAGE if page is None else page)

    def pop(self) -> None:
        for column in (self.starts, self.lengths, self.lines, self.columns, self.verbatim):
            column.pop()
        if self.pages is not None:
            self.pages.pop()

    def page(self, i: int) -> int | None:
        if self.pages is None:
            return None
        page = self.pages[i]
        return None if page == _NO_PAGE else page

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Piece:
        return Piece(self.starts[i], self.lengths[i], self.lines[i], self.columns[i], bool(self.verbatim[i]),
                     self.page(i))


class SourceMap:
    """Positions for any offset of the extracted text.

    Identity maps (plain text) use a LineIndex directly; extracted formats give pieces sorted by
    their start in the text (a PieceTable, or a list of Piece), each a run copied from one source
    line.
    """

    _last = 0  # the piece found last (a class default, so a map pickled without it still loads)

    def __init__(self, unit: str = "line", index: LineIndex | None = None,
                 pieces: PieceTable | list[Piece] | None = None) -> None:
        self.unit = unit
        self._index = index
        self._pieces = pieces if isinstance(pieces, PieceTable) else PieceTable(pieces or ())

    @classmethod
    def identity(cls, text: str) -> "SourceMap":
        return cls(index=LineIndex(text))

    def _point(self, offset: int) -> tuple[int, int, int | None]:
        if self._index is not None:
            line, column = self._index.position(offset)
            return line, column, None
        table = self._pieces
        if not len(table):
            return 1, 1, None
        starts = table.starts
        i = self._last
        # findings come in text order and most matches end in the piece they start in, so the
        # piece found last is usually the one wanted
        if not (starts[i] <= offset and (i + 1 == len(starts) or offset < starts[i + 1])):
            i = self._last = max(bisect_right(starts, offset) - 1, 0)
        delta = offset - starts[i]
        if not table.verbatim[i]:
            delta = 0
        delta = min(max(delta, 0), max(table.lengths[i], 0))
        return table.lines[i], table.columns[i] + delta, table.page(i)

    def locate(self, start: int, end: int) -> Location:
        line, column, page = self._point(start)
        # the end column is inclusive of the last character, as editors show it
        end_line, end_column, _ = self._point(max(end - 1, start))
        if (end_line, end_column) >= (line, column) and end > start:
            end_column += 1
        else:
            end_line, end_column = line, column + max(end - start, 0)
        return Location(line, column, end_line, end_column, page, self.unit)
