"""`scopecheck disclaimer`: print ready disclosure wording for a document type."""
from __future__ import annotations

from pathlib import Path

import click

from scopecheck.cli import cli
from scopecheck.model import DOC_TYPES


def _places() -> list[str]:
    from scopecheck.disclaimer import PLACES
    return list(PLACES)


@cli.command()
@click.option("--type", "doc_type", type=click.Choice(DOC_TYPES), required=True,
              help="The document the wording is for.")
@click.option("--jurisdiction", default="us", show_default=True, type=click.Choice(_places()),
              help="Where your clients are: sets the crisis and emergency numbers.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "text", "html"]), default="markdown",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output (never overwrites without --force).")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
def disclaimer(doc_type, jurisdiction, fmt, output, force) -> None:
    """Print disclosure wording (coaching is not therapy, crisis numbers, confidentiality...).

    Fill in the [bracketed] placeholders, read it through in your own voice, then run
    `scopecheck check` on the page you pasted it into.
    """
    from scopecheck.disclaimer import render
    from scopecheck.errors import ScopecheckError
    text = render(doc_type, jurisdiction, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise ScopecheckError(f"{output} already exists; choose another file or add --force to replace it")
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {doc_type} wording for {jurisdiction} to {output}; fill in the [bracketed] parts.", err=True)
