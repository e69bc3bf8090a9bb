"""`scopecheck config show`: the effective configuration and where each value came from."""
from __future__ import annotations

import json
from pathlib import Path

import click

from scopecheck.cli import cli, split_values as _split
from scopecheck.model import DOC_TYPES, SEVERITIES


@cli.group("config")
def config_group() -> None:
    """Show the configuration scopecheck uses."""


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} -> {', '.join(map(str, v)) if isinstance(v, list) else v}"
                         for k, v in value.items()) or "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


@config_group.command("show")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file to use instead of searching for one.")
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES))
@click.option("--select", multiple=True, metavar="IDS")
@click.option("--ignore", multiple=True, metavar="IDS")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path))
@click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE")
@click.option("--license", "licenses", multiple=True, metavar="TITLE")
@click.option("--fail-on", type=click.Choice(SEVERITIES))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_show(paths, config_file, doc_type, select, ignore, rules_dirs, jurisdictions, licenses,
                fail_on, fmt) -> None:
    """Print the settings a check of PATHS would use (default: this folder) and their sources.

    Takes the same options as `scopecheck check`, so you can see how they combine with the file.
    """
    from scopecheck import config
    given = config.command_line(select=_split(select), ignore=_split(ignore), rules=tuple(rules_dirs),
                                jurisdictions=_split(jurisdictions), licenses=_split(licenses), fail_on=fail_on)
    effective = config.resolve(list(paths) or ["."], given, config_file, doc_type=doc_type)
    data = effective.to_dict()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if data["config_file"]:
        click.echo(f"Configuration file: {data['config_file']}")
    else:
        click.echo("Configuration file: none found (searched this folder and every folder above it); "
                   "run `scopecheck init` to create one")
    width = max(len(key) for key in data["settings"])
    for key, setting in data["settings"].items():
        click.echo(f"  {key:<{width}}  {_value(setting['value'])}    [{setting['source']}]")
