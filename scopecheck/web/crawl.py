"""Crawl one site: start page, same-site links and sitemap.xml, breadth first, up to a limit.

robots.txt is honoured for our user agent; pages it excludes are not fetched. Links to files
we cannot read (images, archives) are skipped; PDF and Word files linked from the site are
read, since intake forms and agreements are often published that way.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from scopecheck.web.fetch import USER_AGENT, Fetched, clean, fetch, same_site

DEFAULT_MAX_PAGES = 50
SKIP_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".zip", ".mp3",
                 ".mp4", ".mov", ".woff", ".woff2", ".ttf", ".xml", ".json", ".rss", ".gz")
_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.IGNORECASE)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CrawlResult:
    pages: tuple[Fetched, ...]  # readable pages and per-URL errors, in crawl order
    excluded: tuple[str, ...]  # URLs robots.txt told us not to fetch
    skipped: tuple[str, ...]  # same-site links to content we do not read


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "base" and values.get("href"):
            self.base = values["href"]
        if tag in ("a", "area") and values.get("href") and "nofollow" not in (values.get("rel") or ""):
            self.links.append(values["href"])


def links_in(html: bytes, page_url: str) -> list[str]:
    parser = _Links()
    try:
        parser.feed(html.decode("utf-8", errors="replace"))
    except (AssertionError, ValueError):
        pass
    base = urljoin(page_url, parser.base) if parser.base else page_url
    out = []
    for href in parser.links:
        if href.strip().lower().startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
            continue
        out.append(clean(urljoin(base, href.strip())))
    return out


def _robots(start: str, timeout: float) -> tuple[RobotFileParser | None, list[str]]:
    url = urljoin(start, "/robots.txt")
    got = fetch(url, timeout, max_bytes=512 * 1024)
    if got.error or not got.data:
        return None, []  # no robots.txt: everything is allowed
    parser = RobotFileParser(url)
    lines = got.data.decode("utf-8", errors="replace").splitlines()
    parser.parse(lines)
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
    return parser, sitemaps


def _sitemap(urls: list[str], start: str, timeout: float) -> list[str]:
    found: list[str] = []
    for url in urls:
        got = fetch(url, timeout, max_bytes=5 * 1024 * 1024)
        if not got.error:
            found.extend(clean(u) for u in _LOC.findall(got.data.decode("utf-8", errors="replace"))
                         if same_site(start, u))
    return found


def crawl(start: str, max_pages: int = DEFAULT_MAX_PAGES, timeout: float = 15.0,
          progress: Progress | None = None) -> CrawlResult:
    start = clean(start)
    robots, sitemaps = _robots(start, timeout)
    queue: deque[str] = deque([start])
    queued = {start}
    for url in _sitemap(sitemaps or [urljoin(start, "/sitemap.xml")], start, timeout):
        if url not in queued:
            queued.add(url)
            queue.append(url)
    pages: list[Fetched] = []
    seen_final: set[str] = set()
    excluded: list[str] = []
    skipped: list[str] = []
    while queue and len(pages) < max_pages:
        url = queue.popleft()
        if robots is not None and not robots.can_fetch(USER_AGENT, url):
            excluded.append(url)
            continue
        if urlsplit(url).path.lower().endswith(SKIP_SUFFIXES):
            skipped.append(url)
            continue
        if progress:
            progress(len(pages), min(len(pages) + len(queue) + 1, max_pages), url)
        got = fetch(url, timeout)
        final = clean(got.final_url)
        if not got.error and final != url:
            if final in seen_final:
                continue  # a redirect to a page we already have
            queued.add(final)
        if not got.error and got.suffix is None:
            skipped.append(url)
            continue
        seen_final.add(final)
        pages.append(got)
        if got.error is None and got.suffix == ".html":
            for link in links_in(got.data, got.final_url):
                if link not in queued and same_site(start, link):
                    queued.add(link)
                    queue.append(link)
    return CrawlResult(tuple(pages), tuple(excluded), tuple(skipped))
