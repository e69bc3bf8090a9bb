"""The file loop of a run: read, look up the result cache, check, store; serially or in a pool.

A process pool costs a few hundred milliseconds to start and to feed, so it is used only when
there is enough work to pay for it (MIN_FILES files or MIN_BYTES bytes). Each worker receives
the compiled rule set once, through the pool initializer; with the fork start method it is
inherited without copying. Results come back in input order, so output never depends on
which worker finished first. If a pool cannot be started, or dies, the remaining files are
checked serially.
"""
from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from scopecheck.api import Options, check_one, error_result
from scopecheck.cache import Cached, ResultCache
from scopecheck.documents import read_input
from scopecheck.errors import InputError
from scopecheck.rules.ruleset import RuleSet

MIN_FILES = 50
MIN_BYTES = 2 * 1024 * 1024
STDIN = "-"


def available_cpus() -> int:
    if hasattr(os, "process_cpu_count"):  # Python 3.13+: honours affinity and limits
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class FileTask:
    """Everything needed to turn one path into a DocumentResult."""

    ruleset: RuleSet
    options: Options
    cache: ResultCache | None = None
    stdin_data: bytes | None = None

    def checked(self, path: str) -> Cached:
        """The result, with its pickle when the result cache made or held one: a run large
        enough to move its results to disk writes those bytes instead of pickling the result
        again. A result from the cache comes unloaded, with its brief (see report.Brief)."""
        try:
            shown, data = read_input(path, self.stdin_data, self.options.stdin_name)
        except InputError as exc:
            return Cached(error_result(path, str(exc)), None)
        # the candidates guards silenced are worked out, stored and read only for --explain
        if self.cache is not None:
            hit = self.cache.get_pickled(shown, data, silenced=self.options.explain)
            if hit is not None:
                return hit
        result = check_one(shown, data, self.ruleset, self.options)
        if self.cache is not None:
            return Cached(result, self.cache.put(shown, data, result, silenced=self.options.explain))
        return Cached(result, None)


def worker_count(files: list[str], jobs: int) -> int:
    """How many processes this run deserves: 1 unless there is enough work for a pool."""
    jobs = min(jobs, len(files))
    if jobs <= 1:
        return 1
    if len(files) >= MIN_FILES:
        return jobs
    total = 0
    for path in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
        if total >= MIN_BYTES:
            return jobs
    return 1


def iter_checked(files: list[str], ruleset: RuleSet, options: Options, stdin_data: bytes | None = None,
                 on_result: Callable[[Cached], None] | None = None) -> Iterator[tuple[str, Cached]]:
    """(path, its result) for each of `files` as results are ready, so the caller need not
    hold them all: pooled files in input order, then standard input and any files a broken
    pool left over. A result may come unloaded, as its pickle and brief (see Cached)."""
    cache = ResultCache.open(ruleset, options) if options.cache else None
    try:
        yield from _checked_in_order(files, FileTask(ruleset, options, cache, stdin_data), on_result)
    finally:
        if cache is not None:
            cache.close()


def _checked_in_order(files: list[str], task: FileTask,
                      on_result: Callable[[Cached], None] | None) -> Iterator[tuple[str, Cached]]:
    pooled = [f for f in files if f != STDIN]  # standard input can only be read here
    workers = worker_count(pooled, task.options.jobs)
    done: set[str] = set()
    if workers > 1:
        for path, checked in zip(pooled, _pooled(task, pooled, workers)):
            done.add(path)
            if on_result:
                on_result(checked)
            yield path, checked
    for path in files:
        if path not in done:  # serial run, standard input, or left over by a broken pool
            done.add(path)
            checked = task.checked(path)
            if on_result:
                on_result(checked)
            yield path, checked


# ---- the pool -------------------------------------------------------------------------------

_WORKER_TASK: FileTask | None = None


def _init_worker(task: FileTask) -> None:
    global _WORKER_TASK
    _WORKER_TASK = task


def _run_in_worker(path: str) -> Cached:
    """A fresh result travels as itself: the pool pickles a chunk's results together, so the
    objects they share (a rule's citations) are sent and loaded once per chunk, not once per
    result. A result from the cache travels as its pickle and brief, which the main process
    need not load at all."""
    assert _WORKER_TASK is not None
    checked = _WORKER_TASK.checked(path)
    return checked if checked.result is None else Cached(checked.result, None)


def _context():
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    # fork shares the compiled rules for free, but is only safe in a single-threaded process
    # (and is unreliable on macOS); elsewhere workers unpickle the rule set once each
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _chunksize(count: int, workers: int) -> int:
    # big enough to amortise inter-process traffic, small enough to balance uneven files
    return max(1, min(32, count // (workers * 8)))


def _pooled(task: FileTask, files: list[str], workers: int) -> Iterator[Cached]:
    """Yield results in input order, unloaded when the cache gave them; stop early (leaving the
    rest to the caller) if the pool cannot start or breaks."""
    try:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        context = _context()
        if context.get_start_method() == "fork":
            task.ruleset.matcher.prepare()  # compiled once here, inherited by every worker
        if task.cache is not None:
            task.cache.prepare_for_workers()
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                       initializer=_init_worker, initargs=(task,))
    except (ImportError, OSError, NotImplementedError, ValueError):
        return  # no working multiprocessing here (some sandboxes, WASI): the caller goes serial
    try:
        yield from executor.map(_run_in_worker, files, chunksize=_chunksize(len(files), workers))
    except (BrokenProcessPool, OSError, pickle.PicklingError):
        return  # a worker died (out of memory, killed) or a result would not travel
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["FileTask", "MIN_BYTES", "MIN_FILES", "available_cpus", "iter_checked", "worker_count"]
