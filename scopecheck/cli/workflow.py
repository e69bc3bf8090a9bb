"""The steps of `scopecheck check` that go beyond one report: fixes, diffs and baselines.

Each step calls the library (scopecheck.fix, scopecheck.baseline) and says what it did on
standard error, so standard output stays the report alone.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import click

from scopecheck.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, report_stream
from scopecheck.report import Report


def check_flags(*, fix: bool, diff: bool, baseline: Path | None, write_baseline: Path | None) -> None:
    if fix and diff:
        raise click.UsageError("use either --fix (change the files) or --diff (show the changes), not both")
    if baseline and write_baseline:
        raise click.UsageError("use either --baseline (compare) or --write-baseline (record), not both")
    if diff and (baseline or write_baseline):
        raise click.UsageError("--diff only shows the rewrites; run it without --baseline or --write-baseline")


def _notes(notes) -> None:
    for note in notes:
        click.echo(f"note: {note}", err=True)


def print_diff(report: Report, exit_zero: bool = False) -> int:
    from scopecheck.fix import plan, unified_diff
    fix_plan = plan(report.documents)
    for file_fix in fix_plan.files:
        report_stream().write(unified_diff(file_fix))
    _notes(fix_plan.notes)
    if report.has_input_errors():
        for d in report.documents:
            if d.status == "error":
                click.echo(f"error: {d.error}", err=True)
        return EXIT_ERROR
    if not fix_plan.files:
        click.echo("Nothing to fix: no safe rewrites apply.", err=True)
        return EXIT_CLEAN
    click.echo(f"{fix_plan.applied} fix(es) would change {len(fix_plan.files)} file(s); "
               "run with --fix to apply them.", err=True)
    return EXIT_CLEAN if exit_zero else EXIT_FINDINGS


def fix_and_recheck(report: Report, recheck: Callable[[], Report]) -> Report:
    from scopecheck.fix import plan, write_all
    fix_plan = plan(report.documents)
    written, errors = write_all(fix_plan)
    _notes(fix_plan.notes)
    if written:
        count = sum(f.applied for f in written)
        click.echo(f"Fixed {count} problem{'s' if count != 1 else ''} in {len(written)} "
                   f"file{'s' if len(written) != 1 else ''}; checking again.", err=True)
        report = recheck()
    elif not errors:
        click.echo("Nothing to fix: no safe rewrites apply.", err=True)
    if errors:
        report = replace(report, errors=list(report.errors) + errors)
    return report


def record_baseline(report: Report, path: Path) -> int:
    from scopecheck.baseline import write_baseline
    count = write_baseline(report, path)
    click.echo(f"Recorded {count} finding{'s' if count != 1 else ''} in {path}; "
               f"from now on run `scopecheck check --baseline {path} ...` to see only new ones.", err=True)
    for d in report.documents:
        if d.status == "error":
            click.echo(f"error: {d.error}", err=True)
    return EXIT_ERROR if report.has_input_errors() else EXIT_CLEAN


def compare_baseline(report: Report, path: Path) -> Report:
    from scopecheck.baseline import apply_baseline, load_baseline
    report, comparison = apply_baseline(report, load_baseline(path))
    click.echo(comparison.describe(), err=True)
    return report
