"""Command line. It parses options, calls the library and chooses the exit code; no checking
logic lives here. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration, rule-pack or input error."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from scopecheck import __version__
from scopecheck.errors import ScopecheckError
from scopecheck.model import DOC_TYPES, SEVERITIES

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scopecheck")
def cli() -> None:
    """Check coaching materials against the scope of practice of coaching.

    \b
    Start with:  scopecheck check my-site/
    Rule help:   scopecheck rules list, scopecheck rules show SC-TREAT-001
    """


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES),
              help="Treat every input as this document type (otherwise: front matter, config, default).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json"]), help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of standard output.")
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
def check(paths, doc_type, fmt, output, fail_on, exit_zero, select, ignore, rules_dirs, jurisdictions,
          licenses, stdin_filename, explain, verbose) -> None:
    """Check files, folders or standard input (-)."""
    from scopecheck.api import Options, run
    from scopecheck.outputs import formatter
    from scopecheck.rules.ruleset import DEFAULT_JURISDICTIONS, Profile

    if not paths:
        raise click.UsageError("give at least one file or folder to check, or - for standard input "
                               "(for example: scopecheck check my-site/)")
    profile = Profile(_split(jurisdictions) or DEFAULT_JURISDICTIONS, _split(licenses))
    options = Options(doc_type=doc_type, rules_dirs=tuple(rules_dirs), select=_split(select),
                      ignore=_split(ignore), profile=profile, fail_on=fail_on,
                      stdin_name=stdin_filename, explain=explain, verbose=verbose)
    stdin_data = sys.stdin.buffer.read() if "-" in paths else None
    report = run(list(paths), options, stdin_data=stdin_data)
    data = report.to_dict()
    for d in report.documents:
        for warning in d.warnings:
            click.echo(f"warning: {warning}", err=True)
    stream = sys.stdout if output is None else None
    text = formatter(fmt)(data, colour=bool(stream) and use_colour(stream) and fmt == "text", verbose=verbose)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(report_line(data), err=True)
    else:
        click.echo(text, nl=False)
    sys.exit(report.exit_code(exit_zero))


def report_line(data: dict) -> str:
    from scopecheck.outputs.text import summary
    return summary(data)


@cli.group()
def rules() -> None:
    """List, explain and test rules."""


def _options(rules_dirs, jurisdictions=(), licenses=()):
    from scopecheck.api import Options
    from scopecheck.rules.ruleset import DEFAULT_JURISDICTIONS, Profile
    return Options(rules_dirs=tuple(rules_dirs),
                   profile=Profile(_split(jurisdictions) or DEFAULT_JURISDICTIONS, _split(licenses)))


@rules.command("list")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path))
@click.option("--jurisdiction", "jurisdictions", multiple=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_list(rules_dirs, jurisdictions, fmt) -> None:
    """List the active rules."""
    from scopecheck.api import load_rules
    ruleset = load_rules(_options(rules_dirs, jurisdictions))
    if fmt == "json":
        import json
        click.echo(json.dumps([{"id": r.id, "category": r.category, "severity": r.severity,
                                "kind": r.kind, "applies_to": list(r.applies_to), "pack": r.pack,
                                "title": r.title} for r in ruleset.rules], indent=2))
        return
    for r in sorted(ruleset.rules, key=lambda r: r.id):
        click.echo(f"{r.id:<16} {r.severity:<8} {r.category:<25} {r.title or r.message[:60]}")
    click.echo(f"{len(ruleset.rules)} rules in {len(ruleset.packs)} packs", err=True)


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path))
def rules_show(rule_id, rules_dirs) -> None:
    """Explain one rule: why it exists, what it rests on, examples."""
    from scopecheck.rules.loader import builtin_pack_files, load_packs, pack_files
    files = [(p, True) for p in builtin_pack_files()]
    for d in rules_dirs:
        files.extend((p, False) for p in pack_files(d))
    found = [r for pack in load_packs(files).packs for r in pack.rules if r.id == rule_id.upper()]
    if not found:
        raise ScopecheckError(f"no rule with id {rule_id}; see `scopecheck rules list`")
    r = found[0]
    click.echo(f"{r.id}  {r.title}".rstrip())
    click.echo(f"  category: {r.category}   severity: {r.severity}   kind: {r.kind}")
    click.echo(f"  applies to: {', '.join(r.applies_to)}   pack: {r.pack} ({r.origin})")
    click.echo(f"\n  message: {r.message}\n\n  why it matters:\n    {r.rationale}\n")
    click.echo("  rests on:")
    for c in r.citations:
        click.echo(f"    - {c.describe()}")
    click.echo(f"\n  suggestion: {r.suggestion}\n\n  flagged:")
    for e in r.examples_flag:
        click.echo(f"    - {e.text.strip()}")
    click.echo("  not flagged:")
    for e in r.examples_pass:
        click.echo(f"    - {e.text.strip()}")


@rules.command("test")
@click.argument("packs", nargs=-1)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path))
@click.option("--verbose", "-v", is_flag=True)
def rules_test(packs, rules_dirs, verbose) -> None:
    """Run every rule's own examples (PACKS: pack names, or folders/files of extra packs)."""
    from scopecheck.api import Options
    from scopecheck.selftest import run_examples
    extra = [Path(p) for p in packs if Path(p).exists()] + list(rules_dirs)
    names = tuple(p for p in packs if not Path(p).exists())
    only_extra = bool(extra) and not names
    options = Options(rules_dirs=tuple(extra))
    results = run_examples(options, names)
    if only_extra:
        from scopecheck.rules.loader import display_path
        extra_paths = {display_path(p) for p in extra}
        results = [r for r in results if not _builtin(r.rule.origin) or
                   any(r.rule.origin.startswith(e) for e in extra_paths)]
    failed = [r for r in results if not r.ok]
    for r in failed:
        want = "should flag" if r.expected else "should not flag"
        click.echo(f"FAIL {r.rule.id} ({r.rule.origin}) {want}: {r.example.text.strip()[:100]!r}\n"
                   f"     {r.detail}")
    if verbose:
        for r in results:
            if r.ok:
                click.echo(f"ok   {r.rule.id} {'flag' if r.expected else 'pass'}: {r.example.text.strip()[:80]!r}")
    rules_count = len({r.rule.id for r in results})
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed "
               f"({rules_count} rules, {len(results)} examples)")
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _builtin(origin: str) -> bool:
    from scopecheck.resources import data_dir
    try:
        return Path(origin.rsplit(":", 1)[0]).resolve().is_relative_to(data_dir("rules").resolve())
    except FileNotFoundError:
        return False


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="scopecheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except ScopecheckError as exc:
        click.echo(f"error: {exc}" if not exc.problems else str(exc), err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN)
