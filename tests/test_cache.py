"""The compiled-rules cache and the result cache return exactly what a fresh run would."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scopecheck import api, cache
from scopecheck.api import Options, run
from scopecheck.rules.ruleset import load_ruleset

from conftest import result_cache_entries, results_loaded, results_pickled

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "packs" / "mini" / "mini.yaml"
PAGES = {
    "home.md": "# Welcome\n\nI treat anxiety and depression.\n\nMy patients love this.\n",
    "about.md": "# About\n\nI do not diagnose or treat anxiety. Coaching is a partnership.\n",
    "intake.txt": "Name: ____\n\nDo you have thoughts of suicide? Y / N\n",
}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_VAR, str(folder))
    monkeypatch.delenv(cache.DISABLE_VAR, raising=False)
    return folder


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pack(tmp_path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    return folder


def _options(pack: Path, **kw) -> Options:
    return Options(rules_dirs=(pack,), builtin_rules=False, **kw)


def _rules_files(cache_dir: Path) -> list[Path]:
    """The compiled rule sets (not the memo of pattern code they share)."""
    return sorted(p for p in (cache_dir / "rules").glob("*.pickle") if not p.name.startswith("patterns-"))


def _memo(cache_dir: Path) -> Path:
    [memo] = (cache_dir / "rules").glob("patterns-*.pickle")
    return memo


def test_compiled_rules_are_cached_and_identical(cache_dir, pack, site):
    fresh = load_ruleset((pack,), builtin=False)
    assert len(_rules_files(cache_dir)) == 1
    warm = load_ruleset((pack,), builtin=False)
    assert warm is not fresh
    assert [r.id for r in warm.rules] == [r.id for r in fresh.rules]
    assert warm.fingerprint == fresh.fingerprint != ""
    assert (run([str(site)], _options(pack), warm).to_dict()
            == run([str(site)], _options(pack), fresh).to_dict())


def test_warm_load_does_not_read_packs(cache_dir, pack, monkeypatch):
    load_ruleset((pack,), builtin=False)
    from scopecheck.rules import loader

    def fail(*_a, **_k):
        raise AssertionError("packs were loaded although the compiled form is cached")
    monkeypatch.setattr(loader, "load_packs", fail)
    assert load_ruleset((pack,), builtin=False).rules


def test_editing_a_pack_recompiles(cache_dir, pack):
    before = load_ruleset((pack,), builtin=False)
    text = (pack / "mini.yaml").read_text(encoding="utf-8")
    (pack / "mini.yaml").write_text(text.replace("id: T-LANG-001", "id: T-LANG-009"), encoding="utf-8")
    after = load_ruleset((pack,), builtin=False)
    assert "T-LANG-001" in {r.id for r in before.rules}
    assert "T-LANG-009" in {r.id for r in after.rules} and "T-LANG-001" not in {r.id for r in after.rules}
    assert after.fingerprint != before.fingerprint
    assert len(_rules_files(cache_dir)) == 2


def test_adding_a_pack_file_recompiles(cache_dir, pack):
    load_ruleset((pack,), builtin=False)
    text = (pack / "mini.yaml").read_text(encoding="utf-8").replace("pack: mini", "pack: extra")
    text = text.replace("id: T-", "id: X-").replace("t-treat-verb:", "x-treat-verb:")
    (pack / "extra.yaml").write_text(text.replace("{t-treat-verb}", "{x-treat-verb}")
                                     .replace("t-condition:", "x-condition:").replace("{t-condition", "{x-condition")
                                     .replace("t-possessive:", "x-possessive:").replace("{t-possessive", "{x-possessive"),
                                     encoding="utf-8")
    assert any(r.id.startswith("X-") for r in load_ruleset((pack,), builtin=False).rules)


def test_settings_are_part_of_the_key(cache_dir, pack):
    everything = load_ruleset((pack,), builtin=False)
    only_treat = load_ruleset((pack,), select=("T-TREAT-001",), builtin=False)
    assert len(everything.rules) > 1
    assert [r.id for r in only_treat.rules] == ["T-TREAT-001"]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_corrupt_compiled_cache_falls_back(cache_dir, pack, damage):
    expected = [r.id for r in load_ruleset((pack,), builtin=False).rules]
    for path in _rules_files(cache_dir):
        path.write_bytes(damage)
    assert [r.id for r in load_ruleset((pack,), builtin=False).rules] == expected


def test_a_rebuilt_rule_set_compiles_only_patterns_it_has_not_seen(cache_dir, pack, monkeypatch):
    from scopecheck.rules import matcher as matcher_module
    compiled: list[str] = []
    real_freeze = matcher_module.freeze

    def counting(source: str) -> bytes:
        compiled.append(source)
        return real_freeze(source)
    monkeypatch.setattr(matcher_module, "freeze", counting)
    load_ruleset((pack,), builtin=False)
    first = len(compiled)
    assert first > 10
    text = (pack / "mini.yaml").read_text(encoding="utf-8")
    (pack / "mini.yaml").write_text(text.replace("id: T-LANG-001", "id: T-LANG-009"), encoding="utf-8")
    load_ruleset((pack,), builtin=False)  # a new rule set, the same phrases
    assert len(compiled) == first
    load_ruleset((pack,), select=("T-TREAT-001",), builtin=False)
    assert len(compiled) == first


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_corrupt_pattern_memo_is_rebuilt(cache_dir, pack, site, damage):
    expected = run([str(site)], _options(pack), load_ruleset((pack,), builtin=False)).to_dict()
    for path in _rules_files(cache_dir):
        path.unlink()
    _memo(cache_dir).write_bytes(damage)
    rebuilt = load_ruleset((pack,), builtin=False)
    assert run([str(site)], _options(pack), rebuilt).to_dict() == expected
    assert _memo(cache_dir).stat().st_size > 1000
    warm = load_ruleset((pack,), builtin=False)
    assert warm is not rebuilt and run([str(site)], _options(pack), warm).to_dict() == expected


def test_unusable_cache_dir_falls_back(tmp_path, monkeypatch, pack, site):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.ENV_VAR, str(blocker / "cache"))  # a folder inside a file: cannot exist
    rules = load_ruleset((pack,), builtin=False)
    report = run([str(site)], _options(pack, cache=True), rules)
    assert report.documents and all(d.status != "error" for d in report.documents)


def test_disable_variable_turns_caching_off(cache_dir, pack, site, monkeypatch):
    monkeypatch.setenv(cache.DISABLE_VAR, "1")
    rules = load_ruleset((pack,), builtin=False)
    run([str(site)], _options(pack, cache=True), rules)
    assert not cache_dir.exists() or not any(cache_dir.rglob("*.pickle"))


def _count_checks(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = api.check_one

    def counting(path, data, ruleset, options):
        seen.append(path)
        return real(path, data, ruleset, options)
    import scopecheck.parallel as parallel
    monkeypatch.setattr(parallel, "check_one", counting)
    return seen


def test_result_cache_hit_returns_identical_results(cache_dir, pack, site, monkeypatch):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    checked = _count_checks(monkeypatch)
    first = run([str(site)], options, rules)
    assert len(checked) == len(PAGES)
    second = run([str(site)], options, rules)
    assert len(checked) == len(PAGES), "unchanged files were checked again"
    assert second.to_dict() == first.to_dict()
    assert second.documents == first.documents
    uncached = run([str(site)], replace(options, cache=False), rules)
    assert uncached.to_dict() == first.to_dict()


def test_changed_file_is_checked_again(cache_dir, pack, site, monkeypatch):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    run([str(site)], options, rules)
    checked = _count_checks(monkeypatch)
    (site / "about.md").write_text("# About\n\nI cure your OCD.\n", encoding="utf-8")
    report = run([str(site)], options, rules)
    assert [Path(p).name for p in checked] == ["about.md"]
    assert any(f.rule_id == "T-TREAT-001" and f.path.endswith("about.md") for f in report.findings)


def test_options_that_change_results_are_part_of_the_key(cache_dir, pack, site, monkeypatch):
    rules = load_ruleset((pack,), builtin=False)
    run([str(site)], _options(pack, cache=True), rules)
    checked = _count_checks(monkeypatch)
    as_intake = run([str(site)], _options(pack, cache=True, doc_type="intake"), rules)
    assert len(checked) == len(PAGES)
    assert {d.doc_type for d in as_intake.documents} == {"intake"}
    # reporting-only options reuse the same entries
    run([str(site)], _options(pack, cache=True, doc_type="intake", fail_on="warning"), rules)
    assert len(checked) == len(PAGES)
    # --explain needs the silenced candidates, which a run without it neither makes nor stores:
    # each page is checked once more, and its entry then serves both kinds of run
    for explain in (True, True, False):
        run([str(site)], _options(pack, cache=True, doc_type="intake", explain=explain), rules)
        assert len(checked) == 2 * len(PAGES)


def test_rules_are_part_of_the_key(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    first = run([str(site)], _options(pack, cache=True), rules)
    fewer = load_ruleset((pack,), ignore=("T-TREAT-001",), builtin=False)
    second = run([str(site)], _options(pack, cache=True, ignore=("T-TREAT-001",)), fewer)
    assert any(f.rule_id == "T-TREAT-001" for f in first.findings)
    assert not any(f.rule_id == "T-TREAT-001" for f in second.findings)


def test_error_results_are_not_cached(cache_dir, pack, site, monkeypatch):
    import scopecheck.parallel as parallel
    rules = load_ruleset((pack,), builtin=False)
    monkeypatch.setattr(parallel, "check_one", lambda path, *_: api.error_result(path, "boom"))
    report = run([str(site)], _options(pack, cache=True), rules)
    assert {d.status for d in report.documents} == {"error"}
    assert result_cache_entries(cache_dir) == {}


def test_cache_entries_with_another_path_are_ignored(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    result_cache = cache.ResultCache.open(rules, options)
    data = (site / "home.md").read_bytes()
    first = run([str(site / "home.md")], options, rules).documents[0]
    assert result_cache.get(first.path, data, silenced=False) == first
    assert result_cache.get("elsewhere/home.md", data, silenced=False) is None


def test_stale_contexts_are_pruned(cache_dir, pack, site):
    old = cache_dir / "results" / ("0" * 32)
    old.mkdir(parents=True)
    (old / "entry.pickle").write_bytes(b"x")
    long_ago = 1_000_000_000
    os.utime(old, (long_ago, long_ago))
    rules = load_ruleset((pack,), builtin=False)
    run([str(site)], _options(pack, cache=True), rules)
    assert not old.exists()
    assert any((cache_dir / "results").iterdir())


def test_default_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "x"))
    assert cache.default_dir() == tmp_path / "x"
    monkeypatch.delenv(cache.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and not str(cache.sys.platform).startswith("darwin"):
        assert cache.default_dir() == tmp_path / "xdg" / "scopecheck"


def test_silenced_candidates_are_read_only_when_asked_for(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True, explain=True)
    data = (site / "about.md").read_bytes()
    first = run([str(site / "about.md")], options, rules).documents[0]
    assert first.silenced  # "I do not diagnose or treat anxiety" is silenced by the negation guard
    result_cache = cache.ResultCache.open(rules, options)
    assert result_cache.get(first.path, data) == first
    assert result_cache.get(first.path, data, silenced=False) == replace(first, silenced=())


def test_explain_after_a_cached_run_still_shows_silenced_candidates(cache_dir, pack, site):
    # the plain run stores no silenced candidates; the --explain run takes its entries for misses
    rules = load_ruleset((pack,), builtin=False)
    plain = run([str(site)], _options(pack, cache=True), rules)
    assert all(not d.silenced for d in plain.documents)
    explained = run([str(site)], _options(pack, cache=True, explain=True), rules)
    fresh = run([str(site)], _options(pack, explain=True), rules)
    assert [d.silenced for d in explained.documents] == [d.silenced for d in fresh.documents]
    assert any(d.silenced for d in fresh.documents)


def test_a_hit_comes_with_the_stored_pickle_only_when_it_is_the_whole_result(cache_dir, pack, site):
    import pickle
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True, explain=True)
    data = (site / "about.md").read_bytes()
    first = run([str(site / "about.md")], options, rules).documents[0]
    result_cache = cache.ResultCache.open(rules, options)
    found = result_cache.get_pickled(first.path, data, silenced=False)
    assert found.result is None and found.brief().path == first.path  # handed on unloaded
    assert pickle.loads(found.pickled) == found.load() == replace(first, silenced=())
    # with its silenced candidates added, the result is no longer the stored pickle
    assert result_cache.get_pickled(first.path, data) == (first, None, None)


def test_a_spilled_cached_run_writes_the_stored_pickles_and_reports_the_same(cache_dir, pack, site, monkeypatch):
    from scopecheck import spool
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    monkeypatch.setenv(spool.SPILL_VAR, "0")
    first = run([str(site)], options, rules)
    pickled = results_pickled(monkeypatch)
    again = run([str(site)], options, rules)
    assert again.documents.spilled
    assert pickled == [], "a cached result was pickled again"
    assert again.to_dict() == first.to_dict() == run([str(site)], replace(options, cache=False), rules).to_dict()


def test_storing_a_result_hands_back_its_pickle_unless_candidates_were_left_out(cache_dir, pack, site):
    import pickle
    rules = load_ruleset((pack,), builtin=False)
    data = (site / "about.md").read_bytes()
    explained = run([str(site / "about.md")], _options(pack, explain=True), rules).documents[0]
    assert explained.silenced
    result_cache = cache.ResultCache.open(rules, _options(pack, cache=True, explain=True))
    # the entry holds the result without its silenced candidates: not this result's pickle
    assert result_cache.put(explained.path, data, explained, silenced=True) is None
    plain = replace(explained, silenced=())
    pickled = result_cache.put(plain.path, data, plain, silenced=False)
    assert pickled is not None and pickle.loads(pickled) == plain


def test_a_spilled_first_run_pickles_each_result_once(cache_dir, pack, site, monkeypatch):
    from scopecheck import spool
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    monkeypatch.setenv(spool.SPILL_VAR, "0")
    pickled = results_pickled(monkeypatch)
    report = run([str(site)], options, rules)
    assert report.documents.spilled
    assert sorted(pickled) == sorted(d.path for d in report.documents)  # for the cache; not again to spill
    assert report.to_dict() == run([str(site)], replace(options, cache=False), rules).to_dict()


def test_a_spilled_cached_run_does_not_load_its_results_until_the_report(cache_dir, pack, site, monkeypatch):
    from scopecheck import spool
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    monkeypatch.setenv(spool.SPILL_VAR, "0")
    first = run([str(site)], options, rules)
    expected = first.to_dict()
    loaded = results_loaded(monkeypatch)
    again = run([str(site)], options, rules)
    assert again.documents.spilled
    assert loaded == []  # counted and spilled from the briefs the cache keeps
    assert again.tally() == first.tally()
    assert again.to_dict() == expected
    assert set(loaded) == {d["path"] for d in expected["documents"]}  # loaded to write the report


def test_a_held_cached_result_is_loaded_and_the_same(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    first = run([str(site)], options, rules)
    again = run([str(site)], options, rules)
    assert not again.documents.spilled
    assert list(again.documents) == list(first.documents)
    assert again.to_dict() == first.to_dict()


@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_a_damaged_result_inside_an_entry_is_a_miss(cache_dir, pack, site, where):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    fresh = run([str(site)], options, rules).to_dict()
    entries = result_cache_entries(cache_dir)
    assert len(entries) == len(PAGES)
    [database] = (cache_dir / "results").glob("*/entries.sqlite3")
    connection = sqlite3.connect(database)
    for key, entry in entries.items():
        data = bytearray(entry)
        at = int(len(data) * where)
        data[at] ^= 0x5A  # one flipped byte, anywhere: header, result or silenced candidates
        connection.execute("UPDATE entries SET entry = ? WHERE key = ?", (bytes(data), key))
    connection.commit()
    connection.close()
    assert run([str(site)], options, rules).to_dict() == fresh
    assert result_cache_entries(cache_dir) == entries  # a damaged entry is replaced only by a new result


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 200, b"SQLite format 3\x00" + bytes(200)])
def test_a_damaged_database_is_started_afresh(cache_dir, pack, site, content):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    fresh = run([str(site)], options, rules).to_dict()
    [database] = (cache_dir / "results").glob("*/entries.sqlite3")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(content)
    assert run([str(site)], options, rules).to_dict() == fresh
    assert len(result_cache_entries(cache_dir)) == len(PAGES)  # stored again
    assert run([str(site)], options, rules).to_dict() == fresh


def test_a_database_damaged_inside_is_replaced_and_filled_again(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    fresh = run([str(site)], options, rules).to_dict()
    [database] = (cache_dir / "results").glob("*/entries.sqlite3")
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every entry in the file itself
    page_size, root = connection.execute(
        "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()
    connection.close()
    data = bytearray(database.read_bytes())
    at = (root - 1) * page_size
    data[at:at + 64] = b"\xff" * 64  # the table's first page: its header says nothing sound
    database.write_bytes(bytes(data))
    with pytest.raises(sqlite3.DatabaseError):
        result_cache_entries(cache_dir)
    assert run([str(site)], options, rules).to_dict() == fresh
    assert len(result_cache_entries(cache_dir)) == len(PAGES)  # made anew and filled again
    assert run([str(site)], options, rules).to_dict() == fresh


def test_an_unusable_database_leaves_the_run_uncached_and_correct(cache_dir, pack, site):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    expected = run([str(site)], replace(options, cache=False), rules).to_dict()
    result_cache = cache.ResultCache.open(rules, options)
    result_cache.database.mkdir(parents=True)  # a folder where the database should be
    assert run([str(site)], options, rules).to_dict() == expected
    assert result_cache.database.is_dir()


def test_each_stored_result_is_seen_by_another_connection_at_once(cache_dir, pack, site):
    # every entry is its own transaction: a run stopped halfway keeps what it stored
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    data = (site / "home.md").read_bytes()
    result = run([str(site / "home.md")], replace(options, cache=False), rules).documents[0]
    writer = cache.ResultCache.open(rules, options)
    reader = cache.ResultCache.open(rules, options)
    assert reader.get(result.path, data, silenced=False) is None
    writer.put(result.path, data, result, silenced=False)
    assert reader.get(result.path, data, silenced=False) == result
    writer.close()
    reader.close()


def _set_up_at_once(database: str, barrier, failures) -> None:
    barrier.wait()
    try:
        cache._connect(Path(database), set_up=True).close()
    except sqlite3.Error as exc:
        failures.put(repr(exc))


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_processes_setting_up_one_new_database_at_once_all_connect(tmp_path):
    # switching a new database to the write-ahead log can meet "database is locked" with no
    # waiting by SQLite (three processes at once failed 15 times in 180 without trying again)
    import multiprocessing
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for round_ in range(40):
        barrier = context.Barrier(3)
        database = str(tmp_path / f"round-{round_}.sqlite3")
        workers = [context.Process(target=_set_up_at_once, args=(database, barrier, failures)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [w.exitcode for w in workers] == [0, 0, 0]
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == []


def test_two_runs_at_once_on_a_new_cache_store_every_page(cache_dir, pack, tmp_path):
    # both set up the same new database: the one that finds it locked tries again
    many = tmp_path / "many"
    many.mkdir()
    for i in range(60):
        (many / f"page-{i:02}.md").write_text(f"# Page {i}\n\nI treat anxiety in {i} sessions.\n", encoding="utf-8")
    args = [sys.executable, "-m", "scopecheck", "check", "--rules", str(pack), "--select", "T-",
            "--jobs", "2", "--format", "json", str(many)]
    load_ruleset((pack,), select=("T-",))  # compile the rules once, not in both runs
    env = {**os.environ, cache.ENV_VAR: str(cache_dir)}
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outputs = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [1, 1], [err.decode() for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert len(result_cache_entries(cache_dir)) == 60


def test_held_cached_results_are_loaded_once_when_first_walked(cache_dir, pack, site, monkeypatch):
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    expected = run([str(site)], options, rules).to_dict()
    loaded = results_loaded(monkeypatch)
    again = run([str(site)], options, rules)
    assert not again.documents.spilled and loaded == []
    assert again.to_dict() == expected and again.to_dict() == expected
    assert sorted(loaded) == sorted(d["path"] for d in expected["documents"])  # each once


def test_cached_results_held_until_a_spill_are_written_as_their_bytes(cache_dir, pack, site, monkeypatch):
    from scopecheck import spool
    rules = load_ruleset((pack,), builtin=False)
    options = _options(pack, cache=True)
    first = run([str(site)], options, rules)
    expected = first.to_dict()
    counts = sorted(len(d.findings) for d in first.documents)
    monkeypatch.setenv(spool.SPILL_VAR, str(sum(counts) - 1))  # the last result tips it over
    loaded = results_loaded(monkeypatch)
    pickled = results_pickled(monkeypatch)
    again = run([str(site)], options, rules)
    assert again.documents.spilled
    assert loaded == [] and pickled == []
    assert again.to_dict() == expected
