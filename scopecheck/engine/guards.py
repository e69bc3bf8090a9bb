"""Guards: decide whether a candidate match is really the author's claim.

Each guard looks only at a bounded window around the match (its clause, its sentence, its
block's heading), so the cost per candidate is constant whatever the document's length.
A guard returns a short reason when it silences a match, or None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from scopecheck.engine.context import Cues
from scopecheck.model import Block

GUARDS = ("negation", "third-party", "question", "conditional", "attribution", "lived-experience")
WINDOW_BEFORE = 160  # characters of the clause before a match that guards look at
WINDOW_AFTER = 100
NEGATION_TOKENS = 9  # a negation cue scopes over at most this many words
_TOKEN = re.compile(r"[\w']+")
_CLAUSE_PUNCT = re.compile(r"[;!?]|\s-\s|\.\s|:\s(?=[a-z]*\s*(?:i|we|my|our)\b)")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    block: Block
    category: str = ""
    # the clause around the match, worked out once for all the guards that read it
    clause_before: str | None = field(default=None, compare=False, repr=False)
    clause_after: str | None = field(default=None, compare=False, repr=False)


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _clause_before(norm: str, cand: Candidate, cues: Cues) -> str:
    """The part of the match's clause that precedes it, cut at the last terminator."""
    if cand.clause_before is not None:
        return cand.clause_before
    start = max(cand.sentence_start, cand.start - WINDOW_BEFORE)
    before = norm[start:cand.start]
    cut = 0
    for m in _CLAUSE_PUNCT.finditer(before):
        cut = m.end()
    for m in cues.terminators.finditer(before):
        if m.end() > cut:
            cut = m.end()
    cand.clause_before = before[cut:]
    return cand.clause_before


def _clause_after(norm: str, cand: Candidate, cues: Cues) -> str:
    if cand.clause_after is not None:
        return cand.clause_after
    after = norm[cand.end:min(cand.sentence_end, cand.end + WINDOW_AFTER)]
    m = _CLAUSE_PUNCT.search(after)
    end = m.start() if m else len(after)
    t = cues.terminators.search(after, 0, end)
    cand.clause_after = after[:t.start() if t else end]
    return cand.clause_after


def negation(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    block = cand.block
    label = block.lead_in or block.heading  # the nearest lead-in decides, then the heading
    if label and cues.negates_label(label):
        return f"listed under \"{label.strip()[:60]}\""
    clause = _mask(_clause_before(norm, cand, cues), cues.pseudo_negation)
    tokens = list(_TOKEN.finditer(clause))
    window_start = tokens[-NEGATION_TOKENS].start() if len(tokens) > NEGATION_TOKENS else 0
    hits = list(cues.negation.finditer(clause, window_start))
    if hits:
        cue = hits[-1].group().strip()
        if not _is_intensifier(clause, hits[-1]):
            return f"negated by \"{cue}\""
    after = _clause_after(norm, cand, cues)
    m = cues.post_negation.search(after[:60])
    if m:
        return f"negated after the match by \"{m.group().strip()}\""
    return None


_INTENSIFIER_AFTER = re.compile(r"\s*(?:more|longer|need|needed|need for|free|further|matter)\b")


def _is_intensifier(clause: str, hit: re.Match[str]) -> bool:
    """'no more', 'no need for', 'never again' negate the symptom, not the coach's act."""
    cue = hit.group().strip()
    if cue in ("no", "never", "n't", "not", "without"):
        if _INTENSIFIER_AFTER.match(clause, hit.end()):
            return True
    if cue == "n't" and re.match(r"\s*(?:need|have to)\b", clause[hit.end():]):
        # "you don't need therapy" claims care is unnecessary; it is not a disclaimer
        return True
    return False


# "the office of a very good trauma therapist", "see your counselor": a title that is the object
# of a preposition or of a verb like see/ask/hire, or follows his/her/their, names another person.
# "your" alone does not: "I'm your anxiety coach" is the author speaking.
_OTHER_PERSON_TITLE = re.compile(
    r"(?:\b(?:of|from|by|to|see|seeing|saw|visit|visiting|ask|asking|find|finding|hire|hiring|"
    r"recommend|contact)\s+(?:a|an|the|your|my|his|her|their|our)?|\b(?:his|her|their)|\bmy own)"
    r"\s+(?:[\w'-]+\s+){0,2}$")


def third_party(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    if cand.category == "clinical-title":
        before = norm[max(cand.sentence_start, cand.start - 60):cand.start]
        m = _OTHER_PERSON_TITLE.search(before)
        if m:
            return f"someone else's title (\"{m.group().strip()}\")"
    clause = _clause_before(norm, cand, cues)
    last_other = None
    for m in cues.third_party.finditer(clause):
        last_other = m
    if last_other:
        later_self = [m for m in cues.self_subject.finditer(clause, last_other.end())]
        if not later_self:
            return f"the subject is \"{last_other.group().strip()}\""
    after = _clause_after(norm, cand, cues)[:80]
    m = re.search(r"\bby\b", after)
    if m and cues.third_party.search(after[m.end():m.end() + 50]):
        return "done by someone else (passive with \"by\")"
    return None


def question(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    sentence = norm[cand.sentence_start:cand.sentence_end].strip()
    tail = norm[cand.end:cand.sentence_end]
    is_question = sentence.endswith("?") or "?" in tail or bool(cues.form_markers.search(sentence))
    if not is_question:
        return None
    if cues.rhetorical.search(sentence):
        return None
    if doc_type == "intake" or cues.question_openers.match(sentence.lstrip("-*•0123456789.) ")):
        return "a question to the reader, not a claim"
    return None


_READER_CONDITION = re.compile(
    r"\b(?:if|when|whenever|should)\s+(?:you|you're|you've|you'd|your|anyone|someone|a client|clients)\b")


def conditional(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    sentence_start = cand.sentence_start
    head = norm[sentence_start:cand.start]
    stripped = head.lstrip("-*•0123456789.) \"'")
    offset = len(head) - len(stripped)
    opener = cues.conditional_openers.match(stripped)
    if opener:
        # the match must sit inside the conditional clause, before its comma
        clause_end = norm.find(",", sentence_start + offset, cand.sentence_end)
        if clause_end == -1 or clause_end >= cand.end:
            rest = norm[clause_end + 1:cand.sentence_end] if clause_end != -1 else ""
            if rest and cues.outward.search(rest):
                return "an outward conditional (if ..., please see / call ...)"
    # "Coaching is not the right fit if you are experiencing psychosis": a condition about the
    # reader inside a sentence whose main clause turns them away or sends them elsewhere
    reader = None
    for reader in _READER_CONDITION.finditer(head):
        pass
    if reader is not None and head[:reader.start()].strip():
        comma = norm.find(",", cand.end, cand.sentence_end)
        main = head[:reader.start()] + (norm[comma:cand.sentence_end] if comma != -1 else "")
        if cues.outward.search(main) or cues.negation.search(_mask(main, cues.pseudo_negation)):
            return "a condition about the reader, in a sentence that refers them elsewhere or turns them away"
    clause = _clause_before(norm, cand, cues)
    if cues.referral.search(clause):
        return "a referral to other care"
    # "For EMDR or trauma processing, I refer clients to licensed therapists."
    comma = norm.find(",", cand.end, cand.sentence_end)
    if comma != -1 and re.match(r"\s*(?:for|if you need|if you want|when|anyone needing)\b", head.lower()):
        rest = norm[comma:cand.sentence_end]
        if cues.referral.search(rest):
            return "a referral to other care"
    return None


def attribution(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    sentence = norm[cand.sentence_start:cand.end]
    m = cues.attribution.search(sentence)
    if m:
        return f"attributed (\"{m.group().strip()}\")"
    if cand.block.quote:
        block_text = norm[cand.block.start:cand.block.end]
        if cues.attribution.search(block_text) or re.search(r"-\s*(?:the\s+)?(?:icf|nbhwc|emcc|samhsa)\b", block_text):
            return "a quoted definition attributed to a standard"
    return None


def lived_experience(norm: str, cand: Candidate, cues: Cues, doc_type: str) -> str | None:
    before = norm[max(cand.sentence_start, cand.start - 40):cand.start]
    m = None
    for m in cues.lived_experience.finditer(before):
        pass
    if m and len(_TOKEN.findall(before[m.end():])) <= 3:
        return f"the author's own history (\"{m.group().strip()}\")"
    return None


GUARD_FUNCTIONS: dict[str, Callable[[str, Candidate, Cues, str], str | None]] = {
    "negation": negation,
    "third-party": third_party,
    "question": question,
    "conditional": conditional,
    "attribution": attribution,
    "lived-experience": lived_experience,
}


def judge(norm: str, cand: Candidate, cues: Cues, doc_type: str,
          enabled: frozenset[str]) -> tuple[str, str] | None:
    """The first guard that silences this candidate, as (guard, reason), or None."""
    for name in GUARDS:
        if name in enabled:
            reason = GUARD_FUNCTIONS[name](norm, cand, cues, doc_type)
            if reason:
                return name, reason
    return None
