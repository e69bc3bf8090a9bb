"""Command line. It parses options, calls the library and chooses the exit code; no checking
logic lives here. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage,
configuration, rule-pack or input error."""
from __future__ import annotations

import codecs
import os
import sys
from typing import TextIO

import click

from scopecheck import __version__
from scopecheck.errors import ScopecheckError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def report_stream() -> TextIO:
    """Standard output for a report or a diff. Reports quote the documents, so when Python was
    told to write ASCII (PYTHONIOENCODING, an old C locale) the stream is switched to UTF-8
    rather than failing halfway through."""
    stream = sys.stdout
    try:
        if codecs.lookup(stream.encoding).name == "ascii":
            stream.reconfigure(encoding="utf-8")
    except (AttributeError, LookupError, TypeError, ValueError, OSError):
        pass  # not a text stream we can change: write to it as it is
    return stream


def option_group(*options):
    """A decorator that adds these click options to a command, in the order given."""
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


def split_values(values: tuple[str, ...]) -> tuple[str, ...]:
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



COMMANDS = ("check", "rules", "serve", "config", "disclaimer", "init", "audit")  # module = command name


def _register(argv: list[str] | tuple[str, ...] = ()) -> None:
    """Each command lives in its own module; importing it attaches it to the group. Only the
    command being run is imported (a pre-commit hook runs `check` on every commit); help, a
    bare `scopecheck` or an unknown word import them all."""
    from importlib import import_module
    words = [a for a in argv if not a.startswith("-")]
    wanted = [words[0]] if words and words[0] in COMMANDS and not {"-h", "--help"} & set(argv) else COMMANDS
    for name in wanted:
        import_module(f"scopecheck.cli.{name}")


def main(argv: list[str] | None = None) -> None:
    _register(sys.argv[1:] if argv is None else argv)
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
