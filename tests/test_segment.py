"""Sentence splitting: where sentences end, and what an abbreviation or a long run changes."""
from __future__ import annotations

import pytest

from scopecheck.model import Block
from scopecheck.text.segment import MAX_SENTENCE, split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text, [Block("paragraph", 0, len(text))])]


@pytest.mark.parametrize("text, expected", [
    ("I coach. You decide!  Ready? Yes", ["I coach.", "You decide!", "Ready?", "Yes"]),
    ("Goals first; then habits.", ["Goals first;", "then habits."]),
    ('She said "stop." Then left.', ['She said "stop."', "Then left."]),
    ("Wait... what?! Fine.", ["Wait...", "what?!", "Fine."]),
    ("One\n\nTwo", ["One", "Two"]),
    ("  padded.   ", ["padded."]),
    ("   ", []),
    # an abbreviation or an initial goes on when no capital follows it ...
    ("Tools, e.g. journaling, help.", ["Tools, e.g. journaling, help."]),
    ("Talk to a dr. about it.", ["Talk to a dr. about it."]),
    ("Plan a. then b.", ["Plan a. then b."]),
    # ... and ends the sentence when one does
    ("Bring notes, pens etc. Then we start.", ["Bring notes, pens etc.", "Then we start."]),
    ("Ask Dr. Smith.", ["Ask Dr.", "Smith."]),
    # a word too long to be an abbreviation always ends it
    ("We practise mindfulness. every day", ["We practise mindfulness.", "every day"]),
    ("Version 2. then", ["Version 2.", "then"]),
    # an initial that goes on still stops at a blank line after it
    ('Thanks, R.\n\n"It helped."', ["Thanks, R.", '"It helped."']),
    ("Thanks, R. \n \nthey said", ["Thanks, R.", "they said"]),
    # spaces of any kind after an end, and a line break, are not part of either sentence
    ("One.\u00a0\tTwo.\nThree", ["One.", "Two.", "Three"]),
])
def test_sentence_ends(text, expected):
    assert _sentences(text) == expected


def test_a_run_without_ends_is_cut_at_spaces_below_the_limit():
    text = ("word " * 2000).strip()
    parts = _sentences(text)
    assert len(parts) >= 3 and all(len(p) <= MAX_SENTENCE for p in parts)
    assert " ".join(parts) == text


def test_sentences_stay_inside_their_block():
    text = "First block ends\n\nSecond. Block"
    blocks = [Block("paragraph", 0, 16), Block("paragraph", 18, len(text))]
    found = split_sentences(text, blocks)
    assert [(text[s.start:s.end], s.block) for s in found] == [
        ("First block ends", 0), ("Second.", 1), ("Block", 1)]
