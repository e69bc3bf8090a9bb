"""The HTML report for one run: a self-contained page a reviewer can read, print and sign."""
from __future__ import annotations

from pathlib import Path

from scopecheck.outputs import templating, view


def render(data: dict, name: str = "", generated: str | None = None, index_href: str | None = None,
           user_templates: Path | None = None, **_: object) -> str:
    return templating.render("html", "report.html.j2", user_templates,
                             view=view.build(data, name, generated), index_href=index_href)
