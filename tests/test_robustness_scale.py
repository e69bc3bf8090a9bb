"""Pathological documents stay linear: time for 2x the input over time for 1x, never absolute
times, so the checks hold on a slow, shared CI machine."""
from __future__ import annotations

import time
import tracemalloc

import pytest

from scopecheck.api import Options, check_one
from scopecheck.rules.ruleset import load_ruleset

MAX_RATIO = 3.2  # linear work doubles; quadratic work quadruples


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset([], builtin=True)  # the built-in packs: gaps, lexicons, guards


def _elapsed(name: str, data: bytes, ruleset) -> float:
    best = float("inf")
    for _ in range(1 if len(data) > 400_000 else 3):  # best of three: noise only ever adds time
        start = time.perf_counter()
        result = check_one(name, data, ruleset, Options())
        best = min(best, time.perf_counter() - start)
        assert result.status != "error", result.error
    return best


def _ratio(make, name: str, size: int, ruleset) -> tuple[float, float]:
    one = _elapsed(name, make(size), ruleset)
    two = _elapsed(name, make(2 * size), ruleset)
    # below 50 ms, timer and scheduler noise dwarf the work; such runs count as 50 ms
    return max(two, 0.05) / max(one, 0.05), two


CASES = {
    # one "sentence" of about 1 MB without punctuation
    "no-punctuation.txt": lambda n: ("we guarantee you will feel calmer " * (n // 34)).encode(),
    "treat-treat.txt": lambda n: ("treat " * (n // 6)).encode(),
    "near-misses.md": lambda n: ("I treat anxi and guarantee x-x-x-x-x-x-x and heal your tra " * (n // 60)).encode(),
    "hyphen-token.txt": lambda n: ("We guarantee " + "-".join(["x"] * (n // 2))).encode(),
    "nested-list.md": lambda n: "".join("  " * (i % 200) + "- I treat anxiety\n" for i in range(n // 200)).encode(),
    "nested.html": lambda n: (b"<div><ul><li>" * (n // 26) + b"I treat anxiety." + b"</li></ul></div>" * (n // 26)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pathological_input_is_linear(name, ruleset):
    size = 500_000 if name == "no-punctuation.txt" else 100_000  # the 2x run is 1 MB
    ratios = []
    # a pause elsewhere on the machine can land on one run and look like a quadratic step;
    # quadratic work fails every attempt, so a pair is measured again before failing
    for _ in range(3):
        ratio, seconds = _ratio(CASES[name], name, size, ruleset)
        print(f"{name}: 2x size took {ratio:.2f}x the time ({seconds:.2f} s at {2 * size} bytes)")
        ratios.append(ratio)
        if ratio < MAX_RATIO:
            break
    assert min(ratios) < MAX_RATIO, (name, ratios)


def test_memory_is_bounded_by_the_document(ruleset):
    data = ("I treat anxiety, and we guarantee results. " * 25_000).encode()  # about 1.1 MB
    check_one("warm.txt", data[:10_000], ruleset, Options())
    tracemalloc.start()
    try:
        check_one("big.txt", data, ruleset, Options())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.1f} MB document")
    assert peak < 200 * len(data), peak / len(data)
