"""`scopecheck rules`: list, explain and test rules."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from scopecheck.cli import EXIT_CLEAN, EXIT_FINDINGS, cli, split_values as _split
from scopecheck.errors import ScopecheckError


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
    from scopecheck.rules.loader import load_packs, pack_file_list
    found = [r for pack in load_packs(pack_file_list(rules_dirs)).packs for r in pack.rules if r.id == rule_id.upper()]
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
        from scopecheck.documents import display_path
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




@rules.command("doc")
def rules_doc() -> None:
    """Print the rule reference in Markdown (the source of docs/rules.md)."""
    from scopecheck.rules.loader import load_packs, pack_file_list
    from scopecheck.rules.reference import render_reference
    click.echo(render_reference(load_packs(pack_file_list()).packs), nl=False)
