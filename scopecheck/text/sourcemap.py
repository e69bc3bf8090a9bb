"""Map offsets in extracted text back to a line and column in the source.

Readers extract lintable text from a source (Markdown, HTML, Word...). Each extracted run of
characters remembers where it came from, so a finding points at the source, not at our copy.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from scopecheck.model import Location
from scopecheck.text.normalize import lone_cr_to_lf


class LineIndex:
    """Offsets -> (line, column), 1-based, by bisecting the line starts once computed.

    A line ends at LF, CRLF or a lone CR, as the readers and editors count them.
    """

    def __init__(self, source: str) -> None:
        source = lone_cr_to_lf(source)
        starts = [0]
        find = source.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


@dataclass(frozen=True)
class Piece:
    text_start: int  # where this run starts in the extracted text
    length: int  # its length in the extracted text
    line: int  # source line (or paragraph number) of its first character
    column: int  # source column of its first character, 1-based
    verbatim: bool = True  # True when text and source match character for character
    page: int | None = None


class SourceMap:
    """Positions for any offset of the extracted text.

    Identity maps (plain text) use a LineIndex directly; extracted formats give a sorted list
    of pieces, each a run copied from one source line.
    """

    def __init__(self, unit: str = "line", index: LineIndex | None = None,
                 pieces: list[Piece] | None = None) -> None:
        self.unit = unit
        self._index = index
        self._pieces = pieces or []
        self._piece_starts = [p.text_start for p in self._pieces]

    @classmethod
    def identity(cls, text: str) -> "SourceMap":
        return cls(index=LineIndex(text))

    def _point(self, offset: int) -> tuple[int, int, int | None]:
        if self._index is not None:
            line, column = self._index.position(offset)
            return line, column, None
        if not self._pieces:
            return 1, 1, None
        i = max(bisect_right(self._piece_starts, offset) - 1, 0)
        piece = self._pieces[i]
        delta = offset - piece.text_start
        if not piece.verbatim:
            delta = 0
        delta = min(max(delta, 0), max(piece.length, 0))
        return piece.line, piece.column + delta, piece.page

    def locate(self, start: int, end: int) -> Location:
        line, column, page = self._point(start)
        # the end column is inclusive of the last character, as editors show it
        end_line, end_column, _ = self._point(max(end - 1, start))
        if (end_line, end_column) >= (line, column) and end > start:
            end_column += 1
        else:
            end_line, end_column = line, column + max(end - start, 0)
        return Location(line, column, end_line, end_column, page, self.unit)
