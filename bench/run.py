"""Measure scopecheck's speed in one run and print every figure with its baseline.

    python bench/run.py                 # full run: 2 MB and 20 MB corpora (several minutes)
    python bench/run.py --quick         # smaller corpora, same measurements
    python bench/run.py --big 100MB     # scale the large corpus up
    python bench/run.py --pages site/   # your own pages instead: throughput and the peers

Ratios are always against a baseline measured in the same run on the same files, so a busy
machine shifts both sides alike. Corpora are generated (seeded) under --workdir, outside git.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# pages written by hand for the examples and the evaluation corpus: denser in claims than the
# generated ones, and with few repeated sentences
HAND_WRITTEN = (HERE.parent / "examples", HERE.parent / "tests" / "corpus" / "documents")

from generate import generate, parse_size  # noqa: E402
from peak import run_measured  # noqa: E402

from scopecheck.api import Options, load_rules, run  # noqa: E402
from scopecheck.documents import build_document, read_input  # noqa: E402
from scopecheck.rules.ruleset import load_ruleset  # noqa: E402
from scopecheck.text.normalize import normalize  # noqa: E402
from scopecheck.text.segment import split_sentences  # noqa: E402

PAGE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def files_of(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def size_of(files: list[str]) -> int:
    return sum(os.path.getsize(f) for f in files)


def timed(fn, repeat: int) -> float:
    """Least wall time of `repeat` calls: the one the rest of the machine disturbed least."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired(first, second, repeat: int) -> tuple[float, float]:
    """Least wall time of each of two calls, made in turns: when the machine speeds up or slows
    down during the run, both sides of a ratio see it."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def ours(files: list[str], ruleset, jobs: int = 1) -> None:
    run(files, Options(jobs=jobs), ruleset)


def phrase_regexes(ruleset) -> list[str]:
    """The regex of every phrase of the rule set's active rules, as the matcher compiles them."""
    from scopecheck.rules.loader import load_packs, pack_file_list
    from scopecheck.rules.phrases import compile_phrase
    from scopecheck.rules.ruleset import rule_phrases
    lexicons = load_packs(pack_file_list((), True)).lexicons
    return [compile_phrase(phrase, lexicons).regex for rule in ruleset.rules for *_, phrase in rule_phrases(rule)]


def naive(files: list[str], regexes: list[str]) -> None:
    """One compiled case-insensitive regex per phrase, searched in every sentence."""
    patterns = [re.compile(regex, re.IGNORECASE) for regex in regexes]
    for text, sentences in sentences_of(files):
        for sentence in sentences:
            chunk = text[sentence.start:sentence.end]
            for pattern in patterns:
                pattern.search(chunk)


def sentences_of(files: list[str]):
    """Each page's extracted text and its sentences, read as the checker reads them."""
    types = Options().types
    for path in files:
        shown, data = read_input(path)
        doc = build_document(shown, data, types)
        yield doc.text, split_sentences(doc.text, doc.blocks)


def synthetic_pack(folder: Path, rules: int, seed: int = 11) -> Path:
    """A pack of `rules` forbid rules with lexicon slots, shaped like the built-in ones."""
    import random
    rng = random.Random(seed)
    verbs = ["promise", "guarantee", "restore", "reverse", "release", "unlock", "rewire", "reset",
             "balance", "detox", "realign", "calm", "repair", "boost", "retrain", "clear"]
    nouns = ["nervous system", "brain chemistry", "hormones", "gut", "inner child", "chakras",
             "cortisol", "serotonin", "amygdala", "vagus nerve", "cells", "energy field"]
    lines = ["pack: synthetic", "version: 1.0.0", "lexicons:"]
    for i in range(rules):
        lines += [f"  syn-verb-{i}:", "    inflect: verb",
                  f"    terms: [{', '.join(rng.sample(verbs, 3))}]",
                  f"  syn-noun-{i}:", "    inflect: noun", f"    terms: [{', '.join(rng.sample(nouns, 3))}]"]
    lines.append("rules:")
    for i in range(rules):
        lines += [
            f"  - id: SYN-{i:04d}", "    category: diagnosis-treatment", "    severity: warning",
            "    applies-to: [marketing, program, intake, agreement]", "    kind: forbid",
            "    match:", f"      - \"{{syn-verb-{i}}} your {{syn-noun-{i}}}\"",
            f"      - \"{rng.choice(nouns)} {rng.choice(['reset', 'protocol', 'cleanse'])} {i}\"",
            "    message: Synthetic rule for the benchmark.", "    rationale: Benchmark only.",
            "    citations: [{body: Bench, document: Synthetic}]", "    suggestion: None.",
            "    examples:", "      flag: [\"x\"]", "      pass: [\"y\"]",
        ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "synthetic.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def cli(args: list[str], env: dict | None = None) -> float:
    return cli_time([sys.executable, "-m", "scopecheck", *args], env)


def peak_rss_mb(args: list[str]) -> float:
    return run_measured(args)[1]


def proselint_exe() -> str | None:
    beside = Path(sys.executable).parent / "proselint"
    return shutil.which("proselint") or (str(beside) if beside.exists() else None)


def proselint_figures(sample: list[str], t_ours: float, repeat: int) -> dict[str, float] | str:
    """proselint on the sample against our in-process time on it. Our time leaves start-up out,
    so proselint's start-up (its run on an empty page) is taken off its time as well: the
    ratio is of throughput, as on a corpus large enough for start-up not to count. The least
    of `repeat` runs counts, as for ours."""
    exe = proselint_exe()
    if exe is None:
        return "not installed"
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.md"
        empty.write_text("# Empty\n", encoding="utf-8")
        startup = min(cli_time([exe, "check", str(empty)]) for _ in range(max(repeat, 3)))
    seconds = min(cli_time([exe, "check", *sample]) for _ in range(repeat))
    working = max(seconds - startup, 1e-9)
    mb = size_of(sample) / 1e6
    return {"seconds": round(seconds, 2), "startup_s": round(startup, 2), "mb_per_s": round(mb / working, 3),
            "speedup": round(working / t_ours, 1), "speedup_counting_its_startup": round(seconds / t_ours, 1)}


def sentence_counts(files: list[str]) -> dict[str, int]:
    """Sentences in the pages and how many are distinct: a corpus that repeats its sentences
    says less about real copy."""
    seen: set[str] = set()
    total = 0
    for text, sentences in sentences_of(files):
        norm = normalize(text)
        for sentence in sentences:
            seen.add(" ".join(norm[sentence.start:sentence.end].split()))
            total += 1
    return {"total": total, "distinct": len(seen)}


def peers(sample: list[str], ruleset, regexes: list[str], repeat: int, results: dict) -> None:
    """Time the checker on `sample` against the naive loop and the installed peers, and record
    the ratios in `results`."""
    mb_sample = size_of(sample) / 1e6
    t_ours, t_naive = paired(lambda: ours(sample, ruleset), lambda: naive(sample, regexes), 1)
    t_ours = min(t_ours, timed(lambda: ours(sample, ruleset), repeat))
    results["naive"] = {"sample_mb": round(mb_sample, 2), "ours_s": round(t_ours, 2),
                        "naive_s": round(t_naive, 2), "speedup": round(t_naive / t_ours, 1)}
    results["proselint"] = proselint_figures(sample, t_ours, repeat)
    results["vale"] = "on PATH: run it by hand with a comparable style" if shutil.which("vale") else "not installed"


def hand_written(sample: list[str], ruleset, repeat: int) -> dict[str, object] | str:
    """The checker on the project's hand-written Markdown pages against the generated sample,
    run in turns: what the generated corpus's figures say about real copy."""
    pages = sorted(str(p) for folder in HAND_WRITTEN if folder.is_dir() for p in folder.rglob("*.md"))
    if not pages:
        return "no hand-written pages in this checkout"
    ours(pages, ruleset)
    t_sample, t_pages = paired(lambda: ours(sample, ruleset), lambda: ours(pages, ruleset), max(repeat, 5))
    mb_pages, mb_sample = size_of(pages) / 1e6, size_of(sample) / 1e6

    def per_10kb(files: list[str]) -> float:
        return round(run(files, Options(), ruleset).tally().findings / (size_of(files) / 10_000), 1)

    return {"files": len(pages), "mb": round(mb_pages, 3), "mb_per_s": round(mb_pages / t_pages, 2),
            "generated_sample_mb_per_s": round(mb_sample / t_sample, 2),
            "ratio_to_generated": round((mb_pages / t_pages) / (mb_sample / t_sample), 2),
            "findings_per_10kb": per_10kb(pages), "generated_findings_per_10kb": per_10kb(sample)}


def measure_pages(files: list[str], args) -> dict[str, object]:
    """Throughput on the given pages, their sentence counts, and the peers on a sample of them."""
    if not files:
        raise SystemExit(f"no .md, .markdown, .html, .htm or .txt files under {args.pages}")
    ruleset = load_rules(Options())
    regexes = phrase_regexes(ruleset)
    ours(files[:20], ruleset)
    seconds = timed(lambda: ours(files, ruleset), args.repeat)
    mb = size_of(files) / 1e6
    results: dict[str, object] = {
        "rules": {"rules": len(ruleset.rules), "phrases": len(regexes)},
        "throughput": {"corpus_mb": round(mb, 2), "files": len(files), "seconds": round(seconds, 2),
                       "mb_per_s": round(mb / seconds, 2), "files_per_s": round(len(files) / seconds, 1)},
        "sentences": sentence_counts(files),
    }
    peers(files[:args.sample], ruleset, regexes, args.repeat, results)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "scopecheck-bench")
    parser.add_argument("--quick", action="store_true", help="2 MB / 0.2 MB corpora instead of 20 MB / 2 MB")
    parser.add_argument("--big", type=parse_size, help="size of the large corpus (default 20MB)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats for the short measurements (least time counts; start-up and cache: median)")
    parser.add_argument("--sample", type=int, default=40, help="pages used for the naive and peer comparisons")
    parser.add_argument("--pages", type=Path,
                        help="measure these pages instead of generated ones (.md, .html, .txt)")
    parser.add_argument("--submissions", type=int,
                        help="submissions of 5 pages in the audit measurement (default 400, --quick 40; 0 skips it)")
    args = parser.parse_args(argv)
    if args.pages is not None:
        print(json.dumps(measure_pages(files_of(args.pages), args), indent=2))
        return

    big_size = args.big or (2_000_000 if args.quick else 20_000_000)
    small_size = big_size // 10
    work = args.workdir
    corpora = {}
    for name, size, count in (("small", small_size, None), ("big", big_size, None),
                              ("jobs", max(big_size // 5, 2_000_000), 2000)):
        folder = work / f"{name}-{size}-{count}"
        if not folder.exists():
            generate(folder, size, count, "md")
        corpora[name] = folder
    results: dict[str, object] = {}
    cache_dir = work / "cache"
    env = {"SCOPECHECK_CACHE_DIR": str(cache_dir)}
    os.environ.update(env)

    ruleset = load_rules(Options())
    rule_count = len(ruleset.rules)
    regexes = phrase_regexes(ruleset)
    phrase_count = len(regexes)
    small, big = files_of(corpora["small"]), files_of(corpora["big"])
    ours(small[:20], ruleset)  # compile the patterns a corpus touches once, as a long run would

    # as many runs of each, or the least of several small runs would flatter the small corpus
    t_small, t_big = paired(lambda: ours(small, ruleset), lambda: ours(big, ruleset), 2)
    mb_big = size_of(big) / 1e6
    results["rules"] = {"rules": rule_count, "phrases": phrase_count}
    results["throughput"] = {"corpus_mb": round(mb_big, 1), "files": len(big), "seconds": round(t_big, 2),
                             "mb_per_s": round(mb_big / t_big, 2), "files_per_s": round(len(big) / t_big, 1)}
    results["corpus_scaling"] = {"small_s": round(t_small, 2), "big_s": round(t_big, 2),
                                 "ratio_for_10x": round(t_big / t_small, 2)}

    sample = small[:args.sample]
    peers(sample, ruleset, regexes, args.repeat, results)
    results["sentences"] = sentence_counts(small)
    results["hand_written"] = hand_written(sample, ruleset, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        pack = synthetic_pack(Path(tmp) / "pack", rule_count * 9)
        more = load_ruleset((pack,))
        ours(small[:20], more)
        t_base, t_more = paired(lambda: ours(sample, ruleset), lambda: ours(sample, more), max(args.repeat, 5))
    results["rule_scaling"] = {"rules": rule_count, "rules_10x": len(more.rules),
                               "base_s": round(t_base, 2), "10x_s": round(t_more, 2),
                               "ratio": round(t_more / t_base, 2)}

    jobs_files = corpora["jobs"]
    common = ["check", "--no-cache", "--format", "json", "-o", os.devnull, str(jobs_files)]
    # one pair of runs was at the mercy of whatever else the machine did during it
    t1, t2 = paired(lambda: cli([*common, "--jobs", "1"], env), lambda: cli([*common, "--jobs", "2"], env),
                    args.repeat)
    results["jobs"] = {"files": len(files_of(jobs_files)), "jobs1_s": round(t1, 2), "jobs2_s": round(t2, 2),
                       "speedup": round(t1 / t2, 2), "cpus": os.cpu_count()}

    # a re-run pays start-up plus one hash and one cache read per file, so the share it costs
    # falls as the corpus grows: both corpora are reported
    results["cache"] = {name: measure_cache(corpora[name], cache_dir, env, args.repeat) for name in ("small", "big")}

    page = Path(small[0])
    cli(["check", str(page)], env)  # warm the compiled-rules cache
    starts = [cli(["check", "--no-cache", str(page)], env) for _ in range(max(5, args.repeat))]
    bare = statistics.median(
        cli_time([sys.executable, "-c", "pass"]) for _ in range(max(5, args.repeat)))
    results["startup"] = {"single_page_s": round(statistics.median(starts), 3), "python_itself_s": round(bare, 3)}

    submissions = args.submissions if args.submissions is not None else (40 if args.quick else 400)
    if submissions:
        results["audit"] = measure_audit(audit_corpus(work, submissions), cache_dir, env, args.repeat)

    results["peak_memory_mb"] = {
        "small_corpus": round(peak_rss_mb(["check", "--no-cache", "-j", "1", "-o", os.devnull, str(corpora["small"])]), 1),
        "big_corpus": round(peak_rss_mb(["check", "--no-cache", "-j", "1", "-o", os.devnull, str(corpora["big"])]), 1),
        "largest_page_kb": round(max(os.path.getsize(f) for f in big) / 1024, 1),
    }
    print(json.dumps(results, indent=2))


def audit_corpus(work: Path, submissions: int) -> Path:
    """`submissions` folders of five generated pages each (about 12 KB a folder), each from its
    own seed: identical pages would meet in the result cache during the first run."""
    folder = work / f"audit-{submissions}"
    if not folder.exists():
        staging = work / f"audit-{submissions}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for i in range(submissions):
            generate(staging / f"coach-{i:04d}", 12_250, 5, "md", seed=1_000 + i)
        staging.rename(folder)
    return folder


def measure_cache(corpus: Path, cache_dir: Path, env: dict, repeat: int) -> dict[str, object]:
    """`scopecheck check --jobs 1` of a corpus without the result cache, then a first cached run
    (which stores every result) and the median of `repeat` cached re-runs. The re-run is given
    as a share of both: of the first cached run, and of the run without the cache."""
    common = ["check", "--jobs", "1", "--format", "json", "-o", os.devnull, str(corpus)]
    uncached = cli([*common, "--no-cache"], env)
    first, again = cached_runs(common, cache_dir, env, repeat)
    return {"files": len(files_of(corpus)), "no_cache_s": round(uncached, 2), "first_s": round(first, 2),
            "rerun_s": round(again, 2), "percent": round(100 * again / first, 1),
            "percent_of_no_cache": round(100 * again / uncached, 1)}


def cached_runs(command: list[str], cache_dir: Path, env: dict, repeat: int) -> tuple[float, float]:
    """A first run of `command` with an empty result cache, and the median of `repeat` re-runs."""
    shutil.rmtree(cache_dir / "results", ignore_errors=True)
    first = cli([*command, "--cache"], env)
    return first, statistics.median(cli([*command, "--cache"], env) for _ in range(repeat))


def measure_audit(corpus: Path, cache_dir: Path, env: dict, repeat: int) -> dict[str, object]:
    """`scopecheck audit` of every submission: a run without the result cache (time and peak
    memory, one process), a first cached run, and the median of `repeat` cached re-runs."""
    submissions = sorted(str(p) for p in corpus.iterdir() if p.is_dir())
    files = files_of(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        command = ["audit", *submissions, "--output", str(Path(tmp) / "audit"), "--jobs", "1"]
        cli(["audit", submissions[0], "--output", str(Path(tmp) / "warm"), "--no-cache"], env)  # compiled rules cached
        start = time.perf_counter()
        _, peak = run_measured([*command, "--no-cache"], env={**os.environ, **env})
        uncached = time.perf_counter() - start
        first, again = cached_runs(command, cache_dir, env, repeat)
    return {"submissions": len(submissions), "files": len(files), "mb": round(size_of(files) / 1e6, 2),
            "no_cache_s": round(uncached, 2), "first_cached_s": round(first, 2), "rerun_s": round(again, 2),
            "percent": round(100 * again / first, 1), "peak_memory_mb": round(peak, 1)}


def cli_time(command: list[str], env: dict | None = None) -> float:
    """Wall time of a command, its output thrown away."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})}, check=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
