"""Text taken from documents and rule packs is escaped in every report format."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from scopecheck.api import Options, run
from scopecheck.outputs import FORMATTERS, formatter

MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
HOSTILE = ("I treat anxiety <script>alert(1)</script> | \"double\" 'single' [link](javascript:alert(1)) "
           "100% %0A ::error file=x::owned, a:b ]]> `tick` *star* <!-- c --> &amp; \\| done.")
NAME = "x<img src=x onerror=alert(1)>,%0A|[y](z):w.txt"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / NAME).write_text(HOSTILE + "\n\nMy patients say hi.\n", encoding="utf-8")
    (folder / "bad<b>,:%.txt").write_bytes(b"\x00binary")
    report = run([str(folder)], Options(rules_dirs=(MINI,), builtin_rules=False))
    out = report.to_dict()
    assert any(f["rule_id"] == "T-TREAT-001" and "<script>" in f["excerpt"] for f in out["findings"])
    return out


def test_every_format_is_covered():
    assert {"html", "markdown", "junit", "github", "sarif", "json", "text"} <= set(FORMATTERS)


def test_html_escapes_markup(data):
    out = formatter("html")(data)
    assert "<script>alert(1)</script>" not in out
    assert "<img src=x onerror" not in out and "<b>," not in out
    assert "&lt;script&gt;" in out
    assert 'href="javascript:' not in out


def test_markdown_keeps_tables_and_links_intact(data):
    out = formatter("markdown")(data)
    assert "<script>alert(1)</script>" not in out.replace("`<script>alert(1)</script>`", "")
    assert not re.search(r"(?<!\\)\]\(javascript:", out)  # a live link would need an unescaped ]
    table: list[int] = []
    for line in out.splitlines() + [""]:
        if line.startswith("|"):
            table.append(len(re.findall(r"(?<!\\)\|", line)))
        elif table:
            assert len(set(table)) == 1, table  # a stray pipe would add a column to one row
            table = []


def test_junit_is_well_formed_and_round_trips(data):
    root = ET.fromstring(formatter("junit")(data))
    texts = " ".join((el.text or "") + " ".join(el.attrib.values()) for el in root.iter())
    assert "<script>alert(1)</script>" in texts  # escaped in the file, restored by the parser
    assert NAME.split(",")[0] in texts


def test_github_annotations_are_percent_encoded(data):
    out = formatter("github")(data)
    lines = out.splitlines()
    assert lines and all(line.startswith("::") for line in lines if line)
    for line in lines:
        head, _, message = line[2:].partition("::")
        assert "\r" not in line
        props = head.split(" ", 1)[1] if " " in head else ""
        for prop in props.split(","):
            key, _, value = prop.partition("=")
            assert ":" not in value and "," not in value, prop
            if key == "file":
                assert Path(unquote(value)).name in (NAME, "bad<b>,:%.txt"), value
    assert "%2C%250A|" in out  # the file name's own ",%0A" cannot turn into a property or a new line


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_round_trip(data, fmt):
    text = formatter(fmt)(data)
    assert "<script>alert(1)</script>" in json.dumps(json.loads(text), ensure_ascii=False)


def test_text_output_has_no_raw_control_characters(tmp_path):
    (tmp_path / "esc.txt").write_text("I treat anxiety \x1b[2J\x1b]0;owned\x07 now.", encoding="utf-8")
    out = formatter("text")(run([str(tmp_path)], Options(rules_dirs=(MINI,), builtin_rules=False)).to_dict())
    assert "treat anxiety" in out
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_a_claim_across_a_line_break_reads_as_one_line(tmp_path, newline):
    (tmp_path / "wrapped.txt").write_bytes(f"We treat{newline}anxiety here.{newline}".encode())
    report = run([str(tmp_path)], Options(rules_dirs=(MINI,), builtin_rules=False))
    finding = next(f for f in report.findings if "treat" in f.message)
    assert "treat anxiety" in finding.message and "\n" not in finding.message and "\r" not in finding.message
    out = formatter("text")(report.to_dict())
    assert "\r" not in out and "\\x0d" not in out
    assert "| We treat anxiety here." in out


def test_the_caret_stays_under_the_match_after_a_line_break_or_control_character(tmp_path):
    # CRLF and ESC change the excerpt's length when shown; the highlight must still line up
    (tmp_path / "marks.txt").write_bytes(b"Calm\x1b[0m words, and\r\nwe treat anxiety here.\r\n")
    report = run([str(tmp_path)], Options(rules_dirs=(MINI,), builtin_rules=False))
    out = formatter("text")(report.to_dict()).splitlines()
    for i, line in enumerate(out[:-1]):
        if line.startswith("    | ") and out[i + 1].lstrip(" |").startswith("^") and "treat" in line:
            caret = out[i + 1]
            start = caret.index("^")
            assert line[start:start + len(caret) - start].startswith("treat anxiety")
            break
    else:
        raise AssertionError("no excerpt with a caret for the claim")
