"""--fix never corrupts a file: only the intended spans change, whatever the line endings,
byte-order mark, encoding or script of the text around them."""
from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import MINI_PACK
from scopecheck.api import Options, check_one, load_rules
from scopecheck.fix import plan_document, rewrite

OPTIONS = Options(rules_dirs=(MINI_PACK,), builtin_rules=False, select=("T-LANG",))
RULES = load_rules(OPTIONS)
# neutral filler (no negation, question or third-party cues), much of it outside ASCII
FILLER = ["café", "naïve", "über", "日本語", "résumé", "Ωmega", "emoji🙂", "growth", "goals", "plan",
          "Zoë", "señora", "straße", "weekly", "calm", "focus"]
KEYS = {"patients": "clients", "Patients": "Clients", "therapy session": "coaching session",
        "Therapy Session": "Coaching session"}
ENCODINGS = [(b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
             (codecs.BOM_UTF16_BE, "utf-16-be")]

token = st.one_of(st.sampled_from(FILLER).map(lambda w: (w, w)), st.sampled_from(sorted(KEYS.items())))
separator = st.sampled_from([" ", " ", " ", ". ", "\n", ".\n\n"])


@st.composite
def documents(draw):
    tokens = draw(st.lists(token, min_size=1, max_size=25))
    seps = draw(st.lists(separator, min_size=len(tokens), max_size=len(tokens)))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    before = "".join(t[0] + s for t, s in zip(tokens, seps)).replace("\n", newline)
    after = "".join(t[1] + s for t, s in zip(tokens, seps)).replace("\n", newline)
    return before, after


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.sampled_from(ENCODINGS), st.sampled_from(["page.txt", "page.md"]))
def test_fix_changes_only_the_intended_spans(doc, encoding, name):
    before, expected = doc
    bom, codec = encoding
    data = bom + before.encode(codec)
    result = check_one(name, data, RULES, OPTIONS)
    assert result.status != "error", result.error
    file_fix, notes = plan_document(result, data)
    if before == expected:
        assert file_fix is None
        return
    assert file_fix is not None, notes
    assert not notes
    assert file_fix.updated.startswith(bom)
    assert file_fix.updated == bom + expected.encode(codec)
    assert file_fix.updated.count(b"\r") == data.count(b"\r")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8), st.text(max_size=5)),
                                      max_size=6))
def test_rewrite_keeps_everything_outside_the_edits(text, raw_edits):
    edits = []
    for start, length, replacement in raw_edits:
        start = min(start, len(text))
        edits.append((start, min(start + length, len(text)), replacement))
    out = rewrite(text, edits)
    # replay: the kept, non-overlapping edits in order reproduce the output exactly
    pieces, last = [], 0
    for start, end, replacement in sorted(edits):
        if start < last:
            continue
        pieces += [text[last:start], replacement]
        last = end
    assert out == "".join(pieces) + text[last:]
    if not edits:
        assert out == text
