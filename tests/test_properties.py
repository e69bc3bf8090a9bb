"""Property tests: random Unicode and random Markdown never crash the checker, and every
finding's position points at exactly the text it quotes."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopecheck.api import Options, check_one
from scopecheck.rules.ruleset import load_ruleset
from scopecheck.text.sourcemap import LineIndex

RULESET = load_ruleset([Path(__file__).parent / "fixtures" / "packs" / "mini"], builtin=False)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
WORDS = ["I", "treat", "heal", "your", "anxiety", "PTSD", "panic attacks", "no more", "patients", "therapy session",
         "not", "don't", "suicide", "988", "Coaching is not therapy", "\u00e9", "\u0130", "\U0001f600", "\u200b",
         "\u00a0", "\r\n", "\r", "\n", "\t", "-", "\u2014", ".", "?", "!", ";", ":", "|", "#", "> ", "* ", "1. ",
         "```", "---", "<b>", "[x](y)", "\ufeff", "\u2028", "\x85", "\u0301"]
LINES = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=14).map(" ".join)
MARKDOWN = st.lists(st.tuples(st.sampled_from(["", "# ", "## ", "- ", "  - ", "1. ", "> ", "| ", "    "]), LINES),
                    max_size=12).map(lambda rows: "\n".join(p + t for p, t in rows))


def _check_positions(source: str, name: str) -> int:
    # LF, CRLF and a lone CR each end a line, in every reader
    result = check_one(name, source.encode("utf-8", "surrogatepass"), RULESET, Options())
    if result.status == "error":
        assert "internal error" not in result.error, result.error
        return 0
    lines = re.split("\r\n|\r|\n", source)
    index = LineIndex(source)
    for f in result.findings:
        loc = f.location
        assert 1 <= loc.line <= len(lines) and 1 <= loc.end_line <= len(lines), (f, len(lines))
        assert 1 <= loc.column <= len(lines[loc.line - 1]) + 1
        assert 1 <= loc.end_column <= len(lines[loc.end_line - 1]) + 1
        matched = f.excerpt[f.highlight[0]:f.highlight[1]]
        if not matched:
            continue  # require findings point at a place, not at text
        start = index._starts[loc.line - 1] + loc.column - 1
        end = index._starts[loc.end_line - 1] + loc.end_column - 1
        # a match may span a soft line break, which a reader extracts as a single space
        assert source[start:end].split() == matched.split(), (source[start:end], matched, loc)
        assert source[start:start + 1] == matched[:1] and source[end - 1:end] == matched[-1:]
    return len(result.findings)


def test_the_position_check_sees_findings():
    text = "# Help\r\n\n- I treat\u00a0anxiety \U0001f600 and heal your PTSD.\n> No more panic attacks!"
    assert _check_positions(text, "fixed.md") >= 2
    assert _check_positions(text, "fixed.txt") >= 2
    old_mac = "# Help\r\rI treat\ranxiety and heal\ryour PTSD.\r\r> No more panic attacks!"
    assert _check_positions(old_mac, "old-mac.md") >= 2
    assert _check_positions(old_mac, "old-mac.txt") >= 2


@SETTINGS
@given(text=st.text(max_size=300))
def test_random_unicode_text(text):
    _check_positions(text, "random.txt")


@SETTINGS
@given(text=MARKDOWN)
def test_random_markdown(text):
    _check_positions(text, "random.md")


@SETTINGS
@given(text=MARKDOWN)
def test_random_plain_text_with_claims(text):
    _check_positions(text, "random.txt")


def _positions(name: str, source: str) -> list[tuple]:
    result = check_one(name, source.encode("utf-8", "surrogatepass"), RULESET, Options())
    return sorted((f.rule_id, f.location.line, f.location.column, f.location.end_line, f.location.end_column)
                  for f in result.findings)


@SETTINGS
@given(text=MARKDOWN, name=st.sampled_from(["random.md", "random.txt"]))
def test_a_lone_carriage_return_is_a_line_feed(text, name):
    old_mac = re.sub("\r?\n", "\r", text)
    assert _positions(name, old_mac) == _positions(name, re.sub("\r(?!\n)", "\n", old_mac))



_FOLDED = "\u2018\u2019\u201a\u201b\u2032`\u201c\u201d\u201e\u201f\u00ab\u00bb\u2010\u2011\u2012\u2013\u2014\u2015\u2212" \
          "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\t\r\u00ad\u200b\ufeff\u2026"


def _folded_by_the_table(text: str) -> str:
    from scopecheck.text.normalize import _FOLD
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text).translate(_FOLD)


def test_normalize_folds_every_table_character_in_ascii_and_in_other_text():
    from scopecheck.text.normalize import _FOLD, normalize
    assert {chr(code) for code in _FOLD} == set(_FOLDED)
    for char in _FOLDED:
        for text in (f"A{char}b", f"\u00c9{char}\u2713 \u0130{char}"):  # ASCII around it; accents too
            assert normalize(text) == _folded_by_the_table(text), (char, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(_FOLDED + "\u0130\u00e9\u2713ABC abc'\"-."), st.characters()),
               max_size=60))
def test_normalize_matches_the_translate_table_on_any_text(text):
    from scopecheck.text.normalize import normalize
    assert normalize(text) == _folded_by_the_table(text)
    assert len(normalize(text)) == len(text)


@SETTINGS
@given(st.one_of(LINES, st.text(max_size=60)), st.integers(0, 80), st.integers(0, 80))
def test_spaced_text_splits_into_the_same_tokens_as_the_regex(text, a, b):
    from scopecheck.rules.matcher import _ANCHOR, anchor_spaced
    spaced = anchor_spaced(text)
    assert len(spaced) == len(text)
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    assert spaced[a:b].split() == _ANCHOR.findall(text, a, b)
    assert spaced[a:b].replace("'", " ").split() == re.findall(r"\w+", text[a:b])


def test_spaced_text_covers_every_ascii_character():
    from scopecheck.rules.matcher import _ANCHOR, anchor_spaced
    every = "".join(map(chr, range(128)))
    text = " ".join(f"a{c}b" for c in every)
    assert anchor_spaced(text).split() == _ANCHOR.findall(text)
