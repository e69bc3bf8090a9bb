"""Each guard silences what it should and nothing more. Uses the small engine-test pack."""
from __future__ import annotations

import pytest

CLAIMS = [
    "I treat anxiety.",
    "Healing your PTSD starts here.",
    "No more panic attacks!",
    "I don't diagnose, but I do treat your anxiety.",
    "Not only do I treat depression, I help you thrive.",
    "Not just coaching: I cure your OCD.",
    "Coaching is not therapy, and now I heal trauma too.",
    "Are you ready to heal your trauma?",
    "Ready to get rid of your anxiety?",
    "I never thought I could cure my depression in a month, but Jane helped me.",
    "\u201cShe healed my anxiety in six weeks!\u201d \u2014 Client testimonial",
]

QUIET = {
    "negation": [
        "I do not diagnose or treat anxiety.",
        "Coaching does not treat depression or any other condition.",
        "I never treat PTSD; that is clinical work.",
        "I don\u2019t treat anxiety.",
        "Treating PTSD is not something I offer.",
        "Anxiety treatment is outside my scope.",
    ],
    "third-party": [
        "Your therapist can treat depression.",
        "Licensed clinicians treat PTSD every day.",
        "Depression treatment is provided by your doctor.",
    ],
    "question": [
        "Have you ever had depression treatment?",
        "Are you currently receiving anxiety treatment?",
    ],
    "conditional": [
        "If you need anxiety treatment, please see your doctor.",
        "I refer clients who need PTSD treatment to licensed therapists.",
    ],
    "attribution": [
        "According to the ICF, therapy is where people heal trauma and resolve past pain.",
    ],
    "lived-experience": [
        "I was in depression treatment for two years.",
    ],
}


@pytest.mark.parametrize("text", CLAIMS)
def test_claims_are_flagged(mini_check, text):
    assert [f.rule_id for f in mini_check(text)] == ["T-TREAT-001"], text


@pytest.mark.parametrize("guard,text", [(g, t) for g, texts in QUIET.items() for t in texts])
def test_guards_silence(guard, text):
    from scopecheck.api import Options, document_from_text
    from scopecheck.engine.checker import check_document
    from scopecheck.rules.ruleset import load_ruleset
    from tests.conftest import MINI_PACK

    ruleset = load_ruleset([MINI_PACK], builtin=False)
    doc = document_from_text(text, "<t>", Options(doc_type="marketing"))
    result = check_document(doc, ruleset)
    assert not result.findings, (text, result.findings)
    assert [s.guard for s in result.silenced] == [guard], (text, result.silenced)


def test_intake_form_line_with_checkbox_is_a_question(mini_check):
    assert mini_check("Current anxiety treatment: Y / N", doc_type="intake", ignore=("T-REQ",)) == []


def test_negation_heading_scopes_over_its_list(mini_check):
    text = "## What coaching is not\n\n- treating anxiety\n- curing depression\n"
    assert mini_check(text) == []


def test_offer_lead_in_makes_list_items_claims(mini_check):
    text = "## What coaching is not\n\n- treating anxiety\n\nI help with:\n\n- healing trauma\n"
    findings = mini_check(text)
    assert [(f.rule_id, f.line) for f in findings] == [("T-TREAT-001", 7)]


def test_negation_scope_is_bounded_by_words(mini_check):
    text = "I am not a therapist and I will never pretend to be one, my work is simple: I cure anxiety."
    assert len(mini_check(text)) == 1


def test_guards_can_be_switched_off_per_rule(tmp_path):
    from scopecheck import check_text
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "pack: p\nversion: 1.0.0\nrules:\n"
        "  - id: X-1\n    category: diagnosis-treatment\n    severity: error\n"
        "    applies-to: [marketing]\n    kind: forbid\n    match: [\"cure anxiety\"]\n"
        "    guards: {negation: false}\n"
        "    message: m\n    rationale: r\n    citations: [{body: B, document: D}]\n"
        "    suggestion: s\n    examples: {flag: [\"I cure anxiety.\"], pass: [\"I help.\"]}\n",
        encoding="utf-8")
    found = check_text("I do not cure anxiety.", rules_dirs=(pack,), builtin_rules=False)
    assert [f.rule_id for f in found] == ["X-1"]



def test_rules_on_the_same_words_each_get_their_own_guards(tmp_path):
    # the verdict on a span is worked out once per set of guards and category, so two rules
    # matching the same words still see their own guards and their own category
    from scopecheck import check_text

    def rule(rule_id: str, category: str, extra: str = "") -> str:
        return (f"  - id: {rule_id}\n    category: {category}\n    severity: error\n"
                "    applies-to: [marketing]\n    kind: forbid\n    match: [\"licensed therapist\"]\n"
                f"{extra}    message: m\n    rationale: r\n    citations: [{{body: B, document: D}}]\n"
                "    suggestion: s\n    examples: {flag: [\"I am a licensed therapist.\"], pass: [\"I help.\"]}\n")
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\nversion: 1.0.0\nrules:\n"
                    + rule("X-GUARDED", "diagnosis-treatment")
                    + rule("X-UNGUARDED", "diagnosis-treatment", "    guards: {negation: false, third-party: false}\n")
                    + rule("X-TITLE", "clinical-title"), encoding="utf-8")
    found = check_text("I am not a licensed therapist.", rules_dirs=(pack,), builtin_rules=False)
    assert [f.rule_id for f in found] == ["X-UNGUARDED"]
    # only a clinical title is read as someone else's when it follows "see a"
    found = check_text("Please see a licensed therapist.", rules_dirs=(pack,), builtin_rules=False)
    assert sorted(f.rule_id for f in found) == ["X-GUARDED", "X-UNGUARDED"]

def test_prefer_rule_offers_a_case_keeping_fix(mini_check):
    [finding] = mini_check("Patients love this.")
    assert finding.fix is not None and finding.fix.replacement == "Clients"


def test_prefer_rule_respects_third_party(mini_check):
    assert mini_check("Your doctor's patients are not my clients.") == []


def test_require_and_conditional(mini_check):
    missing = mini_check("Name: ____\nDo you have thoughts of suicide? Y / N", doc_type="intake")
    assert sorted(f.rule_id for f in missing) == ["T-IF-001", "T-REQ-001"]
    crisis = next(f for f in missing if f.rule_id == "T-IF-001")
    assert crisis.line == 2 and crisis.searched  # points at the first mention and says what it looked for
    ok = mini_check("Coaching is not therapy.\n\nDo you have thoughts of suicide? Y / N\n"
                    "If yes, call or text 988 now.", doc_type="intake")
    assert ok == []


def test_conditional_section_scope(mini_check):
    text = ("# Safety\n\nIf you have thoughts of suicide, call or text 988.\n\n"
            "# Intake\n\nAny history of self harm? Y / N\n")
    [finding] = mini_check(text, doc_type="intake", ignore=("T-REQ",))
    assert finding.rule_id == "T-IF-001" and finding.line == 7


@pytest.mark.parametrize("text,flagged", [
    ("This program is not the right fit if you are in PTSD treatment right now.", False),
    ("Please see your doctor first if you need anxiety treatment.", False),
    ("If you need anxiety treatment, my program is the answer.", True),
    ("I offer the best anxiety treatment if you are ready to commit.", True),
])
def test_condition_about_the_reader(mini_check, text, flagged):
    assert bool(mini_check(text)) is flagged, text


@pytest.mark.parametrize("heading", ["What I Don't Do:", "WHAT COACHING IS NOT", "Out of scope:"])
def test_negation_headings_match_whatever_their_case(mini_check, heading):
    assert mini_check(f"{heading}\n\n- treating anxiety\n- curing depression\n") == []


def _cue_regex_tried_at_every_position(phrases: list[str]):
    """The plain form of a cue pattern: the look behind first, then the prefix tree."""
    import re

    from scopecheck.rules.matcher import trie_regex
    from scopecheck.text.normalize import normalize
    groups: dict[tuple[str, str], list[str]] = {}
    for phrase in {" ".join(normalize(p).split()) for p in phrases if p.strip()}:
        left = r"(?<![\w'])" if re.match(r"\w", phrase) and not phrase.startswith("n't") else ""
        right = r"(?![\w])" if re.search(r"\w$", phrase) else ""
        groups.setdefault((left, right), []).append(phrase)
    ordered = sorted(groups.items(), key=lambda item: (-max(map(len, item[1])), item[0] != ""))
    space = "[ \\n]+"
    return re.compile("|".join(f"{left}(?:{trie_regex(sorted(words), space=space)}){right}"
                               for (left, right), words in ordered))


def test_cue_patterns_find_what_the_plain_form_finds():
    import random

    from scopecheck.engine.context import cue_regex
    from scopecheck.rules.loader import load_packs, pack_file_list
    lists = load_packs(pack_file_list((), True)).context
    assert len(lists) >= 10
    rng = random.Random(7)
    for key, phrases in lists.items():
        led, plain = cue_regex(phrases), _cue_regex_tried_at_every_position(phrases)
        words = [w for p in phrases for w in p.lower().split()] + ["x", "'", "-", "n't", "don't", "\n", "a"]
        for _ in range(300):
            text = "".join(rng.choice(words) + rng.choice([" ", "", "  ", "\n", "'", ". "]) for _ in range(12))
            start = rng.randrange(len(text) + 1)
            assert ([m.span() for m in led.finditer(text, start)]
                    == [m.span() for m in plain.finditer(text, start)]), (key, text, start)


def test_silenced_candidates_are_made_only_when_asked_for():
    from dataclasses import replace

    from scopecheck.api import Options, document_from_text
    from scopecheck.engine.checker import check_document
    from scopecheck.rules.ruleset import load_ruleset
    from conftest import MINI_PACK
    ruleset = load_ruleset([MINI_PACK], builtin=False)
    text = "I do not treat anxiety. Your therapist can diagnose depression. I treat anxiety."
    doc = document_from_text(text, "page.md", Options())
    full, lean = check_document(doc, ruleset), check_document(doc, ruleset, silenced=False)
    assert full.silenced and full.findings
    assert lean == replace(full, silenced=())
