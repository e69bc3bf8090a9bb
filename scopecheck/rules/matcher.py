"""One pass over a document finds every phrase of every active rule.

Phrases are indexed by an anchor word (a word of their rarest required element). Each sentence's
words are looked up in that index with set operations, and a phrase's patterns run only where
one of its anchor words occurs, in a sentence that holds a key word of each of its required
elements. Raw expert regexes are found through a prefix tree of their literal prefixes. The work
per document therefore grows with its length and its number of candidate hits, not with the
number of rules.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import reduce
from operator import itemgetter, or_
from typing import Callable, Hashable, NamedTuple

from scopecheck.rules.pattern_code import freeze, thaw
from scopecheck.rules.phrases import SEP, Compiled, match_reach, raw_prefixes, required_literals


class Hit(NamedTuple):
    """A match of a phrase: made by the thousand per page, so a tuple rather than a dataclass."""
    start: int
    end: int
    tag: Hashable
    slots: tuple[tuple[str, int, int], ...] = ()  # slot name, start, end


# made without the NamedTuple's own __new__, a Python function: a page has a hundred hits
_new_tuple = tuple.__new__


def trie_regex(words: list[str], space: str | None = None) -> str:
    """A regex equivalent to an alternation of `words`, factored by common prefixes.

    With `space`, a space inside a word stands for that pattern (a separator) instead of a
    literal space."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def esc(ch: str) -> str:
        return space if (space is not None and ch == " ") else re.escape(ch)

    def emit(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        optional = "" in node
        branches = []
        singles = []
        for ch in sorted(k for k in node if k):
            sub = emit(node[ch])
            if sub == "" and not (space is not None and ch == " "):
                singles.append(ch)
            else:
                branches.append(esc(ch) + sub)
        if len(singles) == 1:
            branches.append(re.escape(singles[0]))
        elif singles:
            branches.append("[" + "".join(re.escape(c) for c in singles) + "]")
        if len(branches) == 1 and not optional:
            return branches[0]  # a plain sequence needs no group
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if optional else body

    return emit(trie)


def led_by_first_character(rest_by_first: dict[str, str], not_after: str = "") -> str:
    """An alternation of `first + rest` for each first character, where with `not_after` (a
    character class) the match must not follow such a character. Each alternative starts with
    its literal first character and the look behind comes after it: the regex engine's search
    then skips through the text to those characters, while a pattern that starts with a look
    behind is tried at every position."""
    return "|".join(
        re.escape(first) + (f"(?<!{not_after}{re.escape(first)})" if not_after else "") + f"(?:{rest})"
        for first, rest in rest_by_first.items())


_START_END = itemgetter(0, 1)
_FIRST = itemgetter(0)
# a separator or gap word is taken whole (possessive), never cut short to make a match
_SEP_WHOLE = SEP + "+"
_GAP_WORD = _SEP_WHOLE + r"[^\s.!?;:]++"
_KEY = re.compile(r"\w+")
_ANCHOR = re.compile(r"[\w']+")
_NOT_ANCHOR = re.compile(r"[^\w']")
_ASCII_NON_WORD_CHARACTERS = [chr(i) for i in range(128) if not (chr(i).isalnum() or chr(i) == "_")]
_ASCII_NON_WORD = "".join(map(re.escape, _ASCII_NON_WORD_CHARACTERS))
# an anchor token is word characters and apostrophes
_ASCII_NOT_ANCHOR_TO_SPACE = str.maketrans({c: " " for c in _ASCII_NON_WORD_CHARACTERS if c != "'"})


def anchor_spaced(text: str) -> str:
    """`text` with every character that cannot be part of an _ANCHOR token made a space: the
    same length, and `.split()` of any stretch of it gives that stretch's _ANCHOR tokens. For
    ASCII text (nearly every page) str.translate and str.split take about a sixth of the time
    of findall."""
    if text.isascii():
        return text.translate(_ASCII_NOT_ANCHOR_TO_SPACE)
    return _NOT_ANCHOR.sub(" ", text)

# Frequent words make poor anchors: a phrase anchored on "a" or "not" would be tried at nearly
# every sentence. The matcher anchors each phrase on its least frequent required element.
COMMON_WORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can can't could did
do does don't during each even every few for from get got had has have having he her here his
how i i'm i'll i've if in into is isn't it it's its just let like may me more most my no not now
of off on once one only or other our out over own same she should so some such than that the
their them then there these they this those through to too under until up us very was we we'll
were what when where which while who whom why will with won't would you you'll you're your
yours yourself
""".split())

# a phrase step: (index of the element, optional, slot name, gap size); a gap has element -1
Step = tuple[int, bool, "str | None", int]
# a phrase's patterns: the pivot and the steps after it, their slot names (one per group, in
# order), then the steps before the pivot over the reversed text (None when there are none)
# and their slot names
Plan = tuple[str, tuple[str, ...], "str | None", tuple[str, ...]]


def _element_source(forms: tuple[str, ...], backwards: bool) -> str:
    """A pattern for any one form of an element, ending at a word boundary; spelled backwards
    (last word first, each word reversed) for matching over the reversed text."""
    spelled = sorted({form[::-1] for form in forms} if backwards else set(forms))
    return f"(?:{trie_regex(spelled, space=_SEP_WHOLE)})(?!\\w)"


def _steps_source(steps: tuple[Step, ...], element: Callable[[int], str], slots: list[str]) -> str:
    """Steps in order, each after a separator: optional ones may be left out, a gap takes the
    fewest words that let the rest match. Slot names are appended in group order."""
    parts = []
    for index, optional, slot, gap in steps:
        if gap:
            parts.append(f"(?:{_GAP_WORD}){{0,{gap}}}?")
            continue
        body = element(index)
        if slot is not None:
            slots.append(slot)
            body = f"({body})"
        parts.append(f"(?:{_SEP_WHOLE}{body})?" if optional else _SEP_WHOLE + body)
    return "".join(parts)


def _plan(steps: tuple[Step, ...], pivot: int, element: Callable[[int, bool], str]) -> Plan:
    """The patterns of a phrase anchored on its pivot element. The pattern before the pivot
    ends where the phrase's first word must not continue a word (nor follow an apostrophe)."""
    index, _, slot, _ = steps[pivot]
    after_slots: list[str] = []
    body = element(index, False)
    if slot is not None:
        after_slots.append(slot)
        body = f"({body})"
    after = body + _steps_source(steps[pivot + 1:], lambda i: element(i, False), after_slots)
    before_steps = steps[:pivot][::-1]
    before_slots: list[str] = []
    before = (_steps_source(before_steps, lambda i: element(i, True), before_slots) + r"(?![\w'])"
              if before_steps else None)
    return after, tuple(after_slots), before, tuple(before_slots)


def _lead_key(word: str) -> str:
    key = _KEY.match(word)
    return key.group() if key else ""


def _rarest_token(form: str, known: str = "") -> str:
    """The token of a form least likely to occur in an unrelated sentence ("" when it has none);
    a token other than `known` (a word already known to be there) when the form has one.

    Every token of a form appears as a whole token in any sentence the form matches: form
    words are joined by separators and a match ends at a word boundary."""
    tokens = _KEY.findall(form)
    if not tokens:
        return ""
    return min(tokens, key=lambda t: (t == known, t in COMMON_WORDS, len(t) < 3, -len(t)))


def _element_keys(forms: tuple[str, ...], known: str = "") -> frozenset[str]:
    """Words of which a sentence must hold at least one for the element to match in it."""
    return frozenset(_rarest_token(f, known) for f in forms)


def _bits_of_word(key_bits: dict[frozenset[str], int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for keys, bit in key_bits.items():
        for word in keys:
            out[word] = out.get(word, 0) | (1 << bit)
    return out


def _raw_prefix_source(raw: list[tuple[str, Hashable, tuple[str, ...]]]) -> str:
    """A pattern for the longest literal prefix of any raw expression, as a prefix tree. The
    matcher looks for it after each non-word character (and at the start of a stretch)."""
    prefixes = sorted({prefix for _, _, found in raw for prefix in found})
    return trie_regex(prefixes) if prefixes else ""


def _forms_led_by(forms: tuple[str, ...], anchor: str) -> tuple[str, ...]:
    """The forms the matcher tries where `anchor` starts: those with the same leading word
    characters (form tables are keyed so), and those that start with none."""
    key = _KEY.match(anchor)
    lead = key.group() if key else ""
    return tuple(f for f in forms if ((m.group() if (m := _KEY.match(f)) else "") in (lead, "")))


def _anchor_words(forms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(m.group() for f in forms if (m := _ANCHOR.match(f)))


def _anchor_cost(forms: tuple[str, ...]) -> tuple[int, int]:
    words = _anchor_words(forms)
    return sum(1 for w in words if w in COMMON_WORDS or len(w) < 3), len(words)


def _token_starts(spaced: str, start: int, end: int, wanted: dict[str, tuple[int, ...]]) -> list[tuple[int, tuple[int, ...]]]:
    r"""Where each wanted word occurs as a whole [\w']+ token of spaced[start:end] (a text made
    by anchor_spaced, where tokens lie between spaces), in text order, with its value. Few
    words are wanted, so finding each is cheaper than walking every token."""
    found = []
    for word, value in wanted.items():
        at = spaced.find(word, start, end)
        while at >= 0:
            after = at + len(word)
            if (at == start or spaced[at - 1] == " ") and (after == end or spaced[after] == " "):
                found.append((at, value))
            at = spaced.find(word, at + 1, end)
    found.sort(key=_FIRST)
    return found


def _pattern(source: str, frozen: bytes | None) -> re.Pattern[str]:
    """The pattern for a source, from its stored code when that is sound."""
    if frozen is not None:
        try:
            pattern = thaw(frozen)
            if pattern.pattern == source:
                return pattern
        except Exception:  # noqa: BLE001 - a damaged cache entry: compile the source instead
            pass
    return re.compile(source)


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with overlapping or touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _intersected(first: list[tuple[int, int]], second) -> list[tuple[int, int]]:
    """The stretches two sorted lists of apart ranges have in common."""
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(first) and j < len(second):
        low, high = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if low < high:
            out.append((low, high))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out


class _Selection:
    """The matcher's tables for one selection of (rule, role) pairs (None: all): the anchor
    words of the selected phrases; and, filled as documents need them, each phrase's accepted
    tags; for each anchor word, the union of its selected phrases' masks, which of them pass for
    each combination of present key bits the masks mention, and the phrases with their masks;
    and each raw prefix's selected expressions with their gate."""
    __slots__ = ("wanted", "tags", "accepted", "anchors", "active", "remembered", "raw_chosen", "raw_by_prefix")

    def __init__(self, matcher: "Matcher", wanted: frozenset | None) -> None:
        self.wanted = wanted
        self.tags = matcher._tags
        self.accepted: dict[int, tuple[Hashable, ...]] = {}
        # a sentence's words are matched against these alone, so words that anchor only phrases
        # of other rules or roles never reach the Python loop
        by_pair = matcher._anchors_by_pair
        self.anchors = (frozenset(matcher._by_anchor) if wanted is None
                        else frozenset().union(*(by_pair.get(pair, ()) for pair in wanted)))
        self.active: dict[str, _Anchored] = {}
        self.remembered = 0  # combinations decided, in all anchors
        # the selected raw expressions, those of them without a literal prefix, and whether any
        # has one (worked out at the first scan)
        self.raw_chosen: tuple[frozenset[int], tuple[int, ...], bool] | None = None
        self.raw_by_prefix: dict[str, tuple[tuple[int, ...], re.Pattern[str]]] = {}

    def tags_of(self, index: int) -> tuple[Hashable, ...]:
        found = self.accepted.get(index)
        if found is None:
            wanted = self.wanted
            found = self.accepted[index] = tuple(
                t for t in self.tags[index] if wanted is None or (t[0], t[1]) in wanted)
        return found

    def anchored_at(self, word: str, entries: tuple[tuple[int, int], ...]) -> "_Anchored":
        candidates = tuple((i, needed) for i, needed in entries if self.tags_of(i))
        found = self.active[word] = (reduce(or_, (needed for _, needed in candidates), 0), {}, candidates)
        return found

    def decide(self, anchored: "_Anchored", relevant: int) -> tuple[int, ...]:
        """The phrases at an anchor whose masks the present bits `relevant` cover, remembered."""
        if self.remembered > 20_000:  # about 4 MB at most; 1,000 pages used 554
            for entry in self.active.values():
                entry[1].clear()
            self.remembered = 0
        self.remembered += 1
        missing = ~relevant
        found = anchored[1][relevant] = tuple(i for i, needed in anchored[2] if not needed & missing)
        return found


# an anchor word's union of masks, its decisions (relevant bits -> passing phrases) and phrases
_Anchored = tuple[int, dict[int, tuple[int, ...]], tuple[tuple[int, int], ...]]


class Matcher:
    """Phrases are chains of elements (a lexicon slot, a word, an alternation). Each phrase is
    anchored on its least frequent required element, its pivot, and becomes two patterns: the
    pivot and the steps after it, matched where an anchor word starts, and the steps before it,
    matched backwards over the reversed text from the same place. Both take separators between
    steps and backtrack over alternative forms, optional words and gaps in the same order, so a
    phrase matches the same text whichever element it is anchored on.

    The patterns are compiled at first use. A rule set from the compiled-rules cache carries
    their engine code (see `freeze`), so it does not compile them again."""

    def __init__(self, entries: list[tuple[Compiled, Hashable]]) -> None:
        elements: dict[tuple[str, ...], int] = {}
        phrases: dict[tuple[Step, ...], int] = {}
        phrase_tags: list[list[Hashable]] = []
        pivots: list[int] = []
        # each distinct set of key words of a required element is one bit; a phrase needs the
        # bits of all its required elements, and each word sets the bits of the sets holding it
        key_bits: dict[frozenset[str], int] = {}
        by_anchor: dict[str, dict[int, int]] = {}  # anchor word -> {phrase: mask needed there}
        raw: list[tuple[str, Hashable, tuple[str, ...]]] = []
        required: list[tuple[str, ...]] = []
        for compiled, tag in entries:
            if compiled.raw:
                raw.append((compiled.regex, tag, tuple(sorted(raw_prefixes(compiled.regex)))))
                required.append(tuple(sorted(required_literals(compiled.regex))))
                continue
            steps = tuple(
                (elements.setdefault(e.forms, len(elements)) if not e.is_gap else -1, e.optional, e.slot, e.gap)
                for e in compiled.elements)
            index = phrases.setdefault(steps, len(phrases))
            if index == len(phrase_tags):
                phrase_tags.append([])
                candidates = [i for i, e in enumerate(compiled.elements) if not e.optional and not e.is_gap]
                pivot = min(candidates, key=lambda i: _anchor_cost(compiled.elements[i].forms))
                pivots.append(pivot)
                mask = 0
                for i in candidates:
                    mask |= 1 << key_bits.setdefault(_element_keys(compiled.elements[i].forms), len(key_bits))
                pivot_forms = compiled.elements[pivot].forms
                for word in _anchor_words(pivot_forms):
                    # at this anchor only the pivot's forms that start like it can match, so a
                    # sentence must also hold a key word of one of those
                    led = _forms_led_by(pivot_forms, word)
                    # the anchor itself is there: key on another word of each form, if it has one
                    keys = _element_keys(led, _lead_key(word))
                    bit = 1 << key_bits.setdefault(keys, len(key_bits))
                    by_anchor.setdefault(word, {})[index] = mask | bit
            phrase_tags[index].append(tag)
        forms_of = list(elements)
        sources: dict[tuple[int, bool], str] = {}

        def element(index: int, backwards: bool) -> str:
            found = sources.get((index, backwards))
            if found is None:
                found = sources[(index, backwards)] = _element_source(forms_of[index], backwards)
            return found

        anchors_by_pair: dict[tuple[int, str], set[str]] = {}
        for word, masks in by_anchor.items():
            for index in masks:
                for tag in phrase_tags[index]:
                    anchors_by_pair.setdefault((tag[0], tag[1]), set()).add(word)
        self._state = {"by_anchor": {a: tuple(sorted(v.items())) for a, v in by_anchor.items()},
                       # the anchor words of each (rule, role): a selection's words, made at once
                       "anchors_by_pair": {pair: tuple(sorted(words)) for pair, words in anchors_by_pair.items()},
                       "plans": [_plan(steps, pivot, element) for steps, pivot in zip(phrases, pivots)],
                       "tags": [tuple(t) for t in phrase_tags],
                       "bits_of_word": _bits_of_word(key_bits), "raw": raw, "raw_required": required,
                       "raw_reach": [match_reach(regex) for regex, _, _ in raw],
                       # built here, so a cached rule set does not rebuild it on every start
                       "raw_prefix_source": _raw_prefix_source(raw)}
        self._setup()

    def _setup(self) -> None:
        state = self._state
        self._by_anchor: dict[str, tuple[tuple[int, int], ...]] = state["by_anchor"]
        self._anchors_by_pair: dict[tuple[int, str], tuple[str, ...]] = state["anchors_by_pair"]
        self._plans: list[Plan] = state["plans"]
        # each phrase's two patterns, compiled (or thawed from the stored code) at first use
        self._frozen: list[tuple[bytes, bytes | None]] | None = state.get("frozen")
        self._compiled: list[tuple[re.Pattern[str], re.Pattern[str] | None] | None] = [None] * len(self._plans)
        self._tags: list[tuple[Hashable, ...]] = state["tags"]
        self._bits_of_word: dict[str, int] = state["bits_of_word"]
        self._keyed_words = frozenset(self._bits_of_word)
        self._always = self._bits_of_word.get("", 0)  # elements with a form of no words
        self._selections: dict[frozenset | None, _Selection] = {}
        self._last_spaced: tuple[str, str] | None = None
        # Nothing is compiled here: a cached rule set loads without paying for patterns the
        # documents never need. Anchors are found by looking each word up in by_anchor.
        raw = state["raw"]
        self._raw_tags: list[Hashable] = [tag for _, tag, _ in raw]
        self._raw_sources: list[str] = [regex for regex, _, _ in raw]
        self._raw_patterns: list[re.Pattern[str] | None] = [None] * len(raw)
        self._raw_by_prefix: dict[str, list[int]] = {}
        self._raw_unanchored: list[int] = []
        for i, (_, _, prefixes) in enumerate(raw):
            for prefix in prefixes:
                self._raw_by_prefix.setdefault(prefix, []).append(i)
            if not prefixes:
                self._raw_unanchored.append(i)
        self._raw_unanchored_set = frozenset(self._raw_unanchored)
        self._longest_prefix = max(map(len, self._raw_by_prefix), default=0)
        # text every match of each expression contains one of (empty: unknown)
        self._raw_required: list[tuple[str, ...]] = state["raw_required"]
        # how far past its start each expression's match reads (None: no bound)
        self._raw_reach: list[int | None] = state.get("raw_reach") or [None] * len(raw)
        # a prefix after a non-word character, for any text and for ASCII text
        self._raw_after_gap_re: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        # per set of expressions (sharing a prefix, or the unanchored ones a page may hold): one
        # pattern that matches where any of them does
        self._raw_gates: dict[tuple[int, ...], re.Pattern[str]] = {}

    def _raw_pattern(self, i: int) -> re.Pattern[str]:
        pattern = self._raw_patterns[i]
        if pattern is None:
            pattern = self._raw_patterns[i] = re.compile(self._raw_sources[i])
        return pattern

    def __getstate__(self) -> dict:
        # the raw expressions go along compiled: pickled by pattern_code.dumps (the rule cache),
        # they load without being compiled again
        self.prepare()
        return {**self._state, "compiled_raw": (self._raw_patterns, self._raw_after_gap_re, self._raw_gates)}

    def __setstate__(self, state: dict) -> None:
        compiled = state.pop("compiled_raw", None)
        self._state = state
        self._setup()
        if compiled is not None:
            self._raw_patterns, self._raw_after_gap_re, self._raw_gates = compiled

    def freeze(self, memo: dict[str, bytes]) -> int:
        """Keep every phrase pattern's engine code in the state, so a rule set loaded from the
        cache runs them without compiling. `memo` maps pattern sources to code already made
        (by any rule set); what is missing is compiled and added. Returns how many were."""
        made = 0

        def code(source: str) -> bytes:
            nonlocal made
            found = memo.get(source)
            if found is None:
                found = memo[source] = freeze(source)
                made += 1
            return found

        self._frozen = self._state["frozen"] = [
            (code(after), code(before) if before is not None else None) for after, _, before, _ in self._plans]
        return made

    def _patterns(self, index: int) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        after, _, before, _ = self._plans[index]
        frozen = self._frozen[index] if self._frozen is not None else (None, None)
        made = _pattern(after, frozen[0]), (_pattern(before, frozen[1]) if before is not None else None)
        self._compiled[index] = made
        return made

    def prepare(self) -> None:
        """Compile every raw expression and gate now (before forking workers, so they share the
        work, and before pickling, so a cached rule set carries them)."""
        for i in range(len(self._raw_tags)):
            self._raw_pattern(i)
        for prefix in self._raw_by_prefix:
            self._raw_gate(self._raw_for_prefix(prefix))
        self._scan_raw("", None, ((0, 0),), [], 0)

    def _match_at(self, index: int, text: str, backwards: str, pos: int,
                  seg_start: int, seg_end: int) -> tuple[int, int, tuple] | None:
        """A match of phrase `index` whose pivot element starts at pos, a word start, inside
        text[seg_start:seg_end] (its sentence): (start, end, slots). `backwards` is the text
        reversed. Where a slot is filled both before and after the pivot, the fill nearest
        before it counts."""
        patterns = self._compiled[index] or self._patterns(index)
        after = patterns[0].match(text, pos, seg_end)
        if after is None:
            return None
        _, after_slots, _, before_slots = self._plans[index]
        start = pos
        before = None
        if patterns[1] is not None:
            length = len(text)
            before = patterns[1].match(backwards, length - pos, length - seg_start)
            if before is None:
                return None
            start = length - before.end()
        if not (after_slots or before_slots):  # two phrases in three have no slots
            return start, after.end(), ()
        named: dict[str, tuple[int, int]] = {}
        if before is not None:
            for group, name in enumerate(before_slots, 1):
                s0, s1 = before.span(group)
                if s0 >= 0 and name not in named:
                    named[name] = (length - s1, length - s0)
        for group, name in enumerate(after_slots, 1):
            s0, s1 = after.span(group)
            if s0 >= 0 and name not in named:
                named[name] = (s0, s1)
        return start, after.end(), tuple((n, a, b) for n, (a, b) in named.items())

    def _selection(self, wanted: frozenset | None) -> _Selection:
        """The tables of a selection of (rule, role) pairs, kept for the life of the rule set
        (selections repeat: each document type has one for the first pass and one for unless
        phrases)."""
        found = self._selections.get(wanted)
        if found is None:
            if len(self._selections) > 512:
                self._selections.clear()
            found = self._selections[wanted] = _Selection(self, wanted)
        return found

    def _scan_phrases(self, norm: str, wanted: frozenset | None, ranges, hits: list[Hit]) -> None:
        bits_of_word = self._bits_of_word.__getitem__
        keyed_words = self._keyed_words
        always = self._always
        by_anchor = self._by_anchor
        selection = self._selection(wanted)
        anchors = selection.anchors
        accepted, active = selection.accepted, selection.active
        seen: set[tuple[int, int, int]] = set()
        backwards: str | None = None  # the text reversed, made at the first phrase attempt
        spaced = self._anchor_spaced(norm)
        for seg_start, seg_end in ranges:
            # Set operations (in C) rule most sentences out before any word is looked at in
            # Python: a sentence is walked only if some phrase anchored in it has every
            # required element's key word in it too.
            tokens = spaced[seg_start:seg_end].split()
            present = anchors.intersection(tokens)
            if not present:
                continue
            if norm.find("'", seg_start, seg_end) >= 0:  # "don't" holds the keys "don" and "t"
                tokens = spaced[seg_start:seg_end].replace("'", " ").split()
            present_bits = reduce(or_, map(bits_of_word, keyed_words.intersection(tokens)), always)
            live: dict[str, tuple[int, ...]] = {}
            for word in present:
                anchored = active.get(word)
                if anchored is None:
                    anchored = selection.anchored_at(word, by_anchor[word])
                # which phrases pass depends only on the present bits their masks mention, and
                # those combinations repeat from sentence to sentence
                relevant = present_bits & anchored[0]
                passing = anchored[1].get(relevant)
                if passing is None:
                    passing = selection.decide(anchored, relevant)
                if passing:
                    live[word] = passing
            if not live:
                continue
            for pos, passing in _token_starts(spaced, seg_start, seg_end, live):
                for index in passing:
                    if backwards is None:
                        backwards = norm[::-1]
                    found = self._match_at(index, norm, backwards, pos, seg_start, seg_end)
                    if found is not None:
                        first, stop, named = found
                        if (first, stop, index) not in seen:
                            seen.add((first, stop, index))
                            for tag in accepted[index]:
                                hits.append(_new_tuple(Hit, (first, stop, tag, named)))

    def _anchor_spaced(self, norm: str) -> str:
        """anchor_spaced(norm), kept for the document's next scan (its `unless` phrases)."""
        last = self._last_spaced
        if last is not None and last[0] is norm:
            return last[1]
        spaced = anchor_spaced(norm)
        self._last_spaced = (norm, spaced)
        return spaced

    def _scan_raw(self, norm: str, wanted: frozenset | None, ranges, hits: list[Hit], run_to: int) -> None:
        """Raw expressions starting inside `ranges` (sorted, apart), each free to run on to
        `run_to`."""
        required = self._raw_required
        selection = self._selection(wanted)
        if selection.raw_chosen is None:
            tags = self._raw_tags
            chosen = frozenset(i for i in range(len(tags)) if wanted is None or (tags[i][0], tags[i][1]) in wanted)
            selection.raw_chosen = (chosen, tuple(i for i in self._raw_unanchored if i in chosen),
                                    any(i not in self._raw_unanchored_set for i in chosen))
        chosen_set, unanchored_chosen, prefixed = selection.raw_chosen
        if not chosen_set:
            return
        # an expression with no literal prefix is searched for everywhere, unless the text it
        # requires is nowhere in the stretch (then it cannot match there)
        first = ranges[0][0]
        unanchored = tuple(i for i in unanchored_chosen if
                           not required[i] or any(norm.find(r, first, run_to) >= 0 for r in required[i]))
        if prefixed and self._raw_after_gap_re is None:
            # a non-word character, then a prefix: starting with a character class lets the
            # regex engine skip through words in C instead of trying every position. The prefix
            # is looked ahead at, so one found inside another is found too. For ASCII text the
            # non-word characters are listed: the engine looks them up in a table, which costs
            # less than asking for each character's Unicode category.
            after = rf"(?=({self._state['raw_prefix_source']}))"
            self._raw_after_gap_re = (re.compile(r"\W" + after), re.compile(f"[{_ASCII_NON_WORD}]" + after))
        # one pattern per set of expressions, so those that cannot match do not drive the search
        combined = self._raw_gate(unanchored) if unanchored else None
        by_text = selection.raw_by_prefix
        if prefixed:
            reach = self._longest_prefix  # a prefix starting in a range may end past it
            for start, end in ranges:
                for at, text in self._raw_prefixes_in(norm, start, end, min(run_to, end + reach)):
                    found = by_text.get(text)
                    if found is None:
                        every = self._raw_for_prefix(text)
                        found = by_text[text] = (tuple(i for i in every if i in chosen_set), self._raw_gate(every))
                    here, gate = found
                    # nearly always no expression matches: one attempt of the gate tells
                    if not here or gate.match(norm, at, run_to) is None:
                        continue
                    for i in here:
                        self._raw_hit(i, norm, at, run_to, hits)
        if unanchored:
            windows = self._windows_around_literals(norm, unanchored, ranges, run_to)
            if windows is None:
                self._search_in_ranges(combined, unanchored, norm, ranges, run_to, hits)
            else:
                self._search_in_windows(combined, unanchored, norm, windows, run_to, hits)

    def _search_in_ranges(self, combined: re.Pattern[str], members: tuple[int, ...], norm: str, ranges,
                          run_to: int, hits: list[Hit]) -> None:
        """Matches of these expressions starting inside `ranges`, found with their combined
        pattern searched once through the stretch."""
        starts = [start for start, _ in ranges]
        m = combined.search(norm, starts[0], run_to)
        while m is not None:
            at = m.start()
            k = bisect_right(starts, at) - 1
            if k >= 0 and at < ranges[k][1]:
                for i in members:
                    self._raw_hit(i, norm, at, run_to, hits)
                # resume one character on, so a match of one expression never hides a
                # match of another that starts inside it
                m = combined.search(norm, at + 1, run_to)
            elif k + 1 < len(ranges):
                # nothing starts between the last search point and `at`: go on from the
                # next range, so each stretch of text is searched once
                m = combined.search(norm, ranges[k + 1][0], run_to)
            else:
                break

    def _search_in_windows(self, combined: re.Pattern[str], members: tuple[int, ...], norm: str,
                           windows: list[tuple[int, int]], run_to: int, hits: list[Hit]) -> None:
        """Matches of these expressions starting inside `windows`, each searched no further
        than a match starting in it can read."""
        reach = max(self._raw_reach[i] for i in members)
        for low, high in windows:
            end = min(run_to, high + reach)
            m = combined.search(norm, low, end)
            while m is not None and m.start() < high:
                for i in members:
                    self._raw_hit(i, norm, m.start(), run_to, hits)
                m = combined.search(norm, m.start() + 1, end)

    def _windows_around_literals(self, norm: str, members: tuple[int, ...], ranges, run_to: int,
                                 ) -> list[tuple[int, int]] | None:
        """Where, inside `ranges`, a match of any of these expressions can start: no further
        back from an occurrence of one of its required literals than its reach. None when one
        of them has no required literal or no bound, so it may start anywhere.

        These expressions have no literal prefix, so the regex engine tries them at every
        position; an agreement holds "confidential" a few times, not every few characters."""
        found: list[tuple[int, int]] = []
        first = ranges[0][0]
        for i in members:
            reach = self._raw_reach[i]
            if reach is None or not self._raw_required[i]:
                return None
            for literal in self._raw_required[i]:
                at = norm.find(literal, first, run_to)
                while at >= 0:
                    found.append((max(first, at + len(literal) - reach), at + 1))
                    at = norm.find(literal, at + 1, run_to)
        return _intersected(_merged(found), ranges)

    def _raw_prefixes_in(self, norm: str, start: int, end: int, limit: int) -> list[tuple[int, str]]:
        """(position, longest prefix) at each word start in norm[start:end] where a raw
        expression's prefix begins; a prefix may run on to `limit`."""
        found = []
        after_gap = self._raw_after_gap_re[1 if norm.isascii() else 0]
        if start < end and (start == 0 or not (norm[start - 1].isalnum() or norm[start - 1] == "_")):
            # the stretch starts a word: give the pattern the gap it looks for
            m = after_gap.match(" " + norm[start:min(limit, start + self._longest_prefix)])
            if m:
                found.append((start, m.group(1)))
        for m in after_gap.finditer(norm, start, limit):
            if m.start(1) >= end:
                break
            found.append((m.start(1), m.group(1)))
        return found

    def _raw_for_prefix(self, text: str) -> tuple[int, ...]:
        """The expressions with a literal prefix that `text` starts with (raw_prefixes decides
        how short a prefix may be)."""
        here: set[int] = set()
        for length in range(1, len(text) + 1):
            here.update(self._raw_by_prefix.get(text[:length], ()))
        return tuple(sorted(here))

    def _raw_gate(self, members: tuple[int, ...]) -> re.Pattern[str]:
        """A pattern that matches where any of these expressions does."""
        gate = self._raw_gates.get(members)
        if gate is None:
            if len(self._raw_gates) > 512:  # sets of unanchored expressions vary from page to page
                self._raw_gates.clear()
            gate = self._raw_gates[members] = (
                self._raw_pattern(members[0]) if len(members) == 1
                else re.compile("|".join(f"(?:{self._raw_sources[i]})" for i in members)))
        return gate

    def _raw_hit(self, i: int, norm: str, pos: int, end: int, hits: list[Hit]) -> None:
        found = self._raw_pattern(i).match(norm, pos, end)
        if found is not None and found.end() > found.start():
            hits.append(_new_tuple(Hit, (found.start(), found.end(), self._raw_tags[i], ())))

    def scan(self, norm: str, wanted: frozenset[tuple[int, str]] | None = None,
             start: int = 0, end: int | None = None,
             segments: list[tuple[int, int]] | None = None, raw_starts_in_segments: bool = False) -> list[Hit]:
        """Every hit of every phrase whose (rule index, role) is in `wanted` (all when None), in
        norm[start:end], or in each of `segments` (the sentences: a phrase is looked for inside
        one segment).

        Raw expressions may span sentences on purpose ("confidential ... except"), so they read
        the whole stretch the segments cover; with `raw_starts_in_segments` (a few sentences
        around earlier matches) they start only inside the segments, and still run on."""
        end = len(norm) if end is None else end
        hits: list[Hit] = []
        ranges = segments if segments is not None else ((start, end),)
        if self._by_anchor:
            self._scan_phrases(norm, wanted, ranges, hits)
        if self._raw_tags and ranges:
            stretch_end = max(b for _, b in ranges)
            if raw_starts_in_segments:
                self._scan_raw(norm, wanted, _merged(ranges), hits, stretch_end)
            else:
                self._scan_raw(norm, wanted, ((min(a for a, _ in ranges), stretch_end),), hits, stretch_end)
        hits.sort(key=_START_END)
        return hits
