"""Normalise text for matching without changing its length, so offsets stay valid."""
from __future__ import annotations

import re

# Every replacement is one character for one character. The CR of a CRLF reads as a space, so a
# phrase that runs across a Windows line break matches as it does across a plain LF.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\t": " ", "\r": " ", "\u00ad": " ", "\u200b": " ", "\ufeff": " ",
    "\u2026": ".",
})


_FOLD_PAIRS = tuple((chr(code), plain) for code, plain in _FOLD.items())
_ASCII_FOLD_PAIRS = tuple((char, plain) for char, plain in _FOLD_PAIRS if char.isascii())


def normalize(text: str) -> str:
    """Lower-case, straight quotes, plain dashes and spaces; same length as the input."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # a few characters (e.g. U+0130) lower-case to two; keep those as they are
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    # str.translate looks each distinct character up in the table, and one that is not there
    # costs an exception: a short heading paid more for that than for anything else, and accented
    # copy ran at about 15 MB/s. Replacing just the characters present takes a pass or two in C.
    for char, plain in (_ASCII_FOLD_PAIRS if lowered.isascii() else _FOLD_PAIRS):
        if char in lowered:
            lowered = lowered.replace(char, plain)
    return lowered


_LONE_CR = re.compile(r"\r(?!\n)")


def lone_cr_to_lf(text: str) -> str:
    """Old Mac line endings: a carriage return not followed by a line feed becomes a line feed.

    Every reader counts LF, CRLF and a lone CR as one line break, as editors do. The length does
    not change, so offsets into the result are offsets into the source; CRLF is kept as it is.
    """
    if text.count("\r") == text.count("\r\n"):  # no lone CR (the common case): no copy
        return text
    return _LONE_CR.sub("\n", text)
