"""The compiled-rules cache: a RuleSet pickled under a key of everything it was built from.

The key covers the bytes and paths of every pack file, the working folder (messages show pack
paths relative to it), the profile, select and ignore lists, and the code stamp (version plus
module mtimes). A warm start therefore skips YAML parsing, schema validation (and the import of
jsonschema) and phrase compilation; any edit to any pack changes the key.
This module must stay cheap to import: it runs before we know whether the loader is needed.
Set SCOPECHECK_NO_CACHE=1 to bypass it (and the result cache).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from scopecheck.cache import Store, code_stamp, digest, enabled
from scopecheck.resources import data_dir

MEMO_LIMIT = 20_000  # pattern codes kept across rule sets; the built-in packs have about 1,000


def _snapshot(root: Path) -> list[str]:
    """Every file under a pack root with its sha256.

    Whole folders are hashed, not just the files the loader picks, so the key never depends on
    the loader's selection rules and this module never has to import it.
    """
    if root.is_file():
        return [f"{root.resolve()}|{hashlib.sha256(root.read_bytes()).hexdigest()}"]
    out = [str(root.resolve())]
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out.append(f"{path.relative_to(root).as_posix()}|{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return out


def cache_key(extra: list[Path] | tuple[Path, ...], builtin: bool, *settings: object) -> str | None:
    """The key of a rule set, or None when a pack root is missing or unreadable (the loader
    then reports the problem)."""
    if not enabled():
        return None
    parts: list[object] = [code_stamp(), os.getcwd(), builtin]
    try:
        for root in (data_dir("rules"), *extra):
            if not root.exists():
                return None
            parts.extend(_snapshot(root))
    except OSError:
        return None
    parts.extend(repr(s) for s in settings)
    return digest(*parts)


def load(key: str, store: Store | None = None):
    from scopecheck.rules.ruleset import RuleSet
    value = (store or Store()).load("rules", f"{key}.pickle")
    return value if isinstance(value, RuleSet) else None


def save(key: str, ruleset, store: Store | None = None) -> None:
    from scopecheck.rules.pattern_code import dumps
    store = store or Store()
    if not store.usable():
        return
    memo = _freeze_phrases(ruleset, store)
    if store.save(ruleset, "rules", f"{key}.pickle", dumps=dumps):
        # a new compiled form means packs or code changed: drop forms nobody used for a month
        store.prune(store.path("rules"), keep=(store.path("rules", f"{key}.pickle"), memo))


def _freeze_phrases(ruleset, store: Store) -> Path:
    """Store the rule set's phrase patterns with their engine code. Compiling them takes about a
    second for the built-in packs, so the code is kept in one memo per interpreter, keyed by
    pattern: a rule set built again (in another folder, with another profile, after an edit to
    one pack) compiles only the patterns it has not seen. Returns the memo's path."""
    from scopecheck.rules.pattern_code import interpreter_tag
    name = f"patterns-{interpreter_tag()}.pickle"
    memo = store.load("rules", name)
    if not isinstance(memo, dict) or len(memo) > MEMO_LIMIT:
        memo = {}
    if ruleset.matcher.freeze(memo):
        store.save(memo, "rules", name)
    return store.path("rules", name)


__all__ = ["cache_key", "load", "save"]
