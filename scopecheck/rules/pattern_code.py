"""Pickling compiled regexes together with the matching code the regex engine runs.

A pickled `re.Pattern` holds only its source, so loading it compiles it again, and `re`
parses and generates code in Python: for the rule set's big patterns (prefix trees of hundreds
of cue phrases and raw-expression prefixes) that took about 60 ms of every warm start. `dumps`
stores each pattern with the code `re` generated for it, and loading hands that code straight to
the engine (`_sre.compile`, which checks it before use) in well under a millisecond.

The code belongs to one interpreter version. A pattern stored by another version, or by an
interpreter without these internals, is compiled from its source as usual, so the worst case is
the old speed, never a wrong pattern.
"""
from __future__ import annotations

import io
import pickle
import re
import sys
from typing import Any

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python implementation: plain pickling
    _sre = None

_INTERPRETER = (sys.implementation.name, tuple(sys.version_info[:3]),
                getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))


def interpreter_tag() -> str:
    """A name for the interpreter whose code is stored, for file names."""
    return f"{_INTERPRETER[0]}-{'.'.join(map(str, _INTERPRETER[1]))}"


def _engine_arguments(source: str | bytes, flags: int) -> tuple:
    """What `re` passes to `_sre.compile` for this source (the steps of re._compiler.compile)."""
    parsed = _parser.parse(source, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, number in parsed.state.groupdict.items():
        index_group[number] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1,
            dict(parsed.state.groupdict), tuple(index_group))


def _stored(source: str | bytes, flags: int) -> tuple:
    """The arguments of `restore` for a pattern."""
    try:
        engine = _engine_arguments(source, flags) if _sre is not None else None
    except Exception:  # noqa: BLE001 - internals that changed shape: store the source only
        engine = None
    return _INTERPRETER, source, flags, engine


def restore(interpreter: tuple, source: str | bytes, flags: int, engine: tuple | None) -> re.Pattern:
    """A pattern from its stored code when this interpreter made it, else from its source."""
    if engine is not None and interpreter == _INTERPRETER:
        try:
            return _sre.compile(source, *engine)
        except Exception:  # noqa: BLE001 - code the engine rejects: compile the source instead
            pass
    return re.compile(source, flags)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, re.Pattern):
            return restore, _stored(obj.pattern, obj.flags)
        return NotImplemented


def dumps(value: Any) -> bytes:
    """Like pickle.dumps, with compiled patterns stored ready to run."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def freeze(source: str) -> bytes:
    """A pattern source compiled to engine code, as bytes that stay unopened until `thaw` is
    asked for them: a rule set loads a thousand phrase patterns without making a thousand
    pattern objects, and makes only those its documents need."""
    return pickle.dumps(_stored(source, 0), protocol=pickle.HIGHEST_PROTOCOL)


def thaw(frozen: bytes) -> re.Pattern:
    return restore(*pickle.loads(frozen))


__all__ = ["dumps", "freeze", "interpreter_tag", "restore", "thaw"]
