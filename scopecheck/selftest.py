"""Run every rule's own examples: `flag` examples must produce the rule's finding, `pass`
examples must not. Used by `scopecheck rules test` and by the test suite."""
from __future__ import annotations

from dataclasses import dataclass

from scopecheck.api import Options, document_from_text, load_rules
from scopecheck.engine.checker import check_document
from scopecheck.rules.model import Example, Rule
from scopecheck.rules.ruleset import DEFAULT_JURISDICTIONS, Profile, RuleSet


@dataclass(frozen=True)
class ExampleResult:
    rule: Rule
    example: Example
    expected: bool  # True: must flag
    ok: bool
    detail: str


def _ruleset_for(example: Example, base: Options, cache: dict) -> RuleSet:
    profile = Profile(example.jurisdictions or DEFAULT_JURISDICTIONS, example.licenses)
    if profile not in cache:
        cache[profile] = load_rules(Options(rules_dirs=base.rules_dirs, profile=profile,
                                            builtin_rules=base.builtin_rules))
    return cache[profile]


def _run(rule: Rule, example: Example, expected: bool, options: Options, cache: dict) -> ExampleResult:
    if not example.jurisdictions and rule.pack not in {p.name for p in _ruleset_for(example, options, cache).packs}:
        pack_places = next(p.jurisdictions for p in _all_packs(options, cache) if p.name == rule.pack)
        example = Example(example.text, example.doc_type, pack_places, example.licenses)
    ruleset = _ruleset_for(example, options, cache)
    doc_type = example.doc_type or rule.applies_to[0]
    doc = document_from_text(example.text, "<example>", Options(doc_type=doc_type))
    result = check_document(doc, ruleset)
    hits = [f for f in result.findings if f.rule_id == rule.id and f.suppressed is None]
    ok = bool(hits) == expected
    if ok:
        detail = ""
    elif expected:
        silenced = [s for s in result.silenced if s.rule_id == rule.id]
        detail = (f"silenced by the {silenced[0].guard} guard: {silenced[0].reason}" if silenced
                  else "no match")
    else:
        detail = f"flagged: {hits[0].message}"
    return ExampleResult(rule, example, expected, ok, detail)


def _all_packs(options: Options, cache: dict):
    key = "__all__"
    if key not in cache:
        from scopecheck.rules.loader import load_packs, pack_file_list
        cache[key] = load_packs(pack_file_list(options.rules_dirs, options.builtin_rules)).packs
    return cache[key]


def run_examples(options: Options, only_packs: tuple[str, ...] = ()) -> list[ExampleResult]:
    """Examples of every pack (or the named ones), including jurisdiction packs, each run with
    the jurisdiction its pack needs."""
    cache: dict = {}
    results = []
    for pack in _all_packs(options, cache):
        if only_packs and pack.name not in only_packs and pack.path not in only_packs:
            continue
        for rule in pack.rules:
            for expected, examples in ((True, rule.examples_flag), (False, rule.examples_pass)):
                for example in examples:
                    results.append(_run(rule, example, expected, options, cache))
    return results
