"""Features the page uses when this install has them: the HTML audit report, the website
fetcher and the disclaimer templates. Each is looked up when it is needed, so the page works
(and says clearly what is missing) whichever of them are installed.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from urllib.parse import urlsplit



class Unavailable(Exception):
    """A feature this install does not have, or could not provide; the message says what to do."""


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def html_report_available() -> bool:
    from scopecheck.outputs import FORMATTERS
    return "html" in FORMATTERS


def render_html_report(data: dict, name: str) -> str:
    from scopecheck.outputs import FORMATTERS, formatter
    if "html" not in FORMATTERS:
        raise Unavailable("the HTML audit report is not part of this scopecheck install; "
                          "download the JSON report instead")
    return formatter("html")(data, name=name)


def fetcher_available() -> bool:
    module = _module("scopecheck.web.fetch")
    return module is not None and callable(getattr(module, "fetch", None))


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    name: str  # a file name whose suffix picks the reader
    data: bytes


def fetch(url: str, max_bytes: int) -> Page:
    module = _module("scopecheck.web.fetch")
    if module is None:
        raise Unavailable("reading a website address is not part of this scopecheck install; "
                          "save the page from your browser (File > Save Page As) and upload it")
    fetched = module.fetch(url, max_bytes=max_bytes)
    if fetched.error:
        raise FetchFailed(fetched.error)
    if not fetched.suffix:
        raise FetchFailed(f"{fetched.final_url}: this address gives {fetched.content_type or 'content'} "
                          "that scopecheck does not read; enter the address of a web page")
    path = urlsplit(fetched.final_url).path.rstrip("/").rsplit("/", 1)[-1]
    stem = path.rsplit(".", 1)[0] if path else (urlsplit(fetched.final_url).hostname or "page")
    return Page(fetched.final_url, (stem or "page") + fetched.suffix, fetched.data)


class FetchFailed(Exception):
    """The page could not be read; the message names the address and the reason."""


def disclaimer_places() -> tuple[str, ...]:
    module = _module("scopecheck.disclaimer")
    return tuple(getattr(module, "PLACES", {})) if module is not None else ()


def disclaimer_available() -> bool:
    module = _module("scopecheck.disclaimer")
    return module is not None and callable(getattr(module, "render_markdown", None))


def render_disclaimer(doc_type: str, jurisdiction: str) -> str:
    """Markdown wording for the document type; a region without its own wording uses its country's."""
    module = _module("scopecheck.disclaimer")
    if module is None or not callable(getattr(module, "render_markdown", None)):
        raise Unavailable("ready disclaimer templates are not part of this scopecheck install")
    places = disclaimer_places()
    place = jurisdiction if jurisdiction in places else jurisdiction.split("-")[0]
    if places and place not in places:
        raise Unavailable(f"there is no ready disclaimer for {jurisdiction} yet")
    return module.render_markdown(doc_type, place).strip() + "\n"
