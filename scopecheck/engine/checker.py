"""Check one document against a rule set: one scan, then per-candidate judgement."""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict

from scopecheck.engine.guards import Candidate, judge
from scopecheck.model import Document, DocumentResult, Finding, Fix, Sentence, Silenced, replaced
from scopecheck.rules.matcher import Hit
from scopecheck.rules.model import Rule
from scopecheck.rules.ruleset import RuleSet
from scopecheck.text.normalize import normalize
from scopecheck.text.segment import split_sentences

_UNKNOWN = object()
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


def fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def keep_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def fingerprint(rule_id: str, path: str, sentence: str, occurrence: int) -> str:
    return _fingerprint_of(rule_id, path, _folded(sentence), occurrence)


def _folded(sentence: str) -> str:
    return " ".join(normalize(sentence).split())


def _fingerprint_of(rule_id: str, path: str, folded: str, occurrence: int) -> str:
    key = "\x1f".join((rule_id, path, folded, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class _Context:
    def __init__(self, doc: Document, ruleset: RuleSet, keep_silenced: bool = True) -> None:
        self.doc = doc
        self.keep_silenced = keep_silenced
        self.ruleset = ruleset
        self.norm = normalize(doc.text)
        self.blocks = doc.blocks
        self.sentences = split_sentences(doc.text, doc.blocks)
        self.sentence_starts = [s.start for s in self.sentences]
        self.findings: list[Finding] = []
        self.silenced: list[Silenced] = []
        # rules that share phrases (two conditionals on the same mentions) judge the same spans
        self._verdicts: dict[tuple, tuple[str, str] | None] = {}
        # hits of several rules start at the same offsets, and each is asked about more than once
        self._sentence_of: dict[int, Sentence | None] = {}

    def sentence_at(self, offset: int) -> Sentence | None:
        found = self._sentence_of.get(offset, _UNKNOWN)
        if found is _UNKNOWN:
            i = bisect_right(self.sentence_starts, offset) - 1
            sentence = self.sentences[i] if i >= 0 else None
            found = self._sentence_of[offset] = (
                sentence if sentence is not None and sentence.start <= offset < sentence.end else None)
        return found

    def scan(self, selection: frozenset[tuple[int, str]], segments: list[tuple[int, int]],
             raw_starts_in_segments: bool = False) -> list[Hit]:
        """The matcher's hits in these segments, less those that cross a gap the reader left
        where it dropped text (inline code): words on either side are not one phrase."""
        hits = self.ruleset.matcher.scan(self.norm, selection, segments=segments,
                                         raw_starts_in_segments=raw_starts_in_segments)
        gaps = self.doc.gaps
        return [hit for hit in hits if not _crosses_gap(gaps, hit)] if gaps else hits

    def candidate(self, hit: Hit) -> Candidate | None:
        sentence = self.sentence_at(hit.start)
        if sentence is None:
            return None
        category = self.ruleset.rules[hit.tag[0]].category
        return Candidate(hit.start, hit.end, sentence.start, sentence.end, self.blocks[sentence.block],
                         category)

    def verdict(self, cand: Candidate, guards: frozenset[str]) -> tuple[str, str] | None:
        """The guards' verdict on a candidate, once per span, category and set of guards: the
        guards read only the text around the span and those three."""
        key = (cand.start, cand.end, cand.category, guards)
        if key in self._verdicts:
            return self._verdicts[key]
        found = self._verdicts[key] = judge(self.norm, cand, self.ruleset.cues, self.doc.doc_type, guards)
        return found

    def severity(self, rule: Rule) -> str:
        return rule.severity_for(self.doc.doc_type, self.ruleset.profile.jurisdictions)

    def add(self, rule: Rule, start: int, end: int, slots: dict[str, str], *, fix: Fix | None = None,
            searched: tuple[str, ...] = (), message_extra: str = "") -> None:
        sentence = self.sentence_at(start)
        if sentence is not None:
            s0, s1 = sentence.start, sentence.end
        else:
            s0, s1 = start, end
        text = self.doc.text
        # a match or slot may run over a line break; quoted in a message it reads as one line
        quoted = {"match": text[start:end], **slots}
        values = {name: " ".join(value.split()) for name, value in quoted.items()}
        location = self.doc.source_map.locate(start, end)
        self.findings.append(Finding(
            rule_id=rule.id, category=rule.category, severity=self.severity(rule), kind=rule.kind,
            path=self.doc.path, location=location, message=fill(rule.message, values) + message_extra,
            excerpt=text[s0:s1], highlight=(start - s0, end - s0),
            suggestion=fill(rule.suggestion, values), citations=rule.citations,
            checklist=rule.checklist, searched=searched, fix=fix, start=start, end=end,
        ))

    def silence(self, rule: Rule, cand: Candidate, guard: str, reason: str) -> None:
        if not self.keep_silenced:
            return
        self.silenced.append(Silenced(
            rule.id, guard, reason, self.doc.source_map.locate(cand.start, cand.end),
            self.doc.text[cand.sentence_start:cand.sentence_end]))


def _slots(hit: Hit, text: str) -> dict[str, str]:
    return {name.replace("_", "-"): text[start:end] for name, start, end in hit.slots}


def check_document(doc: Document, ruleset: RuleSet, silenced: bool = True) -> DocumentResult:
    """Findings, checklist and, with `silenced`, the candidates guards silenced (shown only by
    --explain; a page has about twice as many of them as findings, each located in the source)."""
    ctx = _Context(doc, ruleset, silenced)
    rules = ruleset.rules
    by_rule: dict[int, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    first_pass = _first_pass_selection(ruleset, doc.doc_type)
    segments = [(sentence.start, sentence.end) for sentence in ctx.sentences]
    for hit in ctx.scan(first_pass, segments):
        index, role, _ = hit.tag
        by_rule[index][role].append(hit)
    _scan_dependent_phrases(ctx, by_rule)
    checklist: list[tuple[str, bool, str]] = []
    for index, rule in enumerate(rules):
        hits = by_rule.get(index)
        # without hits only a require rule has something to say (its element is missing)
        if (hits is None and rule.kind != "require") or doc.doc_type not in rule.applies_to:
            continue
        KINDS[rule.kind](ctx, rule, index, hits or {}, checklist)
    findings = _with_fingerprints(ctx.findings)
    failing = any(True for f in findings if not f.suppressed)
    return DocumentResult(
        path=doc.path, doc_type=doc.doc_type, type_source=doc.type_source, sha256=doc.sha256,
        format=doc.format, status="fail" if failing else "pass", findings=tuple(findings),
        silenced=tuple(ctx.silenced), checklist=tuple(checklist), warnings=doc.warnings,
    )


# Roles matched over the whole document. `unless` phrases only matter around a match of their
# rule, so they are looked for afterwards, in the sentences holding such matches.
FIRST_PASS_ROLES = frozenset({"match", "replace", "satisfied_by", "when", "then"})


def _crosses_gap(gaps: tuple[int, ...], hit: Hit) -> bool:
    """Whether a hit runs across a space that stands for text left out (inline code)."""
    i = bisect_left(gaps, hit.start)
    return i < len(gaps) and gaps[i] < hit.end


def _first_pass_selection(ruleset: RuleSet, doc_type: str) -> frozenset[tuple[int, str]]:
    """The (rule, role) pairs matched over a whole document of this type."""
    return ruleset.selection(doc_type, FIRST_PASS_ROLES)


def _scan_dependent_phrases(ctx: "_Context", by_rule: dict[int, dict[str, list[Hit]]]) -> None:
    """One more scan, over the sentences where rules with `unless` phrases matched."""
    rules = ctx.ruleset.rules
    needed: set[int] = set()
    windows: set[tuple[int, int]] = set()
    for index, roles in by_rule.items():
        if rules[index].unless and (roles.get("match") or roles.get("replace")):
            needed.add(index)
            windows.update(_window(ctx, h) for h in roles.get("match", []) + roles.get("replace", []))
    if not needed:
        return
    # one selection for every document of this type, so the matcher's tables for it stay warm;
    # the windows are few, and hits of rules not needed here are dropped
    selection = ctx.ruleset.selection(ctx.doc.doc_type, _UNLESS)
    for hit in ctx.scan(selection, sorted(windows), raw_starts_in_segments=True):
        if hit.tag[0] in needed:
            by_rule[hit.tag[0]]["unless"].append(hit)


_UNLESS = frozenset({"unless"})


def _window(ctx: "_Context", hit: Hit) -> tuple[int, int]:
    """The sentence around a hit: `unless` phrases that overlap the hit lie inside it."""
    sentence = ctx.sentence_at(hit.start)
    if sentence is None:
        return hit.start, hit.end
    return min(sentence.start, hit.start), max(sentence.end, hit.end)


def _with_fingerprints(findings: list[Finding]) -> list[Finding]:
    findings.sort(key=Finding.sort_key)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out = []
    for f in findings:
        key = (f.rule_id, _folded(f.excerpt))
        occurrence = seen[key]
        seen[key] += 1
        out.append(replaced(f, fingerprint=_fingerprint_of(f.rule_id, f.path, key[1], occurrence)))
    return out


class _Spans:
    """Hits sorted by start, to ask quickly whether any of them overlaps a span."""

    def __init__(self, hits: list[Hit]) -> None:
        self._hits = sorted(hits, key=lambda h: h.start)
        self._starts = [h.start for h in self._hits]
        self._longest = max((h.end - h.start for h in self._hits), default=0)

    def __bool__(self) -> bool:
        return bool(self._hits)

    def overlaps(self, hit: Hit) -> bool:
        # only hits starting before hit.end and no further back than the longest hit can overlap
        first = bisect_left(self._starts, hit.start - self._longest)
        last = bisect_left(self._starts, hit.end)
        return any(o.end > hit.start for o in self._hits[first:last])


def _forbid(ctx: _Context, rule: Rule, index: int, hits: dict[str, list[Hit]], checklist) -> None:
    unless = _Spans(hits.get("unless", []))
    reported: set[int] = set()
    for hit in hits.get("match", []):
        if unless and unless.overlaps(hit):
            continue
        cand = ctx.candidate(hit)
        if cand is None or cand.sentence_start in reported:
            continue
        if rule.where == "offer-list" and not _in_offer_list(ctx, cand):
            continue
        verdict = ctx.verdict(cand, rule.guards)
        if verdict:
            ctx.silence(rule, cand, *verdict)
            continue
        reported.add(cand.sentence_start)
        ctx.add(rule, hit.start, hit.end, _slots(hit, ctx.doc.text))


_LISTED = frozenset({"list_item", "table_cell"})


def _in_offer_list(ctx: _Context, cand: Candidate) -> bool:
    """A list item or table cell under an offer lead-in or heading ("I help with:")."""
    block = cand.block
    label = block.lead_in or block.heading
    return block.kind in _LISTED and bool(label) and bool(ctx.ruleset.cues.offer_headings.search(
        " ".join(normalize(label).split())))


def _prefer(ctx: _Context, rule: Rule, index: int, hits: dict[str, list[Hit]], checklist) -> None:
    last_end = -1
    unless = _Spans(hits.get("unless", []))
    for hit in hits.get("replace", []):
        if hit.start < last_end or (unless and unless.overlaps(hit)):
            continue  # overlapping keys: the earlier, longer match wins
        cand = ctx.candidate(hit)
        if cand is None:
            continue
        verdict = ctx.verdict(cand, rule.guards)
        if verdict:
            ctx.silence(rule, cand, *verdict)
            continue
        last_end = hit.end
        original = ctx.doc.text[hit.start:hit.end]
        replacement = keep_case(original, rule.replace[hit.tag[2]][1])
        ctx.add(rule, hit.start, hit.end, {"replacement": replacement},
                fix=Fix(hit.start, hit.end, replacement))


def _in_blocks(ctx: _Context, hit: Hit) -> bool:
    return ctx.sentence_at(hit.start) is not None


def _require(ctx: _Context, rule: Rule, index: int, hits: dict[str, list[Hit]], checklist) -> None:
    evidence = next((h for h in hits.get("satisfied_by", []) if _in_blocks(ctx, h)), None)
    checklist.append((rule.checklist or rule.id, evidence is not None, rule.id,
                      _evidence(ctx, evidence)))
    if evidence is None:
        start = ctx.blocks[0].start if ctx.blocks else 0
        hint = f" Place it {rule.placement}." if rule.placement else ""
        ctx.add(rule, start, start, {}, searched=rule.satisfied_by, message_extra=hint)


def _evidence(ctx: _Context, hit: Hit | None) -> str:
    if hit is None:
        return ""
    sentence = ctx.sentence_at(hit.start)
    loc = ctx.doc.source_map.locate(hit.start, hit.end)
    text = ctx.doc.text[sentence.start:sentence.end] if sentence else ctx.doc.text[hit.start:hit.end]
    return f"{loc.describe()}: {' '.join(text.split())[:240]}"


def _conditional(ctx: _Context, rule: Rule, index: int, hits: dict[str, list[Hit]], checklist) -> None:
    """Every mention must have its `then` within scope; the first one that lacks it is reported."""
    scope = _ThenIndex(ctx, [h for h in hits.get("then", []) if _in_blocks(ctx, h)])
    triggered = False
    evidence = None
    for hit in hits.get("when", []):
        cand = ctx.candidate(hit)
        if cand is None:
            continue
        if rule.when_guards:
            verdict = ctx.verdict(cand, rule.guards)
            if verdict:
                ctx.silence(rule, cand, *verdict)
                continue
        triggered = True
        satisfied = scope.first_for(rule.scope, cand)
        if satisfied is None:
            checklist.append((rule.checklist or rule.id, False, rule.id, ""))
            ctx.add(rule, hit.start, hit.end, _slots(hit, ctx.doc.text), searched=rule.then)
            return
        evidence = evidence or satisfied
    if triggered:
        checklist.append((rule.checklist or rule.id, True, rule.id, _evidence(ctx, evidence)))


class _ThenIndex:
    """A conditional rule's `then` hits by block and by section, so each trigger finds the
    first one in its scope without scanning them all."""

    def __init__(self, ctx: _Context, thens: list[Hit]) -> None:
        self._first = thens[0] if thens else None
        self._by_block: dict[int, Hit] = {}
        self._by_section: dict[int, Hit] = {}
        for hit in thens:
            sentence = ctx.sentence_at(hit.start)
            self._by_block.setdefault(sentence.block, hit)
            self._by_section.setdefault(ctx.blocks[sentence.block].section, hit)
        self._ctx = ctx

    def first_for(self, scope: str, cand: Candidate) -> Hit | None:
        if scope == "document":
            return self._first
        if scope == "section":
            return self._by_section.get(cand.block.section)
        # block scope: the same block or its neighbours (a question and the line right after it)
        here = self._ctx.sentence_at(cand.start)
        if here is None:
            return None
        found = [self._by_block[b] for b in (here.block - 1, here.block, here.block + 1) if b in self._by_block]
        return min(found, key=lambda h: h.start) if found else None


KINDS = {"forbid": _forbid, "prefer": _prefer, "require": _require, "conditional": _conditional}

