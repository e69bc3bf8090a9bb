"""The document-type heuristic: each way a page is taken for an intake form or an agreement,
the counts it explains itself with, and pages it leaves to the default."""
from __future__ import annotations

import pytest

from scopecheck.doctype import guess_type


def _guess(text: str) -> tuple[str, str] | None:
    found = guess_type(text)
    return (found.doc_type, found.reason) if found else None


INTAKE_FIELDS_AND_QUESTIONS = """Welcome
Name: ______
Email: ______
Phone: ______
Are you currently seeing a therapist or counsellor?
Have you ever been hospitalised for your mental health?
"""
INTAKE_FIELDS_AND_SIGNATURE = """Name: ______
Email: ______
Preferred session time: ______
Signature: ______
"""
TITLED_INTAKE = """New client intake
Name: ______
What are your goals for our work together?
"""
TITLED_AGREEMENT = """Coaching agreement
Fees are due before each session. Refunds are given for sessions cancelled 24 hours ahead.
"""
UNTITLED_AGREEMENT = """Our work together
The client agrees to pay the fee in advance. Cancellation needs 24 hours' notice; refunds
follow the cancellation policy. Either of us may terminate with two weeks' notice, and
everything you share is confidential, with the limits below.
Signature: ________  Date: ________
"""
MARKETING = """Find your next step
I help mid-career professionals choose their next move. Sessions are 50 minutes, online.
Are you ready to start? Book a free call. Coaching is not therapy.
"""


@pytest.mark.parametrize("text, doc_type, counts", [
    (INTAKE_FIELDS_AND_QUESTIONS, "intake", "3 form fields, 0 signature/date lines, 2 screening questions"),
    (INTAKE_FIELDS_AND_SIGNATURE, "intake", "4 form fields, 1 signature/date line, 0 screening questions"),
    (TITLED_INTAKE, "intake", "1 form field, 0 signature/date lines, 1 screening question, titled as a form"),
    (TITLED_AGREEMENT, "agreement", "2 contract terms, 0 signature lines, titled as an agreement"),
    (UNTITLED_AGREEMENT, "agreement", "7 contract terms, 2 signature lines"),
])
def test_each_way_to_a_type_and_its_counts(text, doc_type, counts):
    assert _guess(text) == (doc_type, f"heuristic: {'intake form' if doc_type == 'intake' else 'agreement'} ({counts})")


@pytest.mark.parametrize("text", [
    MARKETING,
    "Name: ______\nAre you currently on medication?\n",  # one field and a question, no title
    "Fees and refunds are listed on the pricing page. Cancellation is free.\n",  # terms, nothing signed
    "Signature programme: twelve weeks of coaching.\n",
])
def test_pages_without_clear_evidence_keep_the_default(text):
    assert _guess(text) is None


@pytest.mark.parametrize("text, fields", [
    ("Name:\nEmail:  \n> Phone:\n- Emergency contact (name/phone):\n", 4),  # label lines
    ("Note: sessions are online.\nTime: 10:\n", 0),  # text after the colon, a colon inside
    ("A label line longer than forty-one letters is prose:\n", 0),
    ("Goals [ ] [] \u2610 \u25a1 ___ __\n", 5),  # boxes and blanks; two underscores are not a blank
    ("Yes / No   y/n   yes/no   Kyes/no\n", 3),
])
def test_form_fields_are_counted_as_the_reason_says(text, fields):
    # three screening questions make the count show in the reason whenever there are fields
    questions = "Are you currently in therapy?\nHave you ever been hospitalised?\nDo you take medication?\n"
    found = _guess("New client intake\n" + text + questions)
    assert found is not None and found[1].startswith(f"heuristic: intake form ({fields} form field")


def test_screening_questions_are_counted_as_the_pattern_finds_them():
    import random
    from re import _parser

    from scopecheck.doctype import _LONGEST_SCREENING, _SCREENING, _screening_questions
    # a match reaches no further back from its "?" than the window searched before it
    assert _parser.parse(_SCREENING.pattern).getwidth()[1] <= _LONGEST_SCREENING
    parts = ["are you currently ", "have you ever ", "do you take ", "is there anything ", "what is your ",
             "how would you rate ", "x" * 150, "word ", "?", "\n", " ", "ware you now", "y" * 30]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 20)))
        assert _screening_questions(text) == len(_SCREENING.findall(text)), text
