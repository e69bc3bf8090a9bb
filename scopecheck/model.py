"""Core records that flow through the pipeline: documents in, findings out."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from scopecheck.text.sourcemap import SourceMap

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
DOC_TYPES = ("marketing", "program", "intake", "agreement")
DEFAULT_DOC_TYPE = "marketing"

_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted record as its class and field values.

    Results travel between processes and into the result cache and the run's spool; the
    default for slotted dataclasses restores each object field by field through
    dataclasses.fields(), which made reading results back a third slower."""
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))

    def __reduce__(self):  # noqa: N807
        return cls, values(self)  # attrgetter reads every field in one C call

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    cls._field_index = {name: i for i, name in enumerate(names)}  # type: ignore[attr-defined]
    return cls


def replaced(record: _T, **changes: object) -> _T:
    """dataclasses.replace for a record made by pickled_by_fields, without looking each field
    up by name: its values are read in one C call and passed on by position (4.0 us instead of
    6.1 us for a finding, and a page's findings are each made again to add their fingerprint)."""
    cls, values = record.__reduce__()  # type: ignore[misc]
    values = list(values)
    index = cls._field_index
    for name, value in changes.items():
        values[index[name]] = value
    return cls(*values)


class Block(NamedTuple):
    """A structural unit of a document: heading, paragraph, list item, table cell, form field
    (a tuple: a page has hundreds, and a frozen dataclass took three times as long to make)."""

    kind: str
    start: int
    end: int
    heading: str = ""  # text of the nearest heading above this block
    lead_in: str = ""  # for list items: the sentence that introduces the list ("I help with:")
    section: int = 0  # index of the heading section this block belongs to
    quote: bool = False  # inside a blockquote


class Sentence(NamedTuple):
    """A sentence's span in the extracted text and the index of its block (a tuple: documents
    have tens of thousands)."""
    start: int
    end: int
    block: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Location:
    """A position in the source, 1-based. `page` is set for paged formats (PDF)."""

    line: int
    column: int
    end_line: int
    end_column: int
    page: int | None = None
    unit: str = "line"  # line | paragraph | page-line

    def describe(self) -> str:
        if self.unit == "paragraph":
            return f"paragraph {self.line}, column {self.column}"
        if self.unit == "page-line":
            return f"page {self.page}, line {self.line}, column {self.column}"
        return f"line {self.line}, column {self.column}"


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    doc_type: str
    type_source: str  # how the type was decided: flag, front-matter, config, heuristic, default
    text: str  # the extracted, lintable text (blocks joined by blank lines)
    blocks: tuple[Block, ...]
    source_map: "SourceMap"
    sha256: str
    format: str = "text"
    directives: tuple = ()  # inline suppression directives found in comments
    warnings: tuple[str, ...] = ()
    gaps: tuple[int, ...] = ()  # offsets of spaces standing for text left out; no match crosses one


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Citation:
    body: str
    document: str
    section: str | None = None
    version: str | None = None
    note: str | None = None

    def describe(self) -> str:
        parts = [self.body, self.document]
        if self.version:
            parts[-1] += f" ({self.version})"
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)

    def to_dict(self) -> dict:
        data = {"body": self.body, "document": self.document}
        for key in ("section", "version", "note"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Fix:
    """A safe rewrite: replace text[start:end] of the extracted text with `replacement`."""

    start: int
    end: int
    replacement: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Silenced:
    """A candidate match that a guard silenced, kept for --explain."""

    rule_id: str
    guard: str
    reason: str
    location: Location
    excerpt: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    category: str
    severity: str
    kind: str
    path: str
    location: Location
    message: str
    excerpt: str  # the sentence (or block) the finding sits in
    highlight: tuple[int, int]  # the match inside the excerpt, as character offsets
    suggestion: str
    citations: tuple[Citation, ...]
    checklist: str | None = None
    searched: tuple[str, ...] = ()  # require/conditional: what was looked for
    fix: Fix | None = None
    fingerprint: str = ""
    suppressed: str | None = None  # the reason, when a suppression applies
    start: int = 0  # offsets in the extracted text, for fixes and fingerprints
    end: int = 0

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple:
        return (self.path, self.location.page or 0, self.location.line, self.location.column,
                self.rule_id, self.end)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class DocumentResult:
    path: str
    doc_type: str | None
    type_source: str | None
    sha256: str | None
    format: str | None
    status: str  # pass | fail | error
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    silenced: tuple[Silenced, ...] = ()
    checklist: tuple[tuple[str, bool, str, str], ...] = ()  # (element, present, rule id, evidence)
    warnings: tuple[str, ...] = field(default_factory=tuple)
