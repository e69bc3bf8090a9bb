"""JSON output, described by schemas/report.schema.json.

The report is an indented object whose long lists (documents, findings, silenced candidates)
hold one item per line. Each item is encoded by the json module's C encoder, which is used only
for unindented text; indenting every item made writing the report slower than checking a
cached corpus."""
from __future__ import annotations

import io
import json
from typing import Callable, Iterable, TextIO

_ITEM = json.JSONEncoder(ensure_ascii=False)  # compact, and encoded in C


def _item_encoder() -> Callable[[object], str]:
    """JSONEncoder.encode builds its C encoder anew for every call, a fifth of the time it
    took to encode 20,000 findings; this one is built once per list. Where the C encoder is
    not available, items go through JSONEncoder.encode."""
    from json.encoder import c_make_encoder, encode_basestring
    if c_make_encoder is None:
        return _ITEM.encode
    encoder = c_make_encoder(None, _ITEM.default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda item: "".join(encoder(item, 0))


def indented(value: object, level: int) -> str:
    """json.dumps(value, indent=2) as it reads nested `level` deep in an indented document."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


def render(data: dict, **_: object) -> str:
    buffer = io.StringIO()
    write(data, buffer)
    return buffer.getvalue()


def write(data: dict, stream: TextIO, **_: object) -> None:
    """Written as it is encoded; a spilled report's lists are read back one item at a time."""
    stream.write("{")
    for n, (key, value) in enumerate(data.items()):
        stream.write(("\n  " if n == 0 else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": ")
        if isinstance(value, list):
            _write_items(value, stream)
        else:
            stream.write(indented(value, 1))
    stream.write("\n}\n" if data else "}\n")


def _write_items(items: Iterable, stream: TextIO) -> None:
    encode = _item_encoder()
    written = False
    for item in items:
        stream.write(("[\n    " if not written else ",\n    ") + encode(item))
        written = True
    stream.write("\n  ]" if written else "[]")
