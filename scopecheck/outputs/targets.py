"""Extra outputs from one run: `--output-format FORMAT:FILE`, repeatable."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scopecheck.errors import ScopecheckError
from scopecheck.outputs import FORMATTERS, report_data, write_report


@dataclass(frozen=True)
class OutputTarget:
    format: str
    path: Path


def parse_target(spec: str) -> OutputTarget:
    """"sarif:results.sarif" -> OutputTarget("sarif", Path("results.sarif")). Only the first colon
    separates, so Windows drive letters and colons in file names survive."""
    name, sep, file = spec.partition(":")
    choices = ", ".join(FORMATTERS)
    if not sep or not file:
        raise ValueError(f"'{spec}' should be FORMAT:FILE, for example sarif:results.sarif "
                         f"(formats: {choices})")
    if name not in FORMATTERS:
        raise ValueError(f"'{name}' in '{spec}' is not an output format; choose one of {choices}")
    return OutputTarget(name, Path(file))


def write_targets(report, targets: list[OutputTarget], verbose: bool = False) -> list[OutputTarget]:
    """Write every target from the same report; returns what was written."""
    written = []
    for target in targets:
        try:
            with open(target.path, "w", encoding="utf-8", newline="") as handle:
                write_report(target.format, report_data(report, target.format), handle,
                             colour=False, verbose=verbose)
        except OSError as exc:
            raise ScopecheckError(f"cannot write the {target.format} report to {target.path}: "
                                  f"{exc.strerror or exc}; check that the folder exists and is writable") from None
        written.append(target)
    return written
