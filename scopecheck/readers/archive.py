"""Guards for container formats: refuse zip bombs before any parser inflates them."""
from __future__ import annotations

import io
import zipfile

from scopecheck.errors import InputError

MAX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_RATIO = 200  # a real .docx compresses text perhaps 10:1; far beyond that is a bomb
MAX_MEMBERS = 10_000


def check_zip(data: bytes, path: str, what: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: is not a valid {what} file (the archive is damaged or it is another "
                         f"format); open it in Word and save it again as {what}") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(f"{path}: holds {len(members)} parts, more than a {what} file ever needs; not read")
        total = sum(m.file_size for m in members)
        packed = max(sum(m.compress_size for m in members), 1)
        if total > MAX_UNPACKED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
            raise InputError(f"{path}: would unpack to {total / 1e6:.0f} MB, far more than a {what} file of "
                             f"{len(data) / 1e6:.1f} MB should; not read (possible zip bomb)")
