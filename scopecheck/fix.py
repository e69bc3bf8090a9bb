"""Apply safe rewrites (findings that carry a `fix`) to Markdown, text and HTML sources.

Fix offsets point into the extracted text. A span is rewritten only when it maps back to the
source character for character, so markup, entities and everything around the span stay as
they were. Writes are atomic (a temporary file in the same folder, then os.replace), keep the
encoding, byte-order mark, line endings and permissions, and are refused when the file changed
since it was checked. Word and PDF files are never modified.
"""
from __future__ import annotations

import codecs
import difflib
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scopecheck.model import DocumentResult, Fix
from scopecheck.readers import read_bytes

FIXABLE_FORMATS = frozenset({"text", "markdown", "html"})
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


class FixError(Exception):
    """A planned fix could not be written; the file is left as it was."""


@dataclass(frozen=True)
class FileFix:
    path: str
    original: bytes
    updated: bytes
    old_text: str
    new_text: str
    applied: int


@dataclass(frozen=True)
class FixPlan:
    files: tuple[FileFix, ...]
    notes: tuple[str, ...]  # what was skipped, and why

    @property
    def applied(self) -> int:
        return sum(f.applied for f in self.files)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_encoding(data: bytes) -> tuple[bytes, str] | None:
    """(byte-order mark, codec) that re-encodes the file byte for byte, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return b"", "utf-8"


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    """Where each source line starts; CRLF, CR and LF all end a line, as the readers count them."""
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def source_span(extracted, source: str, start: int, end: int, starts: list[int]) -> tuple[int, int] | None:
    """The source offsets of extracted text[start:end], or None unless they match verbatim."""
    if end <= start:
        return None
    loc = extracted.source_map.locate(start, end)
    if loc.unit != "line" or loc.line > len(starts) or loc.end_line > len(starts):
        return None
    s = starts[loc.line - 1] + loc.column - 1
    e = starts[loc.end_line - 1] + loc.end_column - 1
    if source[s:e] != extracted.text[start:end]:
        return None
    return s, e


def rewrite(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, replacement) edits; overlapping ones are dropped."""
    out: list[str] = []
    last = 0
    for start, end, replacement in sorted(edits):
        if start < last:
            continue
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return "".join(out)


def plan_document(result: DocumentResult, data: bytes) -> tuple[FileFix | None, list[str]]:
    fixes: list[Fix] = [f.fix for f in result.findings if f.fix is not None and f.suppressed is None]
    if not fixes:
        return None, []
    path = result.path
    if result.format not in FIXABLE_FORMATS:
        return None, [f"{path}: not modified; {len(fixes)} fixable finding(s), but Word and PDF files are "
                      "never changed by scopecheck; edit the document yourself"]
    if result.sha256 and sha256(data) != result.sha256:
        return None, [f"{path}: not modified; it changed while it was being checked; run the check again"]
    encoding = detect_encoding(data)
    if encoding is None:
        return None, [f"{path}: not modified; it is not valid UTF-8, so rewriting it could change other "
                      "characters; re-save it as UTF-8 and run --fix again"]
    bom, codec = encoding
    extracted = read_bytes(data, path)
    source = data[len(bom):].decode(codec)
    starts = _line_starts(source)
    edits: list[tuple[int, int, str]] = []
    notes: list[str] = []
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        span = source_span(extracted, source, fix.start, fix.end, starts)
        if span is None:
            loc = extracted.source_map.locate(fix.start, fix.end)
            notes.append(f"{path}:{loc.line}:{loc.column}: skipped the fix \"{extracted.text[fix.start:fix.end]}\" "
                         f"-> \"{fix.replacement}\"; the words are split by markup in the source; edit them by hand")
            continue
        if source[span[0]:span[1]] != fix.replacement:
            edits.append((span[0], span[1], fix.replacement))
    if not edits:
        return None, notes
    new_text = rewrite(source, edits)
    if new_text == source:
        return None, notes
    updated = bom + new_text.encode(codec)
    return FileFix(path, data, updated, source, new_text, len(edits)), notes


def plan(results: list[DocumentResult], read=lambda p: Path(p).read_bytes()) -> FixPlan:
    files: list[FileFix] = []
    notes: list[str] = []
    for result in results:
        if result.status == "error" or not any(f.fix for f in result.findings):
            continue
        if result.path.startswith("<") or "://" in result.path:
            notes.append(f"{result.path}: not modified; only files on disk can be fixed")
            continue
        try:
            data = read(result.path)
        except OSError as exc:
            notes.append(f"{result.path}: not modified; cannot read it again ({exc.strerror or exc})")
            continue
        file_fix, file_notes = plan_document(result, data)
        notes.extend(file_notes)
        if file_fix:
            files.append(file_fix)
    return FixPlan(tuple(files), tuple(notes))


def unified_diff(file_fix: FileFix) -> str:
    lines = difflib.unified_diff(file_fix.old_text.splitlines(keepends=True),
                                 file_fix.new_text.splitlines(keepends=True),
                                 fromfile=f"a/{file_fix.path}", tofile=f"b/{file_fix.path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write(file_fix: FileFix) -> None:
    """Replace the file atomically; raise FixError (file untouched) when that is not safe."""
    shown = file_fix.path
    target = Path(file_fix.path).resolve()  # through symbolic links: rewrite the real file
    try:
        info = target.stat()
    except OSError as exc:
        raise FixError(f"{shown}: not modified; cannot read it ({exc.strerror or exc})") from None
    if not os.access(target, os.W_OK) or not info.st_mode & stat.S_IWUSR:
        raise FixError(f"{shown}: not modified; the file is read-only; make it writable "
                       f"(chmod u+w {shown}) or leave it as it is")
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".scopecheck-tmp")
    except OSError as exc:
        raise FixError(f"{shown}: not modified; cannot create a temporary file in its folder "
                       f"({exc.strerror or exc}); check the folder's permissions") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(file_fix.updated)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        try:
            os.chown(temp, info.st_uid, info.st_gid)
        except (OSError, AttributeError):
            pass  # only the owner or root can keep another owner; the mode is what matters
        if sha256(target.read_bytes()) != sha256(file_fix.original):
            raise FixError(f"{shown}: not modified; it changed since it was checked; run --fix again")
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def write_all(fix_plan: FixPlan) -> tuple[list[FileFix], list[str]]:
    """Write every planned file; returns (written, errors)."""
    written, errors = [], []
    for file_fix in fix_plan.files:
        try:
            write(file_fix)
        except FixError as exc:
            errors.append(str(exc))
        except OSError as exc:
            errors.append(f"{file_fix.path}: not modified; writing failed ({exc.strerror or exc})")
        else:
            written.append(file_fix)
    return written, errors


__all__ = ["FileFix", "FixError", "FixPlan", "plan", "rewrite", "unified_diff", "write", "write_all"]
