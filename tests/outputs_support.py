"""Shared by the output and audit tests: real reports from real files, checked with the mini pack."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scopecheck.api import Options, run
from scopecheck.report import Report

ROOT = Path(__file__).resolve().parent.parent
MINI_PACK = ROOT / "tests" / "fixtures" / "packs" / "mini"
MINI = Options(rules_dirs=(MINI_PACK,), builtin_rules=False)

HOSTILE = ('---\ntype: intake\n---\n# Intake <script>alert(1)</script>\n\n'
           'Welcome "><img src=x onerror=alert(2)> and \'quoted\' | pipes | [link](http://x.example) @someone #12.\n\n'
           'We treat anxiety <script>alert(1)</script> with "quotes" & ampersands "><img src=x onerror=alert(2)>.\n\n'
           'Do you have thoughts of suicide? Y / N\n\nName: ____\n')


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report_for(paths: list[Path], suppress_first: str | None = None) -> Report:
    """A report for these files; `suppress_first` marks the first finding suppressed with that reason."""
    report = run([str(p) for p in paths], MINI)
    if suppress_first is None:
        return report
    docs = list(report.documents)
    for i, d in enumerate(docs):
        if d.findings:
            first = replace(d.findings[0], suppressed=suppress_first)
            docs[i] = replace(d, findings=(first, *d.findings[1:]))
            break
    return Report(docs, report.packs, report.rules, report.fail_on)
