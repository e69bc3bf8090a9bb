"""`scopecheck check`: lint files, folders, URLs and standard input."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from scopecheck.cli import cli, report_stream, split_values as _split, use_colour
from scopecheck.cli.input_options import apply_input_options, explain_types, input_options, unused_file_suppressions
from scopecheck.cli.speed_options import apply_speed_options, speed_options
from scopecheck.model import DOC_TYPES, SEVERITIES
from scopecheck.outputs import FORMATTERS


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES),
              help="Treat every input as this document type (otherwise: front matter, config, default).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(list(FORMATTERS)), help="Output format for standard output (or --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
@click.option("--output-format", "output_targets", multiple=True, metavar="FORMAT:FILE",
              callback=lambda ctx, param, values: _targets(values),
              help="Also write this format to this file, e.g. sarif:results.sarif (repeatable).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (errors still exit 2).")
@click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids, id prefixes or categories (comma-separated).")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids, id prefixes or categories (comma-separated).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra rule pack file or folder (repeatable).")
@click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE",
              help="Where you practise, e.g. us-ca, uk, ca-on, au (repeatable; default us).")
@click.option("--license", "licenses", multiple=True, metavar="TITLE",
              help="A licence you hold, e.g. LMFT: its titles are then not flagged (repeatable).")
@click.option("--stdin-filename", help="Name to use for standard input (for its type and messages).")
@click.option("--explain", is_flag=True, help="Also show candidate matches a guard silenced, and why.")
@click.option("--verbose", "-v", is_flag=True, help="Show rationale and citations; tracebacks for internal errors.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file to use instead of the nearest .scopecheck.yaml, "
                   "scopecheck.yaml or pyproject.toml [tool.scopecheck].")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", "write_baseline_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current findings in this baseline file and exit 0.")
@click.option("--fix", is_flag=True, help="Apply safe rewrites to Markdown, text and HTML files, then check again.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the rewrites --fix would make as a unified diff, change nothing; exit 1 if any.")
@speed_options
@input_options
def check(paths, doc_type, fmt, output, output_targets, fail_on, exit_zero, select, ignore, rules_dirs, jurisdictions,
          licenses, stdin_filename, explain, verbose, config_file, baseline_file, write_baseline_file,
          fix, show_diff, jobs, use_cache, crawl, max_pages, timeout, suppressions_file) -> None:
    """Check files, folders or standard input (-)."""
    from scopecheck.api import load_rules, run
    from scopecheck.outputs import report_data, write_report

    if not paths:
        raise click.UsageError("give at least one file or folder to check, or - for standard input "
                               "(for example: scopecheck check my-site/)")
    from scopecheck import config
    from scopecheck.cli import workflow
    workflow.check_flags(fix=fix, diff=show_diff, baseline=baseline_file, write_baseline=write_baseline_file)
    given = config.command_line(
        select=_split(select), ignore=_split(ignore), rules=tuple(rules_dirs),
        jurisdictions=_split(jurisdictions), licenses=_split(licenses),
        fail_on=fail_on if click.get_current_context().get_parameter_source("fail_on").name == "COMMANDLINE" else None)
    options = config.resolve(list(paths), given, config_file, doc_type=doc_type).to_options(
        stdin_name=stdin_filename, explain=explain, verbose=verbose)
    options = apply_speed_options(options, jobs, use_cache)
    options = apply_input_options(options, crawl, max_pages, timeout, suppressions_file)
    stdin_data = sys.stdin.buffer.read() if "-" in paths else None
    ruleset = load_rules(options)
    report = run(list(paths), options, ruleset, stdin_data=stdin_data)
    if show_diff:
        sys.exit(workflow.print_diff(report, exit_zero))
    if fix:
        report = workflow.fix_and_recheck(report, lambda: run(list(paths), options, ruleset, stdin_data=stdin_data))
    if write_baseline_file:
        sys.exit(workflow.record_baseline(report, write_baseline_file))
    if baseline_file:
        report = workflow.compare_baseline(report, baseline_file)
    if verbose:
        explain_types(report)
    unused_file_suppressions(report, options)
    for warning in report.tally().warnings:
        click.echo(f"warning: {warning}", err=True)
    colour = output is None and use_colour(sys.stdout) and fmt == "text"
    data = report_data(report, fmt)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            write_report(fmt, data, handle, colour=False, verbose=verbose)
        click.echo(report_line(data), err=True)
    else:
        write_report(fmt, data, report_stream(), colour=colour, verbose=verbose)
    from scopecheck.outputs.targets import write_targets
    for target in write_targets(report, list(output_targets), verbose=verbose):
        click.echo(f"Wrote the {target.format} report to {target.path}.", err=True)
    sys.exit(report.exit_code(exit_zero))


def _targets(values: tuple[str, ...]) -> list:
    from scopecheck.outputs.targets import parse_target
    try:
        return [parse_target(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--output-format") from None


def report_line(data: dict) -> str:
    from scopecheck.outputs.text import summary
    return summary(data)


