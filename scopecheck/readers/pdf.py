"""PDF, read with pypdf (pure Python): page text line by line, plus fillable form fields.

Positions are "page P, line L, column C", with lines as pypdf lays out the page text. Form
fields (AcroForm) become blocks "Label: value" placed on the line they sit next to, so the
question a fillable intake form asks is linted like any printed question.
"""
from __future__ import annotations

import io

from scopecheck.errors import InputError
from scopecheck.readers.base import Extracted
from scopecheck.readers.plain import structure
from scopecheck.text.sourcemap import Piece, SourceMap

MAX_PAGES = 2000
MAX_TEXT_CHARS = 20_000_000


def _open(data: bytes, path: str):
    from pypdf import PdfReader  # imported here: only PDF files pay for it
    from pypdf.errors import PdfReadError
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # missing crypto backend or unsupported scheme
                raise InputError(f"{path}: the PDF is encrypted and cannot be opened ({exc}); "
                                 "save an unprotected copy and check that") from exc
            if not opened:
                raise InputError(f"{path}: the PDF is password-protected; save a copy without a password "
                                 "and check that")
        pages = len(reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"{path}: is not a readable PDF ({type(exc).__name__}: {exc}); "
                         "re-export it from the program that made it") from exc
    if pages > MAX_PAGES:
        raise InputError(f"{path}: has {pages} pages, more than the {MAX_PAGES}-page limit; split it")
    return reader


def _text_of(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith("/"):
        text = text[1:]
    return "" if text in ("Off", "") else text


def _fields_on(page) -> list[tuple[float, tuple[str, str]]]:
    """(bottom y, (label, value)) for each fillable field on a page, top to bottom."""
    fields = []
    for annotation in page.get("/Annots") or []:
        try:
            widget = annotation.get_object()
        except Exception:  # noqa: BLE001 - a broken annotation is skipped, not fatal
            continue
        if widget.get("/Subtype") != "/Widget":
            continue
        node = widget if "/T" in widget else widget.get("/Parent", widget).get_object()
        label = _text_of(node.get("/TU") or node.get("/T"))
        value = _text_of(node.get("/V") if "/V" in node else widget.get("/V"))
        if not label:
            continue
        rect = widget.get("/Rect") or [0, 0, 0, 0]
        try:
            top = float(rect[1])  # the bottom edge: a label printed beside sits just above it
        except (TypeError, ValueError, IndexError):
            top = 0.0
        fields.append((top, (" ".join(label.split()), " ".join(value.split()))))
    fields.sort(key=lambda f: -f[0])
    return fields


def _text_and_line_heights(page, with_heights: bool) -> tuple[str, list[float]]:
    """The page's text and, when asked (to place form fields), the y of each text line, top to
    bottom, as pypdf lays them out: both from one pass over the page's content."""
    if not with_heights:
        return page.extract_text() or "", []
    ys: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            try:
                ys.append(round(cm[5] + tm[5] * cm[3], 1))
            except (TypeError, IndexError, ValueError):  # an odd matrix loses a height, not the page
                pass
    text = page.extract_text(visitor_text=visit) or ""
    return text, sorted(set(ys), reverse=True)


def _is_field(block, text: str, field_starts: set[int], label_starts: set[int]) -> bool:
    if block.start in field_starts:
        return True
    return "\n" not in text[block.start:block.end] and any(
        block.start - 1 <= start <= block.end for start in label_starts)


def read(data: bytes, path: str) -> Extracted:
    reader = _open(data, path)
    parts: list[str] = []
    pieces: list[Piece] = []
    length = 0
    warnings: list[str] = []

    field_starts: set[int] = set()  # offsets where a field's own block starts
    label_starts: set[int] = set()  # offsets of printed lines that label a field
    labelled_lines: set[tuple[int, int]] = set()

    def emit(text: str, page: int, line: int) -> None:
        nonlocal length
        pieces.append(Piece(length, len(text), line, 1, True, page))
        parts.append(text)
        length += len(text)

    def emit_field(text: str, page: int, line: int) -> None:
        # a field gets its own block, pointing at the line it sits beside
        nonlocal length
        parts.append("\n")
        length += 1
        field_starts.add(length)
        emit(text, page, line)
        parts.append("\n\n")
        length += 2

    for number, page in enumerate(reader.pages, start=1):
        fields = _fields_on(page)
        try:
            page_text, ys = _text_and_line_heights(page, with_heights=bool(fields))
        except Exception as exc:  # noqa: BLE001 - one bad page is reported, the rest is read
            warnings.append(f"{path}: page {number} could not be read ({type(exc).__name__}); it was skipped")
            page_text, ys = "", []
        lines = [line.rstrip() for line in page_text.replace("\r", "").split("\n")]
        placed: dict[int, list[str]] = {}
        printed = {" ".join(line.split()).lower() for line in lines}
        for top, (label, value) in fields:
            after = sum(1 for y in ys if y >= top - 2) if ys else len(lines)
            if any(label.lower() in line for line in printed):
                # the label is printed on the page already: add only what was filled in
                text = value
                labelled_lines.add((number, min(after, len(lines))))
            else:
                text = f"{label}: {value}" if value else label
            if text:
                placed.setdefault(min(after, len(lines)), []).append(text)
        if length:
            parts.append("\n\n")
            length += 2
        for field in placed.get(0, []):
            emit_field(field, number, 1)
        for index, line in enumerate(lines, start=1):
            if (number, index) in labelled_lines:
                label_starts.add(length)
            emit(line + "\n", number, index)
            for field in placed.get(index, []):
                emit_field(field, number, index)
        if length > MAX_TEXT_CHARS:
            raise InputError(f"{path}: holds more than {MAX_TEXT_CHARS // 1_000_000} million characters of text; "
                             "split it")
    text = "".join(parts)
    if not text.strip():
        warnings.append(f"{path}: no text could be extracted (a scanned PDF?); run OCR on it first")
    blocks = [b._replace(kind="form_field") if _is_field(b, text, field_starts, label_starts) else b
              for b in structure(text, 0, markdown=False)]
    return Extracted(text, blocks, SourceMap("page-line", pieces=pieces), "pdf", {}, [], warnings)
