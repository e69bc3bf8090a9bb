"""Fuzz the rule-pack loader with packs generated from schemas/rule-pack.schema.json.

Whatever the pack, loading and compiling either succeed or raise RulePackError whose every
line reads file:line:col: message. Any other exception is a bug.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopecheck.errors import RulePackError
from scopecheck.resources import schema
from scopecheck.rules.loader import load_packs
from scopecheck.rules.ruleset import compile_rules

SCHEMA = schema("rule-pack.schema.json")
PROBLEM_LINE = re.compile(r"^.+:\d+:\d+: \S")
# phrase fragments that reach every branch of the phrase compiler, good and bad
FRAGMENTS = ["treat", "anxiety", "{cond}", "{cond?}", "{nope}", "{gap}", "{gap:9}", "{gap:2}", "(a|b)",
             "(a|)", "(", ")", "?", "re:(a+)+", "re:x*", "re:[", "re:(a|aa)*b", "re:cure[sd]?", "-", "'s",
             "\u00e9", "\u0130", "\U0001f600", "{", "}", "|"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _resolve(node: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return _resolve(SCHEMA["$defs"][name])
    return node


def from_schema(node: dict, depth: int = 0) -> st.SearchStrategy:
    """Values shaped by the schema; optional keys come and go, if/then constraints are ignored."""
    node = _resolve(node)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node and "type" not in node:
            return st.one_of([from_schema(n, depth + 1) for n in node[key]])
    kind = node.get("type")
    if kind == "string":
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True).filter(lambda s: len(s) < 40)
        return phrase()
    if kind == "array":
        items = from_schema(node.get("items", {"type": "string"}), depth + 1)
        return st.lists(items, min_size=node.get("minItems", 0), max_size=3 if depth < 4 else 1)
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", ()))
        fixed = {k: from_schema(v, depth + 1) for k, v in props.items() if k in required}
        optional = {k: from_schema(v, depth + 1) for k, v in props.items() if k not in required}
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra and not props:
            names = st.sampled_from(node["propertyNames"]["enum"]) if "enum" in node.get("propertyNames", {}) \
                else st.from_regex(r"^[a-z][a-z0-9-]{0,8}$", fullmatch=True)
            return st.dictionaries(names, from_schema(extra, depth + 1), max_size=3)
        return st.fixed_dictionaries(fixed, optional=optional)
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(-3, 100)
    return st.one_of(st.none(), st.booleans(), st.integers(), phrase())


def phrase() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), min_size=1, max_size=5) \
        .map(" ".join)


LEXICON = {"lexicons": {"cond": {"inflect": "noun", "terms": ["anxiety", "panic attack"]}}}
PACKS = from_schema(SCHEMA).map(lambda p: {**p, **LEXICON} if "lexicons" not in p else p)


def _mutate(text: str, data: st.DataObject) -> str:
    if not text or not data.draw(st.booleans()):
        return text
    at = data.draw(st.integers(0, len(text) - 1))
    cut = data.draw(st.integers(0, 12))
    insert = data.draw(st.sampled_from(["", ":", "- ", "  ", "\t", "{", "[", "!!python/name:os.system ",
                                        "&a ", "*a", "<<: {}", "'", '"', "\n", "\x00", "\ufeff"]))
    return text[:at] + insert + text[at + cut:]


def _load(path: Path) -> None:
    try:
        compile_rules(load_packs([(path, False)]))
    except RulePackError as exc:
        lines = str(exc).split("\n")  # not splitlines(): \x1e in a value is not a new line
        assert lines, "RulePackError without a message"
        for line in lines:
            assert PROBLEM_LINE.match(line), line


@SETTINGS
@given(pack=PACKS, data=st.data())
def test_generated_packs_load_or_fail_cleanly(tmp_path_factory, pack, data):
    text = _mutate(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), data)
    path = tmp_path_factory.mktemp("fuzz") / "pack.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load(path)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_fail_cleanly(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "pack.yaml"
    path.write_bytes(raw)
    _load(path)


def test_the_generator_reaches_valid_packs():
    # guard against a strategy that only ever produces rejected packs
    loaded = []

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(pack=PACKS)
    def probe(pack):
        from scopecheck.rules.loader import _schema_problems  # noqa: PLC0415
        from scopecheck.yamlload import load_yaml
        text = yaml.safe_dump(pack, sort_keys=False)
        if not _schema_problems(load_yaml(text, "x.yaml"), "x.yaml"):
            loaded.append(pack)

    probe()
    assert loaded
