"""Split blocks into sentences. Work is linear in the text: one regex scan per block."""
from __future__ import annotations

import re

from scopecheck.model import Block, Sentence

# Sentence ends: a run of . ! ? (with closing quotes or brackets) before a space or the end, a
# blank line, or a semicolon before a space. Every alternative starts with a literal character,
# so the regex engine skips straight to those characters instead of trying each position. The
# spaces after an end are taken too (group 1), up to a line break (which may start a blank
# line, itself an end): the next sentence usually starts where they stop.
_BOUNDARY = re.compile("(?:" + "|".join(
    [re.escape(mark) + r"""[.!?]*['")\]]*(?:(?=\s)|$)""" for mark in ".!?"] + [r"\n\s*\n", r";(?=\s)"])
    + r")([^\S\n]*)")
_ABBREVIATIONS = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "eg", "ie",
    "u.s", "u.k", "ph.d", "no", "approx", "incl", "dept", "min", "max", "cf", "al", "inc", "ltd",
})
_LONGEST = max(map(len, _ABBREVIATIONS))
_WORD_BEFORE = re.compile(r"([\w.]+)$")

# one "sentence" never grows without bound: guards only ever look at a window around a match
MAX_SENTENCE = 4000


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    if dot - start >= _LONGEST + 1 and text[dot - _LONGEST - 1:dot].isalnum():
        return False  # a word longer than any abbreviation: most sentence ends
    m = _WORD_BEFORE.search(text, max(start, dot - 12), dot)
    if not m:
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, blocks: tuple[Block, ...] | list[Block]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for index, block in enumerate(blocks):
        start = block.start
        for m in _BOUNDARY.finditer(text, block.start, block.end):
            end = m.start(1)
            if text[m.start()] == ".":
                # "e.g. coaching" goes on, "... etc. Then" starts a new sentence: an
                # abbreviation only matters where no capital follows, and most ends have one
                nxt = text[end:end + 3].lstrip()
                if (not nxt or not nxt[0].isupper()) and _is_abbreviation(text, start, m.start()):
                    continue
            _emit(text, start, end, index, sentences)
            start = m.end()
        _emit(text, start, block.end, index, sentences)
    return sentences


_new_tuple = tuple.__new__  # a NamedTuple's own __new__ is a Python function: a page has hundreds


def _emit(text: str, start: int, end: int, block: int, out: list[Sentence]) -> None:
    if start < end <= start + MAX_SENTENCE and not (text[start].isspace() or text[end - 1].isspace()):
        out.append(_new_tuple(Sentence, (start, end, block)))  # nearly every sentence: nothing to trim
        return
    stretch = text[start:end]
    kept = stretch.strip()
    if not kept:
        return
    start += len(stretch) - len(stretch.lstrip())
    end = start + len(kept)
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
        out.append(Sentence(start, cut, block))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, block))
