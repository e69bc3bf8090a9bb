"""Normalise text for matching without changing its length, so offsets stay valid."""
from __future__ import annotations

# Every replacement is one character for one character.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\t": " ", "\u00ad": " ", "\u200b": " ", "\ufeff": " ",
    "\u2026": ".",
})


def normalize(text: str) -> str:
    """Lower-case, straight quotes, plain dashes and spaces; same length as the input."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # a few characters (e.g. U+0130) lower-case to two; keep those as they are
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return lowered.translate(_FOLD)
