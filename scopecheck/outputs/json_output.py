"""JSON output, described by schemas/report.schema.json."""
from __future__ import annotations

import json


def render(data: dict, **_: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
