"""Write a seeded corpus of coaching pages (Markdown and/or HTML) for the benchmark.

Pages mix clean coaching copy, scope-of-practice claims and disclaimers, in the proportions
a real site has: most sentences are clean, a few overstep, and many pages carry a disclaimer.
The same seed, size and file count always give the same bytes.

    python bench/generate.py --size 20MB --out /tmp/sc-corpus-20mb
    python bench/generate.py --size 2MB --files 200 --format mixed --out bench/corpus/small
"""
from __future__ import annotations

import argparse
import html
import random
import re
from pathlib import Path

NAMES = ["Maya", "Jordan", "Priya", "Sam", "Elena", "Marcus", "Aisha", "Tom", "Lena", "Diego",
         "Hannah", "Kofi", "Rosa", "Ben", "Ingrid", "Yusuf"]
NICHES = ["career", "leadership", "life", "wellness", "relationship", "confidence", "ADHD",
          "executive", "health", "mindset", "parenting", "transition"]
GOALS = ["a career change", "your next promotion", "a calmer morning routine", "clearer boundaries at work",
         "a business plan you believe in", "better sleep habits", "more time with your family",
         "a stronger presence in meetings", "a return to exercise", "your first leadership role",
         "a kinder inner voice", "decisions you can stand behind"]
STRUGGLES = ["stress", "overwhelm", "procrastination", "burnout", "self-doubt", "imposter syndrome",
             "low confidence", "a stuck feeling", "people-pleasing", "perfectionism"]
CONDITIONS = ["anxiety", "depression", "PTSD", "panic attacks", "OCD", "trauma", "insomnia",
              "an eating disorder", "bipolar disorder", "ADHD symptoms", "social anxiety"]
TREAT = ["treat", "cure", "heal", "fix", "get rid of", "eliminate", "overcome"]
MEDS = ["your medication", "antidepressants", "your prescriptions", "anxiety meds"]

CLEAN = [
    "I work with {niche} clients who want {goal}.",
    "Together we set goals you choose and track the steps that get you there.",
    "Sessions are sixty minutes, by video or phone, every other week.",
    "You bring the agenda; I bring questions, structure and accountability.",
    "Many of my clients come to me feeling {struggle} and leave with a plan.",
    "We start with a free twenty-minute discovery call to see if we are a good fit.",
    "My approach draws on positive psychology, motivational interviewing and plain curiosity.",
    "Between sessions you get short check-ins by email and a shared progress notebook.",
    "I have coached more than {n} people since {year}, mostly mid-career professionals.",
    "The {weeks}-week program includes {sessions} one-to-one sessions and a workbook.",
    "Payment is due before each block of sessions; you can pause at any time.",
    "Clients often tell me they finally feel in charge of their calendar again.",
    "{name} was stuck in a role she had outgrown; six months later she runs her own team.",
    "Coaching is a partnership: you are the expert on your life and I help you move forward.",
    "We look at what is working, what is not, and the one change worth making this week.",
    "I am an ICF credentialed coach and I take part in regular supervision.",
    "Expect honest questions, practical exercises and a lot of encouragement.",
    "If you are ready to work on {goal}, book a call below.",
    "Group cohorts meet on Tuesday evenings and stay small, eight people at most.",
    "Your information stays private, within the limits set out in our agreement.",
]
CLAIMS = [
    "I {treat} {condition} without medication.",
    "My program will {treat} your {condition} in just {weeks} weeks.",
    "Say goodbye to {condition} forever.",
    "No more {condition}, guaranteed.",
    "Clients who work with me can stop taking {med}.",
    "I diagnose the root cause of your {condition} in the first session.",
    "This is trauma therapy for high achievers.",
    "Healing your {condition} starts here.",
    "As your therapist, I will guide you through recovery from {condition}.",
    "We offer {condition} treatment that works when nothing else has.",
    "You can come off {med} once we finish our work together.",
    "My patients see results after one session.",
]
DISCLAIMERS = [
    "Coaching is not therapy and does not diagnose or treat {condition} or any other condition.",
    "I am not a licensed therapist; if you are living with {condition}, please keep working with your doctor.",
    "Never stop or change {med} without talking to the clinician who prescribed it.",
    "If you are in crisis or thinking about suicide, call or text 988, or call 911.",
    "Your therapist treats {condition}; I support the goals you set outside of that care.",
    "Coaching does not replace medical or psychological care.",
]
HEADINGS = ["How coaching works", "What we work on", "About me", "Packages and pricing",
            "What clients say", "Is this right for you?", "Frequently asked questions",
            "What coaching is not", "Getting started", "My approach"]
BULLETS = ["clarity on {goal}", "a weekly plan you can keep", "support with {struggle}",
           "honest feedback", "tools for tough conversations", "a steady routine"]

SIZES = {"2MB": 2_000_000, "20MB": 20_000_000, "100MB": 100_000_000}


def _fill(template: str, rng: random.Random) -> str:
    values = {
        "niche": rng.choice(NICHES), "goal": rng.choice(GOALS), "struggle": rng.choice(STRUGGLES),
        "condition": rng.choice(CONDITIONS), "treat": rng.choice(TREAT), "med": rng.choice(MEDS),
        "name": rng.choice(NAMES), "n": str(rng.randrange(40, 900)), "year": str(rng.randrange(2005, 2022)),
        "weeks": str(rng.choice([6, 8, 10, 12])), "sessions": str(rng.choice([4, 6, 8])),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


def _sentence(rng: random.Random, claim_rate: float) -> str:
    roll = rng.random()
    if roll < claim_rate:
        return _fill(rng.choice(CLAIMS), rng)
    if roll < claim_rate * 2.5:
        return _fill(rng.choice(DISCLAIMERS), rng)
    return _fill(rng.choice(CLEAN), rng)


def page_sections(rng: random.Random, target: int, claim_rate: float) -> list[tuple[str, list[str], list[str]]]:
    """[(heading, paragraphs, bullets)] totalling about `target` characters."""
    sections = []
    size = 0
    while size < target:
        heading = rng.choice(HEADINGS)
        paragraphs = [" ".join(_sentence(rng, claim_rate) for _ in range(rng.randint(2, 6)))
                      for _ in range(rng.randint(1, 3))]
        bullets = ([_fill(rng.choice(BULLETS), rng) for _ in range(rng.randint(3, 5))]
                   if rng.random() < 0.35 else [])
        sections.append((heading, paragraphs, bullets))
        size += len(heading) + sum(map(len, paragraphs)) + sum(map(len, bullets)) + 20
    return sections


def markdown_page(title: str, sections) -> str:
    out = [f"# {title}", ""]
    for heading, paragraphs, bullets in sections:
        out += [f"## {heading}", ""]
        for p in paragraphs:
            out += [p, ""]
        if bullets:
            out += ["What you get:", ""] + [f"- {b}" for b in bullets] + [""]
    return "\n".join(out)


def html_page(title: str, sections) -> str:
    e = html.escape
    out = ["<!doctype html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
           f"<title>{e(title)}</title></head><body>", "<nav><a href=\"/\">Home</a> <a href=\"/book\">Book</a></nav>",
           "<main>", f"<h1>{e(title)}</h1>"]
    for heading, paragraphs, bullets in sections:
        out.append(f"<h2>{e(heading)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in paragraphs]
        if bullets:
            out.append("<p>What you get:</p><ul>" + "".join(f"<li>{e(b)}</li>" for b in bullets) + "</ul>")
    out += ["</main>", "<footer><p>&copy; Coaching practice. All rights reserved.</p></footer>", "</body></html>"]
    return "\n".join(out) + "\n"


def generate(out: Path, total_bytes: int, files: int | None = None, fmt: str = "md", seed: int = 7,
             claim_rate: float = 0.06) -> tuple[int, int]:
    """Write the corpus; return (files written, bytes written)."""
    rng = random.Random(seed)
    files = files or max(1, total_bytes // 10_000)
    per_file = max(500, total_bytes // files)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for i in range(files):
        kind = fmt if fmt != "mixed" else ("md" if i % 3 else "html")
        niche = rng.choice(NICHES)
        title = f"{rng.choice(NAMES)} {rng.choice(['Coaching', 'Coaching Co.', 'Growth Studio'])}: {niche} coaching"
        # page sizes vary like a real site's (0.5x to 1.5x the mean), keeping the total on target
        target = int(per_file * (0.5 + rng.random())) if i < files - 1 else max(500, total_bytes - written)
        sections = page_sections(rng, target, claim_rate)
        text = markdown_page(title, sections) if kind == "md" else html_page(title, sections)
        data = text.encode("utf-8")
        folder = out / f"site-{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"page-{i:05d}.{kind}").write_bytes(data)
        written += len(data)
    return files, written


def parse_size(text: str) -> int:
    key = text.upper().replace(" ", "")
    if key in SIZES:
        return SIZES[key]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(KB|MB|GB)?", key)
    if not m:
        raise argparse.ArgumentTypeError(f"size like 2MB, 20MB, 100MB or 500KB, not {text!r}")
    return int(float(m.group(1)) * {"KB": 1e3, "MB": 1e6, "GB": 1e9, None: 1}[m.group(2)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=SIZES["2MB"], help="total size, e.g. 2MB, 20MB, 100MB")
    parser.add_argument("--files", type=int, help="number of pages (default: one per 10 KB)")
    parser.add_argument("--format", choices=["md", "html", "mixed"], default="md")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--claim-rate", type=float, default=0.06, help="share of sentences that overstep")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count, size = generate(args.out, args.size, args.files, args.format, args.seed, args.claim_rate)
    print(f"wrote {count} pages, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
