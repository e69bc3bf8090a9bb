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
    def __init__(self, entries: list[tuple[Compiled, Hashable]]) -> None:
        self._by_anchor: dict[str, list[tuple[re.Pattern[str], Hashable]]] = {}
        raw: list[tuple[Compiled, Hashable]] = []
        cache: dict[str, re.Pattern[str]] = {}
        for compiled, tag in entries:
            if compiled.raw:
                raw.append((compiled, tag))
                continue
            pattern = cache.get(compiled.regex)
            if pattern is None:
                pattern = cache[compiled.regex] = re.compile(compiled.regex)
            for anchor in compiled.anchors:
                self._by_anchor.setdefault(anchor, []).append((pattern, tag))
        anchors = sorted(self._by_anchor)
        self._anchor_re = (re.compile(r"(?<![\w'])(?:" + trie_regex(anchors) + r")(?![\w'])")
                           if anchors else None)
        self._raw = [(re.compile(c.regex), tag) for c, tag in raw]
        self._raw_re = (re.compile("|".join(f"(?:{c.regex})" for c, _ in raw)) if raw else None)

    @property
    def anchor_count(self) -> int:
        return len(self._by_anchor)

    def scan(self, norm: str) -> list[Hit]:
        hits: list[Hit] = []
        seen: set[tuple[int, int, Hashable]] = set()
        if self._anchor_re is not None:
            by_anchor = self._by_anchor
            for m in self._anchor_re.finditer(norm):
                pos = m.start()
                for pattern, tag in by_anchor[m.group()]:
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
