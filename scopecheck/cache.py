"""An on-disk cache of pickled values, shared by the compiled-rules cache, the parsed-configuration
cache and the result cache.

The cache is an optimisation only: any failure to read or write it (missing folder, full disk,
read-only home, corrupt or foreign entry) is silent, and the caller computes the value instead.

Layout under the cache folder:
    rules/<key>.pickle            a compiled RuleSet
    config/<key>.pickle           the data and line positions of a configuration file that passed
                                  validation (see config.load_config)
    results/<context>/entries.sqlite3   DocumentResults, one row each; <context> is the hash of
                                  everything that is the same for the whole run (version, code,
                                  rules, options)

Entries are pickles, so the folder must be private: it is created with mode 0700 and, on POSIX,
ignored when another user owns it.
"""
from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, NamedTuple

if TYPE_CHECKING:
    import sqlite3

ENV_VAR = "SCOPECHECK_CACHE_DIR"
DISABLE_VAR = "SCOPECHECK_NO_CACHE"  # set to 1 to bypass every cache (rules, configuration, results)
STALE_CONTEXT_DAYS = 30  # result folders of other rule/option/version contexts unused this long are removed


def default_dir() -> Path:
    """SCOPECHECK_CACHE_DIR, else the platform's user cache folder."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "scopecheck" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "scopecheck"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "scopecheck"


def enabled() -> bool:
    return os.environ.get(DISABLE_VAR, "") in ("", "0")


def digest(*parts: object) -> str:
    """A stable hash of strings, bytes and reprs of simple values."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The version plus the size and mtime of every module of the package.

    The version alone would miss edits to an installed-from-source checkout; a stale cached
    result after a code change is worse than an occasional recomputation.
    """
    from scopecheck import __version__
    package = Path(__file__).resolve().parent
    parts: list[object] = [__version__]
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)


def _private(directory: Path) -> bool:
    """Create the folder if needed; refuse one that another user could have filled."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if hasattr(os, "getuid"):
            return directory.stat().st_uid == os.getuid()
        return True
    except OSError:
        return False


def _load_pickle(fh: BinaryIO) -> Any:
    """pickle.load with the garbage collector paused: a compiled rule set is some
    46,000 containers, which set off collection after collection while loading, and none of
    them can be garbage yet (this cuts its load from about 40 ms to 22)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if was_enabled:
            gc.enable()


class Store:
    """Pickled values under one folder, written atomically (temp file, then rename)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_dir()
        self._usable: bool | None = None

    def usable(self) -> bool:
        if self._usable is None:
            self._usable = _private(self.root)
        return self._usable

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def load(self, *parts: str) -> Any | None:
        if not self.usable():
            return None
        try:
            with open(os.path.join(self.root, *parts), "rb") as fh:  # a str path: no pathlib per entry
                return _load_pickle(fh)
        except Exception:  # noqa: BLE001 - missing, truncated, or from an incompatible version
            return None

    def save(self, value: Any, *parts: str, dumps: Callable[[Any], bytes] | None = None) -> bool:
        if not self.usable():
            return False
        target = self.path(*parts)
        try:
            data = dumps(value) if dumps else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:
                _unlink(tmp)
                raise
            return True
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
            return False

    def prune(self, folder: Path, keep: tuple[Path, ...] = (), days: float = STALE_CONTEXT_DAYS) -> None:
        """Remove entries of `folder` (files or folders) not modified for `days` days, except `keep`."""
        cutoff = time.time() - days * 86400
        try:
            for entry in folder.iterdir():
                if entry in keep or entry.stat().st_mtime >= cutoff:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    _unlink(str(entry))
        except OSError:
            pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# Options fields that change how a run is reported, never what a document's result is
RESULT_NEUTRAL_OPTIONS = ("fail_on", "exclude", "explain", "verbose", "jobs", "cache", "progress")


def options_key(options: Any) -> str:
    """The options that can change a document's result, as a stable string.

    Every other field counts, so an option added later is part of the key by default.
    """
    from dataclasses import fields, replace
    neutral = {f.name: f.default for f in fields(options) if f.name in RESULT_NEUTRAL_OPTIONS}
    return repr(replace(options, **neutral))


def _result_entry(result: Any, silenced: bool) -> tuple[bytes, bytes]:
    """(the pickle of the result without its silenced candidates, the whole entry): a header
    (the path, the lengths of the next two parts and their checksum), that result's brief
    pickled, its pickle, then the silenced candidates (None when they were not worked out)."""
    from scopecheck.model import replaced
    from scopecheck.report import brief_of
    alone = replaced(result, silenced=()) if result.silenced else result  # without --explain: none to drop
    pickled = pickle.dumps(alone, protocol=pickle.HIGHEST_PROTOCOL)
    brief = pickle.dumps(brief_of(alone), protocol=pickle.HIGHEST_PROTOCOL)
    header = pickle.dumps((alone.path, len(brief), len(pickled), zlib.crc32(pickled, zlib.crc32(brief))),
                          protocol=pickle.HIGHEST_PROTOCOL)
    rest = pickle.dumps(result.silenced if silenced else None, protocol=pickle.HIGHEST_PROTOCOL)
    return pickled, header + brief + pickled + rest


class Cached(NamedTuple):
    """A result: loaded (`result`), or as its pickle and its brief's pickle (see
    report.Brief), which are all a run needs once its results are on disk."""
    result: Any | None
    pickled: bytes | None
    brief_pickle: bytes | None = None

    def load(self) -> Any:
        return self.result if self.result is not None else pickle.loads(self.pickled)

    def brief(self) -> Any:
        return pickle.loads(self.brief_pickle)


class ResultCache:
    """DocumentResults keyed by path and content, in one SQLite file per run context.

    The context is the code stamp, the rule set's fingerprint and the result-relevant options:
    change any of them and every lookup misses. Error results are never stored: they may be
    transient (a file being written) and are cheap to recompute.

    An entry holds the result without the candidates its guards silenced, then those
    candidates, or None when the run that stored it did not work them out. Only `--explain`
    shows them, and a page has about twice as many of them as findings, so a run without it
    neither makes nor reads them; an `--explain` run takes an entry without them for a miss.
    Before them come a header and the result's brief (see report.Brief), so that a hit can be
    handed on unloaded; the header's checksum covers the brief and the result.

    The entries of a context share one SQLite file rather than a file each: creating a file
    costs far more than a row (with a file each, a first cached run of 2,000 small pages took
    about twice as long as a run without the cache). Each row is its own transaction, so a run stopped halfway keeps
    what it stored; the write-ahead log lets workers and concurrent runs read while one
    writes, and makes them take turns to write. Each process opens its own connection when it
    first needs one (a connection must not cross a fork).
    """

    FILE = "entries.sqlite3"
    BUSY_SECONDS = 5.0  # how long a write waits for another process's write before giving up

    def __init__(self, store: Store, context: str) -> None:
        self.store = store
        self.context = context
        self._touched = False
        self._connection: "sqlite3.Connection | None" = None
        self._owner = 0  # the process the connection belongs to
        self._failed = False
        self._set_up = False  # whether the database is known to be made, with its table
        self._renewed = False  # whether this process has already replaced a damaged database

    @classmethod
    def open(cls, ruleset: Any, options: Any, store: Store | None = None) -> "ResultCache | None":
        fingerprint = getattr(ruleset, "fingerprint", "")
        if not fingerprint or not enabled():
            return None
        store = store or Store()
        if not store.usable():
            return None
        return cls(store, digest(code_stamp(), fingerprint, options_key(options), cls.FILE)[:32])

    @property
    def database(self) -> Path:
        return self.store.path("results", self.context, self.FILE)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_connection": None, "_owner": 0}

    def _db(self) -> "sqlite3.Connection | None":
        if self._owner == os.getpid():
            return self._connection
        if self._failed:
            return None
        # a connection inherited through fork is left alone: closing it could touch the
        # parent's locks
        self._connection, self._owner = None, os.getpid()
        try:
            import sqlite3  # here, not at start-up: a run without the cache never needs it
        except ImportError:  # a Python built without SQLite: no result cache
            self._failed = True
            return None
        try:
            self._connection = _connect(self.database, set_up=not self._set_up)
        except (sqlite3.Error, OSError) as exc:  # locked past the retries, unwritable folder, damaged
            if self._renewed_after(exc):
                return self._db()
            self._failed = True
            return None
        self._set_up = True
        return self._connection

    def _renewed_after(self, exc: Exception) -> bool:
        """Whether the database was removed, to be made anew, after this failure: it was when
        SQLite found it damaged (or not a database at all), so that this process and later runs
        make a new one instead of missing on every page from now on, once per process. Other
        failures (locked, full disk) leave it as it is."""
        import sqlite3
        if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
            return False
        self.close()
        _unlink_database(self.database)
        if self._renewed:
            self._failed = True
            return False
        self._renewed, self._set_up = True, False
        return True

    def prepare_for_workers(self) -> None:
        """Make the database and its table now, in the process that starts the workers, so
        that they only connect: two processes switching a new database to the write-ahead log
        at once may find it locked, with no waiting that helps."""
        self._db()
        self.close()

    def close(self) -> None:
        """Close this process's connection (a later lookup opens another)."""
        if self._connection is not None and self._owner == os.getpid():
            self._connection.close()
        self._connection, self._owner = None, 0

    def _key(self, path: str, data: bytes) -> str:
        return digest(path, hashlib.sha256(data).hexdigest())

    def get(self, path: str, data: bytes, silenced: bool = True) -> Any | None:
        """The stored result, with its silenced candidates (None if the entry has none stored)
        or, when `silenced` is false, with none."""
        found = self.get_pickled(path, data, silenced)
        return found.load() if found is not None else None

    def get_pickled(self, path: str, data: bytes, silenced: bool = True) -> Cached | None:
        """As `get`, left unloaded with its pickle and brief, unless silenced candidates were
        added to the stored result (then loaded, with no pickle)."""
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute("SELECT entry FROM entries WHERE key = ?", (self._key(path, data),)).fetchone()
            found = _read_entry(row[0], path, silenced) if row is not None else None
        except Exception as exc:  # noqa: BLE001 - unreadable database, truncated or foreign entry: a miss
            self._renewed_after(exc)
            return None
        if found is not None:
            self._mark_used()
        return found

    def put(self, path: str, data: bytes, result: Any, silenced: bool = True) -> bytes | None:
        """Store a result; `silenced` says whether its silenced candidates were worked out.
        Returns the result's pickle when the entry holds the result itself (it has no silenced
        candidates to leave out), so that the run need not pickle it again; else None."""
        if result.status == "error":
            return None
        db = self._db()
        if db is None:
            return None
        try:
            pickled, entry = _result_entry(result, silenced)
        except Exception:  # noqa: BLE001 - a result that will not pickle is only not cached
            return None
        try:
            db.execute("INSERT OR REPLACE INTO entries (key, entry) VALUES (?, ?)", (self._key(path, data), entry))
        except Exception as exc:  # noqa: BLE001 - busy past the timeout, full disk, read-only folder: only slower
            self._renewed_after(exc)
            return None
        self._mark_used()
        return pickled if not result.silenced else None

    def _mark_used(self) -> None:
        # once per run: refresh this context's mtime and drop contexts unused for a month
        if self._touched:
            return
        self._touched = True
        folder = self.store.path("results", self.context)
        try:
            os.utime(folder)
        except OSError:
            return
        self.store.prune(folder.parent, keep=(folder,))


_SET_UP_ATTEMPTS = 5


def _connect(database: Path, set_up: bool) -> "sqlite3.Connection":
    """A connection in autocommit mode (each statement is its own transaction). With `set_up`,
    the database is made if missing, switched to the write-ahead log and given its table.

    The write-ahead log lets readers go on while one process writes, and a commit is then not
    a sync to disk: a cache may lose its last entries in a power cut, never its consistency.
    Where it cannot be kept (some network folders) SQLite stays with its rollback journal,
    which works too. Setting up takes a lock that another process setting up the same
    database may hold without SQLite waiting for it, so a locked set-up is tried again."""
    import sqlite3
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    failures = 0
    while True:
        connection = sqlite3.connect(database, timeout=ResultCache.BUSY_SECONDS, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous = NORMAL")
            if set_up:
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry BLOB NOT NULL)")
            return connection
        except sqlite3.OperationalError as exc:
            connection.close()
            failures += 1
            if "locked" not in str(exc) or failures == _SET_UP_ATTEMPTS:
                raise
            time.sleep(0.05 * failures)
        except BaseException:
            connection.close()
            raise


def _unlink_database(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        _unlink(f"{database}{suffix}")


def _read_entry(raw: bytes, path: str, silenced: bool) -> Cached | None:
    """An entry made by _result_entry, for this path: None when it belongs to another path, is
    damaged, or lacks silenced candidates that are asked for."""
    from scopecheck.model import DocumentResult, replaced
    entry = io.BytesIO(raw)
    stored_path, brief_size, size, checksum = pickle.load(entry)
    at = entry.tell()
    brief, pickled = raw[at:at + brief_size], raw[at + brief_size:at + brief_size + size]
    if (stored_path != path or len(pickled) != size
            or zlib.crc32(pickled, zlib.crc32(brief)) != checksum):
        return None  # another file's, damaged or foreign: a miss
    if silenced:  # a run without --explain does not read them
        entry.seek(at + brief_size + size)
        stored = pickle.load(entry)
        if stored is None:
            return None  # the run that stored it did not work them out
        if stored:
            result = pickle.loads(pickled)
            if not isinstance(result, DocumentResult):
                return None
            return Cached(replaced(result, silenced=stored), None)
    return Cached(None, pickled, brief)


__all__ = ["Cached", "DISABLE_VAR", "ENV_VAR", "ResultCache", "Store", "code_stamp", "default_dir", "digest", "enabled",
           "options_key"]
