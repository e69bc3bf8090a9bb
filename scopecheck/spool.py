"""The results of a run, held in memory while small and moved to a temporary file when large.

A certification body may check tens of thousands of pages in one run. Holding every finding
until the report is written would make memory grow with the corpus; once the results hold more
than SPILL_AFTER findings, every result is pickled to an anonymous temporary file instead and
read back one document at a time whenever the results are walked. Memory then depends on the
largest document, not on the number of documents. The file is deleted when the run ends.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, NamedTuple, overload

from scopecheck.model import DocumentResult

SPILL_AFTER = 10_000  # findings and silenced candidates held in memory before spilling
SPILL_VAR = "SCOPECHECK_SPILL_AFTER"  # overrides SPILL_AFTER (0: spill from the first result)


def spill_limit() -> int:
    value = os.environ.get(SPILL_VAR, "")
    return int(value) if value.isdigit() else SPILL_AFTER


class _Unloaded(NamedTuple):
    """A result held as its pickle (from the result cache), loaded when first walked."""
    path: str
    pickled: bytes
    summary: object


class ResultSpool(Sequence[DocumentResult]):
    """Document results in path order, in memory or on disk. Walk it as often as needed;
    each walk reads the spilled results back one at a time."""

    def __init__(self, results: Iterable[DocumentResult] = (), spill_after: int | None = None,
                 summarize: Callable[[DocumentResult], object] | None = None) -> None:
        self._limit = spill_limit() if spill_after is None else spill_after
        self._summarize = summarize
        self._memory: list[DocumentResult | _Unloaded] = []
        self._held = 0
        self._file: IO[bytes] | None = None
        # path, offset and size of each spilled result, then the size of its summary (after it)
        self._index: list[tuple[str, int, int, int]] = []
        if self._limit == 0:  # on disk from the start
            self._file = tempfile.TemporaryFile(prefix="scopecheck-results-")
        for result in results:
            self.append(result)

    @property
    def spilled(self) -> bool:
        return self._file is not None

    def append(self, result: DocumentResult, pickled: bytes | None = None) -> None:
        """Add a result; `pickled`, if given, is its pickle (from the result cache), written
        as it is once the results are on disk."""
        if self._hold(len(result.findings) + len(result.silenced)):
            self._memory.append(result)
        else:
            self._write(result, pickled)

    def append_pickled(self, path: str, pickled: bytes, summary: object, held: int) -> None:
        """Add a result that is on hand as its pickle, with its document summary and the number
        of findings and silenced candidates it holds. It is loaded only if the results stay in
        memory, when it is first walked; on disk, the bytes are written as they are."""
        if self._hold(held):
            self._memory.append(_Unloaded(path, pickled, summary))
        else:
            self._put(path, pickled, summary)

    def _hold(self, held: int) -> bool:
        """Whether a result that holds this many findings and candidates stays in memory; when
        it would be one too many, every result held so far moves to disk."""
        if self._file is not None:
            return False
        self._held += held
        if self._held <= self._limit and self._limit != 0:
            return True
        self._file = tempfile.TemporaryFile(prefix="scopecheck-results-")
        for item in self._memory:
            if type(item) is _Unloaded:
                self._put(item.path, item.pickled, item.summary)
            else:
                self._write(item)
        self._memory = []
        return False

    def extend(self, results: Iterable[DocumentResult]) -> None:
        for result in results:
            self.append(result)

    def sort_by_path(self) -> None:
        self._memory.sort(key=lambda r: r.path)  # a result and an _Unloaded both have a path
        self._index.sort(key=lambda entry: entry[0])

    def _write(self, result: DocumentResult, pickled: bytes | None = None) -> None:
        data = pickled if pickled is not None else pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self._put(result.path, data, self._summarize(result) if self._summarize is not None else None)

    def _put(self, path: str, data: bytes, summary: object) -> None:
        assert self._file is not None
        summary_data = pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL) if summary is not None else b""
        offset = self._file.seek(0, 2)
        self._file.write(data + summary_data)
        self._index.append((path, offset, len(data), len(summary_data)))

    def _read(self, entry: tuple[str, int, int, int]) -> DocumentResult:
        assert self._file is not None
        _, offset, size, _ = entry
        self._file.seek(offset)
        return pickle.loads(self._file.read(size))

    def summaries(self, summarize: Callable[[DocumentResult], object]) -> Iterator[object]:
        """`summarize` of each result, in order. When the spool was made with the same function,
        a spilled result's summary is read back on its own, without the result: walking the
        documents of a large run then costs a small fraction of walking their findings."""
        if self._file is None:
            for i, item in enumerate(list(self._memory)):
                if type(item) is _Unloaded and summarize is self._summarize:
                    yield item.summary
                else:
                    yield summarize(self._held_result(i))
            return
        if summarize is not self._summarize:
            yield from map(summarize, self)
            return
        for _, offset, size, summary_size in list(self._index):
            self._file.seek(offset + size)
            yield pickle.loads(self._file.read(summary_size))

    def __len__(self) -> int:
        return len(self._index) if self._file is not None else len(self._memory)

    def _held_result(self, i: int) -> DocumentResult:
        item = self._memory[i]
        if type(item) is _Unloaded:
            item = self._memory[i] = pickle.loads(item.pickled)  # loaded once, when first walked
        return item

    def __iter__(self) -> Iterator[DocumentResult]:
        if self._file is None:
            for i in range(len(self._memory)):
                yield self._held_result(i)
            return
        for entry in list(self._index):
            yield self._read(entry)

    @overload
    def __getitem__(self, i: int) -> DocumentResult: ...

    @overload
    def __getitem__(self, i: slice) -> list[DocumentResult]: ...

    def __getitem__(self, i):
        if self._file is None:
            if isinstance(i, slice):
                return [self._held_result(k) for k in range(len(self._memory))[i]]
            return self._held_result(range(len(self._memory))[i])
        if isinstance(i, slice):
            return [self._read(entry) for entry in self._index[i]]
        return self._read(self._index[i])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (ResultSpool, list, tuple)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


class LazyList(list):
    """A list whose items are produced on each walk, for writers that stream.

    Our streaming writers and the HTML and Markdown views (which templates, custom ones too,
    read) may receive one: walking it, its length, indexing, reversing and `in` work, but code
    that reads a list's storage directly (list.__eq__) would see it empty, so Report.to_dict
    hands these out only when asked to stream a spilled report."""

    def __init__(self, length: int, items: Callable[[], Iterator]) -> None:
        super().__init__()
        self._length = length
        self._items = items

    def __iter__(self) -> Iterator:
        return iter(self._items())

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __getitem__(self, i):
        return list(self._items())[i]

    # the rest of what a template may ask of a list (Jinja2's `last` and `reverse` reverse it)
    def __reversed__(self) -> Iterator:
        return reversed(list(self._items()))

    def __contains__(self, item: object) -> bool:
        return any(x == item for x in self._items())


__all__ = ["LazyList", "ResultSpool", "SPILL_AFTER"]
