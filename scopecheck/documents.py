"""Discover inputs and turn each into a Document: read, extract, decide its type."""
from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scopecheck.errors import InputError
from scopecheck.model import DEFAULT_DOC_TYPE, DOC_TYPES, Document
from scopecheck.readers import read_bytes, reader_for, supported_suffixes

MAX_FILE_BYTES = 200 * 1024 * 1024
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox",
             ".mypy_cache", ".pytest_cache", ".scopecheck_cache"}


@dataclass(frozen=True)
class TypeRules:
    """How document types are decided when no flag is given."""

    forced: str | None = None  # --type
    globs: tuple[tuple[str, str], ...] = ()  # (glob, type) from configuration
    default: str = DEFAULT_DOC_TYPE


def display_path(path: Path | str, cwd: Path | None = None, real: Path | None = None) -> str:
    """The path relative to the working folder (`cwd`, resolved, when the caller has it), or as
    given when it lies outside; `real` is the path resolved, when the caller knows it."""
    p = Path(path)
    try:
        rel = (real or p.resolve()).relative_to(cwd or Path.cwd().resolve())
        return rel.as_posix()
    except (ValueError, OSError):
        return PurePosixPath(p.as_posix()).as_posix()


def _shown_folder(folder: Path, cwd: Path) -> str:
    """What display_path puts before the name of a file in this folder ("" in the working
    folder, "docs/" below it): the same for every file, so the folder is resolved once."""
    return display_path(folder / "f", cwd, folder.resolve() / "f")[:-1]


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand paths into files to check, in a stable order. Returns (files, errors)."""
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    suffixes = set(supported_suffixes())
    seen: set[str] = set()

    def add(p: str) -> None:
        if p not in seen and not _excluded(p, exclude):
            seen.add(p)
            files.append(p)

    cwd = Path.cwd().resolve()
    shown_folders: dict[str, str] = {}

    def take(path: Path) -> None:
        """A file named or found through a link: checked, or reported when the link is broken."""
        if not path.is_symlink():
            # a file that is not a link is shown as its folder is, resolved once per folder: a
            # pre-commit hook names every file, and resolving each path walks all its parts
            folder = str(path.parent)
            shown_root = shown_folders.get(folder)
            if shown_root is None:
                shown_root = shown_folders[folder] = _shown_folder(path.parent, cwd)
            add(shown_root + path.name)
            return
        shown = display_path(path, cwd)
        if not path.exists():
            errors.append((shown, f"{shown}: broken symbolic link; fix or remove the link"))
        else:
            add(shown)

    for raw in paths:
        if raw == "-" or "://" in raw:
            add(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            visited: set[tuple[int, int]] = set()
            for root, dirs, names in os.walk(path, followlinks=True):
                try:
                    st = os.stat(root)
                except OSError:
                    continue
                key = (st.st_dev, st.st_ino)
                if key in visited:  # a symlink loop: walk each real folder once
                    dirs[:] = []
                    continue
                visited.add(key)
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                shown_root = None  # how the folder is shown, worked out once for all its files
                for name in sorted(names):
                    if os.path.splitext(name)[1].lower() not in suffixes:
                        continue
                    full = os.path.join(root, name)
                    if os.path.islink(full):
                        take(Path(full))  # resolved on its own: a link may lead anywhere
                        continue
                    if shown_root is None:
                        shown_root = _shown_folder(Path(root), cwd)
                    add(shown_root + name)
        elif path.exists() or path.is_symlink():
            take(path)
        else:
            errors.append((raw, f"{raw}: no such file or folder"))
    return files, errors


def _excluded(path: str, exclude: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern)
               for pattern in exclude)


def resolve_type(path: str, front_matter: dict, rules: TypeRules, text: str = "",
                 blocks: tuple | list = ()) -> tuple[str, str]:
    """(type, how it was decided): flag, front matter, config glob, content heuristic, default."""
    if rules.forced:
        return rules.forced, "flag"
    declared = front_matter.get("scopecheck", {}) if isinstance(front_matter, dict) else {}
    if isinstance(declared, dict) and declared.get("type") in DOC_TYPES:
        return declared["type"], "front-matter"
    for pattern, doc_type in rules.globs:
        if fnmatch.fnmatch(path, pattern):
            return doc_type, f"config ({pattern})"
    from scopecheck.doctype import guess_type
    guess = guess_type(text, blocks) if text else None
    if guess is not None:
        return guess.doc_type, guess.reason
    return rules.default, "default"


def read_input(path: str, stdin_data: bytes | None = None, stdin_name: str | None = None) -> tuple[str, bytes]:
    """Return (display path, bytes) for a path or '-'."""
    if path == "-":
        return (stdin_name or "<stdin>"), (stdin_data or b"")
    p = Path(path)
    try:
        info = p.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        # reading a FIFO blocks forever and /dev/zero never ends; their st_size says nothing
        raise InputError(f"{path}: not a regular file (a pipe, socket or device); give a file instead")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {size / 1e6:.0f} MB is larger than the {MAX_FILE_BYTES / 1e6:.0f} MB limit; "
                         "split the file")
    try:
        return path, p.read_bytes()
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied; check the file's permissions") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def build_document(path: str, data: bytes, types: TypeRules, fmt_hint: str | None = None) -> Document:
    extracted = read_bytes(data, path, fmt_hint)
    doc_type, source = resolve_type(path, extracted.front_matter, types, extracted.text, extracted.blocks)
    return Document(
        path=path, doc_type=doc_type, type_source=source, text=extracted.text,
        blocks=tuple(extracted.blocks), source_map=extracted.source_map,
        sha256=hashlib.sha256(data).hexdigest(), format=extracted.format,
        directives=tuple(extracted.directives), warnings=tuple(extracted.warnings), gaps=extracted.gaps,
    )


__all__ = ["TypeRules", "build_document", "discover", "read_input", "reader_for", "resolve_type"]
