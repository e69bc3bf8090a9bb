"""Markdown for pull-request comments: the verdict, a findings table and how to fix each one."""
from __future__ import annotations

from pathlib import Path

from scopecheck.outputs import templating, view


def render(data: dict, name: str = "", generated: str | None = None,
           user_templates: Path | None = None, **_: object) -> str:
    return templating.render("markdown", "report.md.j2", user_templates,
                             view=view.build(data, name, generated))
