"""Stress run: check a generated folder of 10,000 documents and report time and peak memory.

    python scripts/stress.py [--files 10000] [--jobs 1]

The checker runs in a child process, so its peak resident memory is measured on its own.
Exit code: the checker's (2 is expected: a few of the files are deliberately unreadable).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from peak import run_measured  # noqa: E402

PARAGRAPHS = [
    "I coach people toward goals they choose, one conversation at a time.",
    "I treat anxiety and heal your trauma in six weeks.",
    "We guarantee you will feel calmer. Coaching is not therapy.",
    "Do you have thoughts of suicide? Y / N",
    "My patients love this program; book a therapy session today.",
]


def make_corpus(root: Path, count: int) -> None:
    for i in range(count):
        folder = root / f"coach-{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        body = "\n\n".join(PARAGRAPHS[(i + k) % len(PARAGRAPHS)] for k in range(1 + i % 7))
        if i % 1000 == 999:
            (folder / f"doc-{i}.txt").write_bytes(b"\x00binary")  # unreadable on purpose
        elif i % 3 == 0:
            (folder / f"doc-{i}.md").write_text(f"# Page {i}\n\n{body}\n", encoding="utf-8")
        else:
            (folder / f"doc-{i}.txt").write_text(body, encoding="utf-8")


def stress(count: int = 10_000, jobs: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_corpus(root, count)
        start = time.perf_counter()
        # the checker reports its own peak memory (see bench/peak.py)
        proc, peak_mb = run_measured(["check", "--no-cache", "--format", "json", "--jobs", str(jobs), str(root)])
        seconds = time.perf_counter() - start
    data = json.loads(proc.stdout)
    return {"files": count, "jobs": jobs, "exit_code": proc.returncode, "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak_mb, 1), "documents": data["summary"]["documents"],
            "errors": data["summary"]["errors"], "findings": sum(data["summary"]["findings"].values())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    result = stress(args.files, args.jobs)
    print(json.dumps(result, indent=2))
    sys.exit(result["exit_code"])


if __name__ == "__main__":
    main()
