"""What a phrase matches, whichever element it is anchored on: the matcher turns each phrase
into a pattern for its anchor and what follows, and one for what comes before it, matched over
the reversed text. These cases pin the phrase language's choices on both sides of the anchor."""
from __future__ import annotations

import pytest

from scopecheck.rules.lexicon import Lexicon
from scopecheck.rules.matcher import Matcher
from scopecheck.rules.phrases import compile_phrase
from scopecheck.text.normalize import normalize

LEXICONS = {
    "treat-verb": Lexicon("treat-verb", "verb", ("treat", "cure")),
    "condition": Lexicon("condition", "noun", ("anxiety", "panic attack", "panic", "ptsd")),
    "possessive": Lexicon("possessive", "none", ("your", "their")),
}


def _matches(phrase: str, text: str) -> list[tuple[str, dict[str, str]]]:
    """(matched text, slot name -> slot text) for every hit of one phrase in text."""
    matcher = Matcher([(compile_phrase(phrase, LEXICONS), (0, "match", 0))])
    norm = normalize(text)
    return [(norm[h.start:h.end], {name: norm[a:b] for name, a, b in h.slots}) for h in matcher.scan(norm)]


@pytest.mark.parametrize("text, expected", [
    ("I treat anxiety.", [("treat anxiety", {"treat-verb": "treat", "condition": "anxiety"})]),
    ("We cured their panic attacks!", [("cured their panic attacks",
                                        {"treat-verb": "cured", "possessive": "their", "condition": "panic attacks"})]),
    # the longest form that lets the phrase end at a word boundary
    ("She treats panic daily.", [("treats panic", {"treat-verb": "treats", "condition": "panic"})]),
    ("treating anxiety-free living", [("treating anxiety", {"treat-verb": "treating", "condition": "anxiety"})]),
    # hyphens and line breaks separate words as spaces do
    ("I treat-anxiety and cure\nPTSD", [("treat-anxiety", {"treat-verb": "treat", "condition": "anxiety"}),
                                         ("cure\nptsd", {"treat-verb": "cure", "condition": "ptsd"})]),
])
def test_slots_before_and_after_the_anchor(text, expected):
    assert _matches("{treat-verb} {possessive?} {condition}", text) == expected


@pytest.mark.parametrize("text", [
    "We retreat anxiety.",  # the first word must start a word
    "don'ttreat anxiety",
    "I treat anxietyness",  # and the last must end one
    "I treat my anxiety",  # no gap where the phrase has none
    "I treat. Anxiety",  # a sentence end is not a separator
])
def test_no_match_across_word_or_sentence_edges(text):
    assert _matches("{treat-verb} {possessive?} {condition}", text) == []


@pytest.mark.parametrize("text, expected", [
    ("coaching is not a form of therapy", ["not a form of therapy"]),
    ("not therapy", ["not therapy"]),
    ("not one bit like therapy", ["not one bit like therapy"]),
    ("not in one bit like therapy", []),  # four words: more than the gap allows
    ("this is not, as such, therapy", []),  # gap words stop at punctuation
])
def test_gaps_take_the_fewest_words(text, expected):
    assert [m for m, _ in _matches("not {gap:3} therapy", text)] == expected


def test_a_gap_before_the_anchor_is_matched_backwards_as_tightly():
    # "i" and "we" are common words, so the phrase is anchored on the condition and the gap
    # before it is walked from the anchor outwards, fewest words first
    phrase = "(i|we) {gap:2} {condition}"
    assert [m for m, _ in _matches(phrase, "we help with PTSD")] == ["we help with ptsd"]
    assert [m for m, _ in _matches(phrase, "we help with all your PTSD")] == []
    assert [m for m, _ in _matches(phrase, "we we ptsd")] == ["we ptsd"]


def test_a_gap_after_the_anchor_is_as_tight_as_each_start_allows():
    # anchored on "help" (fewer anchor words than the lexicon): one hit per start
    assert [m for m, _ in _matches("(help|helps) {gap:2} {condition}", "help help ptsd")] == [
        "help help ptsd", "help ptsd"]


def test_alternatives_fall_back_when_what_follows_does_not_fit():
    # "panic attack" is tried first; when the phrase needs "attack" after the slot, "panic" fits
    assert _matches("{condition} attack", "a panic attack") == [("panic attack", {"condition": "panic"})]
    assert _matches("{condition} (attacks|disorder)", "a panic attacks") == [("panic attacks", {"condition": "panic"})]


def test_an_optional_word_before_the_anchor_is_taken_when_present():
    assert [m for m, _ in _matches("(clinical)? {condition} (treatment)", "clinical anxiety treatment")] == [
        "clinical anxiety treatment"]
    assert [m for m, _ in _matches("(clinical)? {condition} (treatment)", "anxiety treatment")] == [
        "anxiety treatment"]


def test_every_anchor_occurrence_gives_its_own_hit():
    assert [m for m, _ in _matches("{treat-verb} {condition}", "treat anxiety, cure panic, treat ptsd")] == [
        "treat anxiety", "cure panic", "treat ptsd"]


def _matches_in_sentences(phrase: str, text: str) -> list[str]:
    """Hits of one phrase when the text is scanned sentence by sentence, as the checker does."""
    from scopecheck.readers.markdown import read_text
    from scopecheck.text.segment import split_sentences
    extracted = read_text(text, "page.md")
    matcher = Matcher([(compile_phrase(phrase, LEXICONS), (0, "match", 0))])
    norm = normalize(extracted.text)
    sentences = [(s.start, s.end) for s in split_sentences(extracted.text, extracted.blocks)]
    return [norm[h.start:h.end] for h in matcher.scan(norm, segments=sentences)]


@pytest.mark.parametrize("text", [
    # each sentence holds both words, so only the sentence edge keeps them apart
    "# How we treat\n\nAnxiety is something we treat with care.",  # a heading and its paragraph
    "Panic: we cure it. We treat\n\nanxiety as information we treat kindly.",  # two paragraphs
    "Here you can treat; anxiety we treat later.",  # a semicolon ends a sentence
])
def test_a_phrase_stays_inside_its_sentence(text):
    assert _matches_in_sentences("{treat-verb} {possessive?} {condition}", text) == []
    # the words on either side still match where they share a sentence
    assert _matches_in_sentences("{treat-verb} {possessive?} {condition}", text + " We treat PTSD.") == ["treat ptsd"]


def test_a_heading_does_not_run_into_the_paragraph_under_it():
    from scopecheck import check_text
    page = "# About\n\nI help leaders grow.\n\n## Coaching and therapy\n\nCoaching is about your goals. Coaching is not therapy.\n"
    assert [f.rule_id for f in check_text(page, doc_type="marketing") if f.rule_id.startswith("SC-TREAT")] == []
