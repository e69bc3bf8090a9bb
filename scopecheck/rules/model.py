"""Rules and packs as loaded from YAML: validated once, then trusted downstream."""
from __future__ import annotations

from dataclasses import dataclass, field

from scopecheck.model import Citation


@dataclass(frozen=True)
class Example:
    text: str
    doc_type: str | None = None
    jurisdictions: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    applies_to: tuple[str, ...]
    kind: str
    message: str
    rationale: str
    citations: tuple[Citation, ...]
    suggestion: str
    examples_flag: tuple[Example, ...]
    examples_pass: tuple[Example, ...]
    pack: str
    origin: str  # file:line where the rule starts
    title: str = ""
    guards: frozenset[str] = frozenset()
    severity_by_type: tuple[tuple[str, str], ...] = ()
    severity_by_jurisdiction: tuple[tuple[str, str], ...] = ()
    checklist: str | None = None
    licensed_exempt: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    replace: tuple[tuple[str, str], ...] = ()
    satisfied_by: tuple[str, ...] = ()
    placement: str = ""
    when: tuple[str, ...] = ()
    when_guards: bool = False
    then: tuple[str, ...] = ()
    scope: str = "document"
    where: str = "anywhere"  # forbid/prefer: "offer-list" limits matches to offered-services lists

    def severity_for(self, doc_type: str, jurisdictions: tuple[str, ...] = ()) -> str:
        severity = dict(self.severity_by_type).get(doc_type, self.severity)
        by_place = dict(self.severity_by_jurisdiction)
        for place in jurisdictions:
            if place in by_place:
                severity = by_place[place]
        return severity

    @property
    def has_fix(self) -> bool:
        return self.kind == "prefer"


@dataclass(frozen=True)
class Pack:
    name: str
    version: str
    path: str
    sha256: str
    description: str = ""
    jurisdictions: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    builtin: bool = True
    context: dict = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "path": self.path,
                "sha256": self.sha256, "builtin": self.builtin, "rules": len(self.rules)}
