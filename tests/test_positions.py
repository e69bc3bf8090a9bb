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
