"""`scopecheck init`: write a commented starter .scopecheck.yaml."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from scopecheck.cli import cli
from scopecheck.model import DOC_TYPES

STARTER_NAME = ".scopecheck.yaml"


def _type_glob(value: str) -> tuple[str, str]:
    glob, sep, doc_type = value.rpartition("=")
    if not sep or not glob or doc_type not in DOC_TYPES:
        raise click.BadParameter(f"'{value}': write GLOB=TYPE, e.g. 'forms/*.md=intake' "
                                 f"(types: {', '.join(DOC_TYPES)})", param_hint="--type-glob")
    return glob, doc_type


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def starter(type_globs: list[tuple[str, str]], jurisdictions: list[str], licenses: list[str]) -> str:
    """The text of a starter configuration, every key explained."""
    lines = [
        "# scopecheck configuration. Every key is optional; the full list is in docs/configuration.md.",
        "# Command-line options override what is set here. See the result with `scopecheck config show`.",
        "",
        "# Which kind of document each file is (first matching glob wins). Globs are relative to",
        "# this file's folder; a glob without '/' matches a file name in any folder.",
        "# Types: marketing, program, intake, agreement.",
    ]
    if type_globs:
        lines.append("types:")
        lines.extend(f"  {_yaml_string(glob)}: {doc_type}" for glob, doc_type in type_globs)
    else:
        lines += ["# types:", '#   "intake/*.md": intake', '#   "*agreement*": agreement']
    lines += [
        "",
        "# Type of files that no glob, front matter or --type decides.",
        "default-type: marketing",
        "",
        "# Where you practise (crisis numbers and local rules) and licences you hold.",
        "profile:",
        f"  jurisdictions: [{', '.join(jurisdictions or ['us'])}]",
    ]
    if licenses:
        lines.append(f"  licenses: [{', '.join(licenses)}]")
    else:
        lines.append("  # licenses: [LMFT]     # titles of a licence you hold are then not flagged")
    lines += [
        "",
        "# Lowest severity that makes `scopecheck check` exit 1 (info, warning or error).",
        "fail-on: error",
        "",
        "# Files never checked.",
        "exclude:",
        '  - "drafts/*"',
        "",
        "# Rules to run or skip, by id, id prefix or category:",
        "# select: [SC-TREAT, SC-TITLE]",
        "# ignore: [SC-LANG-001]",
        "# per-file-ignores:",
        '#   "blog/*.md": [missing-disclosure]',
        "# severity:",
        "#   SC-LANG-001: info",
        "",
        "# Your own rule packs, relative to this file (see docs/writing-rules.md):",
        "# rules: [my-rules/]",
        "",
    ]
    return "\n".join(lines)


def _ask(doc_globs: list[tuple[str, str]], jurisdictions: list[str], licenses: list[str]):
    from scopecheck.disclaimer import PLACES
    click.echo("Let's set up scopecheck for your documents. Press Enter to keep the suggestion.")
    if not jurisdictions:
        answer = click.prompt("Where do you practise? (e.g. " + ", ".join(PLACES) + ")", default="us")
        jurisdictions = [j.strip().lower() for j in answer.split(",") if j.strip()]
    if not licenses:
        answer = click.prompt("Do you hold a clinical licence? Its abbreviation (e.g. LMFT), or leave empty",
                              default="", show_default=False)
        licenses = [lic.strip() for lic in answer.split(",") if lic.strip()]
    if not doc_globs:
        for doc_type, example in (("intake", "forms/*.md"), ("agreement", "*agreement*")):
            answer = click.prompt(f"Which files are {doc_type} documents? A glob such as {example}, "
                                  "or leave empty", default="", show_default=False)
            if answer.strip():
                doc_globs.append((answer.strip(), doc_type))
    return doc_globs, jurisdictions, licenses


def interactive() -> bool:
    return sys.stdin.isatty()


def check_starter(text: str, target: Path) -> None:
    """Refuse to write a file that scopecheck itself would reject (a bad --jurisdiction, say)."""
    from scopecheck.config import ConfigFile, validate
    from scopecheck.errors import ConfigError
    from scopecheck.yamlload import load_yaml
    loaded = load_yaml(text, str(target))
    problems = loaded.problems or validate(ConfigFile(target, loaded.data or {}, loaded.marks))
    if problems:
        raise ConfigError("the answers do not make a valid configuration", problems)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--type-glob", "type_globs", multiple=True, metavar="GLOB=TYPE",
              help="Document type for files matching GLOB, e.g. 'forms/*.md=intake' (repeatable).")
@click.option("--jurisdiction", "jurisdictions", multiple=True, metavar="CODE",
              help="Where you practise, e.g. us-ca, uk, au (repeatable).")
@click.option("--license", "licenses", multiple=True, metavar="TITLE", help="A licence you hold (repeatable).")
@click.option("--force", is_flag=True, help="Replace an existing .scopecheck.yaml.")
@click.option("--no-input", is_flag=True, help="Never ask questions, even on a terminal.")
def init(folder, type_globs, jurisdictions, licenses, force, no_input) -> None:
    """Write a commented starter .scopecheck.yaml in FOLDER (default: here).

    On a terminal it asks a few questions; otherwise it uses the options given.
    """
    from scopecheck.errors import ScopecheckError
    target = folder / STARTER_NAME
    if target.exists() and not force:
        raise ScopecheckError(f"{target} already exists; edit it, or add --force to replace it")
    globs = [_type_glob(v) for v in type_globs]
    places = [j.strip().lower() for v in jurisdictions for j in v.split(",") if j.strip()]
    held = [lic.strip() for v in licenses for lic in v.split(",") if lic.strip()]
    if not no_input and interactive():
        globs, places, held = _ask(globs, places, held)
    text = starter(globs, places, held)
    check_starter(text, target)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {target}. Next: scopecheck check {folder}", err=True)
