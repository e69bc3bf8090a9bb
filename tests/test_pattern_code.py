"""Compiled patterns stored with their engine code load ready to run, and never wrongly."""
from __future__ import annotations

import pickle
import re

import pytest

from scopecheck.api import Options, load_rules
from scopecheck.cache import Store
from scopecheck.rules import compiled as compiled_cache
from scopecheck.rules import pattern_code
from scopecheck.rules.pattern_code import dumps

PATTERNS = [
    re.compile(r"(?<![\w'])(?:treat(?:ing|s)?|cure[ds]?)(?!\w)"),
    re.compile(r"(?P<verb>diagnos\w+)\s+(?P<what>\w+)|(\d+)/7"),
    re.compile(r"no need for (?:medication|meds)", re.IGNORECASE),
    re.compile(r"^\s*-\s+(.+)$", re.MULTILINE),
    re.compile(rb"\x00+[^\x00]"),
]
TEXT = ("I treat anxiety. We cured it; she treats 24/7. Diagnosing depression is not what I do.\n"
        " - No need for MEDICATION\nTreating grief, the therapist's cure.")


def _behaviour(pattern: re.Pattern) -> list:
    text = TEXT.encode() + b"\x00\x00x" if isinstance(pattern.pattern, bytes) else TEXT
    return [(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: str(p.pattern)[:20])
def test_a_stored_pattern_matches_like_the_original(pattern):
    loaded = pickle.loads(dumps(pattern))
    assert loaded.pattern == pattern.pattern and loaded.flags == pattern.flags
    assert loaded.groupindex == pattern.groupindex
    assert _behaviour(loaded) == _behaviour(pattern) != []


def test_loading_runs_the_stored_code_instead_of_compiling(monkeypatch):
    data = dumps(PATTERNS)
    re.purge()

    def refuse(*args, **kwargs):
        raise AssertionError("compiled from source")
    monkeypatch.setattr(re._compiler, "compile", refuse)
    loaded = pickle.loads(data)
    assert [_behaviour(p) for p in loaded] == [_behaviour(p) for p in PATTERNS]


def test_code_from_another_interpreter_is_compiled_from_source(monkeypatch):
    data = dumps(PATTERNS[1])
    monkeypatch.setattr(pattern_code, "_INTERPRETER", ("other", (9, 9, 9), 0, 0))
    assert _behaviour(pickle.loads(data)) == _behaviour(PATTERNS[1])


def test_code_the_engine_rejects_is_compiled_from_source():
    broken = (re.UNICODE, [999, 999, 999], 0, {}, ())
    pattern = pattern_code.restore(pattern_code._INTERPRETER, r"a+b", re.UNICODE, broken)
    assert pattern.findall("aab ab b") == ["aab", "ab"]


def test_the_compiled_rules_cache_loads_without_compiling_patterns(tmp_path, monkeypatch):
    ruleset = load_rules(Options())
    store = Store(tmp_path)
    compiled_cache.save("k", ruleset, store)
    re.purge()

    def refuse(*args, **kwargs):
        raise AssertionError("compiled from source")
    monkeypatch.setattr(re._compiler, "compile", refuse)
    loaded = compiled_cache.load("k", store)
    assert loaded is not None
    monkeypatch.undo()
    text = "i treat anxiety and offer unlimited voxer support. your therapist can diagnose."
    assert ([tuple(h) for h in loaded.matcher.scan(text)] == [tuple(h) for h in ruleset.matcher.scan(text)] != [])
    assert loaded.cues.third_party.findall(text) == ruleset.cues.third_party.findall(text) != []


@pytest.mark.parametrize("damage", [b"", b"not a pickle", dumps(re.compile("something else"))])
def test_damaged_phrase_code_is_compiled_from_source(damage):
    ruleset = load_rules(Options())
    text = "i treat anxiety and panic attacks in just 6 weeks."
    expected = [tuple(h) for h in ruleset.matcher.scan(text)]
    damaged = pickle.loads(pickle.dumps(ruleset.matcher))
    damaged._state["frozen"] = [(damage, damage if before is not None else None)
                                for _, _, before, _ in damaged._plans]
    reloaded = pickle.loads(pickle.dumps(damaged))  # loads as a cached rule set with that code
    assert [tuple(h) for h in reloaded.scan(text)] == expected != []
