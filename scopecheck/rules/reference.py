"""Render the rule reference (docs/rules.md) from the built-in packs, so the docs cannot drift."""
from __future__ import annotations

from scopecheck.rules.model import Pack


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_reference(packs: list[Pack]) -> str:
    out = ["# Rule reference", "",
           "Generated from the built-in rule packs by `scopecheck rules doc > docs/rules.md`; "
           "do not edit by hand. `scopecheck rules show ID` prints the same for one rule.", ""]
    rules = sorted((r for p in packs for r in p.rules), key=lambda r: r.id)
    out += ["| id | category | severity | kind | applies to | title |", "|---|---|---|---|---|---|"]
    for r in rules:
        title = r.title or r.message
        out.append(f"| [{r.id}](#{r.id.lower()}) | {r.category} | {r.severity} | {r.kind} | "
                   f"{', '.join(r.applies_to)} | {_cell(title)} |")
    for pack in sorted(packs, key=lambda p: p.name):
        if not pack.rules:
            continue
        places = f" (active for: {', '.join(pack.jurisdictions)})" if pack.jurisdictions else ""
        out += ["", f"## Pack `{pack.name}` {pack.version}{places}", ""]
        if pack.description:
            out += [" ".join(pack.description.split()), ""]
        for r in sorted(pack.rules, key=lambda r: r.id):
            out += [f"### {r.id}", ""]
            if r.title:
                out += [f"**{_cell(r.title)}**", ""]
            by_type = "".join(f"; {t}: {s}" for t, s in r.severity_by_type)
            out += [f"- Category: `{r.category}`; severity: {r.severity}{by_type}; kind: `{r.kind}`",
                    f"- Applies to: {', '.join(r.applies_to)}"]
            if r.checklist:
                out.append(f"- Checklist element: `{r.checklist}`")
            if r.licensed_exempt:
                out.append(f"- Off when the profile declares one of: {', '.join(r.licensed_exempt)}")
            out += [f"- Message: {_cell(r.message)}", "", f"Why it matters: {_cell(r.rationale)}", "",
                    "Rests on:"]
            out += [f"- {_cell(c.describe())}" + (f" ({_cell(c.note)})" if c.note else "") for c in r.citations]
            out += ["", f"Suggested rewrite: {_cell(r.suggestion)}", "", "Flagged:"]
            out += [f"- {_cell(e.text)}" for e in r.examples_flag]
            out += ["", "Not flagged:"]
            out += [f"- {_cell(e.text)}" for e in r.examples_pass]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
