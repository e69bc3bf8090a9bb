"""Word documents (.docx), read with python-docx.

Body paragraphs and tables are read in document order, then headers and footers. Word has no
stable lines, so positions are "paragraph N, column C": N counts the paragraphs that hold text,
from the start of the body, table cells included in reading order, headers and footers last.
"""
from __future__ import annotations

import io

from scopecheck.errors import InputError
from scopecheck.readers.archive import check_zip
from scopecheck.readers.assemble import Assembler
from scopecheck.readers.base import Extracted

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _kind(paragraph, in_table: bool, style_names: dict[str | None, str]) -> str:
    if in_table:
        return "table_cell"
    style = _style_name(paragraph, style_names)
    if style.startswith(("Heading", "Title")):
        return "heading"
    props = paragraph._p.pPr
    if style.startswith("List") or (props is not None and props.numPr is not None):
        return "list_item"
    return "paragraph"


def _style_name(paragraph, names: dict[str | None, str]) -> str:
    """The name of a paragraph's style, looked up once per style id. python-docx finds the
    default style (a paragraph with no style of its own) by reading every style of the
    document, about a millisecond each time."""
    style_id = paragraph._p.style
    name = names.get(style_id)
    if name is None:
        style = paragraph.style
        name = names[style_id] = (style.name if style is not None else "") or ""
    return name


class _Reader:
    def __init__(self) -> None:
        self.out = Assembler("paragraph")
        self.number = 0
        self.lead = ""
        self.style_names: dict[str | None, str] = {}  # headers and footers share the body's styles

    def paragraph(self, paragraph, in_table: bool = False) -> None:
        text = paragraph.text
        if not text.strip():
            return
        self.number += 1
        kind = _kind(paragraph, in_table, self.style_names)
        if kind == "list_item":
            lead = self.lead
        else:
            lead = ""
        self.out.open_block(kind, lead_in=lead)
        self.out.add(text, self.number, 1)
        self.out.close_block()
        if kind != "list_item":
            self.lead = self.out.last_lead_in

    def container(self, parent) -> None:
        """Paragraphs and tables of a body, cell, header or footer, in order."""
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        for child in parent._element.iterchildren():
            if child.tag == f"{_W}p":
                self.paragraph(Paragraph(child, parent))
            elif child.tag == f"{_W}tbl":
                self.table(Table(child, parent))

    def table(self, table) -> None:
        from docx.table import _Cell
        from docx.text.paragraph import Paragraph
        for row in table._tbl.tr_lst:
            for tc in row.tc_lst:  # each real cell once, even when merged across columns
                cell = _Cell(tc, table)
                for child in tc.iterchildren():
                    if child.tag == f"{_W}p":
                        self.paragraph(Paragraph(child, cell), in_table=True)
                    elif child.tag == f"{_W}tbl":
                        from docx.table import Table
                        self.table(Table(child, cell))


def read(data: bytes, path: str) -> Extracted:
    check_zip(data, path, "Word (.docx)")
    try:
        import docx  # imported here: only Word files pay for it
        document = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as exc:  # python-docx raises several kinds for damaged packages
        raise InputError(f"{path}: is not a Word document python-docx can open ({type(exc).__name__}: {exc}); "
                         "open it in Word and save it again as .docx") from exc
    reader = _Reader()
    reader.container(document._body)
    seen: set[str] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            signature = "\n".join(p.text for p in part.paragraphs)
            if signature in seen:  # the same header repeated in every section is read once
                continue
            seen.add(signature)
            reader.container(part)
    return reader.out.finish("docx")
