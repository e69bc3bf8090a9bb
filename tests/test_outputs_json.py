"""The JSON layout helpers write exactly what the json module would."""
from __future__ import annotations

import json
import math
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scopecheck.outputs.json_output import indented

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text())
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple),
    max_leaves=30)


def _reference(value: object, level: int) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


@settings(max_examples=300, deadline=None)
@given(value=values, level=st.integers(min_value=0, max_value=4))
def test_indented_is_json_dumps_nested_at_its_level(value: object, level: int) -> None:
    assert indented(value, level) == _reference(value, level)


class Tone(str, Enum):
    KIND = "kind"


@pytest.mark.parametrize("value", [
    {1: "a", "b": 2},                       # keys json turns into strings
    {None: [True, False], 2.5: {}},
    [math.nan, math.inf, -math.inf, 1e300],  # json writes NaN and Infinity
    {"tone": Tone.KIND},                    # a str subclass
    {"nested": [{"deep": [[], {}, ""]}]},
    True,
    "plain \u201cquoted\u201d text with a \\ and a \"",
])
def test_indented_takes_unusual_values_as_json_does(value: object) -> None:
    assert indented(value, 2) == _reference(value, 2)


def test_indented_raises_what_json_raises_for_what_it_cannot_encode() -> None:
    with pytest.raises(TypeError):
        indented({"when": object()}, 1)
