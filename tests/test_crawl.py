"""Web pages and crawling, against a site served by the test itself on 127.0.0.1."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from scopecheck.api import Options, run
from scopecheck.web.crawl import crawl
from scopecheck.web.fetch import fetch

MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
FORMATS = Path(__file__).parent / "fixtures" / "formats"
PAGES = 22


def _page(title: str, body: str, links: list[str]) -> bytes:
    nav = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (f"<!DOCTYPE html><html><head><title>{title}</title><script>var s='I treat OCD';</script></head>"
            f"<body><nav><ul>{nav}</ul></nav><main><h1>{title}</h1><p>{body}</p></main></body></html>").encode()


def _site() -> dict[str, tuple[int, str, bytes]]:
    site: dict[str, tuple[int, str, bytes]] = {}
    names = [f"/page-{n}.html" for n in range(1, PAGES + 1)]
    for i, name in enumerate(names):
        links = [names[i + 1]] if i + 1 < len(names) else []
        body = "We work on the goals you choose."
        if i == 3:
            body = "Our program will cure your anxiety in six weeks."
        site[name] = (200, "text/html; charset=utf-8", _page(f"Page {i + 1}", body, links))
    home_links = ["/page-1.html", "/private/secret.html", "/old-about", "/missing.html", "/brochure.pdf",
                  "/logo.png", "/away", "mailto:hi@example.com", "https://elsewhere.example/"]
    site["/"] = (200, "text/html", _page("Home", "Welcome.", home_links))
    site["/private/secret.html"] = (200, "text/html", _page("Secret", "I treat depression.", []))
    site["/about.html"] = (200, "text/html", _page("About", "I coach leaders.", []))
    site["/brochure.pdf"] = (200, "application/pdf", (FORMATS / "intake-form.pdf").read_bytes())
    site["/logo.png"] = (200, "image/png", b"\x89PNG\r\n")
    site["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    site["/sitemap.xml"] = (200, "application/xml",
                            b'<?xml version="1.0"?><urlset><url><loc>http://HOST/page-22.html</loc></url></urlset>')
    return site


REDIRECTS = {"/old-about": "/about.html", "/away": "http://elsewhere.example/"}


@pytest.fixture(scope="module")
def server():
    site = _site()
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            requests.append(self.path)
            if self.path in REDIRECTS:
                self.send_response(301)
                self.send_header("Location", REDIRECTS[self.path])
                self.end_headers()
                return
            status, kind, body = site.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
            body = body.replace(b"HOST", self.headers["Host"].encode())
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def _options(**kw) -> Options:
    return Options(rules_dirs=(MINI,), builtin_rules=False, timeout=5.0, **kw)


def test_single_page_names_the_url(server):
    base, _ = server
    report = run([f"{base}/page-4.html"], _options())
    [finding] = report.findings
    assert finding.path == f"{base}/page-4.html" and finding.rule_id == "T-TREAT-001"
    assert "I treat OCD" not in finding.excerpt  # scripts are never read


def test_crawl_whole_site(server):
    base, requests = server
    report = run([base + "/"], _options(crawl=True, max_pages=60))
    by_path = {d.path: d for d in report.documents}
    assert sum(1 for p in by_path if p.endswith(".html")) >= 20
    assert f"{base}/private/secret.html" not in by_path and "/private/secret.html" not in requests
    assert by_path[f"{base}/old-about"].status == "pass"  # followed the same-site redirect
    assert "404" in by_path[f"{base}/missing.html"].error
    assert "another site" in by_path[f"{base}/away"].error
    assert by_path[f"{base}/brochure.pdf"].format == "pdf"  # linked documents are read too
    assert f"{base}/logo.png" not in by_path and "/logo.png" not in requests
    assert f"{base}/page-22.html" in by_path
    assert not any("elsewhere" in p and "away" not in p for p in by_path)
    assert report.exit_code() == 2  # per-URL errors are input errors


def test_max_pages_limits_the_crawl(server):
    base, _ = server
    assert len(crawl(base + "/", max_pages=5, timeout=5.0).pages) == 5


def test_only_http_and_https():
    assert "only http:// and https://" in fetch("ftp://127.0.0.1/file.txt").error
    assert "only http" in run(["file:///etc/passwd"], _options()).documents[0].error


def test_unreachable_host_is_a_clear_error():
    # port 9 on loopback: nothing listens, so the connection is refused at once
    doc = run(["http://127.0.0.1:9/"], _options()).documents[0]
    assert doc.status == "error" and "cannot connect" in doc.error and "\n" not in doc.error
