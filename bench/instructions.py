"""Count the machine instructions scopecheck spends checking generated pages (callgrind).

Timings on a shared or virtual machine vary by 20-30% from run to run; instruction counts do
not. Use this to compare two versions of the code on the same pages:

    python bench/instructions.py                      # 30 pages of the 2 MB corpus
    python bench/instructions.py --pages 100 --tree ../other-checkout

It runs the checker twice under `valgrind --tool=callgrind`, once loading the rules and once
loading them and checking the pages, and prints the difference: the cost of checking alone.
Needs valgrind on PATH. Counts are not comparable across Python versions or machines.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from scopecheck.api import Options, load_rules, run
files = sys.argv[3:]
ruleset = load_rules(Options())
ruleset.matcher.prepare()
run(files[:1], Options(), ruleset)  # the first document compiles what is compiled lazily
if sys.argv[2] == "check":
    run(files, Options(), ruleset)
"""


def collected(tree: Path, mode: str, files: list[str]) -> int:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # count the checker, not recompiling its modules
    child = [sys.executable, "-c", CHILD, str(tree), mode, *files]
    # once without valgrind, so the compiled rules and the modules' bytecode are cached
    subprocess.run(child, capture_output=True, env=env, check=False)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *child],
                          capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"callgrind run failed ({mode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30, help="pages to check (default 30)")
    parser.add_argument("--tree", type=Path, default=HERE.parent, help="checkout to measure")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "scopecheck-bench")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not on PATH; install it (Debian: apt-get install valgrind)")
    corpus = args.workdir / "instructions-corpus"
    if not corpus.exists():
        generate(corpus, 2_000_000, files=200, fmt="md")
    files = sorted(str(p) for p in corpus.rglob("*.md"))[:args.pages]
    load = collected(args.tree.resolve(), "load", files)
    check = collected(args.tree.resolve(), "check", files)
    size = sum(os.path.getsize(f) for f in files)
    print(f"{args.tree.resolve()}: {(check - load) / 1e6:,.0f} M instructions to check {len(files)} pages "
          f"({size / 1e3:,.0f} KB), {(check - load) / size:,.0f} per byte")


if __name__ == "__main__":
    main()
