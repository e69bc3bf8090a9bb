"""Suppression directives written in comments: `scopecheck: ignore RULE-ID -- reason`.

Readers find comments in their own syntax and hand the comment body here; the checker applies
the parsed directives later (scopecheck.engine.suppress). Parsing is strict on purpose: a
directive that cannot be read is kept with a problem so it is reported, never silently dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ACTIONS = ("ignore", "disable", "enable")
_DIRECTIVE = re.compile(r"scopecheck\s*:\s*(?P<action>[A-Za-z-]+)(?P<rest>.*)", re.DOTALL)
_RULE_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class Directive:
    action: str  # ignore | disable | enable
    rule_ids: tuple[str, ...]
    reason: str
    offset: int  # where the comment sits in the extracted text; `ignore` covers the next block
    line: int  # source position of the comment, for reporting
    column: int
    page: int | None = None
    problem: str = ""  # why the directive cannot be honoured ("" when it is fine)


def parse_comment(body: str, offset: int, line: int, column: int) -> Directive | None:
    """The directive in one comment body, or None when the comment is not meant for scopecheck."""
    m = _DIRECTIVE.search(body)
    if not m:
        return None
    action = m.group("action").lower()
    rest = m.group("rest")
    ids_part, sep, reason = rest.partition("--")
    reason = " ".join(reason.split())
    tokens = [t for t in re.split(r"[\s,]+", ids_part.strip()) if t]
    problem = ""
    if action not in ACTIONS:
        problem = (f"unknown suppression action \"{action}\"; write ignore, disable or enable, "
                   "e.g. scopecheck: ignore SC-TREAT-001 -- quoted from a client's review")
    elif not tokens:
        problem = f"\"scopecheck: {action}\" names no rule id; name the rule, e.g. SC-TREAT-001"
    elif bad := [t for t in tokens if not _RULE_TOKEN.match(t)]:
        problem = f"\"{bad[0]}\" is not a rule id (ids look like SC-TREAT-001 or the prefix SC-TREAT)"
    elif action != "enable" and not (sep and reason):
        problem = (f"\"scopecheck: {action} {' '.join(tokens)}\" gives no reason, so it is not applied; "
                   f"add one after \"--\", e.g. scopecheck: {action} {tokens[0]} -- quoted from a client review")
    return Directive(action, tuple(t.upper() for t in tokens), reason, offset, line, column, None, problem)


def rule_matches(token: str, rule_id: str) -> bool:
    """Exact id, or a prefix that ends at a dash boundary: SC-TREAT covers SC-TREAT-001, never SC-TREATMENT-001."""
    rule_id = rule_id.upper()
    return rule_id == token or rule_id.startswith(token + "-")
