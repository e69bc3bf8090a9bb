"""Ready-to-adapt disclosure wording per document type and jurisdiction.

The wording lives in templates/disclaimers/*.md.j2 (Markdown); crisis numbers live here, per
jurisdiction, so every template says the same thing. Markdown is converted to plain text or
HTML with a tiny converter that knows only what the templates use: headings, paragraphs and
bullet lists.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopecheck.model import DOC_TYPES
from scopecheck.resources import data_dir

if TYPE_CHECKING:
    import jinja2

FORMATS = ("markdown", "text", "html")
# checklist elements (docs/elements.md) that the rendered wording provides
COVERED_ELEMENTS = frozenset({
    "not-therapy", "no-diagnosis-treatment", "not-substitute", "concurrent-care", "crisis-resources",
    "confidentiality-limits", "contact-policy", "client-responsibility", "consent-signature",
    "screening-questions", "emergency-contact", "referral-policy", "crisis-near-suicide",
    "medication-disclaimer", "contact-limits",
})


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    crisis_lines: tuple[str, ...]
    emergency: str
    short_crisis: str  # one sentence for short texts and next to the suicide question


_US_LINES = ("988 Suicide & Crisis Lifeline: call or text 988, or chat at 988lifeline.org (free, 24/7).",)
_US_EMERGENCY = "In an emergency, call 911 or go to the nearest emergency room."
_US_SHORT = "Call or text 988 (Suicide & Crisis Lifeline), or call 911 in an emergency."


def _us(code: str, name: str) -> Place:
    return Place(code, name, _US_LINES, _US_EMERGENCY, _US_SHORT)


_CANADA_LINES = ("9-8-8 Suicide Crisis Helpline: call or text 9-8-8 (free, 24/7).",)
_CANADA_EMERGENCY = "In an emergency, call 911 or go to the nearest emergency department."
_CANADA_SHORT = "Call or text 9-8-8 (Suicide Crisis Helpline), or call 911 in an emergency."

PLACES: dict[str, Place] = {
    "us": _us("us", "United States"),
    "us-ca": _us("us-ca", "California, United States"),
    "us-fl": _us("us-fl", "Florida, United States"),
    "us-ny": _us("us-ny", "New York, United States"),
    "us-tx": _us("us-tx", "Texas, United States"),
    "us-co": _us("us-co", "Colorado, United States"),
    "uk": Place("uk", "United Kingdom", (
        "Samaritans: call 116 123 (free, 24/7).",
        "NHS 111 for urgent help that is not an emergency (in England, choose the mental health option).",
        "Shout: text SHOUT to 85258.",
    ), "In an emergency, call 999 or go to A&E.",
        "Call Samaritans on 116 123, or call 999 in an emergency."),
    "ca-on": Place("ca-on", "Ontario, Canada", _CANADA_LINES, _CANADA_EMERGENCY, _CANADA_SHORT),
    "ca-qc": Place("ca-qc", "Quebec, Canada", _CANADA_LINES, _CANADA_EMERGENCY, _CANADA_SHORT),
    "au": Place("au", "Australia", (
        "Lifeline: call 13 11 14 or text 0477 13 11 14 (24/7).",
    ), "In an emergency, call 000.",
        "Call Lifeline on 13 11 14, or call 000 in an emergency."),
}


def environment() -> jinja2.Environment:
    import jinja2  # here, not at the top: every command's options are built at start-up
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "disclaimers")),
        undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)


def render_markdown(doc_type: str, jurisdiction: str = "us") -> str:
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    place = PLACES[jurisdiction]
    text = environment().get_template(f"{doc_type}.md.j2").render(place=place, doc_type=doc_type)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _blocks(markdown: str) -> list[tuple[str, object]]:
    """Markdown (headings, paragraphs, '-' lists) -> [(kind, text or list of items)]."""
    out: list[tuple[str, object]] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = chunk.splitlines()
        heading = re.match(r"^(#{1,6})\s+(.*)$", lines[0])
        if heading and len(lines) == 1:
            out.append((f"h{len(heading.group(1))}", heading.group(2)))
        elif all(line.startswith("- ") for line in lines):
            out.append(("ul", [line[2:] for line in lines]))
        else:
            out.append(("p", " ".join(line.strip() for line in lines)))
    return out


def to_text(markdown: str) -> str:
    parts = []
    for kind, content in _blocks(markdown):
        if kind.startswith("h"):
            rule = "=" if kind == "h1" else "-"
            parts.append(f"{content}\n{rule * len(str(content))}")
        elif kind == "ul":
            parts.append("\n".join(f"  * {item}" for item in content))
        else:
            parts.append(str(content))
    return "\n\n".join(parts) + "\n"


def to_html(markdown: str, title: str) -> str:
    body = []
    for kind, content in _blocks(markdown):
        if kind == "ul":
            items = "\n".join(f"  <li>{html.escape(item)}</li>" for item in content)
            body.append(f"<ul>\n{items}\n</ul>")
        else:
            tag = kind if kind.startswith("h") else "p"
            body.append(f"<{tag}>{html.escape(str(content))}</{tag}>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


TITLES = {"marketing": "About coaching", "program": "Program scope", "intake": "Coaching intake form",
          "agreement": "Coaching agreement"}


def render(doc_type: str, jurisdiction: str = "us", fmt: str = "markdown") -> str:
    markdown = render_markdown(doc_type, jurisdiction)
    if fmt == "markdown":
        return markdown
    if fmt == "text":
        return to_text(markdown)
    if fmt == "html":
        return to_html(markdown, TITLES[doc_type])
    raise ValueError(f"unknown format {fmt!r}")


def hint(doc_type: str | None) -> str:
    """The pointer shown under missing-disclosure findings."""
    kind = doc_type if doc_type in DOC_TYPES else "intake"
    return f"run `scopecheck disclaimer --type {kind}` for ready wording"


__all__ = ["COVERED_ELEMENTS", "FORMATS", "PLACES", "hint", "render", "render_markdown"]
