"""`scopecheck audit`: check many submissions and write a signed-off-ready report folder."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from scopecheck.cli import EXIT_CLEAN, EXIT_FINDINGS, cli, split_values as _split
from scopecheck.cli.speed_options import apply_speed_options, speed_options


@cli.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write index.html, submissions/*.html, audit.json and summary.csv to.")
@click.option("--each-path", is_flag=True,
              help="Treat each named PATH as one submission, even a single folder that holds folders.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra rule pack file or folder (repeatable).")
@click.option("--no-builtin-rules", is_flag=True, help="Use only the packs given with --rules.")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids, id prefixes or categories.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids, id prefixes or categories.")
@click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE",
              help="Where the coaches practise, e.g. us-ca, uk, au (repeatable; default us).")
@click.option("--templates", "user_templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of your own report templates, used before the built-in ones (rendered in a sandbox).")
@click.option("--strict", is_flag=True, help="Exit 1 when any submission needs review, not only when one fails.")
@speed_options
def audit(paths, out_dir, each_path, rules_dirs, no_builtin_rules, select, ignore, jurisdictions,
          user_templates, strict, jobs, use_cache) -> None:
    """Audit submissions: one report per coach or program, an index, audit.json and summary.csv.

    \b
    A single folder of folders:  each folder inside it is one submission.
    Several paths (or a file):   each named path is one submission.
    Example:  scopecheck audit received/ --output audit-2024-05
    """
    from scopecheck.api import Options
    from scopecheck.audit import audit_to_folder
    from scopecheck.rules.ruleset import DEFAULT_JURISDICTIONS, Profile

    if not paths:
        raise click.UsageError("give the folder of submissions (or several submission folders), for example: "
                               "scopecheck audit received/ --output audit-report")
    if no_builtin_rules and not rules_dirs:
        raise click.UsageError("--no-builtin-rules needs at least one --rules pack to check with")
    options = Options(rules_dirs=tuple(rules_dirs), select=_split(select), ignore=_split(ignore),
                      profile=Profile(_split(jurisdictions) or DEFAULT_JURISDICTIONS),
                      builtin_rules=not no_builtin_rules)
    options = apply_speed_options(options, jobs, use_cache)
    record = audit_to_folder(list(paths), options, out_dir, user_templates, each_path=each_path)
    for note in record["notes"]:
        click.echo(f"note: {note}", err=True)
    s = record["summary"]
    click.echo(f"Audited {s['submissions']} submission{'s' if s['submissions'] != 1 else ''}: "
               f"{s['fail']} fail, {s['needs review']} need review, {s['pass']} pass.", err=True)
    click.echo(f"Open {out_dir / 'index.html'} to review; audit.json and summary.csv are next to it.", err=True)
    failing = s["fail"] or (strict and s["needs review"])
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)
