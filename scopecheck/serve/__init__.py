"""`scopecheck serve`: a local web page where a coach pastes, uploads or fetches their copy and
sees each finding in place, with the reason, the standard and a rewrite they can apply.

Needs the optional `serve` extra (starlette and uvicorn); the core install does not.
"""
from __future__ import annotations

from scopecheck.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]


def create_app(settings: ServeSettings | None = None):
    from scopecheck.serve.app import create_app as build
    return build(settings or ServeSettings())
