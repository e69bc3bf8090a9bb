"""The public Python API. The CLI is a thin layer over `run`."""
from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scopecheck.documents import TypeRules, build_document, discover
from scopecheck.engine.checker import check_document
from scopecheck.engine.suppress import apply as apply_suppressions
from scopecheck.errors import InputError
from scopecheck.model import DEFAULT_DOC_TYPE, Document, DocumentResult, Finding
from scopecheck.overrides import adjust
from scopecheck.readers.plain import read_text
from scopecheck.report import Report, TallyCounter, document_to_dict
from scopecheck.rules.ruleset import Profile, RuleSet, load_ruleset
from scopecheck.spool import ResultSpool

if TYPE_CHECKING:
    from scopecheck.cache import Cached

INTERNAL_ERROR_HINT = ("this is a bug in scopecheck; please report it with the file (or a shortened "
                       "copy) and the output of `scopecheck check -v`")


@dataclass(frozen=True)
class Options:
    doc_type: str | None = None
    type_globs: tuple[tuple[str, str], ...] = ()
    default_type: str = DEFAULT_DOC_TYPE
    rules_dirs: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    profile: Profile = Profile()
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    stdin_name: str | None = None
    explain: bool = False
    verbose: bool = False
    builtin_rules: bool = True
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, rule patterns)
    severity_overrides: tuple[tuple[str, str], ...] = ()  # (rule id, prefix or category, severity)
    jobs: int = 1  # worker processes; a pool is used only for large runs (see scopecheck.parallel)
    cache: bool = False  # reuse results of unchanged files from the cache folder (see scopecheck.cache)
    progress: bool = False  # allow a progress bar on standard error (drawn only on a terminal)
    suppressions: tuple[tuple[str, str], ...] = ()  # (finding fingerprint, reason) from --suppressions
    crawl: bool = False  # follow same-site links from each URL
    max_pages: int = 50  # pages per crawled site
    timeout: float = 15.0  # seconds per web request

    @property
    def types(self) -> TypeRules:
        return TypeRules(self.doc_type, self.type_globs, self.default_type)


def load_rules(options: Options) -> RuleSet:
    return load_ruleset(options.rules_dirs, options.profile, options.select, options.ignore,
                        builtin=options.builtin_rules)


def error_result(path: str, message: str) -> DocumentResult:
    return DocumentResult(path=path, doc_type=None, type_source=None, sha256=None, format=None,
                          status="error", error=message)


def check_one(path: str, data: bytes, ruleset: RuleSet, options: Options,
              fmt_hint: str | None = None) -> DocumentResult:
    """Check one input; any failure becomes an error result for that input, never a crash."""
    try:
        doc = build_document(path, data, options.types, fmt_hint)
        result = adjust(check_document(doc, ruleset, silenced=options.explain), options.per_file_ignores,
                        options.severity_overrides)
        return apply_suppressions(result, doc, dict(options.suppressions))
    except InputError as exc:
        return error_result(path, str(exc))
    except RecursionError:
        return error_result(path, f"{path}: the document is nested too deeply to read")
    except MemoryError:
        return error_result(path, f"{path}: not enough memory to read this document")
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the run
        detail = traceback.format_exc() if options.verbose else f"{type(exc).__name__}: {exc}"
        return error_result(path, f"{path}: internal error ({detail.strip()}); {INTERNAL_ERROR_HINT}")


def run(paths: list[str], options: Options = Options(), ruleset: RuleSet | None = None,
        stdin_data: bytes | None = None) -> Report:
    (report,) = run_batches([paths], options, ruleset, stdin_data)
    return report


def run_batches(batches: list[list[str]], options: Options = Options(), ruleset: RuleSet | None = None,
                stdin_data: bytes | None = None, label: str = "Checking") -> Iterator[Report]:
    """One report per batch of paths (an audit's submissions), in order. The files of all the
    batches are checked in one stream, so a process pool pays off across many small batches
    and the progress bar counts the whole run; each report is handed on once its last file
    is in. A file named in several batches is checked once."""
    ruleset = ruleset or load_rules(options)
    gathered: list[_Gathered | None] = []
    owners: dict[str, list[int]] = {}  # file -> the batches it belongs to, in first-seen order
    waiting: list[int] = []  # per batch: files not yet checked
    for number, paths in enumerate(batches):
        files, errors = discover(paths, options.exclude)
        batch = _Gathered(errors)
        for url in [f for f in files if "://" in f]:
            batch.add_results(check_url(url, ruleset, options))
        files = [f for f in files if "://" not in f]
        for path in files:
            owners.setdefault(path, []).append(number)
        gathered.append(batch)
        waiting.append(len(files))
    from scopecheck.parallel import iter_checked
    from scopecheck.progress import Progress
    handed = 0
    with Progress(len(owners), label, enabled=options.progress) as bar:
        for path, checked in iter_checked(list(owners), ruleset, options, stdin_data,
                                          on_result=lambda _: bar.advance()):
            for number in owners[path]:
                batch = gathered[number]
                assert batch is not None  # a batch is handed on only when none of its files is left
                batch.add(checked)
                waiting[number] -= 1
            while handed < len(batches) and waiting[handed] == 0:
                yield _hand_on(gathered, handed, ruleset, options)
                handed += 1
    for number in range(handed, len(batches)):  # batches with no files, after the last file
        yield _hand_on(gathered, number, ruleset, options)


def _hand_on(gathered: list["_Gathered | None"], number: int, ruleset: RuleSet, options: Options) -> Report:
    """Batch `number`'s report; the batch is let go, so a long audit holds only the batches
    still waiting for files."""
    batch = gathered[number]
    assert batch is not None
    gathered[number] = None
    return batch.report(ruleset, options)


class _Gathered:
    """One report's results as they arrive: counted at once, held or moved to disk (see
    ResultSpool), and sorted by path at the end."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.counter = TallyCounter()  # counts each result as it arrives: a spilled run is not re-read to count
        self._errors = errors
        self._results: ResultSpool | None = None

    @property
    def results(self) -> ResultSpool:
        # made when the batch's first result comes in, so the batches of an audit still waiting
        # hold no spool (and, with SCOPECHECK_SPILL_AFTER=0, no open file)
        if self._results is None:
            self._results = ResultSpool(
                (self.counter.add(error_result(path, message)) for path, message in self._errors),
                summarize=document_to_dict)  # the report's document list, kept beside spilled results
        return self._results

    def add_results(self, results: list[DocumentResult]) -> None:
        self.results.extend(self.counter.add(result) for result in results)

    def add(self, checked: Cached) -> None:
        if checked.result is None:  # from the cache: counted from its brief, loaded only if needed
            brief = checked.brief()
            self.counter.add_tally(brief.path, brief.tally)
            self.results.append_pickled(brief.path, checked.pickled, brief.summary, brief.held)
        else:
            self.results.append(self.counter.add(checked.result), checked.pickled)

    def report(self, ruleset: RuleSet, options: Options) -> Report:
        self.results.sort_by_path()
        return Report(self.results, ruleset.packs, ruleset.rules, options.fail_on,
                      explain=options.explain).counted(self.counter)


def check_url(url: str, ruleset: RuleSet, options: Options) -> list[DocumentResult]:
    """One web page, or with options.crawl the site behind it; each URL is its own document."""
    from scopecheck.progress import Progress
    from scopecheck.web.crawl import crawl
    from scopecheck.web.fetch import fetch
    if options.crawl:
        with Progress(None, f"Crawling {url}", enabled=options.progress) as bar:
            pages = crawl(url, options.max_pages, options.timeout, lambda *_: bar.advance()).pages
    else:
        pages = (fetch(url, options.timeout),)
    out = []
    for page in pages:
        if page.error:
            out.append(error_result(page.url, page.error))
        elif page.suffix is None:
            out.append(error_result(page.url, f"{page.url}: is {page.content_type or 'of an unknown type'}, "
                                              "not a web page or document scopecheck reads"))
        else:
            out.append(check_one(page.url, page.data, ruleset, options, page.suffix))
    return out


def document_from_text(text: str, path: str, options: Options) -> Document:
    import hashlib

    from scopecheck.documents import resolve_type
    extracted = read_text(text, path)
    doc_type, source = resolve_type(path, extracted.front_matter, options.types, extracted.text)
    return Document(path, doc_type, source, extracted.text, tuple(extracted.blocks),
                    extracted.source_map, hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    extracted.format, tuple(extracted.directives), tuple(extracted.warnings),
                    extracted.gaps)


_RULESETS: dict[Options, RuleSet] = {}


def _cached_rules(options: Options) -> RuleSet:
    key = Options(rules_dirs=options.rules_dirs, select=options.select, ignore=options.ignore,
                  profile=options.profile, builtin_rules=options.builtin_rules)
    if key not in _RULESETS:
        _RULESETS[key] = load_rules(key)
    return _RULESETS[key]


def check_text(text: str, doc_type: str | None = None, path: str = "<text>", *,
               jurisdictions: tuple[str, ...] | None = None, licenses: tuple[str, ...] = (),
               select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
               rules_dirs: tuple[Path, ...] = (), builtin_rules: bool = True,
               ruleset: RuleSet | None = None) -> list[Finding]:
    """Check a string as one document and return its findings (suppressed ones included, marked)."""
    profile = Profile(tuple(jurisdictions), tuple(licenses)) if jurisdictions else Profile(licenses=tuple(licenses))
    options = Options(doc_type=doc_type, rules_dirs=tuple(Path(d) for d in rules_dirs),
                      select=tuple(select), ignore=tuple(ignore), profile=profile,
                      builtin_rules=builtin_rules)
    ruleset = ruleset or _cached_rules(options)
    doc = document_from_text(text, path, options)
    result = apply_suppressions(check_document(doc, ruleset, silenced=False), doc)
    return list(result.findings)


def check_paths(paths: list[str | Path], **kwargs) -> list[Finding]:
    """Check files and folders; keyword arguments are the fields of `Options`."""
    options = Options(**kwargs)
    return run([str(p) for p in paths], options).findings


__all__ = ["Options", "check_one", "check_paths", "check_text", "load_rules", "run"]
