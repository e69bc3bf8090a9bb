"""Find repeats that can split the same text in many ways, the cause of catastrophic backtracking.

`phrases.backtracking_risk` already rejects a repeat nested in an unbounded repeat ("(a+)+").
This module covers the other shapes that slip past that test:

- a bounded repeat of an unbounded one ("(.*a){20}"): polynomial, n**20 on a near-match;
- alternatives in a repeat that can match the same text ("(a|aa)*", "(a|b|ab)*");
- an optional part of a repeat that can also start the next round ("(aa?)*").

Character sets are compared on a sample alphabet (ASCII and Latin letters); that is enough to
tell "\\w" from "\\s" or "a" from "b", which is what rule authors write.
"""
from __future__ import annotations

from re import _constants as sc  # the regex parser's own tree, as phrases.py reads it
from re import _parser as sre_parse

ALPHABET = frozenset(chr(c) for c in range(0x180)) | frozenset("\u2019\u201c\u201d\u2013\u2014")
_REPEATS = {sc.MAX_REPEAT, sc.MIN_REPEAT} | ({sc.POSSESSIVE_REPEAT} if hasattr(sc, "POSSESSIVE_REPEAT") else set())
_ZERO_WIDTH = {sc.AT, sc.ASSERT, sc.ASSERT_NOT}
_CATEGORIES = {
    sc.CATEGORY_DIGIT: str.isdecimal,
    sc.CATEGORY_NOT_DIGIT: lambda c: not c.isdecimal(),
    sc.CATEGORY_SPACE: str.isspace,
    sc.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    sc.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    sc.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}
BOUNDED_MESSAGE = ("a group repeated {m,n} times that contains + or * can split a near-match in "
                   "very many ways; bound the inner repeat or end it with a character it cannot match")
OVERLAP_MESSAGE = ("alternatives inside a repeated group can match the same text (as in '(a|aa)*'), "
                   "which can take exponential time; make each alternative start differently")
OPTIONAL_MESSAGE = ("an optional part of a repeated group can also start the next repetition (as in "
                    "'(aa?)*'), which can take exponential time; make the repetition unambiguous")


def ambiguity(pattern: str) -> str | None:
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - syntax errors are reported by the compile step
        return None
    return _scan(list(parsed))


def _scan(items: list) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            low, high, sub = av
            if high > 1:
                problem = _repeat_problem(list(sub), high)
                if problem:
                    return problem
            problem = _scan(list(sub))
        elif op == sc.SUBPATTERN:
            problem = _scan(list(av[-1]))
        elif op == sc.BRANCH:
            problem = next((p for p in (_scan(list(b)) for b in av[1]) if p), None)
        elif op in (sc.ASSERT, sc.ASSERT_NOT):
            problem = _scan(list(av[1]))
        else:
            problem = None
        if problem:
            return problem
    return None


def _flatten(items: list) -> list:
    out = []
    for op, av in items:
        if op == sc.SUBPATTERN:
            out.extend(_flatten(list(av[-1])))
        else:
            out.append((op, av))
    return out


def _repeat_problem(body: list, high: int) -> str | None:
    seq = _flatten(body)
    if _has_overlapping_branch(seq):
        return OVERLAP_MESSAGE
    for i, (op, av) in enumerate(seq):
        follow, follow_nullable = _first(seq[i + 1:] + seq[:i])
        first, nullable = _first([(op, av)])
        if op in _REPEATS and av[1] == sc.MAXREPEAT and high != sc.MAXREPEAT:
            single = len(av[2]) == 1 and av[2][0][0] in (sc.LITERAL, sc.NOT_LITERAL, sc.ANY, sc.IN, sc.CATEGORY)
            if not single or follow_nullable or first & follow:
                return BOUNDED_MESSAGE
        elif nullable and first and (follow_nullable or first & follow):
            return OPTIONAL_MESSAGE
    return None


def _has_overlapping_branch(items: list) -> bool:
    for op, av in items:
        if op == sc.BRANCH:
            firsts = [_first(_flatten(list(b))) for b in av[1]]
            for i, (a, a_null) in enumerate(firsts):
                for b, b_null in firsts[i + 1:]:
                    if a & b or (a_null and b_null):
                        return True
            if any(_has_overlapping_branch(_flatten(list(b))) for b in av[1]):
                return True
        elif op in _REPEATS and _has_overlapping_branch(_flatten(list(av[2]))):
            return True
    return False


def _first(items: list) -> tuple[frozenset[str], bool]:
    """Characters the sequence can start with, and whether it can match empty text."""
    chars: set[str] = set()
    for op, av in items:
        item_chars, nullable = _first_item(op, av)
        chars |= item_chars
        if not nullable:
            return frozenset(chars), False
    return frozenset(chars), True


def _first_item(op, av) -> tuple[frozenset[str], bool]:
    if op == sc.LITERAL:
        return frozenset({chr(av)}), False
    if op == sc.NOT_LITERAL:
        return ALPHABET - {chr(av)}, False
    if op == sc.ANY:
        return ALPHABET - {"\n"}, False
    if op == sc.IN:
        return frozenset(c for c in ALPHABET if _in_set(av, c)), False
    if op == sc.CATEGORY:
        return frozenset(c for c in ALPHABET if _CATEGORIES.get(av, lambda _: True)(c)), False
    if op == sc.SUBPATTERN:
        return _first(list(av[-1]))
    if op == sc.BRANCH:
        parts = [_first(list(b)) for b in av[1]]
        return frozenset().union(*(p[0] for p in parts)), any(p[1] for p in parts)
    if op in _REPEATS:
        chars, nullable = _first(list(av[2]))
        return chars, nullable or av[0] == 0
    if op in _ZERO_WIDTH:
        return frozenset(), True
    return ALPHABET, False  # back-references and the like: assume the worst


def _in_set(items, ch: str) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op == sc.NEGATE:
            negate = True
        elif op == sc.LITERAL:
            hit = hit or ch == chr(av)
        elif op == sc.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        elif op == sc.CATEGORY:
            hit = hit or _CATEGORIES.get(av, lambda _: True)(ch)
        else:  # charset bitmaps and the like: assume it may match
            hit = True
    return hit != negate
