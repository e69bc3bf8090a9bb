"""Line and column positions on multi-line text are exact (1-based, columns in characters)."""
from __future__ import annotations


def test_positions_on_multiline_text(mini_check):
    text = "# Title\n\nFirst line is fine.\nThen — “I heal PTSD” — and more.\n\n- Bullet: we cure OCD ✨\n"
    findings = sorted(mini_check(text), key=lambda f: f.line)
    lines = text.split("\n")
    assert [(f.line, f.column) for f in findings] == [(4, 11), (6, 14)]
    for f in findings:
        line = lines[f.line - 1]
        assert f.location.end_line == f.line
        assert line[f.column - 1:f.location.end_column - 1] == f.excerpt[f.highlight[0]:f.highlight[1]]


def test_match_across_a_line_break(mini_check):
    text = "In my practice I treat\nanxiety every day.\n"
    [f] = mini_check(text)
    assert (f.line, f.column, f.location.end_line, f.location.end_column) == (1, 18, 2, 8)


def test_crlf_and_non_ascii(mini_check):
    text = "Café owners:\r\n\r\nÉtienne says I cure anxiety.\r\n"
    [f] = mini_check(text)
    assert (f.line, f.column) == (3, 16)


# --- line endings: LF, CRLF and a lone CR (old Mac files) are all one line break ---------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from scopecheck.api import Options, check_one  # noqa: E402
from scopecheck.readers import read_bytes  # noqa: E402
from scopecheck.rules.ruleset import load_ruleset  # noqa: E402

MINI = load_ruleset([Path(__file__).parent / "fixtures" / "packs" / "mini"], builtin=False)
PAGE = ("# Welcome\n\nMy patients say:\nI treat anxiety.\nWe cure\nOCD too.\n\n"
        "- first\n- Then I heal\n  your PTSD.\n\nNo more panic attacks!\n")
# (rule, line, column, end line, end column), the same whatever ends the lines and whatever the reader
PAGE_FINDINGS = [("T-LANG-001", 3, 4, 3, 12), ("T-TREAT-001", 4, 3, 4, 16), ("T-TREAT-001", 5, 4, 6, 4),
                 ("T-TREAT-001", 9, 10, 10, 12), ("T-TREAT-001", 12, 1, 12, 22)]


def _findings(name: str, text: str) -> list[tuple]:
    result = check_one(name, text.encode("utf-8"), MINI, Options())
    assert result.status != "error", result.error
    return sorted((f.rule_id, f.line, f.column, f.location.end_line, f.location.end_column)
                  for f in result.findings if f.suppressed is None)


def _source_at(text: str, f) -> str:
    """The source between a finding's start and end, counting lines as an editor does."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return text[starts[f.line - 1] + f.column - 1:starts[f.location.end_line - 1] + f.location.end_column - 1]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_every_line_ending_gives_the_same_findings_at_the_same_place(suffix, newline):
    text = PAGE.replace("\n", newline)
    assert _findings("page" + suffix, text) == PAGE_FINDINGS
    for f in check_one("page" + suffix, text.encode(), MINI, Options()).findings:
        matched = f.excerpt[f.highlight[0]:f.highlight[1]]
        assert _source_at(text, f).split() == matched.split(), (f.rule_id, f.line, f.column)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_mixed_line_endings_in_one_file(suffix):
    text = "Intro line\rthen I heal\r\nyour PTSD.\n\rNo more panic attacks!"
    assert _findings("mixed" + suffix, text) == [("T-TREAT-001", 2, 8, 3, 10), ("T-TREAT-001", 5, 1, 5, 22)]


def test_lone_carriage_returns_give_the_plain_text_reader_the_same_structure():
    page = PAGE.replace("My patients say:", "My patients say:\n") + "Name: ____\n"
    lf = read_bytes(page.encode(), "page.txt")
    cr = read_bytes(page.replace("\n", "\r").encode(), "page.txt")
    assert cr.blocks == lf.blocks and cr.text == lf.text
    assert [b.kind for b in cr.blocks] == ["heading", "paragraph", "paragraph", "list_item", "list_item",
                                           "paragraph", "form_field"]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_front_matter_with_every_line_ending(suffix, newline):
    text = "---\nscopecheck: {type: intake}\n---\nI treat anxiety.\n".replace("\n", newline)
    extracted = read_bytes(text.encode(), "page" + suffix)
    assert extracted.front_matter == {"scopecheck": {"type": "intake"}} and not extracted.warnings
    assert ("T-TREAT-001", 4, 3, 4, 16) in _findings("page" + suffix, text)


def test_locations_do_not_depend_on_the_order_they_are_asked_in():
    # the source map starts its search at the piece it found last; any order gives the same answers
    import random

    from scopecheck.text.sourcemap import SourceMap
    source = "# Heading\n\nSome *emphasis* and a [link](https://x.example) here.\n\n- item one\n- item **two**\n"
    extracted = read_bytes(source.encode(), "page.md")
    spans = [(a, min(len(extracted.text), a + n)) for a in range(len(extracted.text) + 1) for n in (0, 1, 5, 30)]
    fresh = {span: SourceMap("line", pieces=extracted.source_map._pieces).locate(*span) for span in spans}
    assert len({loc.line for loc in fresh.values()}) >= 4
    rng = random.Random(4)
    for _ in range(3):
        rng.shuffle(spans)
        warm = SourceMap("line", pieces=extracted.source_map._pieces)
        assert [warm.locate(*span) for span in spans] == [fresh[span] for span in spans]
