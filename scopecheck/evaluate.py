"""Measure the checker against the labelled corpus in tests/corpus.

    python -m scopecheck.evaluate tests/corpus [--show-errors] [--json]

Sentences (``sentences/*.yaml``) are scored per claim category: a sentence counts as predicted
for a category when the checker reports at least one unsuppressed ``forbid`` or ``prefer``
finding of that category on it. Documents (``documents/labels.yaml``) are scored on the set of
checklist elements reported missing (unsuppressed ``require`` and ``conditional`` findings) and
on the set of claim categories found anywhere in the document.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scopecheck.errors import ScopecheckError

CLAIM_CATEGORIES = ("diagnosis-treatment", "acute-risk", "medication-advice", "replaces-care",
                    "clinical-title", "outcome-guarantee")
CLAIM_KINDS = ("forbid", "prefer")
CHECKLIST_KINDS = ("require", "conditional")
DOC_TYPES = ("marketing", "program", "intake", "agreement")
ELEMENTS = ("not-therapy", "no-diagnosis-treatment", "not-substitute", "concurrent-care", "crisis-resources",
            "confidentiality-limits", "contact-policy", "client-responsibility", "consent-signature",
            "screening-questions", "emergency-contact", "referral-policy", "clinical-topic-disclosure",
            "crisis-near-suicide", "medication-disclaimer", "contact-limits", "guardian-consent",
            "trauma-informed-explained")
# hard negatives: labelled [] and tagged with one of these
HARD_NEGATIVE_TAGS = ("negation", "disclaimer", "referral")


class CorpusError(ValueError):
    """The corpus itself is malformed."""


@dataclass
class SentenceItem:
    source: str  # file.yaml#index (1-based)
    text: str
    doc_type: str
    labels: frozenset[str]
    tags: frozenset[str]


@dataclass
class DocumentItem:
    name: str
    path: Path
    doc_type: str
    claims: frozenset[str]
    missing: frozenset[str]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif expected:
            self.fn += 1

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(repr=False)
class Evaluation:
    sentences: int = 0
    documents: int = 0
    per_category: dict[str, Counts] = field(default_factory=dict)
    overall: Counts = field(default_factory=Counts)
    hard_negatives: int = 0
    hard_negative_fps: int = 0
    sentence_errors: list[dict] = field(default_factory=list)
    element_counts: dict[str, Counts] = field(default_factory=dict)
    elements_overall: Counts = field(default_factory=Counts)
    missing_exact: int = 0
    claims_exact: int = 0
    doc_claim_counts: dict[str, Counts] = field(default_factory=dict)
    type_detected: int = 0
    document_errors: list[dict] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f"Evaluation({self.sentences} sentences: P={self.overall.precision:.3f} "
                f"R={self.overall.recall:.3f}; {self.documents} documents)")

    @property
    def hard_negative_fp_rate(self) -> float:
        return self.hard_negative_fps / self.hard_negatives if self.hard_negatives else 0.0

    @property
    def missing_accuracy(self) -> float:
        return self.missing_exact / self.documents if self.documents else 1.0

    @property
    def claims_accuracy(self) -> float:
        return self.claims_exact / self.documents if self.documents else 1.0

    @property
    def type_accuracy(self) -> float:
        return self.type_detected / self.documents if self.documents else 1.0

    def to_dict(self) -> dict:
        return {
            "sentences": {
                "count": self.sentences,
                "per_category": {c: n.to_dict() for c, n in self.per_category.items()},
                "overall": self.overall.to_dict(),
                "hard_negatives": {"count": self.hard_negatives, "false_positives": self.hard_negative_fps,
                                   "fp_rate": round(self.hard_negative_fp_rate, 4),
                                   "tags": list(HARD_NEGATIVE_TAGS)},
                "errors": self.sentence_errors,
            },
            "documents": {
                "count": self.documents,
                "missing_exact_match": {"correct": self.missing_exact,
                                        "accuracy": round(self.missing_accuracy, 4)},
                "missing_per_element": {e: n.to_dict() for e, n in sorted(self.element_counts.items())},
                "missing_overall": self.elements_overall.to_dict(),
                "claims_exact_match": {"correct": self.claims_exact,
                                       "accuracy": round(self.claims_accuracy, 4)},
                "claims_per_category": {c: n.to_dict() for c, n in self.doc_claim_counts.items()},
                "type_detection": {"correct": self.type_detected, "accuracy": round(self.type_accuracy, 4)},
                "errors": self.document_errors,
            },
        }


# ---------------------------------------------------------------------------------------------
# loading

def _as_set(value, where: str, allowed: tuple[str, ...] | None = None) -> frozenset[str]:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(f"{where}: expected a list of strings, got {value!r}")
    if allowed is not None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise CorpusError(f"{where}: unknown value(s) {', '.join(unknown)}")
    return frozenset(value)


def load_sentences(corpus: Path) -> list[SentenceItem]:
    folder = corpus / "sentences"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CorpusError(f"{folder}: no *.yaml sentence files")
    items: list[SentenceItem] = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise CorpusError(f"{path}: expected a YAML list of items")
        for index, raw in enumerate(data, 1):
            where = f"{path.name}#{index}"
            if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
                raise CorpusError(f"{where}: each item needs a non-empty `text`")
            doc_type = raw.get("type", "marketing")
            if doc_type not in DOC_TYPES:
                raise CorpusError(f"{where}: unknown type {doc_type!r}")
            items.append(SentenceItem(where, raw["text"], doc_type,
                                      _as_set(raw.get("labels"), f"{where}: labels", CLAIM_CATEGORIES),
                                      _as_set(raw.get("tags"), f"{where}: tags")))
    return items


def load_documents(corpus: Path, known_elements: tuple[str, ...] | None = ELEMENTS) -> list[DocumentItem]:
    folder = corpus / "documents"
    labels_path = folder / "labels.yaml"
    if not labels_path.is_file():
        raise CorpusError(f"{labels_path}: not found")
    data = yaml.safe_load(labels_path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CorpusError(f"{labels_path}: expected a mapping of file name to labels")
    items: list[DocumentItem] = []
    for name, raw in data.items():
        path = folder / name
        if not path.is_file():
            raise CorpusError(f"{labels_path}: {name}: file not found")
        if not isinstance(raw, dict) or raw.get("type") not in DOC_TYPES:
            raise CorpusError(f"{labels_path}: {name}: needs a `type` out of {', '.join(DOC_TYPES)}")
        items.append(DocumentItem(name, path, raw["type"],
                                  _as_set(raw.get("claims"), f"{name}: claims", CLAIM_CATEGORIES),
                                  _as_set(raw.get("missing"), f"{name}: missing", known_elements)))
    return items


# ---------------------------------------------------------------------------------------------
# scoring

def predicted_claims(findings) -> frozenset[str]:
    return frozenset(f.category for f in findings
                     if f.kind in CLAIM_KINDS and not f.suppressed and f.category in CLAIM_CATEGORIES)


def reported_missing(findings) -> frozenset[str]:
    return frozenset(f.checklist for f in findings
                     if f.kind in CHECKLIST_KINDS and not f.suppressed and f.checklist)


def _rules_of(findings, categories: frozenset[str] | None = None) -> list[str]:
    return sorted({f"{f.rule_id} ({f.category})" for f in findings
                   if f.kind in CLAIM_KINDS and not f.suppressed
                   and (categories is None or f.category in categories)})


def evaluate(corpus: Path, rules_dirs: tuple[Path, ...] = (), builtin_rules: bool = True) -> Evaluation:
    from scopecheck.api import Options, check_one, check_text, load_rules

    sentences = load_sentences(corpus)
    documents = load_documents(corpus)
    options = Options(rules_dirs=tuple(rules_dirs), builtin_rules=builtin_rules)
    ruleset = load_rules(options)
    ev = Evaluation(per_category={c: Counts() for c in CLAIM_CATEGORIES},
                    doc_claim_counts={c: Counts() for c in CLAIM_CATEGORIES})

    # sentences
    for item in sentences:
        findings = check_text(item.text, doc_type=item.doc_type, path=item.source, ruleset=ruleset)
        predicted = predicted_claims(findings)
        ev.sentences += 1
        for category in CLAIM_CATEGORIES:
            expected = category in item.labels
            hit = category in predicted
            ev.per_category[category].add(expected, hit)
            ev.overall.add(expected, hit)
        hard = not item.labels and bool(item.tags & set(HARD_NEGATIVE_TAGS))
        if hard:
            ev.hard_negatives += 1
            ev.hard_negative_fps += bool(predicted)
        if predicted != item.labels:
            ev.sentence_errors.append({
                "source": item.source, "type": item.doc_type, "text": item.text,
                "expected": sorted(item.labels), "predicted": sorted(predicted),
                "false_positive": sorted(predicted - item.labels),
                "false_negative": sorted(item.labels - predicted),
                "rules": _rules_of(findings, frozenset(predicted - item.labels) or None),
                "hard_negative": hard, "tags": sorted(item.tags),
            })

    # documents
    for doc in documents:
        data = doc.path.read_bytes()
        detected = check_one(str(doc.path), data, ruleset, options)
        forced = check_one(str(doc.path), data, ruleset,
                           Options(doc_type=doc.doc_type, rules_dirs=tuple(rules_dirs),
                                   builtin_rules=builtin_rules))
        ev.documents += 1
        type_ok = detected.doc_type == doc.doc_type
        ev.type_detected += type_ok
        if forced.status == "error":
            ev.document_errors.append({"document": doc.name, "error": forced.error})
            missing, claims = frozenset(), frozenset()
        else:
            missing = reported_missing(forced.findings)
            claims = predicted_claims(forced.findings)
        for element in doc.missing | missing:
            counts = ev.element_counts.setdefault(element, Counts())
            counts.add(element in doc.missing, element in missing)
            ev.elements_overall.add(element in doc.missing, element in missing)
        for category in CLAIM_CATEGORIES:
            ev.doc_claim_counts[category].add(category in doc.claims, category in claims)
        ev.missing_exact += missing == doc.missing
        ev.claims_exact += claims == doc.claims
        if missing != doc.missing or claims != doc.claims or not type_ok:
            entry = {"document": doc.name, "type": doc.doc_type}
            if not type_ok:
                entry["detected_type"] = detected.doc_type
            if missing != doc.missing:
                entry["missing_expected"] = sorted(doc.missing)
                entry["missing_reported"] = sorted(missing)
                entry["missing_not_reported"] = sorted(doc.missing - missing)
                entry["missing_wrongly_reported"] = sorted(missing - doc.missing)
            if claims != doc.claims:
                entry["claims_expected"] = sorted(doc.claims)
                entry["claims_reported"] = sorted(claims)
                extra = claims - doc.claims
                if extra:
                    entry["extra_claim_findings"] = [
                        f"line {f.line}: {f.rule_id} ({f.category}): {f.excerpt.strip()[:120]}"
                        for f in forced.findings
                        if f.kind in CLAIM_KINDS and not f.suppressed and f.category in extra]
            ev.document_errors.append(entry)
    return ev


# ---------------------------------------------------------------------------------------------
# output

def _row(name: str, c: Counts) -> str:
    return (f"  {name:<26} {c.tp:>4} {c.fp:>4} {c.fn:>4}   {c.precision:6.3f} {c.recall:6.3f} "
            f"{c.f1:6.3f}")


def format_text(ev: Evaluation, show_errors: bool = False) -> str:
    head = f"  {'category':<26} {'TP':>4} {'FP':>4} {'FN':>4}   {'prec':>6} {'recall':>6} {'F1':>6}"
    out = [f"Sentences: {ev.sentences}", head]
    out += [_row(c, n) for c, n in ev.per_category.items()]
    out.append(_row("overall (micro)", ev.overall))
    out.append(f"  hard negatives ({'/'.join(HARD_NEGATIVE_TAGS)}, labels []): "
               f"{ev.hard_negative_fps} flagged of {ev.hard_negatives} "
               f"= FP rate {ev.hard_negative_fp_rate:.3f}")
    out.append("")
    out.append(f"Documents: {ev.documents}")
    out.append(f"  missing elements, exact set match: {ev.missing_exact}/{ev.documents} "
               f"= {ev.missing_accuracy:.3f}")
    out.append(f"  claim categories, exact set match: {ev.claims_exact}/{ev.documents} "
               f"= {ev.claims_accuracy:.3f}")
    out.append(f"  document type read from the file:  {ev.type_detected}/{ev.documents} "
               f"= {ev.type_accuracy:.3f}")
    out.append(head.replace("category", "missing element"))
    out += [_row(e, n) for e, n in sorted(ev.element_counts.items())]
    out.append(_row("overall (micro)", ev.elements_overall))
    out.append(head.replace("category", "document claims"))
    out += [_row(c, n) for c, n in ev.doc_claim_counts.items()]
    if show_errors:
        out.append("")
        out.append(f"Misclassified sentences ({len(ev.sentence_errors)}):")
        for e in ev.sentence_errors:
            parts = []
            if e["false_negative"]:
                parts.append("missed " + ", ".join(e["false_negative"]))
            if e["false_positive"]:
                parts.append("wrongly flagged " + ", ".join(e["false_positive"]))
            out.append(f"  {e['source']} [{e['type']}] {'; '.join(parts)}")
            out.append(f"      {e['text']}")
            if e["false_positive"] and e["rules"]:
                out.append(f"      by {', '.join(e['rules'])}")
        out.append("")
        out.append(f"Documents with differences ({len(ev.document_errors)}):")
        for e in ev.document_errors:
            out.append(f"  {e['document']} [{e.get('type', 'unknown type')}]")
            if "error" in e:
                out.append(f"      error: {e['error']}")
            if "detected_type" in e:
                out.append(f"      type read from the file: {e['detected_type']}")
            if "missing_expected" in e:
                if e["missing_not_reported"]:
                    out.append(f"      missing but not reported: {', '.join(e['missing_not_reported'])}")
                if e["missing_wrongly_reported"]:
                    out.append(f"      reported missing but present: {', '.join(e['missing_wrongly_reported'])}")
            if "claims_expected" in e:
                out.append(f"      claims expected {e['claims_expected'] or '[]'}, "
                           f"reported {e['claims_reported'] or '[]'}")
                for line in e.get("extra_claim_findings", []):
                    out.append(f"        {line}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scopecheck.evaluate",
                                     description="Score scopecheck against a labelled corpus.")
    parser.add_argument("corpus", nargs="?", default="tests/corpus", type=Path,
                        help="folder holding sentences/*.yaml and documents/labels.yaml")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified items")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--rules", action="append", type=Path, default=[], metavar="DIR",
                        help="extra rule-pack folder (repeatable)")
    parser.add_argument("--no-builtin-rules", action="store_true", help="use only --rules folders")
    args = parser.parse_args(argv)
    try:
        ev = evaluate(args.corpus, tuple(args.rules), builtin_rules=not args.no_builtin_rules)
    except (CorpusError, ScopecheckError, OSError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        data = ev.to_dict()
        if not args.show_errors:
            data["sentences"].pop("errors")
            data["documents"].pop("errors")
        print(json.dumps(data, indent=2))
    else:
        print(format_text(ev, args.show_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
