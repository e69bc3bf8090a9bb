"""One pass over a document finds every phrase of every active rule.

Phrases are indexed by their anchor words (the words they can start with). A single combined
pattern of all anchor words, built as a character trie, scans the normalised text once; each
phrase regex then runs only where one of its anchor words occurs. Raw expert regexes, which
have no anchors, are joined into one more combined pattern. The work per document therefore
grows with its length and its number of candidate hits, not with the number of rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Hashable

from scopecheck.rules.phrases import Compiled


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    tag: Hashable
    slots: tuple[tuple[str, int, int], ...] = ()  # slot name, start, end


def trie_regex(words: list[str]) -> str:
    """A regex equivalent to an alternation of `words`, factored by common prefixes."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node and len(node) == 1:
            return ""
        optional = "" in node
        branches = []
        singles = []
        for ch in sorted(k for k in node if k):
            sub = emit(node[ch])
            if sub == "":
                singles.append(ch)
            else:
                branches.append(re.escape(ch) + sub)
        if len(singles) == 1:
            branches.append(re.escape(singles[0]))
        elif singles:
            branches.append("[" + "".join(re.escape(c) for c in singles) + "]")
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        if optional:
            body += "?" if len(branches) >= 1 else ""
            if not body.startswith("(?:"):
                body = "(?:" + body[:-1] + ")?"
        return body

    return emit(trie)


class Matcher:
    """Phrase patterns are compiled on first use, not up front: compiling a few hundred large
    lexicon alternations costs far more than checking one page, and a page touches only the
    anchors it contains. Pickling keeps sources only (see __getstate__), so a cached rule set
    loads without compiling anything it will not use."""

    def __init__(self, entries: list[tuple[Compiled, Hashable]]) -> None:
        # anchor -> [(index into self._sources, tag)]
        by_anchor: dict[str, list[tuple[int, Hashable]]] = {}
        sources: dict[str, int] = {}
        raw: list[tuple[str, Hashable]] = []
        for compiled, tag in entries:
            if compiled.raw:
                raw.append((compiled.regex, tag))
                continue
            slot = sources.setdefault(compiled.regex, len(sources))
            for anchor in compiled.anchors:
                by_anchor.setdefault(anchor, []).append((slot, tag))
        self._state = {"by_anchor": by_anchor, "sources": list(sources), "raw": raw}
        self._setup()

    def _setup(self) -> None:
        state = self._state
        self._by_anchor: dict[str, list[tuple[int, Hashable]]] = state["by_anchor"]
        self._sources: list[str] = state["sources"]
        self._patterns: list[re.Pattern[str] | None] = [None] * len(self._sources)
        anchors = sorted(self._by_anchor)
        self._anchor_re = (re.compile(r"(?<![\w'])(?:" + trie_regex(anchors) + r")(?![\w'])")
                           if anchors else None)
        raw = state["raw"]
        self._raw = [(re.compile(regex), tag) for regex, tag in raw]
        self._raw_re = (re.compile("|".join(f"(?:{regex})" for regex, _ in raw)) if raw else None)

    def __getstate__(self) -> dict:
        return self._state

    def __setstate__(self, state: dict) -> None:
        self._state = state
        self._setup()

    def prepare(self) -> None:
        """Compile every phrase pattern now (before forking workers, so they share the work)."""
        for slot in range(len(self._sources)):
            self._pattern(slot)

    def _pattern(self, slot: int) -> re.Pattern[str]:
        pattern = self._patterns[slot]
        if pattern is None:
            pattern = self._patterns[slot] = re.compile(self._sources[slot])
        return pattern

    @property
    def anchor_count(self) -> int:
        return len(self._by_anchor)

    def scan(self, norm: str) -> list[Hit]:
        hits: list[Hit] = []
        seen: set[tuple[int, int, Hashable]] = set()
        if self._anchor_re is not None:
            by_anchor = self._by_anchor
            patterns = self._patterns
            for m in self._anchor_re.finditer(norm):
                pos = m.start()
                for slot, tag in by_anchor[m.group()]:
                    pattern = patterns[slot] or self._pattern(slot)
                    found = pattern.match(norm, pos)
                    if found is not None:
                        key = (found.start(), found.end(), tag)
                        if key not in seen:
                            seen.add(key)
                            slots = tuple((k[2:], found.start(k), found.end(k))
                                          for k, v in found.groupdict().items() if v)
                            hits.append(Hit(found.start(), found.end(), tag, slots))
        if self._raw_re is not None:
            for m in self._raw_re.finditer(norm):
                for pattern, tag in self._raw:
                    found = pattern.match(norm, m.start())
                    if found is not None and found.end() > found.start():
                        hits.append(Hit(found.start(), found.end(), tag))
        hits.sort(key=lambda h: (h.start, h.end))
        return hits
