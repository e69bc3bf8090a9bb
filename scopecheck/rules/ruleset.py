"""The active rules of a run and their combined matcher, compiled once."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from scopecheck.cache import digest
from scopecheck.engine.context import Cues
from scopecheck.errors import Problem, RulePackError
from scopecheck.rules import compiled as compiled_cache
from scopecheck.rules.matcher import Matcher
from scopecheck.rules.model import Pack, Rule
from scopecheck.rules.phrases import Compiled, PhraseError, compile_phrase

if TYPE_CHECKING:
    # the loader imports jsonschema: load it only when packs are actually (re)loaded
    from scopecheck.rules.loader import LoadedPacks

DEFAULT_JURISDICTIONS = ("us",)


@dataclass(frozen=True)
class Profile:
    jurisdictions: tuple[str, ...] = DEFAULT_JURISDICTIONS
    licenses: tuple[str, ...] = ()

    def places(self) -> set[str]:
        """Configured jurisdictions plus their parents: us-ca also selects us."""
        out = set()
        for place in self.jurisdictions:
            out.add(place)
            out.add(place.split("-")[0])
        return out


def selected(rule_id: str, category: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        if pattern.upper() == "ALL" or pattern == category:
            return True
        if rule_id == pattern or rule_id.startswith(pattern.rstrip("-") + "-"):
            return True
    return False


@dataclass
class RuleSet:
    packs: list[Pack]
    rules: list[Rule]
    matcher: Matcher
    cues: Cues
    profile: Profile
    fingerprint: str = ""  # hash of the packs and settings it was built from; "" when unknown
    _selections: dict = field(default_factory=dict, repr=False, compare=False)

    def selection(self, doc_type: str, roles: frozenset[str]) -> frozenset[tuple[int, str]]:
        """The (rule index, role) pairs of the rules that apply to a document type, made once
        per type: the matcher keys its tables on this set."""
        key = (doc_type, roles)
        found = self._selections.get(key)
        if found is None:
            found = self._selections[key] = frozenset(
                (i, role) for i, rule in enumerate(self.rules) if doc_type in rule.applies_to for role in roles)
        return found


ROLE_FIELDS = (("match", "match"), ("unless", "unless"), ("satisfied-by", "satisfied_by"),
               ("when", "when"), ("then", "then"))


def rule_phrases(rule: Rule) -> Iterator[tuple[str, str, int, str]]:
    """(pack field, role, index, phrase) for each phrase of a rule the matcher looks for."""
    for fld, role in ROLE_FIELDS:
        for j, phrase in enumerate(getattr(rule, role)):
            yield fld, role, j, phrase
    for j, (key, _) in enumerate(rule.replace):
        yield "replace", "replace", j, key


def compile_rules(loaded: LoadedPacks, profile: Profile = Profile(),
                  select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> RuleSet:
    places = profile.places()
    licenses = {lic.upper() for lic in profile.licenses}
    active: list[Rule] = []
    packs: list[Pack] = []
    for pack in loaded.packs:
        if pack.jurisdictions and not places.intersection(pack.jurisdictions):
            continue
        packs.append(pack)
        for rule in pack.rules:
            if select and not selected(rule.id, rule.category, select):
                continue
            if ignore and selected(rule.id, rule.category, ignore):
                continue
            if licenses.intersection(lic.upper() for lic in rule.licensed_exempt):
                continue
            active.append(rule)
    entries: list[tuple[Compiled, tuple]] = []
    problems: list[Problem] = []
    for index, rule in enumerate(active):
        for fld, role, j, phrase in rule_phrases(rule):
            try:
                compiled = compile_phrase(phrase, loaded.lexicons)
            except PhraseError as exc:
                file, line, col, key = loaded.sites.get((rule.id, fld, j), (rule.origin, 1, 1, fld))
                problems.append(Problem(file, line, col, key, str(exc)))
                continue
            entries.append((compiled, (index, role, j)))
    if problems:
        raise RulePackError(f"{len(problems)} problem(s) in rule phrases", problems)
    fingerprint = digest(*(f"{p.name}|{p.path}|{p.sha256}" for p in loaded.packs),
                         repr(profile), repr(select), repr(ignore))
    return RuleSet(packs, active, Matcher(entries), Cues.build(loaded.context), profile, fingerprint)


def load_ruleset(extra: list[Path] | tuple[Path, ...] = (), profile: Profile = Profile(),
                 select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                 builtin: bool = True) -> RuleSet:
    key = compiled_cache.cache_key(tuple(extra), builtin, profile, select, ignore)
    cached = compiled_cache.load(key) if key else None
    if cached is not None:
        return cached
    from scopecheck.rules.loader import load_packs, pack_file_list
    for directory in extra:
        if not directory.exists():
            raise RulePackError(f"rule pack path not found: {directory}", [
                Problem(str(directory), 1, 1, "", "rule pack file or folder not found")])
    files = pack_file_list(tuple(extra), builtin)
    ruleset = compile_rules(load_packs(files), profile, select, ignore)
    if key:
        compiled_cache.save(key, ruleset)
    return ruleset
