"""The labelled corpus is well formed, the evaluation runs, and the checker meets its targets."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from scopecheck import evaluate as ev_mod

CORPUS = Path(__file__).parent / "corpus"

MIN_PRECISION = 0.93
MIN_RECALL = 0.87
MAX_HARD_NEGATIVE_FP_RATE = 0.05

REQUIRED = {
    "marketing": {"not-therapy"},
    "program": {"not-therapy", "no-diagnosis-treatment", "not-substitute", "concurrent-care",
                "crisis-resources", "contact-policy", "referral-policy"},
    "intake": {"not-therapy", "no-diagnosis-treatment", "not-substitute", "concurrent-care",
               "crisis-resources", "confidentiality-limits", "contact-policy", "client-responsibility",
               "consent-signature", "screening-questions", "emergency-contact"},
    "agreement": {"not-therapy", "no-diagnosis-treatment", "not-substitute", "concurrent-care",
                  "crisis-resources", "confidentiality-limits", "contact-policy",
                  "client-responsibility", "consent-signature", "referral-policy"},
}
CONDITIONAL = {"clinical-topic-disclosure", "crisis-near-suicide", "medication-disclaimer",
               "contact-limits", "guardian-consent", "trauma-informed-explained"}


@pytest.fixture(scope="module")
def result() -> ev_mod.Evaluation:
    return ev_mod.evaluate(CORPUS)


# --- the corpus itself --------------------------------------------------------------------------

def test_sentence_corpus_size_and_mix():
    items = ev_mod.load_sentences(CORPUS)
    assert len(items) >= 450
    assert len({i.text for i in items}) == len(items), "duplicate sentences"
    positives = sum(1 for i in items if i.labels)
    assert 0.35 <= positives / len(items) <= 0.55
    per_label = Counter(label for i in items for label in i.labels)
    assert set(per_label) == set(ev_mod.CLAIM_CATEGORIES)
    hard = [i for i in items if not i.labels and i.tags & set(ev_mod.HARD_NEGATIVE_TAGS)]
    assert len(hard) >= 60


def test_document_corpus_size_and_labels():
    docs = ev_mod.load_documents(CORPUS)
    assert len(docs) >= 32
    compliant = [d for d in docs if not d.claims and not d.missing]
    assert len(compliant) >= 10
    assert {d.doc_type for d in docs} == set(ev_mod.DOC_TYPES)
    for doc in docs:
        allowed = REQUIRED[doc.doc_type] | CONDITIONAL
        assert doc.missing <= allowed, f"{doc.name}: {sorted(doc.missing - allowed)} is not checked for {doc.doc_type}"
        text = doc.path.read_text(encoding="utf-8")
        declared = (re.search(r"scopecheck:\s*\n\s*type:\s*(\w+)", text)
                    or re.search(r'name="scopecheck:type"\s+content="(\w+)"', text))
        assert declared and declared.group(1) == doc.doc_type, f"{doc.name}: declared type differs"
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        assert 150 <= words <= 700, f"{doc.name}: {words} words"


def test_malformed_corpus_is_reported(tmp_path):
    (tmp_path / "sentences").mkdir()
    (tmp_path / "sentences" / "bad.yaml").write_text('- text: "x"\n  labels: [not-a-category]\n')
    with pytest.raises(ev_mod.CorpusError, match="not-a-category"):
        ev_mod.load_sentences(tmp_path)
    assert ev_mod.main([str(tmp_path)]) == 2


# --- the evaluation command ---------------------------------------------------------------------

def test_counts_are_consistent(result):
    assert result.sentences == len(ev_mod.load_sentences(CORPUS))
    for category, counts in result.per_category.items():
        labelled = sum(1 for i in ev_mod.load_sentences(CORPUS) if category in i.labels)
        assert counts.tp + counts.fn == labelled
    assert result.overall.tp == sum(c.tp for c in result.per_category.values())
    assert result.documents == len(ev_mod.load_documents(CORPUS))


def test_text_output_and_errors(capsys):
    assert ev_mod.main([str(CORPUS), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "overall (micro)" in out
    assert "hard negatives" in out
    assert "Misclassified sentences" in out
    assert "missing elements, exact set match" in out


def test_json_output(capsys):
    assert ev_mod.main([str(CORPUS), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["sentences"]["per_category"]) == set(ev_mod.CLAIM_CATEGORIES)
    assert {"precision", "recall", "f1", "tp", "fp", "fn"} <= set(data["sentences"]["overall"])
    assert "fp_rate" in data["sentences"]["hard_negatives"]
    assert "accuracy" in data["documents"]["missing_exact_match"]
    assert "accuracy" in data["documents"]["claims_exact_match"]


# --- targets ------------------------------------------------------------------------------------

def _failures(result, wanted: str) -> str:
    rows = [e for e in result.sentence_errors if e[wanted]]
    return "\n".join(f"{e['source']}: {e['text']} (expected {e['expected']}, got {e['predicted']})"
                     for e in rows[:40])


def test_claim_precision(result):
    assert result.overall.precision >= MIN_PRECISION, _failures(result, "false_positive")


def test_claim_recall(result):
    assert result.overall.recall >= MIN_RECALL, _failures(result, "false_negative")


def test_hard_negative_false_positive_rate(result):
    flagged = [e for e in result.sentence_errors if e["hard_negative"]]
    assert result.hard_negative_fp_rate <= MAX_HARD_NEGATIVE_FP_RATE, "\n".join(
        f"{e['source']}: {e['text']} -> {e['predicted']}" for e in flagged)
