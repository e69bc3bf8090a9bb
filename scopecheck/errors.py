"""Errors that end a run with exit code 2 (usage, configuration, rule packs)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a configuration or rule file, printed as file:line:col: key.path: message."""

    file: str
    line: int
    column: int
    key_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.key_path}: {self.message}" if self.key_path else f"{where}: {self.message}"


class ScopecheckError(Exception):
    """A problem the user can fix; the CLI prints it and exits 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = sorted(problems or [])

    def __str__(self) -> str:
        if self.problems:
            return "\n".join(str(p) for p in self.problems)
        return super().__str__()


class RulePackError(ScopecheckError):
    pass


class ConfigError(ScopecheckError):
    pass


class InputError(Exception):
    """A single input could not be read; the run goes on and reports it as an error document."""
