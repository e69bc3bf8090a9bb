"""Guess a document's type from its content, when no flag, front matter or config decides.

The heuristic counts plain signals and explains itself, so `-v` can say why a file was taken
for an intake form or an agreement:

  intake     form fields (blanks "____", check boxes, "Y / N", short "Label:" lines, PDF form
             fields), signature or date lines, screening questions ("Are you currently...?")
  agreement  contract language ("this agreement", "the client agrees", cancellation, refund,
             termination, fees, confidentiality, "by signing") and signature lines

A type is chosen only when the evidence is clear; otherwise the default applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scopecheck.model import Block
from scopecheck.rules.matcher import led_by_first_character
from scopecheck.text.normalize import normalize

# Form fields: blanks and boxes, "Y / N" choices, and short "Label:" lines. Each pattern starts
# with literal text (word boundaries are checked behind it), so the regex engine skips ahead to
# candidates instead of trying every position of the document.
_BLANK = re.compile(r"___+")
_EMPTY_BOX = re.compile(r"\[\s?\]")
_BOX_CHARACTERS = ("\u2610", "\u25a1")
_YES_NO = re.compile(r"y(?<!\wy)(?:es\s*/\s*no|\s*/\s*n)\b")
# a label line ends in a colon: find the colon, then check the line up to it
_LINE_END_COLON = re.compile(r":[ \t]*$", re.MULTILINE)
_LABEL = re.compile(r"[ \t>*-]*[a-z][a-z ()/'-]{1,40}")


def _words_at_boundary(*alternatives: str) -> str:
    r"""`\b(?:alt1|alt2|...)` written so that each alternative starts with a literal letter and
    the boundary is checked behind it: the regex engine then skips ahead to those letters."""
    by_first: dict[str, list[str]] = {}
    for alternative in alternatives:
        by_first.setdefault(alternative[0], []).append(alternative[1:])
    return led_by_first_character({first: "|".join(rests) for first, rests in by_first.items()}, r"\w")


# one pattern per literal start: an alternation of several starts would be tried at every
# s, d and i of the text
_SIGNATURES = (re.compile(r"sign(?<!\wsign)(?:ature|(?:ed)? here)\b"), re.compile(r"date(?<!\wdate)\s*:\s*_"),
               re.compile(r"initial(?<!\winitial)s?\s*:"))
_SCREENING = re.compile("(?:" + _words_at_boundary(
    r"are you (?:currently|now)", r"have you (?:ever|been|had)", r"do you (?:have|take|currently)",
    r"are you (?:taking|under|seeing|in)", r"is there anything", r"how would you rate",
    r"what (?:are|is) your") + r")\b[^?\n]{0,160}\?")
_LONGEST_SCREENING = 200  # at least the longest match: 179 characters, its "?" included
_CONTRACT = re.compile(_words_at_boundary(
    r"this agreement\b", r"the client agrees\b", r"client agrees\b", r"terms (?:and|&) conditions\b",
    r"cancell?ation\b", r"refunds?\b", r"terminat(?:e|ion)\b", r"payment\b", r"fees?\b",
    r"confidential(?:ity)?\b", r"by signing\b", r"liability\b", r"agree(?:s|ment)? to\b",
    r"in witness\b", r"the parties\b"))
_AGREEMENT_TITLE = re.compile(r"\b(?:agreement|contract|terms of (?:service|engagement|coaching)|engagement letter)\b")


@dataclass(frozen=True)
class Guess:
    doc_type: str
    reason: str


def guess_type(text: str, blocks: tuple[Block, ...] | list[Block] = ()) -> Guess | None:
    norm = normalize(text)
    fields = (len(_BLANK.findall(norm)) + len(_EMPTY_BOX.findall(norm)) + sum(map(norm.count, _BOX_CHARACTERS))
              + len(_YES_NO.findall(norm)) + _label_lines(norm) + sum(1 for b in blocks if b.kind == "form_field"))
    signatures = sum(len(pattern.findall(norm)) for pattern in _SIGNATURES)
    headings = " ".join(normalize(text[b.start:b.end]) for b in blocks if b.kind == "heading")
    first = normalize(text[blocks[0].start:blocks[0].end]) if blocks else norm[:200]
    titled_agreement = bool(_AGREEMENT_TITLE.search(first) or _AGREEMENT_TITLE.search(headings[:300]))
    titled_intake = bool(re.search(r"\b(?:intake|application|questionnaire|enrol(?:l)?ment form|"
                                   r"new client form)\b", first + " " + headings[:300]))
    # The two costliest counts are skipped where they cannot change the answer (most web pages
    # have no form fields, signature lines or titles): an intake form needs three fields or an
    # intake title, an agreement a signature line or an agreement title.
    screening = _screening_questions(norm) if (fields >= 3 or titled_intake) else 0
    contract = len(_CONTRACT.findall(norm)) if (signatures or titled_agreement) else 0

    intake_score = fields + 2 * screening + signatures + (4 if titled_intake else 0)
    agreement_score = contract + signatures + (4 if titled_agreement else 0)
    intake_ok = (fields >= 3 and (screening >= 1 or signatures >= 1)) or (titled_intake and fields + screening >= 2)
    agreement_ok = (titled_agreement and contract >= 2) or (contract >= 5 and signatures >= 1)
    if intake_ok and (not agreement_ok or intake_score >= agreement_score):
        return Guess("intake", f"heuristic: intake form ({_count(fields, 'form field')}, "
                               f"{_count(signatures, 'signature/date line')}, "
                               f"{_count(screening, 'screening question')}"
                               + (", titled as a form" if titled_intake else "") + ")")
    if agreement_ok:
        return Guess("agreement", f"heuristic: agreement ({_count(contract, 'contract term')}, "
                                  f"{_count(signatures, 'signature line')}"
                                  + (", titled as an agreement" if titled_agreement else "") + ")")
    return None


def _screening_questions(norm: str) -> int:
    """How many times _SCREENING matches, counted from the question marks: each match ends at
    the first "?" after its opener, so a question mark counts when an opener starts in the
    stretch before it that holds no other "?" and no line break. The openers start with common
    letters, so searching the whole text for them cost more than all the other counts."""
    count = 0
    after_last = 0
    mark = norm.find("?")
    while mark != -1:
        start = max(after_last, norm.rfind("\n", after_last, mark) + 1, mark - _LONGEST_SCREENING)
        if _SCREENING.search(norm, start, mark + 1):
            count += 1
        after_last = mark + 1
        mark = norm.find("?", after_last)
    return count


def _label_lines(norm: str) -> int:
    """Short lines that end in a colon, like "Name:" or "Emergency contact:"."""
    count = 0
    for m in _LINE_END_COLON.finditer(norm):
        if _LABEL.fullmatch(norm, norm.rfind("\n", 0, m.start()) + 1, m.start()):
            count += 1
    return count


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
