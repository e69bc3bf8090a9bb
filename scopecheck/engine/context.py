"""Cue lists for the guards, compiled once per run from the `context:` blocks of rule packs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from scopecheck.text.normalize import normalize

CONTEXT_KEYS = (
    "negation", "post-negation", "pseudo-negation", "terminators", "third-party", "self-subject",
    "negation-headings", "offer-headings", "referral", "outward", "conditional-openers",
    "attribution", "lived-experience", "question-openers", "rhetorical", "form-markers",
)


_CUE_SPACE = r"[ \n]+"


def cue_regex(phrases: list[str]) -> re.Pattern[str]:
    """One pattern for a list of cue phrases, matched as whole words, longest first.

    Phrases sharing word boundaries are factored into one prefix tree, so a search costs about
    the same for ten cues or five hundred."""
    from scopecheck.rules.matcher import led_by_first_character, trie_regex

    groups: dict[tuple[str, str], list[str]] = {}
    for phrase in {" ".join(normalize(p).split()) for p in phrases if p.strip()}:
        left = r"[\w']" if re.match(r"\w", phrase) else ""  # what must not come right before it
        right = r"(?![\w])" if re.search(r"\w$", phrase) else ""
        if phrase.startswith("n't"):
            left = ""  # "n't" attaches to the word before it
        groups.setdefault((left, right), []).append(phrase)
    if not groups:
        return re.compile(r"(?!x)x")
    ordered = sorted(groups.items(), key=lambda item: (-max(map(len, item[1])), item[0]))
    alternatives = []
    for (left, right), words in ordered:
        tails: dict[str, list[str]] = {}
        for word in sorted(words):
            tails.setdefault(word[0], []).append(word[1:])
        alternatives.append(led_by_first_character(
            {first: trie_regex(rest, space=_CUE_SPACE) + right for first, rest in tails.items()}, left))
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class Cues:
    negation: re.Pattern[str]
    post_negation: re.Pattern[str]
    pseudo_negation: re.Pattern[str]
    terminators: re.Pattern[str]
    third_party: re.Pattern[str]
    self_subject: re.Pattern[str]
    negation_headings: re.Pattern[str]
    offer_headings: re.Pattern[str]
    referral: re.Pattern[str]
    outward: re.Pattern[str]
    conditional_openers: re.Pattern[str]
    attribution: re.Pattern[str]
    lived_experience: re.Pattern[str]
    question_openers: re.Pattern[str]
    rhetorical: re.Pattern[str]
    form_markers: re.Pattern[str]
    # heading or lead-in -> whether it negates what is listed under it (labels repeat a lot)
    _label_verdicts: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def negates_label(self, label: str) -> bool:
        """Whether a heading or lead-in ("What coaching is not:") negates the items under it."""
        verdict = self._label_verdicts.get(label)
        if verdict is None:
            if len(self._label_verdicts) > 4096:
                self._label_verdicts.clear()
            folded = " ".join(normalize(label).split())
            verdict = self._label_verdicts[label] = bool(
                folded and self.negation_headings.search(folded) and not self.offer_headings.search(folded))
        return verdict

    @classmethod
    def build(cls, lists: dict[str, list[str]]) -> "Cues":
        return cls(**{key.replace("-", "_"): cue_regex(lists.get(key, [])) for key in CONTEXT_KEYS})
