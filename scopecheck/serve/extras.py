"""Features the page uses when this install has them: the HTML audit report, the website
fetcher and the disclaimer templates. Each is looked up when it is needed, so the page works
(and says clearly what is missing) whichever of them are installed.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable

FETCHER_MODULES = ("scopecheck.web.fetch", "scopecheck.web", "scopecheck.crawl", "scopecheck.crawler")
FETCHER_FUNCTIONS = ("fetch_page", "fetch_url", "fetch")
DISCLAIMER_FUNCTIONS = ("render_disclaimer", "render", "disclaimer", "build")


class Unavailable(Exception):
    """A feature this install does not have; the message says what to do."""


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _function(module_names: tuple[str, ...], function_names: tuple[str, ...]) -> Callable | None:
    for module_name in module_names:
        module = _module(module_name)
        if module is None:
            continue
        for function_name in function_names:
            candidate = getattr(module, function_name, None)
            if callable(candidate) and not inspect.isclass(candidate):
                return candidate
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
    return _function(FETCHER_MODULES, FETCHER_FUNCTIONS) is not None


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str


def fetch(url: str, max_bytes: int) -> Fetched:
    function = _function(FETCHER_MODULES, FETCHER_FUNCTIONS)
    if function is None:
        raise Unavailable("reading a website address is not part of this scopecheck install; "
                          "save the page from your browser (File > Save Page As) and upload it")
    result: Any = _call(function, url, max_bytes=max_bytes)
    if isinstance(result, (bytes, bytearray)):
        return Fetched(url, bytes(result), "text/html")
    data = next((getattr(result, a) for a in ("data", "content", "body") if hasattr(result, a)), None)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray)):
        raise Unavailable("the website fetcher returned something this page cannot read")
    final_url = getattr(result, "url", None) or url
    content_type = getattr(result, "content_type", None) or "text/html"
    return Fetched(str(final_url), bytes(data), str(content_type))


def disclaimer_available() -> bool:
    return _function(("scopecheck.disclaimer",), DISCLAIMER_FUNCTIONS) is not None


def render_disclaimer(doc_type: str, jurisdiction: str) -> str:
    function = _function(("scopecheck.disclaimer",), DISCLAIMER_FUNCTIONS)
    if function is None:
        raise Unavailable("ready disclaimer templates are not part of this scopecheck install")
    text = _call(function, doc_type=doc_type, jurisdiction=jurisdiction)
    if not isinstance(text, str) or not text.strip():
        raise Unavailable("the disclaimer template came back empty")
    return text


def _call(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """Pass only the keyword arguments the function declares (signatures differ across versions)."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return function(*args, **kwargs)
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return function(*args, **kwargs)
    accepted = {k: v for k, v in kwargs.items() if k in parameters}
    return function(*args, **accepted)
