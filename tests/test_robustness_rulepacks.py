"""Rule packs cannot hurt the host: no YAML object tags, no catastrophic regexes, no code."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scopecheck.api import check_text
from scopecheck.errors import RulePackError
from scopecheck.rules.loader import load_packs
from scopecheck.rules.phrases import PhraseError, compile_raw
from scopecheck.rules.ruleset import load_ruleset

RULE = """\
pack: {pack}
version: 1.0.0
rules:
  - id: X-EVIL-001
    category: diagnosis-treatment
    severity: error
    applies-to: [marketing]
    kind: forbid
    match:
      - {phrase}
    message: {message}
    rationale: Because.
    citations: [{{body: ICF, document: Code of Ethics}}]
    suggestion: {suggestion}
    examples:
      flag: ["I treat anxiety."]
      pass: ["I coach."]
"""


def _pack(tmp_path: Path, text: str, name: str = "evil.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    "!!python/name:os.system",
    '!!python/object/new:subprocess.Popen [["touch", "{marker}"]]',
    "!!binary aGVsbG8=",
    "!custom {{a: 1}}",
])
def test_yaml_object_tags_are_rejected_and_never_run(tmp_path, tag):
    marker = tmp_path / "pwned"
    text = f"pack: evil\nversion: 1.0.0\nrules: {tag.format(marker=marker)}\n"
    with pytest.raises(RulePackError) as info:
        load_packs([(_pack(tmp_path, text), False)])
    assert not marker.exists()
    first = str(info.value).splitlines()[0]
    assert re.match(r".*evil\.yaml:3:\d+: rules: ", first), first


CATASTROPHIC = [r"(a+)+", r"(a|aa)*b", r"(\w+\s?)*$", r"(.*a){20}", r"(a|a)*b", r"(a|b|ab)*c",
                r"(.*,){11}P", r"(aa?)*b", r"(\w+\s?){2,5}x", r"(?:[a-z]+)*z", r"(a*b?)*c"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_regexes_are_rejected_with_a_clear_message(pattern):
    with pytest.raises(PhraseError) as info:
        compile_raw(pattern, "re:" + pattern)
    message = str(info.value)
    assert any(w in message for w in ("exponential", "many ways", "empty text")), message


@pytest.mark.parametrize("pattern", [r"(ab|a)*c", r"(?:\w+\s+){0,3}anxiety", r"(?:\d{3}-){2}\d{4}",
                                     r"\b(?:cure|heal)s?\b", r"(?:[^\s]+ ){2,5}x", r"(?:a|b)*c"])
def test_linear_regexes_still_load(pattern):
    assert compile_raw(pattern, "re:" + pattern).raw


def test_rejected_regex_is_reported_at_its_line_through_the_cli(tmp_path):
    pack = _pack(tmp_path, RULE.format(pack="evil", phrase='"re:(a|aa)*b"', message="m", suggestion="s"))
    proc = subprocess.run([sys.executable, "-m", "scopecheck", "check", "--no-cache", "--rules", str(pack), "-"],
                          input="I coach.", capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert re.search(r"evil\.yaml:10:9: rules\[0\]\.match\[0\]: .*exponential", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr


def test_accepted_raw_regex_runs_fast_on_a_near_match(tmp_path):
    pack = _pack(tmp_path, RULE.format(pack="fast", phrase='"re:(?:\\\\w+\\\\s+){0,3}zzz"', message="m",
                                       suggestion="s"))
    rs = load_ruleset([pack], builtin=False)
    text = "word " * 20000
    start = time.perf_counter()
    check_text(text, ruleset=rs)
    assert time.perf_counter() - start < 5  # a generous bound: catastrophic would be hours


@pytest.mark.parametrize("payload", [
    "{__import__('os').system('touch MARKER')}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${os.system('touch MARKER')}",
    "%(match)s {match!r} {0}",
])
def test_message_and_suggestion_fields_are_never_evaluated(tmp_path, payload):
    marker = tmp_path / "MARKER"
    quoted = '"' + payload.replace("MARKER", str(marker)).replace('"', '\\"') + '"'
    pack = _pack(tmp_path, RULE.format(pack="code", phrase='"treat anxiety"', message=quoted, suggestion=quoted))
    rs = load_ruleset([pack], builtin=False)
    findings = check_text("I treat anxiety {match} {__class__}.", ruleset=rs)
    assert not marker.exists()
    expected = payload.replace("MARKER", str(marker))
    assert [f.message for f in findings] == [expected]
    assert findings[0].suggestion == expected


def test_document_text_is_not_expanded_as_a_template(tmp_path):
    pack = _pack(tmp_path, RULE.format(pack="tmpl", phrase='"re:treat \\\\S+"', message='"said {match}"',
                                       suggestion="s"))
    rs = load_ruleset([pack], builtin=False)
    [finding] = check_text("I treat {t-condition}{{7*7}}.", ruleset=rs)
    assert finding.message == "said treat {t-condition}{{7*7}}."
