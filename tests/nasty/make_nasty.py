"""Build a folder of hostile input files, for the robustness tests and by hand.

    python tests/nasty/make_nasty.py /tmp/nasty      # then: scopecheck check /tmp/nasty

Nothing here is committed as a binary blob: every file is generated at test time.
NASTY maps each file name to what scopecheck must do with it: "error" (a per-document error
naming the file), "warn" (checked, with a decoding warning) or "ok" (checked normally).
"""
from __future__ import annotations

import codecs
import io
import os
import sys
import zipfile
from pathlib import Path

CLAIM = "I treat anxiety and heal your trauma."
CLEAN = "I coach people toward goals they choose."

NASTY: dict[str, str] = {
    "binary.txt": "error",
    "png-named.md": "error",
    "latin1.txt": "warn",
    "mixed-encoding.md": "warn",
    "utf8-bom.md": "ok",
    "utf16-le.txt": "ok",
    "utf16-be.md": "ok",
    "utf32-le.txt": "ok",
    "bad-utf16.txt": "error",
    "empty.txt": "ok",
    "blank.md": "ok",
    "pipe.txt": "error",
    "broken-link.md": "error",
    "corrupt.docx": "error",
    "zip-bomb.docx": "error",
    "corrupt.pdf": "error",
    "unclosed.html": "ok",
    "deep.html": "ok",
    "hostile.md": "ok",
    "claim.txt": "ok",
    "clean.md": "ok",
}


def _zip_bomb() -> bytes:
    """A .docx whose document.xml unpacks to a thousand times its packed size."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        body = b"<w:t>" + b"a" * (12 * 1024 * 1024) + b"</w:t>"
        zf.writestr("word/document.xml", body)
    return buf.getvalue()


def build(dest: Path, bomb: bool = True) -> dict[str, str]:
    """Write the nasty files into dest (created if needed); return NASTY."""
    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "binary.txt": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
        "png-named.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
        "latin1.txt": ("Caf\u00e9 coaching. " + CLAIM).encode("cp1252"),
        "mixed-encoding.md": "Caf\u00e9 ".encode("utf-8") + "d\u00e9j\u00e0 vu. ".encode("latin-1")
        + CLAIM.encode(),
        "utf8-bom.md": codecs.BOM_UTF8 + CLAIM.encode(),
        "utf16-le.txt": codecs.BOM_UTF16_LE + CLAIM.encode("utf-16-le"),
        "utf16-be.md": codecs.BOM_UTF16_BE + CLAIM.encode("utf-16-be"),
        "utf32-le.txt": codecs.BOM_UTF32_LE + CLAIM.encode("utf-32-le"),
        "bad-utf16.txt": codecs.BOM_UTF16_LE + b"\x00\xd8" + b"a",  # lone surrogate, odd length
        "empty.txt": b"",
        "blank.md": b" \n\t\n\r\n   \n",
        "corrupt.docx": b"PK\x03\x04" + b"\x00" * 40 + b"not really a zip",
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer garbage\n%%EOF",
        "unclosed.html": b"<html><body><p>" + CLAIM.encode() + b"<div><span><b><i>",
        "deep.html": b"<div>" * 5000 + CLAIM.encode() + b"</div>" * 5000,
        "hostile.md": ("# <script>alert(1)</script>\n\n"
                       "I treat anxiety | \"quoted\" & 'single' [link](javascript:alert(1)) 100% %0A "
                       "::error file=x::owned, <b>bold</b> ]]> `code`.\n").encode(),
        "claim.txt": CLAIM.encode(),
        "clean.md": CLEAN.encode(),
    }
    if bomb:
        files["zip-bomb.docx"] = _zip_bomb()
    for name, data in files.items():
        (dest / name).write_bytes(data)
    if not (dest / "pipe.txt").exists():
        os.mkfifo(dest / "pipe.txt")  # reading it would block forever
    link = dest / "broken-link.md"
    if not link.is_symlink():
        os.symlink(dest / "does-not-exist.md", link)
    loop = dest / "loop"
    loop.mkdir(exist_ok=True)
    if not (loop / "again").is_symlink():
        os.symlink("..", loop / "again")  # a folder that contains itself
    return {k: v for k, v in NASTY.items() if bomb or k != "zip-bomb.docx"}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_nasty.py DEST")
    for name, expected in sorted(build(Path(sys.argv[1])).items()):
        print(f"{expected:6} {name}")
