"""Words for people: labels that the HTML and Markdown reports share."""
from __future__ import annotations

import re

from scopecheck.outputs.citations import describe_citation

ELEMENT_LABELS = {
    "not-therapy": "Coaching is not therapy",
    "no-diagnosis-treatment": "Coaching does not diagnose or treat",
    "not-substitute": "Not a substitute for medical or mental health care",
    "concurrent-care": "Therapy alongside coaching is encouraged",
    "crisis-resources": "Crisis resources",
    "confidentiality-limits": "Confidentiality and its limits",
    "contact-policy": "Contact between sessions and response times",
    "client-responsibility": "Client is responsible for their decisions",
    "consent-signature": "Consent and signature",
    "screening-questions": "Screening questions",
    "emergency-contact": "Emergency contact",
    "referral-policy": "Referral to licensed professionals",
    "clinical-topic-disclosure": "Clinical topics come with a not-therapy statement",
    "crisis-near-suicide": "Crisis instructions next to any mention of suicide",
    "medication-disclaimer": "No medication advice",
    "contact-limits": "Between-session contact has limits",
    "guardian-consent": "Parent or guardian consent for minors",
    "trauma-informed-explained": "\"Trauma-informed\" is explained",
}

TYPE_SOURCES = {
    "flag": "set with --type",
    "front-matter": "declared in the file's front matter",
    "config": "matched a pattern in the configuration",
    "heuristic": "recognised from the content",
    "default": "default type (nothing else said otherwise)",
}

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Note"}
VERDICT_LABELS = {"pass": "Pass", "needs review": "Needs review", "fail": "Fail"}

_EVIDENCE = re.compile(r"^((?:page \d+, )?(?:line|paragraph) \d+(?:, column \d+)?): (.*)$", re.S)


def element_label(element: str) -> str:
    return ELEMENT_LABELS.get(element, element.replace("-", " ").capitalize())


def type_source_label(source: str | None) -> str:
    return TYPE_SOURCES.get(source or "", source or "unknown")


def split_evidence(evidence: str) -> tuple[str, str]:
    """Checklist evidence reads "line 44, column 46: the quote"; split it into (where, quote)."""
    match = _EVIDENCE.match(evidence or "")
    if match:
        return match.group(1), match.group(2)
    return "", evidence or ""


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


GLOBALS = {"SEVERITY_LABELS": SEVERITY_LABELS, "VERDICT_LABELS": VERDICT_LABELS,
           "describe_citation": describe_citation}
