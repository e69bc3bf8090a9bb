"""Check the text shown in the page and describe the result in the page's terms.

The editor always holds text (pasted, or extracted from an upload), and it is always checked as
Markdown, so a heading or a list keeps its meaning while the coach edits. The response is the
report's own dictionary (the one serialisation every output uses) plus, for each finding, where
it sits in the editor, measured in UTF-16 code units as JavaScript counts them.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import PurePath
from threading import Lock

from scopecheck.api import Options, check_one, load_rules
from scopecheck.model import DOC_TYPES, DocumentResult, Finding
from scopecheck.report import Report
from scopecheck.rules.ruleset import DEFAULT_JURISDICTIONS, Profile, RuleSet
from scopecheck.serve.settings import ServeSettings

AUTO_TYPE = "auto"

DOC_TYPE_LABELS = {
    "marketing": "Website or marketing page",
    "program": "Program or package description",
    "intake": "Intake form",
    "agreement": "Coaching agreement",
}

JURISDICTION_LABELS = {
    "us": "United States",
    "us-ca": "United States: California",
    "us-co": "United States: Colorado",
    "us-fl": "United States: Florida",
    "us-ny": "United States: New York",
    "us-tx": "United States: Texas",
    "uk": "United Kingdom",
    "ca-on": "Canada: Ontario",
    "ca-qc": "Canada: Quebec",
    "au": "Australia",
}

ELEMENT_LABELS = {
    "not-therapy": "Coaching is not therapy",
    "no-diagnosis-treatment": "Coaching does not diagnose or treat",
    "not-substitute": "Not a substitute for medical or mental health care",
    "concurrent-care": "Therapy alongside coaching is welcome",
    "crisis-resources": "What to do in a crisis",
    "confidentiality-limits": "Confidentiality and its limits",
    "contact-policy": "Contact between sessions",
    "client-responsibility": "The client is responsible for their choices",
    "consent-signature": "Consent, signature and date",
    "screening-questions": "Screening questions",
    "emergency-contact": "Emergency contact",
    "referral-policy": "Referral to licensed professionals",
    "clinical-topic-disclosure": "Disclosure where clinical topics are mentioned",
    "crisis-near-suicide": "Crisis instructions next to mentions of suicide",
    "medication-disclaimer": "No medication advice",
    "contact-limits": "Response times and not for emergencies",
    "guardian-consent": "Parent or guardian consent",
    "trauma-informed-explained": "What \"trauma-informed\" means here",
}


def element_label(element: str) -> str:
    return ELEMENT_LABELS.get(element, element.replace("-", " ").capitalize())


def jurisdiction_label(code: str) -> str:
    return JURISDICTION_LABELS.get(code, code.upper())


@dataclass(frozen=True)
class CheckRequest:
    text: str
    name: str = "pasted-text"
    doc_type: str = AUTO_TYPE
    jurisdiction: str = DEFAULT_JURISDICTIONS[0]


class Checker:
    """Holds one compiled rule set per jurisdiction, built on first use and then reused."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self._rulesets: dict[str, RuleSet] = {}
        self._lock = Lock()

    def options(self, doc_type: str, jurisdiction: str) -> Options:
        return Options(doc_type=None if doc_type == AUTO_TYPE else doc_type,
                       rules_dirs=self.settings.rules_dirs, builtin_rules=self.settings.builtin_rules,
                       profile=Profile((jurisdiction,), self.settings.licenses))

    def ruleset(self, jurisdiction: str) -> RuleSet:
        with self._lock:
            if jurisdiction not in self._rulesets:
                self._rulesets[jurisdiction] = load_rules(self.options(AUTO_TYPE, jurisdiction))
            return self._rulesets[jurisdiction]

    def run(self, request: CheckRequest) -> tuple[Report, DocumentResult]:
        options = self.options(request.doc_type, request.jurisdiction)
        ruleset = self.ruleset(request.jurisdiction)
        result = check_one(markdown_name(request.name), request.text.encode("utf-8"), ruleset, options)
        return Report([result], ruleset.packs, ruleset.rules), result

    def check(self, request: CheckRequest) -> dict:
        report, _ = self.run(request)
        return page_payload(report, request.text)

    def require_suggestions(self, doc_type: str, jurisdiction: str) -> dict[str, tuple[str, str]]:
        """element -> (wording, placement) taken from the rules that require it."""
        out: dict[str, tuple[str, str]] = {}
        for rule in self.ruleset(jurisdiction).rules:
            if rule.checklist and rule.checklist not in out and rule.suggestion:
                if doc_type == AUTO_TYPE or doc_type in rule.applies_to:
                    out[rule.checklist] = (strip_add_prefix(rule.suggestion), rule.placement)
        return out


def markdown_name(name: str) -> str:
    """The name the text is checked under: the editor text is Markdown whatever it came from."""
    clean = PurePath(name.replace("\\", "/")).name or "pasted-text"
    if clean.lower().endswith((".md", ".markdown", ".mdown")):
        return clean
    return f"{PurePath(clean).stem or 'pasted-text'}.md"


def strip_add_prefix(suggestion: str) -> str:
    text = suggestion.strip()
    if text.lower().startswith("add:"):
        text = text[4:].strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def page_payload(report: Report, text: str) -> dict:
    data = report.to_dict()
    positions = EditorPositions(text)
    data["spans"] = [finding_span(f, positions) for f in report.findings]
    data["labels"] = {
        "doc_types": DOC_TYPE_LABELS,
        "elements": {item["element"]: element_label(item["element"])
                     for doc in data["documents"] for item in doc["checklist"]},
    }
    return data


def finding_span(finding: Finding, positions: "EditorPositions") -> dict:
    """Where the finding sits in the editor, and whether its rewrite replaces exactly that span."""
    loc = finding.location
    start = positions.offset(loc.line, loc.column)
    end = positions.offset(loc.end_line, loc.end_column)
    if end < start:
        start, end = end, start
    fix = finding.fix
    matched = finding.excerpt[finding.highlight[0]:finding.highlight[1]]
    # offered in one click only when the rewrite covers exactly the highlighted words, and those
    # words read the same in the editor (a reader that strips markup may place them differently)
    replaceable = (fix is not None and end > start and (fix.start, fix.end) == (finding.start, finding.end)
                   and positions.text[start:end] == matched)
    return {"start": positions.utf16(start), "end": positions.utf16(end), "applies": replaceable}


class EditorPositions:
    """Line and column (1-based, in characters) -> offsets in the editor text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def offset(self, line: int, column: int) -> int:
        line = min(max(line, 1), len(self._line_starts))
        start = self._line_starts[line - 1]
        line_end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return min(start + max(column, 1) - 1, line_end)

    def utf16(self, offset: int) -> int:
        """JavaScript strings count characters outside the BMP as two."""
        return offset + bisect_left(self._astral, offset)


def doc_type_choices() -> list[dict]:
    return [{"value": AUTO_TYPE, "label": "Let scopecheck decide"}] + [
        {"value": t, "label": DOC_TYPE_LABELS.get(t, t)} for t in DOC_TYPES]


def jurisdiction_choices() -> list[dict]:
    return [{"value": code, "label": label} for code, label in JURISDICTION_LABELS.items()]
