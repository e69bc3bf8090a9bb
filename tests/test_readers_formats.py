"""Readers on realistic files: exact positions, what is and is not linted, one finding per claim."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scopecheck.api import Options, run
from scopecheck.readers import read_bytes

FORMATS = Path(__file__).parent / "fixtures" / "formats"
MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
CLAIM = "Our program will cure your anxiety in six weeks."


def _report(*paths: str):
    return run([str(FORMATS / p) for p in paths], Options(rules_dirs=(MINI,), builtin_rules=False))


def _where(finding) -> tuple:
    loc = finding.location
    return finding.rule_id, loc.page, loc.line, loc.column, loc.end_column, loc.unit


def test_markdown_positions_and_structure():
    findings = _report("services.md").findings
    assert [_where(f) for f in findings] == [
        ("T-TREAT-001", None, 8, 18, 35, "line"),    # plain paragraph
        ("T-TREAT-001", None, 17, 23, 44, "line"),   # inside **strong**, in an "I help with:" list
        ("T-TREAT-001", None, 21, 17, 30, "line"),   # inside *em*, in a table cell
        ("T-LANG-001", None, 24, 6, 14, "line"),     # blockquote, suppressed by the comment above it
    ]
    assert findings[-1].suppressed == "quoted from a client's review"


def test_markdown_skips_front_matter_code_urls_and_negated_lists():
    extracted = read_bytes((FORMATS / "services.md").read_bytes(), "services.md")
    assert "title" not in extracted.text and "I treat anxiety" not in extracted.text
    assert "treat PTSD" not in extracted.text and "example.com" not in extracted.text
    assert "heal trauma" in extracted.text  # link text is linted, its URL is not
    items = [b for b in extracted.blocks if b.kind == "list_item"]
    assert [b.lead_in for b in items] == ["What coaching is not:", "What coaching is not:", "I help with:"]
    assert extracted.front_matter["scopecheck"]["type"] == "marketing"
    assert any(b.quote for b in extracted.blocks)



@pytest.mark.parametrize("front, message", [
    ("---\ntitle: Services\nsummary: plans\n  indented: wrong\n---\n", "front matter is not valid YAML at line 4 ("),
    ("---\n- a list\n---\n", "front matter is not a mapping; it was skipped"),
])
def test_bad_front_matter_is_skipped_with_a_warning_that_says_where(front, message):
    extracted = read_bytes((front + "\nI help you plan your week.\n").encode(), "page.md")
    assert extracted.front_matter == {}
    assert any(w.startswith(f"page.md: {message}") for w in extracted.warnings), extracted.warnings
    assert extracted.text == "I help you plan your week."

def test_html_positions_and_skipped_elements():
    findings = _report("home.html").findings
    assert [_where(f) for f in findings] == [
        ("T-TREAT-001", None, 7, 47, 67, "line"),   # og:description content
        ("T-TREAT-001", None, 21, 25, 42, "line"),
        ("T-TREAT-001", None, 26, 43, 62, "line"),  # img alt: "got rid of her PTSD"
    ]
    text = read_bytes((FORMATS / "home.html").read_bytes(), "home.html").text
    for hidden in ("I treat anxiety", "content:", "Enable scripts", "I treat depression", "We treat OCD"):
        assert hidden not in text
    for visible in ("Willow Path Coaching", "A client who got rid of her PTSD", "Book a free call", "Home", "\u00a9 2024"):
        assert visible in text


def test_html_entities_keep_columns():
    source = "<p>Don&rsquo;t wait: we cure your anxiety.</p>".encode()
    extracted = read_bytes(source, "x.html")
    at = extracted.text.index("cure")
    assert extracted.source_map.locate(at, at + 4).column == source.decode().index("cure") + 1


@pytest.mark.parametrize("source", [
    "I treat \\*anxiety\\* and stress {x}",
    "Stress &amp; worry: I treat anxiety \\{",
    "I treat anxiety &#42; stress &copy; \\[and\\] more",
])
def test_markdown_escapes_and_entities_keep_columns(source):
    extracted = read_bytes(source.encode(), "x.md")
    at = extracted.text.index("anxiety")
    loc = extracted.source_map.locate(at, at + len("anxiety"))
    assert (loc.column, loc.end_column) == (source.index("anxiety") + 1, source.index("anxiety") + 8)


def test_docx_paragraphs_tables_headers_footers():
    findings = _report("agreement.docx").findings
    assert [_where(f) for f in findings] == [
        ("T-TREAT-001", None, 5, 18, 35, "paragraph"),
        ("T-LANG-001", None, 18, 14, 22, "paragraph"),  # in the fees table
    ]
    extracted = read_bytes((FORMATS / "agreement.docx").read_bytes(), "agreement.docx")
    assert "Willow Path Coaching - Coaching Agreement" in extracted.text  # header
    assert "hello@willowpath.example" in extracted.text  # footer
    assert sum(1 for b in extracted.blocks if b.kind == "table_cell") == 9


def test_pdf_page_lines_and_form_fields():
    report = _report("intake-form.pdf")
    assert [_where(f) for f in report.findings] == [("T-TREAT-001", 1, 3, 18, 35, "page-line")]
    extracted = read_bytes((FORMATS / "intake-form.pdf").read_bytes(), "intake-form.pdf")
    assert "Sam Rivera" in extracted.text and "Career change" in extracted.text  # filled-in values
    assert any(b.kind == "form_field" for b in extracted.blocks)
    assert report.documents[0].doc_type == "intake"
    assert report.documents[0].type_source.startswith("heuristic: intake form")


def test_same_claim_same_finding_in_every_format():
    report = _report("services.md", "home.html", "agreement.docx", "intake-form.pdf", "claim.txt")
    seen = {(f.rule_id, f.message, f.excerpt) for f in report.findings if f.excerpt == CLAIM}
    assert len(seen) == 1
    assert {f.path.rsplit(".", 1)[-1] for f in report.findings if f.excerpt == CLAIM} == {"md", "html", "docx", "pdf", "txt"}


@pytest.mark.parametrize("name,data,expected", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "is not a valid Word (.docx) file"),
    ("broken.pdf", b"%PDF-1.7\n garbage", "PDF"),
])
def test_corrupt_files_are_one_line_errors(tmp_path, name, data, expected):
    (tmp_path / name).write_bytes(data)
    report = run([str(tmp_path / name)], Options(rules_dirs=(MINI,), builtin_rules=False))
    doc = report.documents[0]
    assert doc.status == "error" and expected in doc.error and name in doc.error and "\n" not in doc.error
    assert report.exit_code() == 2


def test_zip_bomb_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    (tmp_path / "bomb.docx").write_bytes(buffer.getvalue())
    doc = run([str(tmp_path / "bomb.docx")], Options(rules_dirs=(MINI,), builtin_rules=False)).documents[0]
    assert doc.status == "error" and "zip bomb" in doc.error


def test_encrypted_pdf_is_an_error(tmp_path):
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(str(FORMATS / "intake-form.pdf")))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    writer.write(str(tmp_path / "locked.pdf"))
    doc = run([str(tmp_path / "locked.pdf")], Options(rules_dirs=(MINI,), builtin_rules=False)).documents[0]
    assert doc.status == "error" and "password" in doc.error


def test_markdown_columns_count_characters_after_non_ascii_text():
    source = "# Café naïve — ünïcode\n\nÀ propos: «coach» — we treat anxiety here.\n"
    extracted = read_bytes(source.encode(), "x.md")
    at = extracted.text.index("treat anxiety")
    loc = extracted.source_map.locate(at, at + len("treat anxiety"))
    line = source.split("\n")[2]
    assert (loc.line, loc.column, loc.end_column) == (3, line.index("treat") + 1, line.index("treat") + 14)


def test_markdown_comment_over_several_lines_is_one_directive():
    source = ("Intro line.\n\n<!-- scopecheck: ignore T-LANG-001 --\n"
              "     quoted from a client's review -->\n> My patients said it changed everything.\n")
    extracted = read_bytes(source.encode(), "x.md")
    [directive] = extracted.directives
    assert directive.line == 3 and "client's review" in directive.reason


def test_markdown_autolinks_are_not_text_but_image_alt_text_is():
    source = "See <https://example.com/we-treat-anxiety> and ![we treat anxiety](a.png).\n"
    extracted = read_bytes(source.encode(), "x.md")
    assert extracted.text.count("treat anxiety") == 1
    at = extracted.text.index("treat anxiety")
    assert extracted.source_map.locate(at, at + 5).column == source.index("treat anxiety") + 1


def test_markdown_nested_tight_lists_keep_blocks_and_lead_ins():
    source = "What coaching is not:\n\n- therapy\n- diagnosis:\n  - of depression\n  - of anxiety\n- medical care\n"
    blocks = read_bytes(source.encode(), "x.md").blocks
    items = [(b.kind, b.lead_in) for b in blocks if b.kind == "list_item"]
    assert items == [("list_item", "What coaching is not:"), ("list_item", "What coaching is not:"),
                     ("list_item", "diagnosis:"), ("list_item", "diagnosis:"),
                     ("list_item", "What coaching is not:")]


@pytest.mark.parametrize("source", ["I treat `x` anxiety.", "treat ``` ``` anxiety", "We treat `code`\nanxiety."])
def test_no_phrase_is_matched_across_inline_code(source):
    findings = run_bytes(source)
    assert not [f for f in findings if f.rule_id == "T-TREAT-001"]
    # the same words without the code are a claim
    assert [f.rule_id for f in run_bytes(source.replace("`x` ", "").replace("``` ``` ", "")
                                         .replace("`code`\n", ""))] == ["T-TREAT-001"]


@pytest.mark.parametrize("source", ["<p>I treat <code>x</code> anxiety</p>",
                                    "<p>I treat <span hidden>old copy</span> anxiety</p>",
                                    "<p>I treat <script>track()</script> anxiety</p>"])
def test_no_phrase_is_matched_across_html_left_out(source):
    assert not [f for f in run_bytes(source, "page.html") if f.rule_id == "T-TREAT-001"]
    assert [f.rule_id for f in run_bytes("<p>I treat <b>anxiety</b></p>", "page.html")] == ["T-TREAT-001"]


def run_bytes(source: str, name: str = "page.md"):
    from scopecheck.api import check_one
    from scopecheck.rules.ruleset import load_ruleset
    ruleset = load_ruleset([MINI], builtin=False)
    return check_one(name, source.encode(), ruleset, Options(rules_dirs=(MINI,), builtin_rules=False)).findings


def test_a_pdf_page_whose_layout_has_an_odd_matrix_keeps_its_text():
    # text and line heights come from one pass; a height that cannot be worked out is dropped,
    # the page's text is not
    from scopecheck.readers.pdf import _text_and_line_heights

    class Page:
        def extract_text(self, visitor_text=None):
            if visitor_text is not None:
                visitor_text("Name:", None, None, None, 12)
                visitor_text("Goals:", [1, 0, 0, 1, 0, 700], [1, 0, 0, 1, 0, 0], None, 12)
            return "Name:\nGoals:"

    assert _text_and_line_heights(Page(), with_heights=True) == ("Name:\nGoals:", [700.0])
    assert _text_and_line_heights(Page(), with_heights=False) == ("Name:\nGoals:", [])
