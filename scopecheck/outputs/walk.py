"""A report record's documents, each with its findings, in one walk of each list.

Both lists come in path order (a report is sorted by path, and each document's findings follow
it), so pairing them needs neither list held whole: a spilled report's lists are read back from
disk as they are walked."""
from __future__ import annotations

from collections.abc import Iterator


def documents_with_findings(data: dict) -> Iterator[tuple[dict, list[dict], int]]:
    """Each document with its path's findings and the number (from 1, in the record's order) of
    the first of them. Documents that share a path (a file named twice) each get all of that
    path's findings; a finding whose path no document has is passed over, and counted."""
    findings = iter(data["findings"])
    pending = next(findings, None)
    walked = 0
    documents = iter(data["documents"])
    d = next(documents, None)
    while d is not None:
        path = d["path"]
        same = [d]
        d = next(documents, None)
        while d is not None and d["path"] == path:
            same.append(d)
            d = next(documents, None)
        mine: list[dict] = []
        first = walked + 1
        while pending is not None and pending["path"] <= path:
            walked += 1
            if pending["path"] == path:
                if not mine:
                    first = walked
                mine.append(pending)
            pending = next(findings, None)
        for doc in same:
            yield doc, mine, first
