"""Options of `scopecheck check` for web pages and suppressions files, and how they reach Options."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from scopecheck.cli import option_group


# `check`'s --crawl, --max-pages, --timeout and --suppressions
input_options = option_group(
    click.option("--crawl", is_flag=True,
                 help="For a URL: also check the same-site pages it links to and those in sitemap.xml "
                      "(robots.txt is honoured)."),
    click.option("--max-pages", type=click.IntRange(min=1), default=50, show_default=True,
                 help="Most pages to check per crawled site."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True,
                 help="Seconds to wait for each web request."),
    click.option("--suppressions", "suppressions_file", type=click.Path(dir_okay=False, path_type=Path),
                 help="YAML file of finding fingerprint: reason, for Word, PDF and web pages."),
)


def apply_input_options(options, crawl: bool, max_pages: int, timeout: float, suppressions_file: Path | None):
    from scopecheck.engine.suppress import load_file
    suppressions = tuple(sorted(load_file(suppressions_file).items())) if suppressions_file else ()
    return replace(options, crawl=crawl, max_pages=max_pages, timeout=timeout, suppressions=suppressions)


def explain_types(report) -> None:
    """With -v: how each document's type was decided."""
    for d in report.iter_documents():
        if d.doc_type:
            click.echo(f"{d.path}: type {d.doc_type} ({d.type_source})", err=True)


def unused_file_suppressions(report, options) -> None:
    """Entries of --suppressions that matched no finding of this run, named so they can be removed."""
    if not options.suppressions:
        return
    used = {f.fingerprint for f in report.iter_findings()}
    for fingerprint, reason in options.suppressions:
        if fingerprint not in used:
            click.echo(f"warning: suppression {fingerprint} ({reason}) matches no finding; remove it "
                       "from the suppressions file", err=True)
