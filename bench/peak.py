"""Run scopecheck in a child process and read the child's own peak resident memory.

On Linux the child reports VmHWM, the high-water mark of the process image it runs in.
ru_maxrss (of the child, or RUSAGE_CHILDREN in the parent) also counts the instant between
fork and exec, when the child still shares every page of its parent: a benchmark or test
process that has just held a large report would be measured instead of the checker.
"""
from __future__ import annotations

import re
import subprocess
import sys

PROBE = """
import atexit, resource, sys

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb // 1024 if sys.platform == "darwin" else kb

atexit.register(lambda: sys.stderr.write(f"\\nPEAK_RSS_KB {peak_kb()}\\n"))
from scopecheck.cli import main
main(sys.argv[1:])
"""
_PEAK = re.compile(r"\n?PEAK_RSS_KB (\d+)\n?")


def run_measured(args: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """Run `scopecheck ARGS`; returns the finished process (its stderr without the probe's
    line) and its peak resident memory in MB."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, **kwargs)
    found = _PEAK.findall(proc.stderr)
    proc.stderr = _PEAK.sub("", proc.stderr)
    return proc, (int(found[-1]) / 1024 if found else float("nan"))
