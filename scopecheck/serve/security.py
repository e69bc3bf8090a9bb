"""Guards around every request: known Host only, same-origin for anything that changes state,
and response headers that keep the page to its own scripts and styles."""
from __future__ import annotations

import json
from typing import Awaitable, Callable
from urllib.parse import urlsplit

from scopecheck.serve.settings import ServeSettings

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
))

SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


def split_host(value: str) -> tuple[str, str]:
    """'127.0.0.1:8765' -> ('127.0.0.1', '8765'); '[::1]:80' -> ('::1', '80')."""
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        return host.lower(), rest.lstrip(":")
    host, _, port = value.partition(":")
    return host.lower(), port


class RequestGuard:
    """ASGI middleware. Rejections are JSON with a sentence a person can act on."""

    def __init__(self, app: ASGIApp, settings: ServeSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host_header = headers.get("host", "")
        hostname, _ = split_host(host_header)
        if not self.settings.accepts_host(hostname):
            await reject(send, 421, "This page only answers on the address it was started on "
                         f"(http://{self.settings.host}:{self.settings.port}/).")
            return
        if scope["method"] not in SAFE_METHODS and not same_origin(headers, host_header):
            await reject(send, 403, "Request refused: it did not come from the scopecheck page "
                         "itself. Reload the page and try again.")
            return
        await self.app(scope, receive, with_headers(send))


def same_origin(headers: dict[str, str], host_header: str) -> bool:
    origin = headers.get("origin")
    if not origin or origin == "null":
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host_header.lower():
        return False
    fetch_site = headers.get("sec-fetch-site")
    return fetch_site in (None, "same-origin")


def with_headers(send: Send) -> Send:
    async def send_with_headers(message: dict) -> None:
        if message["type"] == "http.response.start":
            existing = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in existing]
            message = {**message, "headers": list(message.get("headers", [])) + extra}
        await send(message)
    return send_with_headers


async def reject(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
