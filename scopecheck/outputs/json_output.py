"""JSON output, described by schemas/report.schema.json."""
from __future__ import annotations

import json
from typing import TextIO


def render(data: dict, **_: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(data: dict, stream: TextIO, **_: object) -> None:
    """The same text as render(), written as it is encoded (an indented dump of a large report
    would otherwise be built as one string several times its final size). json.dump walks
    lists with a for loop, so a spilled report's findings are read back one at a time."""
    json.dump(data, stream, indent=2, ensure_ascii=False, sort_keys=False)
    stream.write("\n")
