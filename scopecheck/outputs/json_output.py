"""JSON output, described by schemas/report.schema.json.

The report is an indented object whose long lists (documents, findings, silenced candidates)
hold one item per line. Each item is encoded by the json module's C encoder, which is used only
for unindented text; indenting every item made writing the report slower than checking a
cached corpus."""
from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring
from typing import Callable, Iterable, TextIO

from scopecheck.outputs import rendered


def item_encoder(sort_keys: bool = False, separators: tuple[str, str] = (", ", ": ")) -> Callable[[object], str]:
    """json.dumps(item, ensure_ascii=False, ...) without indentation, encoded in C.

    JSONEncoder.encode builds its C encoder anew for every call, a fifth of the time it took to
    encode 20,000 findings; this one is built once. Where the C encoder is not available, items
    go through JSONEncoder.encode."""
    fallback = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=separators)
    if c_make_encoder is None:
        return fallback.encode
    item_separator, key_separator = separators
    encoder = c_make_encoder(None, fallback.default, encode_basestring, None, key_separator, item_separator,
                             sort_keys, False, True)
    return lambda item: "".join(encoder(item, 0))


def indented(value: object, level: int) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False) as it reads nested `level` deep in an
    indented document.

    The json module indents in Python, through a generator per container that yields every
    token on its own; laying out the whole of a 400-submission audit.json so took a quarter of
    a cached audit. Here each container is one join, and strings, numbers and the constants are
    encoded as json encodes them. Anything else (other key types, non-finite floats, objects a
    `default` would handle) goes to json.dumps, which gives the same text or the same error."""
    try:
        return _layout(value, "\n" + "  " * level)
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


class _Unusual(Exception):
    """A value the fast layout leaves to json.dumps."""


def _layout(value: object, newline: str) -> str:
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            encode = _SCALARS.get(type(item))
            parts.append(encode_basestring(key) + ": " + (encode(item) if encode else _layout(item, inner)))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        parts = []
        for item in value:
            encode = _SCALARS.get(type(item))
            parts.append(encode(item) if encode else _layout(item, inner))
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    encode = _SCALARS.get(kind)
    if encode:
        return encode(value)
    if kind is float and value - value == 0.0:  # finite
        return float.__repr__(value)
    raise _Unusual


# how json encodes each exact type; floats need a check for nan and infinity first
_SCALARS: dict[type, Callable[[object], str]] = {
    str: encode_basestring, int: int.__repr__, bool: {True: "true", False: "false"}.__getitem__,
    type(None): lambda _: "null"}


def write(data: dict, stream: TextIO, **_: object) -> None:
    """Written as it is encoded; a spilled report's lists are read back one item at a time."""
    encode = item_encoder()
    write_object(data, stream, lambda key, value: map(encode, value) if isinstance(value, list) else None)


def write_object(data: dict, stream: TextIO, items: Callable[[str, object], Iterable[str] | None]) -> None:
    """`data` as json.dumps(data, indent=2) lays out its members, except that each member for
    which `items(key, value)` gives encoded items is a list of them, one per line."""
    stream.write("{")
    for n, (key, value) in enumerate(data.items()):
        stream.write(("\n  " if n == 0 else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": ")
        encoded = items(key, value)
        if encoded is None:
            stream.write(indented(value, 1))
        else:
            write_list(stream, encoded, 1)
    stream.write("\n}\n" if data else "}\n")


def write_list(stream: TextIO, encoded: Iterable[str], level: int) -> None:
    """A list of encoded items, one per line, as json.dumps(indent=2) lays a list out `level`
    deep; the items are written as they come."""
    inner = "\n" + "  " * (level + 1)
    written = False
    for item in encoded:
        stream.write(("," if written else "[") + inner + item)
        written = True
    stream.write("\n" + "  " * level + "]" if written else "[]")


render = rendered(write)
