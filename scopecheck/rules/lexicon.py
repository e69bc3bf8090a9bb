"""Word lists with the inflected forms generated for the author.

Authors write base forms ("treat", "panic attack"); matching needs every form a coach might
write ("treats", "treating", "panic attacks"). Forms are generated once, at load time.
Over-generation is harmless: a form nobody writes never matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scopecheck.text.normalize import normalize

_VOWELS = "aeiou"


# irregular verbs coaches use in claims: base -> past and participle forms
_IRREGULAR = {
    "get": ("got", "gotten", "gets", "getting"), "take": ("took", "taken", "takes", "taking"),
    "come": ("came", "comes", "coming"), "quit": ("quits", "quitting"), "cut": ("cuts", "cutting"),
    "beat": ("beaten", "beats", "beating"), "overcome": ("overcame", "overcomes", "overcoming"),
    "break": ("broke", "broken", "breaks", "breaking"), "rid": ("rids", "ridding"),
    "feel": ("felt", "feels", "feeling"), "go": ("went", "gone", "goes", "going"),
    "give": ("gave", "given", "gives", "giving"), "make": ("made", "makes", "making"),
    "let": ("lets", "letting"), "put": ("puts", "putting"), "set": ("sets", "setting"),
    "undo": ("undid", "undone", "undoes", "undoing"), "rewrite": ("rewrote", "rewritten", "rewrites", "rewriting"),
    "forget": ("forgot", "forgotten", "forgets", "forgetting"), "leave": ("left", "leaves", "leaving"),
    "throw": ("threw", "thrown", "throws", "throwing"), "find": ("found", "finds", "finding"),
    "tell": ("told", "tells", "telling"), "say": ("said", "says", "saying"),
    "do": ("did", "done", "does", "doing"), "be": ("was", "were", "been", "is", "are", "being"),
    "have": ("had", "has", "having"), "run": ("ran", "runs", "running"), "shake": ("shook", "shaken", "shakes", "shaking"),
}


def verb_forms(word: str) -> set[str]:
    if word in _IRREGULAR:
        return {word, *_IRREGULAR[word]}
    forms = {word}
    if word.endswith("ee"):
        forms |= {word + "s", word + "d", word + "ing"}
    elif word.endswith("ie"):
        forms |= {word + "s", word + "d", word[:-2] + "ying"}
    elif word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
        if (len(word) >= 3 and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS
                and word[-3] not in _VOWELS):
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def noun_forms(word: str) -> set[str]:
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return {word, word + "es"}
    if len(word) > 1 and word.endswith("y") and word[-2] not in _VOWELS:
        return {word, word[:-1] + "ies"}
    return {word, word + "s"}


def expand_term(term: str, inflect: str) -> set[str]:
    """All forms of one lexicon term. `a|b|c` lists forms explicitly and is not inflected."""
    term = " ".join(normalize(term).split())
    if "|" in term:
        return {t.strip() for t in term.split("|") if t.strip()}
    if inflect == "none" or not term:
        return {term}
    words = term.split(" ")
    if inflect == "verb":
        return {" ".join([form] + words[1:]) for form in verb_forms(words[0])}
    # nouns inflect their last word: "panic attack" -> "panic attacks"
    return {" ".join(words[:-1] + [form]) for form in noun_forms(words[-1])}


@dataclass(frozen=True)
class Lexicon:
    name: str
    inflect: str
    terms: tuple[str, ...]
    origin: str = ""

    def forms(self) -> list[str]:
        out: set[str] = set()
        for term in self.terms:
            out |= expand_term(term, self.inflect)
        # longest first, so alternation prefers "panic attacks" over "panic"
        return sorted(out, key=lambda f: (-len(f), f))


_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))
