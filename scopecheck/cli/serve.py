"""`scopecheck serve`: the checker as a local web page, for people who never open a terminal."""
from __future__ import annotations

import errno
import socket
import threading
from pathlib import Path

import click

from scopecheck.cli import cli, split_values

DEFAULT_PORT = 8765
PORT_ATTEMPTS = 20
INSTALL_HINT = ("`scopecheck serve` needs the optional web server packages; install them with:\n"
                "    pip install 'scopecheck[serve]'")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help=f"Port to listen on (default {DEFAULT_PORT}, or the next free one; 0 = any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything other than this computer makes the page reachable "
                   "from your network.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a web browser.")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Extra rule pack file or folder (repeatable).")
@click.option("--no-builtin-rules", is_flag=True, help="Use only the packs given with --rules.")
@click.option("--license", "licenses", multiple=True, metavar="TITLE",
              help="A licence you hold, e.g. LMFT: its titles are then not flagged (repeatable).")
def serve(port, host, no_browser, rules_dirs, no_builtin_rules, licenses) -> None:
    """Open the checker as a page in your web browser: paste, upload or fetch your copy."""
    try:
        import uvicorn  # noqa: F401
        import starlette  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(INSTALL_HINT) from exc
    from scopecheck.serve import ServeSettings, create_app
    from scopecheck.serve.checking import Checker

    host = host.strip()
    if host in ("localhost", "::1", "[::1]"):
        host = "127.0.0.1" if host == "localhost" else "::1"
    chosen_port = pick_port(host, port)
    settings = ServeSettings(host=host, port=chosen_port, rules_dirs=tuple(rules_dirs),
                             builtin_rules=not no_builtin_rules, licenses=split_values(licenses))
    if not settings.is_local:
        click.secho(f"warning: listening on {host}: anyone who can reach this computer on port "
                    f"{chosen_port} can use the page and see what is checked. Use the default "
                    "(127.0.0.1) unless you mean to share it.", fg="yellow", err=True)
    Checker(settings).ruleset("us")  # a broken rule pack stops here, with its error, not in the page
    app = create_app(settings)
    url = f"http://{display_host(host)}:{chosen_port}/"
    click.echo(f"scopecheck is running at {url}")
    click.echo("Everything stays on this computer. Press Ctrl+C to stop.")
    if not no_browser:
        threading.Timer(0.8, open_browser, args=(url,)).start()
    run_server(app, host, chosen_port)


def display_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def open_browser(url: str) -> None:
    import webbrowser  # only `serve` needs it; every other command skips the import

    try:
        if not webbrowser.open(url):
            click.echo(f"Open {url} in your web browser.")
    except webbrowser.Error:
        click.echo(f"Open {url} in your web browser.")


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def pick_port(host: str, requested: int | None) -> int:
    """The requested port, or the default or the next free one after it; 0 asks the system."""
    if requested == 0:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, 0))
            return probe.getsockname()[1]
    if requested is not None:
        if not port_is_free(host, requested):
            raise click.ClickException(f"port {requested} is already in use; choose another with "
                                       "--port, or leave it out to use the first free one")
        return requested
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_ATTEMPTS):
        if port_is_free(host, candidate):
            return candidate
    raise click.ClickException(f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORT_ATTEMPTS - 1} are all in "
                               "use; choose one with --port")


def run_server(app, host: str, port: int) -> None:
    import uvicorn
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                    server_header=False, proxy_headers=False)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(f"port {port} was taken just now; try again") from exc
        raise
