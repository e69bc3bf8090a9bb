"""Rule phrases written for people: what a require or conditional rule looked for, in a form a
coach can read ("coaching is not … <therapy-noun>") rather than the rule syntax."""
from __future__ import annotations

import re

_GAP = re.compile(r"\{gap(?::\d+)?\}\??")
_SLOT = re.compile(r"\{([a-z][a-z0-9-]*)(\?)?\}(\?)?")
_GROUP = re.compile(r"\(([^()]*)\)(\?)?")
MAX_CHOICES = 3


def _choices(match: re.Match[str]) -> str:
    options = [o.strip() for o in match.group(1).split("|") if o.strip()]
    shown = "/".join(options[:MAX_CHOICES]) + ("/…" if len(options) > MAX_CHOICES else "")
    return f"[{shown}]" if match.group(2) else shown


def readable(phrase: str) -> str:
    if phrase.startswith("re:"):
        return "a pattern written by the rule's author"
    text = _GAP.sub("…", phrase)
    text = _SLOT.sub(lambda m: f"[<{m.group(1)}>]" if (m.group(2) or m.group(3)) else f"<{m.group(1)}>", text)
    text = _GROUP.sub(_choices, text)
    text = re.sub(r"(\w)\?(?=\s|$)", r"[\1]", text)
    return " ".join(text.split())
