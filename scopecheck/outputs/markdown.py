"""Markdown for pull-request comments: the verdict, a findings table and how to fix each one."""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from scopecheck.outputs import rendered, templating, view


def write(data: dict, stream: TextIO, name: str = "", generated: str | None = None,
          user_templates: Path | None = None, **_: object) -> None:
    templating.write("markdown", "report.md.j2", stream, user_templates, view=view.build(data, name, generated))


render = rendered(write)
