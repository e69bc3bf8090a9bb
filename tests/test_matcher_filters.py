"""The matcher's shortcuts must never change what it finds: required text and literal prefixes
of raw expressions only rule out places where no match is possible."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scopecheck.api import Options, load_rules
from scopecheck.documents import build_document, read_input
from scopecheck.rules.matcher import Matcher
from scopecheck.rules.phrases import compile_raw, match_reach, raw_prefixes, required_literals
from scopecheck.text.normalize import normalize

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("pattern, text", [
    (r"\b\d{1,3}(?:\.\d+)? ?(?:%|percent) success\b", "a 97% success rate"),
    (r"\b(?:9|8|7) (?:out of|in) 10 (?:clients|participants)\b", "9 out of 10 clients"),
    (r"confidential[\s\S]{0,400}?(?:\bexcept|\bunless)", "confidential, except when the law says"),
    (r"(?:\bexcept|\bunless|\blimits? (?:of|to)|required by law)", "the limits of privacy"),
    (r"\b(?:heal|cure)\w* (?:your )?(?:anxiety|trauma)", "healing your trauma"),
])
def test_every_match_holds_a_required_literal(pattern, text):
    found = required_literals(pattern)
    match = re.search(pattern, text)
    assert found and match
    assert any(literal in match.group() for literal in found)


@pytest.mark.parametrize("pattern", [r"a|b", r"(?:ab)?cd", r"\w+ly\b", r"[a-z]{3,}"])
def test_no_required_literal_when_none_can_be_told(pattern):
    assert required_literals(pattern) == frozenset()


def test_literals_are_compared_with_lower_cased_text():
    assert required_literals(r"(?i)\bSuccess Rate\b") == {"success rate"}
    assert raw_prefixes(r"(?i)\bFoo bar") == {"foo bar"}
    # a case-insensitive non-ASCII literal is given up: lower() and IGNORECASE can disagree
    assert required_literals(r"(?i:Ärger und Sorgen)") == frozenset()


def test_a_case_insensitive_expression_with_upper_case_text_still_matches():
    matcher = Matcher([(compile_raw(r"(?i)\bSuccess Rate of \d+", "x"), (0, "match", 0))])
    hits = matcher.scan(normalize("Our Success Rate of 98 is real."))
    assert [(h.start, h.end) for h in hits] == [(4, 22)]


@pytest.mark.parametrize("pattern, scoped", [
    (r"(?i)cures? anxiety", r"(?i:cures? anxiety)"),
    (r"(?i)(?s)cure.x", r"(?is:cure.x)"),
    (r"cure (?i:anxiety)", r"cure (?i:anxiety)"),  # already scoped: left as it is
])
def test_flags_for_the_whole_expression_are_scoped_to_it(pattern, scoped):
    assert compile_raw(pattern, "x").raw_regex == scoped


def test_expressions_with_leading_flags_combine_with_others():
    # two expressions without a literal prefix run as one combined pattern, where Python
    # refuses "(?i)" anywhere but at its very start
    matcher = Matcher([(compile_raw(r"(?i)cures? anxiety", "x"), (0, "match", 0)),
                       (compile_raw(r"(?s)heal.{0,5}trauma", "y"), (1, "match", 0))])
    hits = matcher.scan(normalize("It cures anxiety and heals trauma."))
    assert [(h.start, h.end, h.tag[0]) for h in hits] == [(3, 16, 0), (21, 33, 1)]


def test_a_scoped_expression_keeps_its_literal_prefix():
    assert raw_prefixes(compile_raw(r"(?i)\bFoo bar", "x").raw_regex) == {"foo bar"}


def test_expressions_sharing_a_prefix_are_each_tried_where_any_of_them_matches():
    days, weeks = compile_raw(r"\bin \d+ days\b", "x"), compile_raw(r"\bin \d+ weeks?\b", "y")
    matcher = Matcher([(days, (0, "match", 0)), (weeks, (1, "match", 0))])
    assert [h.tag[0] for h in matcher.scan(normalize("Calm in 3 weeks."))] == [1]
    assert [h.tag[0] for h in matcher.scan(normalize("Calm in 3 days, sure in 4 weeks."))] == [0, 1]
    assert matcher.scan(normalize("Calm in 3 months.")) == []
    # a selection that leaves out the first still finds the second through the shared gate
    assert [h.tag[0] for h in matcher.scan(normalize("Calm in 3 weeks."), frozenset({(1, "match")}))] == [1]


def _hits(matcher: Matcher, norm: str) -> list[tuple]:
    return [(h.start, h.end, h.tag) for h in matcher.scan(norm, None)]


def test_filters_change_nothing_on_the_bundled_examples():
    ruleset = load_rules(Options())
    matcher = ruleset.matcher
    unfiltered = Matcher.__new__(Matcher)
    unfiltered.__setstate__({**matcher.__getstate__(),
                             "raw_required": [()] * len(matcher.__getstate__()["raw_required"])})
    files = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".md", ".html", ".txt"))
    assert len(files) >= 10
    compared = 0
    for path in files:
        shown, data = read_input(str(path))
        doc = build_document(shown, data, Options().types)
        norm = normalize(doc.text)
        assert _hits(matcher, norm) == _hits(unfiltered, norm), path
        compared += len(_hits(matcher, norm))
    assert compared > 100


def test_a_selection_looks_only_for_its_own_anchor_words_and_finds_what_it_selects():
    ruleset = load_rules(Options())
    matcher = ruleset.matcher
    files = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".md", ".html", ".txt"))
    compared = 0
    for roles in (frozenset({"match", "replace", "satisfied_by", "when", "then"}), frozenset({"unless"})):
        for doc_type in ("marketing", "intake"):
            wanted = ruleset.selection(doc_type, roles)
            selection = matcher._selection(wanted)
            expected = {word for word, entries in matcher._by_anchor.items()
                        if any((tag[0], tag[1]) in wanted for i, _ in entries for tag in matcher._tags[i])}
            assert selection.anchors == expected and 0 < len(expected) < len(matcher._by_anchor)
            for path in files:
                shown, data = read_input(str(path))
                norm = normalize(build_document(shown, data, Options().types).text)
                every = [(h.start, h.end, h.tag) for h in matcher.scan(norm, None) if (h.tag[0], h.tag[1]) in wanted]
                assert [(h.start, h.end, h.tag) for h in matcher.scan(norm, wanted)] == every, path
                compared += len(every)
    assert compared > 100


@pytest.mark.parametrize("pattern, text, expected", [
    (r"\b(?:in|within)(?: just| only)? (?:\d+|one|two) (?:days|weeks)", "in just 6 weeks", "in just 6"),
    (r"\b(?:coach|mentor) ?(?:&|\+|/) ?psychologists?\b", "coach + psychologist", "coach + psychologist"),
    (r"\bages? 1[0-7]\s?(?:-|to)\s?1[0-9]\b", "ages 13 to 17", "ages 13"),
    (r"\bno longer (?:licensed|practi[cs]ing)\b", "no longer practising", "no longer practising"),
])
def test_prefixes_run_on_through_short_choices_and_every_match_starts_with_one(pattern, text, expected):
    prefixes = raw_prefixes(pattern)
    match = re.search(pattern, text)
    assert match and expected in prefixes
    assert any(match.group().startswith(p) for p in prefixes)


def test_an_expression_with_too_many_ways_to_start_keeps_its_short_prefixes():
    numbers = "|".join(str(n) for n in range(40))
    pattern = rf"\b(?:in|after|within) (?:{numbers}) (?:days|weeks|months|years)"
    assert raw_prefixes(pattern) == {"in ", "after ", "within "}


def test_raw_expressions_can_be_limited_to_start_inside_segments_and_still_run_on():
    matcher = Matcher([(compile_raw(r"confidential[\s\S]{0,60}?\bexcept\b", "x"), (0, "unless", 0)),
                       (compile_raw(r"\bwhere the law\b", "y"), (1, "unless", 0)),
                       (compile_raw(r"\bno longer licensed\b", "z"), (2, "unless", 0))])
    text = normalize("All of it is confidential. Except where the law says. I am no longer licensed.")
    first = (0, text.index(".") + 1)
    last = (text.index("i am"), len(text))
    within = matcher.scan(text, segments=[first, last], raw_starts_in_segments=True)
    # the first starts in a segment and runs on into the next sentence; the second starts
    # outside every segment, so it is not looked for
    assert [h.tag[0] for h in within] == [0, 2]
    assert [h.tag[0] for h in matcher.scan(text, segments=[first, last])] == [0, 1, 2]


@pytest.mark.parametrize("pattern, reach", [
    (r"confidential[\s\S]{0,40}?\bexcept", 59),  # 12 + 40 + 6, and a boundary's look at the next
    (r"foo(?=bar)", 7),  # the look-ahead reads three past the match
    (r"a(?=b(?!cd))e", 6),
    (r"(?<=xx)ab", 3),  # a look-behind reads before the start
    (r"foo(?=\w+)", None),
    (r"\bno longer\w*", None),
])
def test_how_far_a_raw_match_reads(pattern, reach):
    assert match_reach(pattern) == reach


def _without_windows(matcher: Matcher) -> Matcher:
    """The same expressions, searched through the whole stretch as if no bound were known."""
    state = matcher.__getstate__()
    plain = Matcher.__new__(Matcher)
    plain.__setstate__({**state, "raw_reach": [None] * len(state["raw"])})
    return plain


def test_expressions_without_a_prefix_are_searched_only_near_their_literals():
    import random

    # none of them has a prefix after a word boundary, so each may start anywhere
    expressions = [r"(?:\bexcept|\bunless|limits? of)[\s\S]{0,30}?confidential",
                   r"confidential[\s\S]{0,25}?(?:\bexcept|required by law)",
                   r"(?:former|retired|ex)[^.!?\n]{0,20}\bno longer (?:licensed|practising)"]
    matcher = Matcher([(compile_raw(e, str(i)), (i, "unless", 0)) for i, e in enumerate(expressions)])
    assert matcher._raw_unanchored == [0, 1, 2] and None not in matcher._raw_reach
    plain = _without_windows(matcher)
    words = ["confidential", "except", "unless", "limits of", "required by law", "former", "retired",
             "ex", "no longer", "licensed", "practising", "notes", "are", "kept", ".", ",", "exceptional"]
    # matches as long as each expression allows, where a window cut too short would lose them
    longest = ["notes limits of " + "n" * 28 + " confidential notes",
               "kept confidential " + "n" * 23 + " required by law",
               "the retired " + "n" * 18 + " no longer practising now"]
    for expression, text in zip(expressions, longest):
        alone = Matcher([(compile_raw(expression, "x"), (0, "unless", 0))])
        found = alone.scan(normalize(text))
        assert found and found == _without_windows(alone).scan(normalize(text)), expression
    rng = random.Random(7)
    compared = 0
    for n in range(400):
        text = normalize(longest[n] if n < len(longest) else
                         " ".join(rng.choice(words) for _ in range(rng.randint(1, 40))))
        cut = rng.randint(0, len(text))
        for kwargs in ({}, {"segments": [(0, cut), (min(cut + 5, len(text)), len(text))]},
                       {"segments": [(0, cut)], "raw_starts_in_segments": True}):
            found = [(h.start, h.end, h.tag) for h in matcher.scan(text, **kwargs)]
            assert found == [(h.start, h.end, h.tag) for h in plain.scan(text, **kwargs)], (text, kwargs)
            compared += len(found)
    assert compared > 200


def test_raw_prefixes_are_found_at_the_start_after_punctuation_and_inside_one_another():
    matcher = Matcher([(compile_raw(r"\bin just \d+ weeks\b", "x"), (0, "match", 0)),
                       (compile_raw(r"\bjust \d+ weeks\b", "y"), (1, "match", 0)),
                       (compile_raw(r"\bweeks\b", "z"), (2, "match", 0))])
    text = normalize("In just 6 weeks!(just 6 weeks)-weeks, preweeks")
    found = sorted((h.start, h.tag[0]) for h in matcher.scan(text))
    assert found == [(0, 0), (3, 1), (10, 2), (17, 1), (24, 2), (31, 2)]


def test_an_expression_that_starts_with_a_number_is_tried_where_a_number_starts_a_word():
    pattern = r"\b\d{1,3} ?(?:%|percent) of (?:my )?clients\b"
    assert raw_prefixes(pattern) == set("0123456789")
    matcher = Matcher([(compile_raw(pattern, "x"), (0, "match", 0))])
    assert matcher._raw_unanchored == []  # found through its prefixes, not searched for everywhere
    text = normalize("85% of clients (90 percent of my clients), $5 % of clients; x85% of clients, 1985% of clients")
    expected = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    assert len(expected) == 3  # "x85%" and "1985%" do not start at a word boundary with 1-3 digits
    assert [(h.start, h.end) for h in matcher.scan(text)] == expected


def test_prefixes_are_found_after_the_same_characters_in_ascii_and_other_text():
    import re

    from scopecheck.rules.matcher import _ASCII_NON_WORD
    listed = re.compile(f"[{_ASCII_NON_WORD}]")
    assert all(bool(listed.match(chr(i))) == bool(re.match(r"\W", chr(i))) for i in range(128))
    matcher = Matcher([(compile_raw(r"\bin \d+ weeks?\b", "x"), (0, "match", 0))])
    for gap in " \n(\"'/-*":
        ascii_text = normalize(f"Calm{gap}in 3 weeks.")
        other_text = ascii_text + " \u00e9\u2713"
        assert [(h.start, h.end) for h in matcher.scan(ascii_text)] == [(5, 15)], gap
        assert [(h.start, h.end) for h in matcher.scan(other_text)] == [(5, 15)], gap
    assert matcher.scan(normalize("Calmin 3 weeks.")) == matcher.scan(normalize("Calmin 3 weeks. \u00e9")) == []


def test_phrase_decisions_forgotten_past_their_bound_give_the_same_hits():
    first, second = (normalize((EXAMPLES / "site" / name).read_text(encoding="utf-8"))
                     for name in ("services.md", "intake-form.md"))
    expected = _hits(load_rules(Options()).matcher, second)
    matcher = load_rules(Options()).matcher
    before = _hits(matcher, first)
    selection = matcher._selection(None)
    decided = sum(len(entry[1]) for entry in selection.active.values() if entry)
    assert decided == selection.remembered > 0
    selection.remembered = 10 ** 6  # as if the bound were passed: the next decision forgets them all
    assert _hits(matcher, second) == expected
    assert 0 < selection.remembered < 10 ** 6
    assert sum(len(entry[1]) for entry in selection.active.values() if entry) == selection.remembered
    assert _hits(matcher, first) == before
