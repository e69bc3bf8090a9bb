"""The HTML report for one run: a self-contained page a reviewer can read, print and sign."""
from __future__ import annotations

from pathlib import Path
from typing import TextIO

from scopecheck.outputs import rendered, templating, view


def write(data: dict, stream: TextIO, name: str = "", generated: str | None = None,
          index_href: str | None = None, user_templates: Path | None = None, digest: str | None = None,
          **_: object) -> None:
    templating.write("html", "report.html.j2", stream, user_templates,
                     view=view.build(data, name, generated, digest), index_href=index_href)


render = rendered(write)
