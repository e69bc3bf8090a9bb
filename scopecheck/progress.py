"""A one-line progress bar on standard error, for long runs on a terminal; silent otherwise.

Any long loop can use it (checking folders, crawling a site, batch audits):

    with Progress(total=len(items), label="Checking") as bar:
        for item in items:
            work(item)
            bar.advance()

`total` may be None when the amount of work is unknown (a crawl): the bar then shows a count
and a rate. Nothing is drawn when standard error is not a terminal (CI logs, pipes, files),
when TERM is "dumb", when SCOPECHECK_PROGRESS=0, or before `delay` seconds have passed (so
quick runs never flicker). The line is erased when the bar closes, leaving the terminal clean
for the report.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO

ENV_VAR = "SCOPECHECK_PROGRESS"


def wanted(stream: TextIO) -> bool:
    """Whether a progress bar may be drawn on `stream`."""
    if os.environ.get(ENV_VAR, "") == "0" or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total: int | None, label: str = "", *, stream: TextIO | None = None,
                 enabled: bool = True, delay: float = 0.5, interval: float = 0.1) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self._stream = stream if stream is not None else sys.stderr
        self._on = enabled and wanted(self._stream)
        self._start = time.monotonic()
        self._delay = delay
        self._interval = interval
        self._last_draw = 0.0
        self._drawn = False

    @property
    def visible(self) -> bool:
        return self._drawn

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self._on:
            return
        now = time.monotonic()
        if now - self._start < self._delay or now - self._last_draw < self._interval:
            return
        self._last_draw = now
        self._draw(now)

    def line(self, width: int, now: float | None = None) -> str:
        """The text of the bar for a terminal `width` columns wide."""
        elapsed = max((now if now is not None else time.monotonic()) - self._start, 1e-9)
        rate = self.done / elapsed
        label = f"{self.label} " if self.label else ""
        if not self.total:
            return f"{label}{self.done} done, {rate:.1f}/s"[:width - 1]
        fraction = min(self.done / self.total, 1.0)
        remaining = (self.total - self.done) / rate if rate > 0 else 0.0
        tail = f" {self.done}/{self.total} {fraction:4.0%} {rate:.1f}/s ETA {_clock(remaining)}"
        room = width - 1 - len(label) - len(tail) - 2
        if room < 10:
            return (label + tail.strip())[:width - 1]
        filled = int(room * fraction)
        return f"{label}[{'#' * filled}{'.' * (room - filled)}]{tail}"

    def _draw(self, now: float) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        try:
            self._stream.write("\r" + self.line(width, now))
            self._stream.flush()
            self._drawn = True
        except (OSError, ValueError):
            self._on = False  # the terminal went away: stop drawing, keep working

    def close(self) -> None:
        if self._drawn:
            width = shutil.get_terminal_size((80, 24)).columns
            try:
                self._stream.write("\r" + " " * (width - 1) + "\r")
                self._stream.flush()
            except (OSError, ValueError):
                pass
            self._drawn = False
        self._on = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["ENV_VAR", "Progress", "wanted"]
