"""Large runs move their results to a temporary file; every output must be the same either way."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scopecheck.model import DocumentResult
from scopecheck.outputs import FORMATTERS, STREAMERS
from scopecheck.spool import SPILL_VAR, LazyList, ResultSpool

from conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples"


def _result(path: str) -> DocumentResult:
    return DocumentResult(path=path, doc_type="marketing", type_source="default", sha256=None,
                          format="text", status="pass")


def test_spool_stays_in_memory_below_its_limit():
    spool = ResultSpool([_result("b"), _result("a")], spill_after=10)
    spool.sort_by_path()
    assert not spool.spilled
    assert [r.path for r in spool] == ["a", "b"]


def test_spilled_results_read_back_in_path_order_on_every_walk():
    results = [_result(f"doc-{i:03d}.md") for i in (5, 1, 4, 2, 3)]
    spool = ResultSpool(results, spill_after=0)
    spool.sort_by_path()
    assert spool.spilled
    assert spool._memory == []  # nothing kept in memory once spilled
    walk = [r.path for r in spool]
    assert walk == sorted(walk) and len(walk) == 5
    assert [r.path for r in spool] == walk  # a second walk reads the file again
    assert spool[0].path == "doc-001.md" and [r.path for r in spool[1:3]] == walk[1:3]
    assert spool == sorted(results, key=lambda r: r.path)
    spool.close()


@pytest.mark.parametrize("spill_after", [0, 100])
def test_summaries_follow_the_results_and_are_read_without_them(spill_after, monkeypatch):
    def summarize(result: DocumentResult) -> dict:
        return {"path": result.path, "status": result.status}

    results = [_result(f"doc-{i:03d}.md") for i in (3, 1, 2)]
    spool = ResultSpool(results, spill_after=spill_after, summarize=summarize)
    spool.sort_by_path()
    expected = [summarize(r) for r in sorted(results, key=lambda r: r.path)]
    assert list(spool.summaries(lambda r: {"path": r.path, "status": r.status})) == expected  # another function
    if spool.spilled:
        def no_results(*_args):
            raise AssertionError("a result was read to give its summary")
        monkeypatch.setattr(spool, "_read", no_results)
    assert list(spool.summaries(summarize)) == expected
    assert list(spool.summaries(summarize)) == expected  # every walk
    spool.close()


def test_lazy_list_is_produced_on_each_walk():
    calls = []

    def items():
        calls.append(1)
        return iter([1, 2, 3])

    lazy = LazyList(3, items)
    assert len(lazy) == 3 and bool(lazy)
    assert list(lazy) == [1, 2, 3] and list(lazy) == [1, 2, 3]
    assert len(calls) == 2
    assert json.loads(_dump({"items": lazy}))["items"] == [1, 2, 3]


def _dump(value: dict) -> str:
    from scopecheck.outputs.json_output import render  # the writer the JSON format uses
    return render(value)


def test_only_a_spilled_report_hands_out_lazy_lists(monkeypatch):
    from scopecheck.api import Options, run
    small = run([str(EXAMPLES / "site")], Options())
    assert isinstance(small.documents, ResultSpool) and not small.documents.spilled
    assert type(small.to_dict(stream=True)["findings"]) is list
    monkeypatch.setenv(SPILL_VAR, "0")
    large = run([str(EXAMPLES / "site")], Options())
    assert large.documents.spilled
    streamed = large.to_dict(stream=True)
    assert isinstance(streamed["findings"], LazyList)
    assert type(large.to_dict()["findings"]) is list  # formats that are not streamed get real lists
    assert list(streamed["findings"]) == small.to_dict()["findings"]


@pytest.mark.parametrize("fmt", sorted(FORMATTERS))
def test_every_format_is_identical_when_results_are_spilled(fmt, tmp_path: Path):
    args = ["check", "--no-cache", "-j", "1", "--format", fmt, "--explain", str(EXAMPLES)]
    normal = run_cli(*args, env={SPILL_VAR: "100000", "SOURCE_DATE_EPOCH": "1700000000"})
    spilled = run_cli(*args, env={SPILL_VAR: "0", "SOURCE_DATE_EPOCH": "1700000000"})
    assert normal.returncode == spilled.returncode == 1, normal.stderr
    assert spilled.stdout == normal.stdout
    assert len(normal.stdout) > 1000


def test_extra_outputs_are_identical_when_results_are_spilled(tmp_path: Path):
    outputs = {}
    for limit in ("100000", "0"):
        folder = tmp_path / limit
        folder.mkdir()
        targets = [f"--output-format={fmt}:{folder / fmt}" for fmt in ("json", "sarif", "text", "github")]
        done = run_cli("check", "--no-cache", "-j", "1", "-o", str(folder / "main.json"), "--format", "json",
                       *targets, str(EXAMPLES), env={SPILL_VAR: limit, "SOURCE_DATE_EPOCH": "1700000000"})
        assert done.returncode == 1, done.stderr
        outputs[limit] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    assert outputs["0"] == outputs["100000"]
    assert json.loads(outputs["0"]["main.json"])["summary"]["findings"]["error"] > 0


def test_the_tally_counted_during_the_run_matches_one_counted_by_walking(monkeypatch):
    from scopecheck.api import Options, run
    from scopecheck.report import Report
    monkeypatch.setenv(SPILL_VAR, "0")
    report = run([str(EXAMPLES)], Options())
    walked = Report(report.documents, report.packs, report.rules, report.fail_on).tally()
    assert report.tally() == walked and walked.findings > 100 and walked.warnings == report.tally().warnings


def test_records_pickle_and_replace_field_by_field():
    import pickle
    from dataclasses import fields, replace

    from scopecheck.model import Citation, Finding, Location, replaced
    finding = Finding(rule_id="SC-1", category="c", severity="error", kind="forbid", path="p.md",
                      location=Location(1, 2, 1, 9, None, "line"), message="m", excerpt="e", highlight=(0, 1),
                      suggestion="s", citations=(Citation("ICF", "Code", "4.1"),), start=3, end=9)
    assert pickle.loads(pickle.dumps(finding)) == finding
    for field in fields(Finding):
        changed = {field.name: "x" if field.type in ("str", "str | None") else getattr(finding, field.name)}
        assert replaced(finding, **changed) == replace(finding, **changed)
    assert replaced(finding, fingerprint="f", suppressed="why") == replace(finding, fingerprint="f", suppressed="why")
    result = DocumentResult(path="p.md", doc_type="marketing", type_source="default", sha256="0", format="markdown",
                            status="fail", findings=(finding,))
    assert replaced(result, silenced=(), status="pass") == replace(result, silenced=(), status="pass")
    with pytest.raises(KeyError):
        replaced(finding, no_such_field=1)


@pytest.mark.parametrize("fmt", sorted(STREAMERS))
def test_each_streamed_format_writes_what_it_renders(fmt, monkeypatch):
    import io
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the HTML report says when it was made

    from scopecheck.api import Options, run
    from scopecheck.outputs import formatter, write_report
    lengths = []
    for report in (run([str(EXAMPLES)], Options(explain=True)), run([], Options())):
        data = report.to_dict()
        written = io.StringIO()
        write_report(fmt, data, written)
        assert written.getvalue() == formatter(fmt)(data)
        lengths.append(len(written.getvalue()))
    assert lengths[0] > 1000


def test_the_ci_formats_are_streamed():
    assert {"json", "sarif", "junit"} <= set(STREAMERS)


def test_a_lazy_list_answers_what_a_template_may_ask_of_it():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    source = ('{{ x[0].a }} {{ (x | first).a }} {{ (x | last).a }} {{ x | map(attribute="a") | join(",") }} '
              '{{ x | reverse | map(attribute="a") | join(",") }} {{ {"a": 2} in x }} {{ x | length }} '
              '{{ x | sort(attribute="a", reverse=true) | map(attribute="a") | first }} {{ x | tojson }}')
    for env in (jinja2.Environment(), SandboxedEnvironment()):
        lazy = LazyList(3, lambda: iter([{"a": 1}, {"a": 2}, {"a": 3}]))
        held = [{"a": 1}, {"a": 2}, {"a": 3}]
        assert env.from_string(source).render(x=lazy) == env.from_string(source).render(x=held)
