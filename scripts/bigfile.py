"""One very large document: write a single text or Markdown file and report time and peak memory.

    python scripts/bigfile.py [--size 100MB] [--format txt|md] [--keep FILE]

The file is made of bench/generate.py's coaching pages (headings, paragraphs, lists; about 6% of
sentences overstep), one after another. The checker runs in a child process, as
`scopecheck check --no-cache -j 1 -o /dev/null FILE`, so its peak resident memory is measured
on its own. Exit code: the checker's (1 is expected: the pages hold claims).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import NAMES, NICHES, markdown_page, page_sections, parse_size  # noqa: E402
from peak import run_measured  # noqa: E402


def write_file(path: Path, size: int, seed: int = 7) -> int:
    """Pages of about 10 KB each until `size` bytes; returns the bytes written."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while written < size:
            niche = rng.choice(NICHES)
            title = f"{rng.choice(NAMES)} Coaching: {niche} coaching"
            page = markdown_page(title, page_sections(rng, int(10_000 * (0.5 + rng.random())), 0.06)) + "\n\n"
            out.write(page)
            written += len(page.encode("utf-8"))
    return written


def measure(path: Path) -> dict:
    start = time.perf_counter()
    proc, peak_mb = run_measured(["check", "--no-cache", "-j", "1", "-o", os.devnull, str(path)])
    seconds = time.perf_counter() - start
    return {"exit_code": proc.returncode, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb, 1),
            "summary": (proc.stderr.strip().splitlines() or [""])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=parse_size("100MB"), help="e.g. 10MB, 100MB")
    parser.add_argument("--format", choices=["txt", "md"], default="txt")
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / f"big.{args.format}"
        size = write_file(path, args.size)
        result = {"bytes": size, "format": args.format, **measure(path)}
    print(json.dumps(result, indent=2))
    sys.exit(result["exit_code"])


if __name__ == "__main__":
    main()
