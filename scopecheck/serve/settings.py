"""What a running page is allowed to do, decided once when the server starts."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::")


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 8765
    rules_dirs: tuple[Path, ...] = ()
    builtin_rules: bool = True
    licenses: tuple[str, ...] = ()
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_text_chars: int = MAX_TEXT_CHARS

    @property
    def is_local(self) -> bool:
        return self.host in LOCAL_HOSTS

    def accepts_host(self, hostname: str) -> bool:
        """Host header check, against DNS rebinding: only names this server was started for."""
        if self.host in WILDCARD_HOSTS:
            return True
        return hostname in LOCAL_HOSTS or hostname == self.host.strip("[]")
