"""The active rules of a run and their combined matcher, compiled once."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

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
    phrases: dict = field(default_factory=dict)  # (rule index, role, phrase index) -> Compiled
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
    phrases: dict = {}
    for index, rule in enumerate(active):
        sources = [(fld, attr, getattr(rule, attr)) for fld, attr in ROLE_FIELDS]
        sources.append(("replace", "replace", tuple(key for key, _ in rule.replace)))
        for fld, role, phrase_list in sources:
            for j, phrase in enumerate(phrase_list):
                try:
                    compiled = compile_phrase(phrase, loaded.lexicons)
                except PhraseError as exc:
                    file, line, col, key = loaded.sites.get((rule.id, fld, j), (rule.origin, 1, 1, fld))
                    problems.append(Problem(file, line, col, key, str(exc)))
                    continue
                tag = (index, role, j)
                phrases[tag] = compiled
                entries.append((compiled, tag))
    if problems:
        raise RulePackError(f"{len(problems)} problem(s) in rule phrases", problems)
    fingerprint = digest(*(f"{p.name}|{p.path}|{p.sha256}" for p in loaded.packs),
                         repr(profile), repr(select), repr(ignore))
    return RuleSet(packs, active, Matcher(entries), Cues.build(loaded.context), profile, phrases,
                   fingerprint)


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
