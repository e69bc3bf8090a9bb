"""The routes of `scopecheck serve`, through starlette's test client (no network, no browser)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette) is not installed")
pytest.importorskip("httpx", reason="starlette's test client needs httpx")
from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from scopecheck.serve import ServeSettings, create_app, extras  # noqa: E402

MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
BASE = "http://127.0.0.1:8765"
SAME_ORIGIN = {"Origin": BASE}
CLAIM = "I treat anxiety 😀 and my patients love it."


def make_client(**overrides) -> TestClient:
    settings = ServeSettings(rules_dirs=(MINI,), builtin_rules=False, **overrides)
    return TestClient(create_app(settings), base_url=BASE)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return make_client()


def check(client: TestClient, text: str, **fields) -> dict:
    response = client.post("/api/check", json={"text": text, **fields}, headers=SAME_ORIGIN)
    assert response.status_code == 200, response.text
    return response.json()


def js_slice(text: str, start: int, end: int) -> str:
    """Cut a string the way JavaScript does: by UTF-16 code units."""
    units = text.encode("utf-16-le")
    return units[start * 2:end * 2].decode("utf-16-le")


# ---------- the page and its files ----------

def test_page_is_served_with_a_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    page = response.text
    assert '<script src="/static/app.js" defer></script>' in page
    assert page.count("<script") == 1, "no inline scripts"
    assert "http://" not in page and "https://" not in page.replace("https://your-coaching-site.com", "")


@pytest.mark.parametrize("name,kind", [("app.js", "text/javascript"), ("app.css", "text/css"),
                                       ("favicon.svg", "image/svg+xml")])
def test_static_files(client, name, kind):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)


def test_static_files_are_only_the_page_own(client):
    for path in ("/static/app.py", "/static/..%2Fapp.py", "/static/%2e%2e/settings.py", "/static/"):
        assert client.get(path).status_code == 404, path


def test_scripts_never_put_document_text_into_html():
    script = (Path(__file__).parents[1] / "scopecheck" / "serve" / "static" / "app.js").read_text()
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script


def test_options(client):
    data = client.get("/api/options").json()
    assert [t["value"] for t in data["doc_types"]] == ["auto", "marketing", "program", "intake", "agreement"]
    assert {"value": "us-ca", "label": "United States: California"} in data["jurisdictions"]
    assert data["max_upload_bytes"] == 10 * 1024 * 1024
    assert set(data["features"]) == {"html_report", "fetch_url", "disclaimer_templates"}


# ---------- checking ----------

def test_check_returns_the_report_and_editor_positions(client):
    data = check(client, CLAIM, doc_type="marketing")
    assert data["schema_version"] == 1 and data["documents"][0]["type"] == "marketing"
    by_rule = {f["rule_id"]: (f, span) for f, span in zip(data["findings"], data["spans"])}
    treat, treat_span = by_rule["T-TREAT-001"]
    assert js_slice(CLAIM, treat_span["start"], treat_span["end"]) == "treat anxiety"
    assert treat_span["applies"] is False
    assert data["rules"]["T-TREAT-001"]["rationale"] == "Treating a condition is clinical care."
    patients, patients_span = by_rule["T-LANG-001"]
    # the emoji counts as two units in JavaScript: the span must still land on the word
    assert js_slice(CLAIM, patients_span["start"], patients_span["end"]) == "patients"
    assert patients_span["applies"] is True and patients["fix"]["replacement"] == "clients"


def test_applying_the_fix_removes_the_finding(client):
    data = check(client, CLAIM, doc_type="marketing")
    index = next(i for i, f in enumerate(data["findings"]) if f["rule_id"] == "T-LANG-001")
    span = data["spans"][index]
    units = CLAIM.encode("utf-16-le")
    fixed = (units[:span["start"] * 2].decode("utf-16-le") + data["findings"][index]["fix"]["replacement"]
             + units[span["end"] * 2:].decode("utf-16-le"))
    again = check(client, fixed, doc_type="marketing")
    assert "T-LANG-001" not in {f["rule_id"] for f in again["findings"]}


def test_markdown_markup_keeps_positions_on_the_words(client):
    text = "# Welcome\n\nMy **patients** say I can *treat your anxiety*.\n"
    data = check(client, text, doc_type="marketing")
    spans = {f["rule_id"]: s for f, s in zip(data["findings"], data["spans"])}
    assert js_slice(text, spans["T-LANG-001"]["start"], spans["T-LANG-001"]["end"]) == "patients"
    assert js_slice(text, spans["T-TREAT-001"]["start"], spans["T-TREAT-001"]["end"]) == "treat your anxiety"


def test_checklist_and_element_labels(client):
    data = check(client, "Name: ____", doc_type="intake")
    item = data["documents"][0]["checklist"][0]
    assert item["element"] == "not-therapy" and item["present"] is False
    assert data["labels"]["elements"]["not-therapy"] == "Coaching is not therapy"
    missing = next(s for f, s in zip(data["findings"], data["spans"]) if f["rule_id"] == "T-REQ-001")
    assert missing["start"] == missing["end"]


def test_automatic_type_reads_front_matter(client):
    data = check(client, "---\nscopecheck: {type: intake}\n---\nName: ____\n")
    assert data["documents"][0]["type"] == "intake"
    assert data["documents"][0]["type_source"] == "front-matter"


def test_document_text_comes_back_as_data_not_markup(client):
    hostile_name = '"><img src=x onerror=alert(1)>.md'
    response = client.post("/api/check", json={"text": "I treat anxiety & <b>more</b>.", "name": hostile_name},
                           headers=SAME_ORIGIN)
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["documents"][0]["path"] == hostile_name  # data for textContent, never markup


@pytest.mark.parametrize("body,status,words", [
    ({"text": 5}, 400, "must be a string"),
    ({"text": "x", "doc_type": "novel"}, 400, "unknown document type"),
    ({"text": "x", "jurisdiction": "../../etc"}, 400, "unknown jurisdiction"),
])
def test_check_rejects_bad_requests(client, body, status, words):
    response = client.post("/api/check", json=body, headers=SAME_ORIGIN)
    assert response.status_code == status
    assert words in response.json()["error"]


def test_check_needs_json(client):
    response = client.post("/api/check", content=b"text=hi", headers={
        **SAME_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    response = client.post("/api/check", content=b"{not json", headers={
        **SAME_ORIGIN, "Content-Type": "application/json"})
    assert response.status_code == 400


def test_text_length_is_capped():
    small = make_client(max_text_chars=50)
    response = small.post("/api/check", json={"text": "a" * 51}, headers=SAME_ORIGIN)
    assert response.status_code == 413
    assert "longer than 50 characters" in response.json()["error"]


# ---------- safety ----------

@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "http://127.0.0.1:9999"},
    {"Origin": "null"},
    {},
    {"Origin": BASE, "Sec-Fetch-Site": "cross-site"},
])
def test_cross_origin_posts_are_refused(client, headers):
    for path in ("/api/check", "/api/report", "/api/disclaimer", "/api/fetch"):
        response = client.post(path, json={"text": "I treat anxiety."}, headers=headers)
        assert response.status_code == 403, (path, headers)
        assert "did not come from the scopecheck page" in response.json()["error"]
    upload = client.post("/api/upload?name=a.md", content=b"hello", headers=headers)
    assert upload.status_code == 403


def test_unknown_host_is_refused(client):
    response = client.get("/", headers={"Host": "attacker.example:8765"})
    assert response.status_code == 421
    response = client.post("/api/check", json={"text": "x"},
                           headers={"Host": "attacker.example", "Origin": "http://attacker.example"})
    assert response.status_code == 421


def test_localhost_name_is_accepted(client):
    response = client.post("/api/check", json={"text": "x"},
                           headers={"Host": "localhost:8765", "Origin": "http://localhost:8765"})
    assert response.status_code == 200


# ---------- uploads ----------

def upload(client: TestClient, name: str, data: bytes, **params) -> "object":
    query = "&".join(f"{k}={v}" for k, v in {"name": name, **params}.items())
    return client.post(f"/api/upload?{query}", content=data,
                       headers={**SAME_ORIGIN, "Content-Type": "application/octet-stream"})


def test_upload_markdown_keeps_its_own_text(client):
    source = "# About\n\nMy patients grow.\n"
    response = upload(client, "about.md", source.encode(), doc_type="marketing")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["text"] == source and data["converted"] is False
    assert data["result"]["findings"][0]["rule_id"] == "T-LANG-001"


def test_upload_html_becomes_editable_text(client):
    page = (b"<html><head><title>Calm</title><script>var x = 'I treat anxiety';</script></head>"
            b"<body><h1>Calm</h1><p>I treat anxiety &amp; more.</p><ul><li>My patients</li></ul></body></html>")
    data = upload(client, "index.html", page, doc_type="marketing").json()
    assert data["converted"] is True
    assert "var x" not in data["text"]
    assert "I treat anxiety & more." in data["text"] and "- My patients" in data["text"]
    rules = {f["rule_id"] for f in data["result"]["findings"]}
    assert {"T-TREAT-001", "T-LANG-001"} <= rules
    spans = data["result"]["spans"]
    for finding, span in zip(data["result"]["findings"], spans):
        if finding["rule_id"] == "T-TREAT-001":
            assert js_slice(data["text"], span["start"], span["end"]) == "treat anxiety"


def test_upload_word_document(client):
    docx = pytest.importorskip("docx", reason="python-docx reads Word files")
    import io
    document = docx.Document()
    document.add_heading("Coaching agreement", level=1)
    document.add_paragraph("My patients heal PTSD here.")
    buffer = io.BytesIO()
    document.save(buffer)
    data = upload(client, "agreement.docx", buffer.getvalue(), doc_type="agreement").json()
    assert "My patients heal PTSD here." in data["text"]
    assert {"T-LANG-001", "T-TREAT-001"} <= {f["rule_id"] for f in data["result"]["findings"]}


@pytest.mark.parametrize("name,data", [
    ("notes.txt", b"\x00\x01\x02binary\x00" * 20),
    ("form.pdf", b"%PDF-1.7 this is not really a pdf"),
    ("agreement.docx", b"PK\x03\x04 broken zip"),
])
def test_bad_files_get_a_clear_error(client, name, data):
    response = upload(client, name, data)
    assert response.status_code == 422
    message = response.json()["error"]
    assert message.startswith(name) and "Traceback" not in message


def test_empty_file(client):
    response = upload(client, "empty.md", b"   \n")
    assert response.status_code == 422
    assert "empty" in response.json()["error"]


def test_unsupported_file_kind(client):
    response = upload(client, "setup.exe", b"MZ\x90\x00")
    assert response.status_code == 415
    assert "Word" in response.json()["error"]


def test_upload_needs_a_name(client):
    response = client.post("/api/upload", content=b"hi", headers=SAME_ORIGIN)
    assert response.status_code == 400


def test_upload_name_is_only_a_label(client):
    data = upload(client, "..%2F..%2Fetc%2Fpasswd.md", b"Hello there.").json()
    assert data["name"] == "passwd.md"


def test_oversized_upload_is_refused():
    small = make_client(max_upload_bytes=1024)
    response = upload(small, "big.md", b"a" * 2048)
    assert response.status_code == 413
    assert "larger than the" in response.json()["error"]


def test_oversized_upload_without_length_is_refused():
    small = make_client(max_upload_bytes=1024)

    def chunks():
        for _ in range(8):
            yield b"a" * 512

    response = small.post("/api/upload?name=big.md", content=chunks(),
                          headers={**SAME_ORIGIN, "Content-Type": "application/octet-stream"})
    assert response.status_code == 413


def test_uploads_never_touch_the_disk(client, tmp_path, monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    upload(client, "a.md", b"My patients.\n" * 2000)
    assert list(tmp_path.iterdir()) == []


# ---------- website addresses ----------

class _Site(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b"<html><body><h1>Hi</h1><p>My patients heal PTSD.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def local_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_reads_a_page(client, local_site):
    if not extras.fetcher_available():
        pytest.skip("this install has no website fetcher")
    response = client.post("/api/fetch", json={"url": f"{local_site}/about"}, headers=SAME_ORIGIN)
    assert response.status_code == 200, response.text
    data = response.json()
    assert "My patients heal PTSD." in data["text"]
    assert data["source"] == f"{local_site}/about" and data["name"] == "about.html"
    assert {"T-LANG-001", "T-TREAT-001"} <= {f["rule_id"] for f in data["result"]["findings"]}


def test_fetch_refuses_other_schemes(client):
    for url in ("file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"):
        response = client.post("/api/fetch", json={"url": url}, headers=SAME_ORIGIN)
        assert response.status_code == 400, url


def test_fetch_reports_an_unreachable_page(client, local_site):
    if not extras.fetcher_available():
        pytest.skip("this install has no website fetcher")
    port = local_site.rsplit(":", 1)[1]
    response = client.post("/api/fetch", json={"url": f"http://127.0.0.1:{int(port) + 1}/"}, headers=SAME_ORIGIN)
    assert response.status_code == 502
    assert "127.0.0.1" in response.json()["error"]


def test_fetch_without_the_fetcher_says_what_to_do(client, monkeypatch):
    monkeypatch.setattr(extras, "fetcher_available", lambda: False)
    response = client.post("/api/fetch", json={"url": "https://example.com"}, headers=SAME_ORIGIN)
    assert response.status_code == 501
    assert "upload" in response.json()["error"]


# ---------- disclaimers ----------

def test_disclaimer_for_one_missing_element(client):
    response = client.post("/api/disclaimer", json={"element": "not-therapy", "doc_type": "intake"},
                           headers=SAME_ORIGIN)
    assert response.json() == {"text": "Coaching is not therapy and does not diagnose or treat any condition.",
                               "placement": "top", "source": "rule"}


def test_disclaimer_inserted_satisfies_the_checklist(client):
    wording = client.post("/api/disclaimer", json={"element": "not-therapy", "doc_type": "intake"},
                          headers=SAME_ORIGIN).json()["text"]
    data = check(client, wording + "\n\nName: ____", doc_type="intake")
    assert data["documents"][0]["checklist"][0]["present"] is True


def test_disclaimer_unknown_element(client):
    response = client.post("/api/disclaimer", json={"element": "nope", "doc_type": "intake"}, headers=SAME_ORIGIN)
    assert response.status_code == 404


def test_complete_disclaimer_uses_the_templates_when_installed(client):
    if not extras.disclaimer_available():
        pytest.skip("this install has no disclaimer templates")
    response = client.post("/api/disclaimer", json={"doc_type": "intake", "jurisdiction": "uk",
                                                    "missing": ["not-therapy"]}, headers=SAME_ORIGIN)
    data = response.json()
    assert data["source"] == "template" and "116 123" in data["text"]


def test_complete_disclaimer_without_templates_uses_rule_wording(client, monkeypatch):
    monkeypatch.setattr(extras, "disclaimer_available", lambda: False)
    response = client.post("/api/disclaimer", json={"doc_type": "intake", "missing": ["not-therapy", "crisis-near-suicide"]},
                           headers=SAME_ORIGIN)
    data = response.json()
    assert data["source"] == "rule"
    assert data["text"] == ("Coaching is not therapy and does not diagnose or treat any condition.\n\n"
                            "If you are thinking about suicide, call or text 988.")


# ---------- downloads ----------

def test_json_report_download(client):
    response = client.post("/api/report?format=json", json={"text": CLAIM, "name": "about.md", "doc_type": "marketing"},
                           headers=SAME_ORIGIN)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="about-scopecheck.json"')
    data = json.loads(response.content)
    assert data["documents"][0]["path"] == "about.md"
    assert "spans" not in data, "the download is the report record itself"
    assert {f["rule_id"] for f in data["findings"]} == {"T-TREAT-001", "T-LANG-001"}


def test_html_report_download_escapes_document_text(client):
    if not extras.html_report_available():
        pytest.skip("this install has no HTML audit report")
    hostile_name = '"><img src=x onerror=alert(1)>.md'
    response = client.post("/api/report?format=html", json={
        "text": 'I treat anxiety, "my patients" & more.', "name": hostile_name, "doc_type": "marketing"},
        headers=SAME_ORIGIN)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "attachment" in response.headers["content-disposition"]
    body = response.text
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "T-TREAT-001" in body


def test_html_report_without_the_formatter(client, monkeypatch):
    from scopecheck import outputs
    monkeypatch.setattr(outputs, "FORMATTERS", {k: v for k, v in outputs.FORMATTERS.items() if k != "html"})
    response = client.post("/api/report?format=html", json={"text": "x"}, headers=SAME_ORIGIN)
    assert response.status_code == 501
    assert "JSON" in response.json()["error"]


def test_report_format_is_checked(client):
    response = client.post("/api/report?format=exe", json={"text": "x"}, headers=SAME_ORIGIN)
    assert response.status_code == 400


# ---------- the command ----------

def test_serve_command_warns_off_localhost_and_does_not_open_a_browser(monkeypatch):
    from scopecheck.cli import _register, cli
    from scopecheck.cli import serve as serve_command
    _register()
    started = {}
    monkeypatch.setattr(serve_command, "run_server", lambda app, host, port: started.update(host=host, port=port))
    monkeypatch.setattr(serve_command, "open_browser", lambda url: started.update(browser=url))
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0", "--no-browser",
                                      "--no-builtin-rules", "--rules", str(MINI)])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0" in result.output
    assert started["host"] == "0.0.0.0" and started["port"] > 0 and "browser" not in started


def test_serve_command_takes_the_next_free_port(monkeypatch):
    import socket

    from scopecheck.cli import serve as serve_command
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(serve_command, "DEFAULT_PORT", port)
        chosen = serve_command.pick_port("127.0.0.1", None)
        assert chosen != port and port < chosen < port + serve_command.PORT_ATTEMPTS
        with pytest.raises(Exception, match="already in use"):
            serve_command.pick_port("127.0.0.1", port)
