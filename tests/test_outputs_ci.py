"""JUnit, GitHub annotations and Markdown, including escaping of hostile document text."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from outputs_support import HOSTILE, report_for, write
from scopecheck.outputs import formatter
from scopecheck.outputs.github import escape_data, escape_property


@pytest.fixture
def data(tmp_path: Path) -> dict:
    intake = write(tmp_path, "intake.txt", HOSTILE)
    about = write(tmp_path, "about.md", "---\ntype: marketing\n---\nI'm welcoming new patients.\n\nWe treat PTSD.\n")
    clean = write(tmp_path, "program.md", "---\ntype: program\n---\nSix sessions on the goals you choose.\n")
    unreadable = tmp_path / "broken.md"
    unreadable.write_bytes(b"\xff\xfe\x00bad\x00")
    return report_for([intake, about, clean, unreadable], suppress_first="quoted from a client").to_dict()


def test_junit_has_one_case_per_document_and_rule(data: dict) -> None:
    root = ET.fromstring(formatter("junit")(data))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert len(suites) == len(data["documents"])
    applied = data["rules_applied"]
    for d in data["documents"]:
        suite = suites[d["path"]]
        cases = suite.findall("testcase")
        if d["status"] == "error":
            assert len(cases) == 1 and cases[0].find("error") is not None
            continue
        assert len(cases) == len(applied[d["type"]]) == int(suite.get("tests"))
        failing_rules = {f["rule_id"] for f in data["findings"]
                         if f["path"] == d["path"] and f.get("suppressed") is None}
        failed = {c.get("name").split(":")[0] for c in cases if c.find("failure") is not None}
        assert failed == failing_rules
        assert int(suite.get("failures")) == len(failing_rules)
    total_failures = sum(int(s.get("failures")) for s in suites.values())
    assert int(root.get("failures")) == total_failures > 0
    assert int(root.get("errors")) == 1
    assert int(root.get("skipped")) == 1  # the suppressed finding's rule has no other finding there
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())


def test_junit_failure_carries_the_finding(data: dict) -> None:
    root = ET.fromstring(formatter("junit")(data))
    failure = next(c.find("failure") for c in root.iter("testcase")
                   if c.get("name").startswith("T-TREAT-001") and c.get("classname").endswith("about.md"))
    assert failure.get("type") == "error"
    assert "We treat PTSD." in failure.text and "suggestion: Describe the goals you support instead." in failure.text


def test_github_one_line_per_active_finding(data: dict) -> None:
    lines = formatter("github")(data).splitlines()
    active = [f for f in data["findings"] if f.get("suppressed") is None]
    finding_lines = [line for line in lines if "title=scopecheck T-" in line]
    assert len(finding_lines) == len(active)
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
                         r"title=[^,:]+::[^\r\n]+$")
    for line in finding_lines:
        assert pattern.match(line), line
    assert any(line.startswith("::error file=") and "could not read" in line for line in lines)
    ptsd = next(line for line in finding_lines if "about.md" in line and "T-TREAT-001" in line)
    assert ",line=6,col=4,endLine=6,endColumn=14," in ptsd
    assert "%0ATry: " in ptsd


def test_github_percent_encoding() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    from scopecheck.outputs.github import command
    assert command("warning", "x: y, z", file="dir,1/a:b.md", line=3) == "::warning file=dir%2C1/a%3Ab.md,line=3::x: y, z"


def test_markdown_summary_and_table(data: dict) -> None:
    text = formatter("markdown")(data)
    assert text.startswith("## scopecheck: Fail")
    rows = [line for line in text.splitlines() if re.match(r"^\| (Error|Warning|Note) \|", line)]
    assert len(rows) == sum(1 for f in data["findings"] if f.get("suppressed") is None)
    assert all(row.count("|") - row.count("\\|") == 5 for row in rows), rows
    assert "### Could not be read" in text and "### Suppressed" in text


def test_hostile_text_is_escaped_in_markdown_junit_and_github(data: dict) -> None:
    markdown = formatter("markdown")(data)
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "<img" not in markdown
    assert "[link](" not in markdown and "@someone" not in markdown
    junit = formatter("junit")(data)
    assert "<script>" not in junit and "&lt;script&gt;" in junit
    ET.fromstring(junit)  # quotes in attributes did not break the XML
    for line in formatter("github")(data).splitlines():
        assert "\n" not in line and "\r" not in line
        properties = line.split("::")[1]
        assert properties.count("title=") <= 1


@pytest.mark.parametrize("errors", [[], ["a run error <&>"]])
def test_junit_written_suite_by_suite_is_the_whole_tree_indented(data: dict, errors: list[str]) -> None:
    from scopecheck.outputs.junit import build
    data = {**data, "errors": errors} if errors else data
    root = build(data)
    ET.indent(root)
    whole = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    assert formatter("junit")(data) == whole
    assert len(root) == len(data["documents"]) + (1 if errors else 0)


def test_junit_of_an_empty_run_is_one_empty_element() -> None:
    from scopecheck.outputs.junit import build
    empty = {"documents": [], "findings": [], "rules": {}, "rules_applied": {}}
    root = build(empty)
    assert formatter("junit")(empty) == ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                         + ET.tostring(root, encoding="unicode") + "\n")
    assert root.get("tests") == "0" and len(root) == 0
