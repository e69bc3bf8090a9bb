"""End to end: a real headless Chromium drives the page served by a real uvicorn server."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the serve extra (uvicorn) is not installed")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from scopecheck.serve import ServeSettings, create_app  # noqa: E402

MINI = Path(__file__).parent / "fixtures" / "packs" / "mini"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PARAGRAPH = "Welcome! I treat anxiety in eight weeks, and my patients love the results."


def find_chromium() -> str | None:
    for candidate in (os.environ.get("SCOPECHECK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (looked at $SCOPECHECK_CHROMIUM, /usr/bin/chromium and PATH); "
           "install Debian's chromium package to run the browser tests")


@pytest.fixture(scope="module")
def server_url():
    import uvicorn
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ServeSettings(port=port, rules_dirs=(MINI,), builtin_rules=False)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server_url)
    page.wait_for_function("() => document.querySelectorAll('#doc-type option').length > 1")
    yield page
    context.close()
    assert errors == [], f"the page reported errors: {errors}"


def type_text(page, text: str) -> None:
    page.fill("#editor", text)
    page.wait_for_function(
        "(n) => document.querySelectorAll('#finding-list .finding-item').length >= n", arg=1)


def test_paste_select_read_apply_and_download(page, tmp_path):
    page.select_option("#doc-type", "marketing")
    type_text(page, PARAGRAPH)

    # the highlights sit on the words the findings are about
    marks = page.locator("#highlights mark")
    page.wait_for_function("() => document.querySelectorAll('#highlights mark').length === 2")
    assert marks.nth(0).text_content() == "treat anxiety" and "sev-error" in marks.nth(0).get_attribute("class")
    assert marks.nth(1).text_content() == "patients" and "sev-warning" in marks.nth(1).get_attribute("class")

    # select a finding by clicking in the highlighted words, and read why it matters
    box = marks.nth(0).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#detail-message").text_content() == '"treat anxiety" reads as a promise to treat anxiety.'
    assert page.locator("#detail-rationale").text_content() == "Treating a condition is clinical care."
    assert page.locator("#detail-citations").text_content() == "NBHWC, Scope of Practice"
    assert page.locator("#apply-fix").is_hidden()

    # the keyboard reaches the other finding; its rewrite applies in one click
    page.focus("#editor")
    page.keyboard.press("Home")
    page.keyboard.press("F8")
    page.keyboard.press("F8")
    assert page.locator("#detail-message").text_content() == 'Say "clients" rather than "patients".'
    page.click("#apply-fix")
    page.wait_for_function("() => document.querySelectorAll('#highlights mark').length === 1")
    assert "my clients love" in page.input_value("#editor")
    assert "patients" not in page.locator("#finding-list").text_content()
    assert "that finding is gone" in page.locator("#detail-empty").text_content()

    # download the JSON and the audit report
    with page.expect_download() as download_info:
        page.click("#download-json")
    saved = tmp_path / "report.json"
    download_info.value.save_as(saved)
    report = json.loads(saved.read_text())
    assert [f["rule_id"] for f in report["findings"]] == ["T-TREAT-001"]
    if page.locator("#download-html").is_enabled():
        with page.expect_download() as download_info:
            page.click("#download-html")
        assert download_info.value.suggested_filename.endswith(".html")
        html_file = tmp_path / "report.html"
        download_info.value.save_as(html_file)
        assert "T-TREAT-001" in html_file.read_text()


def test_checklist_inserts_ready_wording_and_text_is_never_markup(page):
    page.select_option("#doc-type", "intake")
    hostile = 'Name: ____\n<img src=x onerror="window.hacked=1"> Do you think about suicide? Y / N'
    type_text(page, hostile)
    page.wait_for_selector("#checklist li")
    assert "Coaching is not therapy" in page.locator("#checklist").text_content()
    page.get_by_role("button", name="Insert ready wording for: Coaching is not therapy").click()
    page.wait_for_function("() => document.querySelector('#checklist .check-mark.present') !== null")
    assert page.input_value("#editor").startswith("Coaching is not therapy and does not diagnose")

    # the suicide question needs crisis instructions: insert them next to it
    page.get_by_role("button", name="Must fix: Suicide is mentioned without crisis instructions next to it.",
                     exact=False).click()
    assert page.locator("#apply-fix").text_content() == "Insert into my text"
    page.click("#apply-fix")
    page.wait_for_function(
        "() => !document.querySelector('#finding-list').textContent.includes('Suicide is mentioned')")
    assert "call or text 988" in page.input_value("#editor")
    assert page.evaluate("window.hacked") is None
    assert page.locator("#highlights img").count() == 0


def test_keyboard_reaches_everything_and_controls_are_labelled(page):
    page.select_option("#doc-type", "marketing")
    type_text(page, PARAGRAPH)
    for control in ("#editor", "#doc-type", "#jurisdiction", "#download-json"):
        name = page.locator(control).evaluate(
            "(el) => el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent) "
            "|| el.textContent")
        assert name and name.strip(), control
    page.locator(".finding-item").first.focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('aria-current')")
    assert focused == "true"
    page.locator("#tab-upload").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#panel-url").is_visible() and page.locator("#panel-upload").is_hidden()
