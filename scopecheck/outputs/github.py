"""GitHub Actions workflow commands: one annotation line per finding.

Syntax: ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::MESSAGE
Values are percent-encoded: % CR LF everywhere, and also : and , inside properties."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{level} {props}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def finding_line(f: dict) -> str:
    props: dict[str, object] = {"file": f["path"]}
    if f.get("unit", "line") == "line":
        props |= {"line": f["line"], "col": f["column"], "endLine": f["end_line"], "endColumn": f["end_column"]}
    props["title"] = f"scopecheck {f['rule_id']} ({f['category']})"
    message = f"{f['message']}\nTry: {f['suggestion']}"
    if f.get("unit", "line") != "line":
        message = f"{f['location']}: {message}"
    return command(COMMANDS[f["severity"]], message, **props)


def lines(data: dict) -> Iterator[str]:
    for f in data["findings"]:
        if f.get("suppressed") is None:
            yield finding_line(f)
    for d in data["documents"]:
        if d["status"] == "error":
            yield command("error", d.get("error") or "could not be read", file=d["path"],
                          title="scopecheck could not read this file")
    for e in data.get("errors", []):
        yield command("error", e, title="scopecheck")


def render(data: dict, **_: object) -> str:
    return "".join(line + "\n" for line in lines(data))


def write(data: dict, stream: TextIO, **_: object) -> None:
    for line in lines(data):
        stream.write(line + "\n")
