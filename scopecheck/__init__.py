"""scopecheck: check coaching materials against the scope of practice of coaching."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "check_paths", "check_text"]


def __getattr__(name: str):
    # the public API is imported lazily so `import scopecheck` stays cheap
    if name in ("check_text", "check_paths"):
        from scopecheck import api
        return getattr(api, name)
    raise AttributeError(name)
