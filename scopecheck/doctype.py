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
from scopecheck.text.normalize import normalize

# Form fields: blanks and boxes, "Y / N" choices, and short "Label:" lines. Each pattern starts
# with a literal character (checked behind it), so the regex engine can skip ahead to candidates
# instead of trying every alternative at every position of the document.
_BLANK_OR_BOX = re.compile(r"[_\[\u2610\u25a1](?:(?<=_)__+|(?<=\[)\s?\]|(?<=[\u2610\u25a1]))")
_YES_NO = re.compile(r"y(?<!\wy)(?:es\s*/\s*no|\s*/\s*n)\b")
_LABEL_LINE = re.compile(r"^[ \t>*-]*[a-z][a-z ()/'-]{1,40}:[ \t]*$", re.MULTILINE)
_SIGNATURE = re.compile(r"\bsignature\b|\bsign(?:ed)? here\b|\bdate\s*:\s*_|\binitials?\s*:", re.MULTILINE)
_SCREENING = re.compile(
    r"\b(?:are you (?:currently|now)|have you (?:ever|been|had)|do you (?:have|take|currently)|"
    r"are you (?:taking|under|seeing|in)|is there anything|how would you rate|what (?:are|is) your)\b[^?\n]{0,160}\?")
_CONTRACT = re.compile(
    r"\bthis agreement\b|\bthe client agrees\b|\bclient agrees\b|\bterms (?:and|&) conditions\b|\bcancell?ation\b|"
    r"\brefunds?\b|\bterminat(?:e|ion)\b|\bpayment\b|\bfees?\b|\bconfidential(?:ity)?\b|\bby signing\b|"
    r"\bliability\b|\bagree(?:s|ment)? to\b|\bin witness\b|\bthe parties\b")
_AGREEMENT_TITLE = re.compile(r"\b(?:agreement|contract|terms of (?:service|engagement|coaching)|engagement letter)\b")


@dataclass(frozen=True)
class Guess:
    doc_type: str
    reason: str


def guess_type(text: str, blocks: tuple[Block, ...] | list[Block] = ()) -> Guess | None:
    norm = normalize(text)
    fields = (len(_BLANK_OR_BOX.findall(norm)) + len(_YES_NO.findall(norm)) + len(_LABEL_LINE.findall(norm))
              + sum(1 for b in blocks if b.kind == "form_field"))
    signatures = len(_SIGNATURE.findall(norm))
    screening = len(_SCREENING.findall(norm))
    contract = len(_CONTRACT.findall(norm))
    headings = " ".join(normalize(text[b.start:b.end]) for b in blocks if b.kind == "heading")
    first = normalize(text[blocks[0].start:blocks[0].end]) if blocks else norm[:200]
    titled_agreement = bool(_AGREEMENT_TITLE.search(first) or _AGREEMENT_TITLE.search(headings[:300]))
    titled_intake = bool(re.search(r"\b(?:intake|application|questionnaire|enrol(?:l)?ment form|"
                                   r"new client form)\b", first + " " + headings[:300]))

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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
