"""Human output: one block per finding, a summary line, colour only where it helps."""
from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from typing import TextIO

from scopecheck.outputs.citations import describe_citation
from scopecheck.outputs.phrasing import readable

from scopecheck.disclaimer import COVERED_ELEMENTS, hint as disclaimer_hint

COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
EXCERPT_WIDTH = 150


def _style(text: str, colour: bool, **kw) -> str:
    if not colour:
        return text
    import click
    return click.style(text, **kw)


def _one_line(text: str) -> str:
    """An excerpt's line breaks (LF, CRLF or a lone CR) shown as single spaces."""
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _excerpt(finding: dict, colour: bool) -> list[str]:
    excerpt: str = finding["excerpt"]
    start, end = finding["highlight"]
    if not excerpt.strip() or end <= start:
        return []
    # keep the line short: cut around the match
    left = max(0, start - 60)
    right = min(len(excerpt), max(end + 60, left + EXCERPT_WIDTH))
    prefix = "..." if left > 0 else ""
    suffix = "..." if right < len(excerpt) else ""
    # cut by the highlight first: it indexes the excerpt as the document has it
    before, match, after = (_inert(_one_line(excerpt[a:b]))
                            for a, b in ((left, start), (start, end), (end, right)))
    if colour:
        line = prefix + before + _style(match, True, bold=True, underline=True) + after + suffix
        return [f"    | {line}"]
    line = prefix + before + match + after + suffix
    caret = " " * (len(prefix) + len(before)) + "^" * max(1, len(match))
    return [f"    | {line}", f"    | {caret}"]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _inert(value):
    """Document and rule text with control characters shown as \\xNN, so an ESC or BEL in a file
    cannot drive the terminal; the colours added later are ours and stay."""
    if isinstance(value, str):
        # a CR is a line break in the source (CRLF or old Mac files), not a cursor move
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_inert(v) for v in value]
    return value


def lines(data: dict, colour: bool = False, verbose: bool = False) -> Iterator[str]:
    """The report's lines, one finding at a time (so a streamed report stays streamed)."""
    rules = data.get("rules", {})
    doc_types = {d["path"]: d.get("type") for d in data.get("documents", [])}
    for f in data["findings"]:
        if f.get("suppressed") is not None and not verbose:
            continue
        yield from _finding_lines(f, rules, doc_types, colour, verbose)
    for s in data.get("silenced", []):
        s = _inert(s)
        yield (f"{s['path']}:{s['line']}:{s['column']}: silenced {s['rule_id']} by {s['guard']} guard: "
               f"{s['reason']}")
        yield f"    | {' '.join(s['excerpt'].split())[:EXCERPT_WIDTH]}"
        yield ""
    for d in data["documents"]:
        if d["status"] == "error":
            yield _style(f"error: {_inert(d['error'])}", colour, fg="red")
    for e in data.get("errors", []):
        yield _style(f"error: {_inert(e)}", colour, fg="red")
    yield summary(data, colour)


def _finding_lines(raw: dict, rules: dict, doc_types: dict, colour: bool, verbose: bool) -> Iterator[str]:
    f = _inert(raw)
    where = f"{f['path']}:{f['line']}:{f['column']}"
    if f.get("page") is not None:
        where += f" ({f['location']})"
    elif f.get("unit") == "paragraph":
        where += f" ({f['location']})"
    severity = _style(f["severity"], colour, fg=COLOURS[f["severity"]], bold=True)
    head = f"{_style(where, colour, bold=True)}: {severity} {f['rule_id']} {f['message']}"
    if f.get("suppressed") is not None:
        head += f"  [suppressed: {f['suppressed']}]"
    yield head
    yield from _excerpt(raw, colour)
    if f.get("searched"):
        shown = f["searched"] if verbose else f["searched"][:2]
        looked = "; ".join(f'"{readable(s)}"' for s in shown)
        more = (f" (and {len(f['searched']) - len(shown)} more; -v lists them)"
                if len(f["searched"]) > len(shown) else "")
        yield f"    looked for: {looked}{more}"
    for i, line in enumerate(textwrap.wrap(f["suggestion"], 96)):
        yield ("    suggestion: " if i == 0 else "                ") + line
    if f["kind"] == "require" and f.get("checklist", "") in COVERED_ELEMENTS:
        yield f"    tip: {disclaimer_hint(doc_types.get(f['path']))}"
    if verbose:
        rule = _inert(rules.get(f["rule_id"], {}))
        if rule.get("rationale"):
            for i, line in enumerate(textwrap.wrap(rule["rationale"], 96)):
                yield ("    why: " if i == 0 else "         ") + line
        cites = "; ".join(describe_citation(c) for c in f["citations"])
        if cites:
            yield f"    see: {cites}"
    yield ""


def render(data: dict, colour: bool = False, verbose: bool = False, **_: object) -> str:
    return "\n".join(lines(data, colour, verbose)) + "\n"


def write(data: dict, stream: TextIO, colour: bool = False, verbose: bool = False, **_: object) -> None:
    for line in lines(data, colour, verbose):
        stream.write(line + "\n")


def summary(data: dict, colour: bool = False) -> str:
    s = data["summary"]
    counts = s["findings"]
    total = sum(counts.values())
    docs = s["documents"]
    doc_word = "document" if docs == 1 else "documents"
    parts = []
    if s["errors"]:
        parts.append(f"{s['errors']} could not be read")
    if total == 0:
        line = f"No scope-of-practice problems found in {docs} {doc_word}."
        if s["errors"]:
            line = f"No scope-of-practice problems found in the {docs - s['errors']} readable {doc_word}; " \
                   + ", ".join(parts) + "."
        return _style(line, colour, fg="green")
    detail = ", ".join(f"{n} {sev}{'s' if n != 1 and sev != 'info' else ''}"
                       for sev, n in counts.items() if n)
    line = f"Found {total} problem{'s' if total != 1 else ''} ({detail}) in {s['failed']} of {docs} {doc_word}"
    if s["suppressed"]:
        line += f"; {s['suppressed']} suppressed"
    if parts:
        line += "; " + ", ".join(parts)
    return line + "."
