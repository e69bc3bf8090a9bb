"""The HTML report: a DOM check (headings, tables, escaping, self-contained)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from outputs_support import HOSTILE, ROOT, report_for, write
from scopecheck.outputs import formatter


class Dom(HTMLParser):
    """Collects what the checks need: tags with attributes, heading texts, table shapes, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._heading_tag = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading, self._heading_tag = [], tag

    def handle_endtag(self, tag):
        if tag == self._heading_tag and self._heading is not None:
            self.headings.append((tag, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


@pytest.fixture
def page(tmp_path: Path) -> tuple[str, Dom]:
    intake = write(tmp_path, 'intake "x" <b>.txt', HOSTILE)
    about = write(tmp_path, "about.md", "---\ntype: marketing\n---\nI'm welcoming new patients.\n\nWe treat PTSD.\n")
    html = formatter("html")(report_for([intake, about], suppress_first="quoted from a client").to_dict())
    dom = Dom()
    dom.feed(html)
    return html, dom


def test_structure(page: tuple[str, Dom]) -> None:
    html, dom = page
    assert html.startswith("<!DOCTYPE html>")
    levels = [h for h, _ in dom.headings]
    assert levels.count("h1") == 1
    titles = [t for h, t in dom.headings if h == "h2"]
    for expected in ("Verdict: Fail", "Checklist", "Findings", "Suppressed findings", "What was checked",
                     "Reviewer sign-off"):
        assert expected in titles
    tags = [t for t, _ in dom.tags]
    assert tags.count("table") >= 4 and "thead" in tags and "caption" in tags
    assert all(a.get("scope") in ("col", "row") for t, a in dom.tags if t == "th")
    # five findings in the two files, one of them suppressed (listed in its own table instead)
    assert sum(1 for t, a in dom.tags if t == "article" and "finding" in a.get("class", "")) == 4


def test_self_contained(page: tuple[str, Dom]) -> None:
    html, dom = page
    assert not [a for t, a in dom.tags if t == "script"]
    assert not [a for t, a in dom.tags if t in ("link", "img", "iframe")]
    for _, attrs in dom.tags:
        for name in ("src", "href"):
            assert not (attrs.get(name) or "#").startswith(("http", "//")), attrs
    assert "@media print" in html and "<style>" in html


def test_document_text_is_escaped(page: tuple[str, Dom]) -> None:
    html, dom = page
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert not [a for t, a in dom.tags if any(k.startswith("on") for k in a)]
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "intake &#34;x&#34; &lt;b&gt;.txt" in html and "<b>" not in html
    text = " ".join(" ".join(dom.text).split())
    assert 'We treat anxiety <script>alert(1)</script> with "quotes" & ampersands "><img src=x onerror=alert(2)>.' in text


def test_checklist_and_finding_details(page: tuple[str, Dom]) -> None:
    html, dom = page
    text = " ".join(" ".join(dom.text).split())
    assert "Coaching is not therapy" in text and "Missing" in text
    assert "Why it matters Treating a condition is clinical care." in text
    assert "Rests on NBHWC, Scope of Practice" in text
    assert "quoted from a client" in text
    assert "<mark>treat PTSD</mark>" in html


def test_templates_compile_once_per_process(tmp_path: Path, monkeypatch) -> None:
    import jinja2

    from scopecheck.outputs import html, templating
    getattr(templating.environment, "cache_clear", lambda: None)()  # as in a new process
    compiled: list[str | None] = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or real(self, source, name, *a, **k))
    data = report_for([write(tmp_path, "page.md", "I treat anxiety.\n")]).to_dict()
    first = html.render(data, generated="2024-01-01 00:00:00 UTC")
    made = len(compiled)
    # an audit renders the report template once per submission
    assert html.render(data, generated="2024-01-01 00:00:00 UTC") == first
    assert "report.html.j2" in compiled and len(compiled) == made


def test_each_document_gets_its_own_findings_in_report_order() -> None:
    from scopecheck.outputs import view

    def finding(path: str, rule: str, suppressed: str | None = None) -> dict:
        return {"path": path, "rule_id": rule, "suppressed": suppressed, "checklist": None, "severity": "error"}

    def document(path: str) -> dict:
        return {"path": path, "type": "marketing", "status": "fail", "checklist": []}

    data = {"documents": [document("a.md"), document("b.md"), document("b.md"), document("c.md")],
            "findings": [finding("a.md", "R1"), finding("a.md", "R2", "quoted"), finding("b.md", "R3"),
                         finding("b.md", "R4")],
            "summary": {"documents": 4, "failed": 3, "errors": 0, "findings": {"error": 3}, "suppressed": 1},
            "fail_on": "error", "tool": {"name": "scopecheck", "version": "0", "packs": []}}
    built = view.build(data, generated="then")
    rows = [([f["rule_id"] for f in d["active"]], [f["anchor"] for f in d["active"]],
             [f["rule_id"] for f in d["suppressed_findings"]]) for d in built["documents"]]
    assert rows == [(["R1"], ["finding-1"], ["R2"]), (["R3", "R4"], ["finding-3", "finding-4"], []),
                    (["R3", "R4"], ["finding-3", "finding-4"], []), ([], [], [])]


def _examples_record() -> dict:
    from scopecheck.api import Options, run
    return run([str(ROOT / "examples" / "site")], Options(explain=True)).to_dict()


def test_the_record_digest_is_the_sha256_of_the_canonical_json() -> None:
    import hashlib
    import json

    from scopecheck.outputs.templating import record_digest
    records = [{}, {"a": []}, {"b": [1, {"z": 1, "a": "\u00e9"}], "a": {"y": [1, 2], "x": None}},
               _examples_record()]
    for record in records:
        canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert record_digest(record) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_spilled_report_is_viewed_lazily_and_reads_the_same(monkeypatch) -> None:
    from scopecheck.api import Options, run
    from scopecheck.outputs import view
    from scopecheck.spool import SPILL_VAR, LazyList
    monkeypatch.setenv(SPILL_VAR, "0")
    streamed = run([str(ROOT / "examples" / "site")], Options()).to_dict(stream=True)
    monkeypatch.setenv(SPILL_VAR, "100000")
    held = run([str(ROOT / "examples" / "site")], Options()).to_dict()
    lazy, eager = view.build(streamed, generated="then"), view.build(held, generated="then")
    assert isinstance(lazy["documents"], LazyList) and type(eager["documents"]) is list
    for key in ("documents", "suppressed", "unreadable"):
        assert list(lazy[key]) == eager[key], key
    assert {t: list(d) for t, d in lazy["by_type"].items()} == eager["by_type"]
    assert {k: v for k, v in lazy.items() if k not in ("data", "documents", "by_type", "suppressed")} == \
        {k: v for k, v in eager.items() if k not in ("data", "documents", "by_type", "suppressed")}


@pytest.mark.parametrize(("excerpt", "span", "shown"), [
    ("We <b>treat</b>\n  anxiety & \"panic\" <i>fast</i>", (3, 25),
     "We <mark>&lt;b&gt;treat&lt;/b&gt;\n  anxiety</mark> &amp; &#34;panic&#34; &lt;i&gt;fast&lt;/i&gt;"),
    ("  a <x>  b  ", (5, 8), "a &lt;<mark>x&gt; </mark> b"),  # the edges next to the match stay
    ("<p>no span</p>", (4, 4), "&lt;p&gt;no span&lt;/p&gt;"),
])
def test_highlight_escapes_every_part_and_marks_the_matched_words(excerpt: str, span: tuple[int, int],
                                                                  shown: str) -> None:
    from scopecheck.outputs.templating import highlight_html
    assert str(highlight_html({"excerpt": excerpt, "highlight": list(span)})) == shown


@pytest.mark.parametrize("expression", [
    "d.rule_id", "d.items", "d['items']", "d.items is callable", "d.get('rule_id')", "d.nested.deep",
    "d.missing is defined", "d.__class__ is defined", "d.keys()|list|length", "(d|dictsort)[0][0]",
])
def test_report_templates_read_dicts_as_jinja_does(expression: str, tmp_path: Path) -> None:
    """Item-first lookups on plain dicts give what Jinja2's attribute-first lookup gives,
    in the bundled environment and in the sandbox for user templates."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from scopecheck.outputs.templating import environment
    d = {"rule_id": "T-TREAT-001", "items": 3, "nested": {"deep": [1, 2]}}
    for ours, theirs in ((environment("html"), jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)),
                         (environment("html", tmp_path),
                          SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True))):
        source = "{{ " + expression + " }}"
        assert ours.from_string(source).render(d=d) == theirs.from_string(source).render(d=d)


def test_report_templates_still_refuse_a_missing_key() -> None:
    import jinja2

    from scopecheck.outputs.templating import environment
    with pytest.raises(jinja2.UndefinedError):
        environment("html").from_string("{{ d.missing }}").render(d={"rule_id": "x"})
