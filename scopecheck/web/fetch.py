"""Fetch one URL safely: http and https only, redirects kept on the same site, a timeout and a
size cap, and a one-line error a coach can act on when anything goes wrong.

The standard library's urllib is enough here: one GET at a time, no sessions or cookies.
"""
from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from scopecheck import __version__

USER_AGENT = f"scopecheck/{__version__} (scope-of-practice checker)"
MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
# content type -> the reader suffix used for it
CONTENT_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/markdown": ".md", "text/x-markdown": ".md",
    "text/plain": ".txt", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Fetched:
    url: str  # the address asked for
    final_url: str  # after same-site redirects
    suffix: str | None  # reader to use; None when the content is not something we read
    content_type: str
    data: bytes = b""
    error: str | None = None


class FetchError(Exception):
    pass


def site_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower()


def same_site(a: str, b: str) -> bool:
    """Same host; http may become https on that host, never the other way round."""
    (scheme_a, host_a), (scheme_b, host_b) = site_of(a), site_of(b)
    port_a, port_b = urlsplit(a).port, urlsplit(b).port
    if host_a != host_b or scheme_b not in SCHEMES:
        return False
    if scheme_a == scheme_b:
        return port_a == port_b
    return scheme_a == "http" and scheme_b == "https"


def clean(url: str) -> str:
    """Drop the fragment; a bare host gets a trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchError(f"redirects to a {urlsplit(newurl).scheme or 'relative'}: address ({newurl}); "
                             "only http and https pages are read")
        if not same_site(self.origin, newurl):
            raise FetchError(f"redirects to another site ({newurl}); check that address directly if it is yours")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float = 15.0, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        return Fetched(url, url, None, "", error=f"{url}: only http:// and https:// addresses can be checked")
    opener = urllib.request.build_opener(_SameSiteRedirects(url))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            content_type = (response.headers.get_content_type() or "").lower()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"is {int(length) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one page")
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise FetchError(f"is larger than the {max_bytes / 1e6:.0f} MB limit for one page")
    except FetchError as exc:
        return Fetched(url, url, None, "", error=f"{url}: {exc}")
    except urllib.error.HTTPError as exc:
        return Fetched(url, url, None, "", error=f"{url}: the server answered {exc.code} {exc.reason}"
                       + ("; check the address" if exc.code == 404 else ""))
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return Fetched(url, url, None, "", error=f"{url}: no answer within {timeout:g} seconds; "
                                                     "try again or raise --timeout")
        return Fetched(url, url, None, "", error=f"{url}: cannot connect ({reason}); check the address "
                                                 "and your internet connection")
    except (socket.timeout, TimeoutError):
        return Fetched(url, url, None, "", error=f"{url}: no answer within {timeout:g} seconds; "
                                                 "try again or raise --timeout")
    except (OSError, ValueError) as exc:
        return Fetched(url, url, None, "", error=f"{url}: could not be fetched ({exc})")
    return Fetched(url, final, CONTENT_TYPES.get(content_type), content_type, data)
