"""Compile author-friendly phrases ("{treat-verb} {possessive?} {condition}") into chains of
elements (words, alternations, lexicon slots with their inflected forms, gaps) that the matcher
runs, and check raw expert regexes (`re:`) before they are used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scopecheck.rules.ambiguity import ambiguity
from scopecheck.rules.lexicon import Lexicon
from scopecheck.text.normalize import normalize

from re import _constants as sre_constants  # the regex parser's own tree, to inspect patterns
from re import _parser as sre_parse

SEP = r"[ \n\-]+"  # between words: spaces, line breaks or hyphens ("anxiety free" = "anxiety-free")
_WORD_CHARS = re.compile(r"^[a-z0-9']+")
_TOKEN = re.compile(r"\{[^{}]*\}\??|\([^()]*\)\??|[^\s(){}]+")
MAX_GAP = 8
DEFAULT_GAP = 3


class PhraseError(ValueError):
    pass


@dataclass(frozen=True)
class Element:
    """One step of a phrase: words (a literal, an alternation or a lexicon slot) or a gap."""

    forms: tuple[str, ...] = ()  # words: every accepted form, words separated by single spaces
    optional: bool = False
    slot: str | None = None  # lexicon name, reported to messages as {name}
    gap: int = 0  # a gap of up to this many words; 0 for words

    @property
    def is_gap(self) -> bool:
        return self.gap > 0

    @property
    def regex(self) -> str:
        return words_regex(list(self.forms))


MIN_PREFIX = 2


def raw_prefixes(pattern: str) -> frozenset[str]:
    """Literal text every match of a raw expression must start with, one string per way it can
    start, when the expression begins at a word boundary and each way starts with at least
    MIN_PREFIX literal characters, or with a digit (a number starting a word is rare enough);
    empty when that cannot be told. The matcher then tries the expression only where one of
    these prefixes occurs."""
    try:
        items = list(sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - compile_raw reports syntax errors
        return frozenset()
    while items and items[0][0] == sre_constants.SUBPATTERN and items[0][1][0] is None:
        items = list(items[0][1][-1]) + items[1:]  # "(?i:\\bfoo ...)": what the flags apply to
    if not items or items[0][0] != sre_constants.AT:
        return frozenset()
    found = _first_literals(items)
    if not found or any(len(p) < MIN_PREFIX and not p.isdigit() for p in found) or len(found) > _MAX_RAW_PREFIXES:
        return frozenset()
    return _as_lowercase(pattern, found)


def _first_literals(items: list) -> set[str] | None:
    """Literal strings every match of `items` starts with, carried on through short literal
    choices ("in (?:just |only )?(?:\\d+|one)" gives "in 0" to "in 9", "in one", "in just 0"
    ...) so the prefixes are rare in ordinary text; None when that cannot be told."""
    for limit in (_MAX_PREFIXES, 1):  # carried on only as far as the set stays small
        found = _leading(items, limit)
        if found is None or "" in found:
            return None
        if len(found) <= _MAX_RAW_PREFIXES:
            return found
    return found


_MAX_PREFIXES = 48  # past this many, a prefix is not carried on further (a larger trie compiles slower)
_MAX_RAW_PREFIXES = 500  # an expression with more ways to start is searched for everywhere
_MAX_CLASS = 12  # a character class of up to this many characters is spelled out


def _leading(items: list, limit: int) -> set[str] | None:
    i = 0
    while i < len(items) and items[i][0] in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        i += 1  # zero-width: leaving an assertion out only lets more strings through
    if i >= len(items):
        return {""}
    op, av = items[i]
    if op == sre_constants.LITERAL:
        text = ""
        while i < len(items) and items[i][0] == sre_constants.LITERAL:
            text += chr(items[i][1])
            i += 1
        return _then({text}, items[i:], limit)
    if op == sre_constants.IN:
        chars = _class_chars(av)
        return None if chars is None else _then(chars, items[i + 1:], limit)
    rest = items[i + 1:]
    if op == sre_constants.SUBPATTERN:
        return _leading(list(av[-1]) + rest, limit)
    if op == sre_constants.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _leading(list(branch) + rest, limit)
            if found is None:
                return None
            out |= found
        return out
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, sub = av
        if low == 0 and high == 1:
            with_it, without = _leading(list(sub) + rest, limit), _leading(rest, limit)
            return None if with_it is None or without is None else with_it | without
        found = _leading(list(sub), limit)  # how many times it repeats is not known: stop after one
        if found is None:
            return None
        if low == 0:
            after = _leading(rest, limit)
            return None if after is None else found | after
        return found
    return None


def _then(heads: set[str], rest: list, limit: int) -> set[str]:
    """`heads` carried on by what follows them, when that is a short literal choice."""
    tails = _leading(rest, limit)
    if not tails or len(heads) * len(tails) > limit:
        return heads
    return {head + tail for head in heads for tail in tails}


def _class_chars(items: list) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op == sre_constants.LITERAL:
            chars.add(chr(av))
        elif op == sre_constants.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op == sre_constants.CATEGORY and av == sre_constants.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars if len(chars) <= _MAX_CLASS else None


MIN_REQUIRED = 3  # shorter literals occur in nearly every page and would rule nothing out


def required_literals(pattern: str) -> frozenset[str]:
    """Literal strings of which every match of a raw expression contains at least one; empty
    when that cannot be told. A page holding none of them cannot match, so the expression is
    not run over it."""
    try:
        items = list(sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - compile_raw reports syntax errors
        return frozenset()
    found = _required_in(items)
    if not found or min(len(s) for s in found) < MIN_REQUIRED or len(found) > 500:
        return frozenset()
    return _as_lowercase(pattern, found)


def match_reach(pattern: str) -> int | None:
    """How many characters after its start a match of a raw expression can read: its longest
    match, what its look-aheads read past that, and one more for a word boundary or `$` at its
    end. None when that is unbounded or cannot be told."""
    try:
        parsed = sre_parse.parse(pattern)
        width = parsed.getwidth()[1]
    except Exception:  # noqa: BLE001 - compile_raw reports syntax errors
        return None
    ahead = _look_ahead_reach(parsed)
    if width >= sre_constants.MAXREPEAT or ahead is None:
        return None
    return width + ahead + 1


def _look_ahead_reach(node: object) -> int | None:
    """The widest reads of the look-aheads inside a parsed pattern, added up (a bound on how far
    past a match any of them reads), or None when one of them is unbounded."""
    total = 0
    if isinstance(node, sre_parse.SubPattern):
        for op, av in node:
            if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and av[0] == 1:  # ahead, not behind
                width = av[1].getwidth()[1]
                if width >= sre_constants.MAXREPEAT:
                    return None
                total += width
            inner = _look_ahead_reach(av)
            if inner is None:
                return None
            total += inner
    elif isinstance(node, (tuple, list)):
        for child in node:
            inner = _look_ahead_reach(child)
            if inner is None:
                return None
            total += inner
    return total


def _as_lowercase(pattern: str, literals: set[str]) -> frozenset[str]:
    """Literals as they appear in lower-cased text. Without a case-insensitive flag an upper-case
    literal can never match that text, so lowering it only makes the filter less strict; with
    the flag, lowering is exact for ASCII and non-ASCII literals are given up."""
    ignores_case = re.compile(pattern).flags & re.IGNORECASE or _SCOPED_IGNORECASE.search(pattern)
    if ignores_case and not all(s.isascii() for s in literals):
        return frozenset()
    return frozenset(s.lower() for s in literals)


_SCOPED_IGNORECASE = re.compile(r"\(\?[aLmsux]*i[aLmsux]*(?:-[imsx]*)?:")


def _required_in(items: list) -> set[str] | None:
    """The most selective set among the parts of a sequence that every match must go through."""
    options: list[set[str]] = []
    run = ""
    for op, av in items:
        if op == sre_constants.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            run = ""
        if op == sre_constants.SUBPATTERN:
            found = _required_in(list(av[-1]))
        elif op == sre_constants.BRANCH:
            branches = [_required_in(list(branch)) for branch in av[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            found = _required_in(list(av[2]))
        else:
            found = None
        if found:
            options.append(found)
    if run:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))


@dataclass(frozen=True)
class Compiled:
    """A compiled phrase: the sequence of elements the matcher chains at each anchor, or a raw
    regular expression. Elements are shared between phrases by their regex text, so a lexicon
    used by fifty phrases is compiled once."""

    source: str
    elements: tuple[Element, ...]
    raw: bool = False
    raw_regex: str = ""

    @property
    def regex(self) -> str:
        """The whole phrase as one regular expression (raw patterns, baselines and tests)."""
        if self.raw:
            return self.raw_regex
        body = ""
        after_gap = False
        for i, element in enumerate(self.elements):
            sep = "" if (i == 0 or after_gap) else SEP
            if element.is_gap:
                body += rf"{sep}(?:[^\s.!?;:]+[ \n,\-]+){{0,{element.gap}}}"
            elif element.optional:
                body += f"(?:{sep}(?:{element.regex}))?"
            else:
                body += f"{sep}(?:{element.regex})"
            after_gap = element.is_gap
        return rf"(?<![\w]){body}"


def clean_forms(forms: list[str]) -> tuple[str, ...]:
    """Normalised forms with single spaces: a space or hyphen inside a form matches any separator
    (SEP), so "post traumatic" and "post-traumatic" are one form."""
    cleaned = sorted({" ".join(w for w in re.split(r"[ \-]+", normalize(f).strip()) if w)
                      for f in forms if f.strip()})
    if not cleaned or not all(cleaned):
        raise PhraseError("no words to match")
    return tuple(cleaned)


def words_regex(forms: list[str]) -> str:
    """The forms as one regular expression, factored as a character trie, ending at a word
    boundary. The matcher does not need it; baselines and tools that want a regex do."""
    from scopecheck.rules.matcher import trie_regex

    return trie_regex(list(clean_forms(forms)), space=SEP) + r"(?![\w])"


def _first_token(text: str) -> str | None:
    m = _WORD_CHARS.match(normalize(text).strip())
    return m.group() if m else None


def compile_phrase(phrase: str, lexicons: dict[str, Lexicon]) -> Compiled:
    phrase = phrase.strip()
    if not phrase:
        raise PhraseError("empty phrase")
    if phrase.startswith("re:"):
        return compile_raw(phrase[3:].strip(), phrase)
    elements = [_element(token, lexicons) for token in _TOKEN.findall(phrase)]
    if not elements or all(e.optional or e.is_gap for e in elements):
        raise PhraseError("a phrase needs at least one word that is not optional")
    for element in elements:
        if element.is_gap:
            raise PhraseError("a phrase cannot start with {gap}")
        if not element.optional:
            break
    return Compiled(phrase, tuple(elements))


def _element(token: str, lexicons: dict[str, Lexicon]) -> Element:
    optional = token.endswith("?") and len(token) > 1
    core = token[:-1] if optional else token
    if core.startswith("{") and core.endswith("}"):
        name = core[1:-1].strip()
        if name.endswith("?"):
            name, optional = name[:-1].strip(), True
        gap = re.fullmatch(r"gap(?::(\d+))?", name)
        if gap:
            n = int(gap.group(1) or DEFAULT_GAP)
            if not 1 <= n <= MAX_GAP:
                raise PhraseError(f"{{gap:{n}}}: a gap must be between 1 and {MAX_GAP} words")
            return Element((), optional, None, n)
        if name not in lexicons:
            known = ", ".join(sorted(lexicons)) or "none"
            raise PhraseError(f"unknown lexicon {{{name}}} (known: {known})")
        forms = lexicons[name].forms()
        if not forms:
            raise PhraseError(f"lexicon {{{name}}} has no terms")
        return Element(clean_forms(forms), optional, name)
    if core.startswith("(") and core.endswith(")"):
        alternatives = [a.strip() for a in core[1:-1].split("|")]
        if any(not a for a in alternatives):
            raise PhraseError(f"{token}: empty alternative")
        if any(_first_token(a) is None for a in alternatives):
            raise PhraseError(f"{token}: each alternative must start with a letter or digit")
        return Element(clean_forms(alternatives), optional)
    if _first_token(core) is None:
        raise PhraseError(f"'{core}': words must start with a letter or digit (use re: for symbols)")
    return Element(clean_forms([core]), optional)


def compile_raw(pattern: str, source: str) -> Compiled:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise PhraseError(f"invalid regular expression: {exc}") from exc
    if compiled.search("") is not None:
        raise PhraseError("this regular expression can match empty text; make it require at least one character")
    if compiled.groups:
        # named or numbered groups would collide inside the combined pattern
        pattern = _strip_groups(pattern)
    pattern = _scoped_flags(pattern)
    risky = backtracking_risk(pattern)
    if risky:
        raise PhraseError(risky)
    return Compiled(source, (), raw=True, raw_regex=pattern)


_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def _scoped_flags(pattern: str) -> str:
    """`(?i)cure` as `(?i:cure)`: the same expression, but one that may sit inside a combined
    pattern, where Python refuses flags that apply to the whole of it."""
    flags = ""
    m = _GLOBAL_FLAGS.match(pattern)
    while m:
        flags += m.group(1)
        pattern = pattern[m.end():]
        m = _GLOBAL_FLAGS.match(pattern)
    return f"(?{flags}:{pattern})" if flags else pattern


def _strip_groups(pattern: str) -> str:
    pattern = re.sub(r"\(\?P<[^>]+>", "(?:", pattern)
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def backtracking_risk(pattern: str) -> str | None:
    """Explain why a pattern risks catastrophic backtracking, or return None.

    A repeat that contains another unbounded repeat ("(a+)+", "(\\w*\\s?)*") can take exponential
    time on text that almost matches. Such patterns are rejected at load time.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except Exception as exc:  # noqa: BLE001 - the compile step already reported syntax errors
        return f"cannot analyse the pattern: {exc}"
    if _nested_repeat(parsed, inside=False):
        return ("nested repetition (a repeated group that itself contains + or *) can take "
                "exponential time; rewrite it without the outer repeat or bound it with {m,n}")
    return ambiguity(pattern)


_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)


def _nested_repeat(items, inside: bool) -> bool:
    for op, av in items:
        if op in _REPEATS:
            low, high, sub = av
            unbounded = high == sre_constants.MAXREPEAT or high > 50
            if inside and unbounded:
                return True
            if _nested_repeat(sub, inside or unbounded):
                return True
        elif op == sre_constants.SUBPATTERN:
            if _nested_repeat(av[-1], inside):
                return True
        elif op == sre_constants.BRANCH:
            if any(_nested_repeat(branch, inside) for branch in av[1]):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if _nested_repeat(av[1], inside):
                return True
    return False
