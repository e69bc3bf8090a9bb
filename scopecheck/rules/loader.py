"""Load rule packs: YAML with positions -> JSON Schema -> Rule records, every problem at once."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from scopecheck.documents import display_path
from scopecheck.errors import Problem, RulePackError
from scopecheck.model import Citation
from scopecheck.resources import data_dir, schema
from scopecheck.rules.lexicon import Lexicon
from scopecheck.rules.model import Example, Pack, Rule
from scopecheck.yamlload import Loaded, dotted, load_yaml

DEFAULT_GUARDS = frozenset({"negation", "third-party", "question", "conditional", "attribution",
                            "lived-experience"})


@dataclass
class LoadedPacks:
    packs: list[Pack] = field(default_factory=list)
    lexicons: dict[str, Lexicon] = field(default_factory=dict)
    context: dict[str, list[str]] = field(default_factory=dict)
    # where each phrase of each rule sits, for compile errors: (rule id, field, index) -> Problem site
    sites: dict[tuple[str, str, int], tuple[str, int, int, str]] = field(default_factory=dict)


def pack_files(directory: Path) -> list[Path]:
    if directory.is_file():
        return [directory]
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def builtin_pack_files() -> list[Path]:
    return pack_files(data_dir("rules"))


def context_pack_file() -> Path:
    """The guards' cue words: engine data, loaded even when built-in rules are switched off."""
    return data_dir("rules") / "context.yaml"


def pack_file_list(extra: tuple[Path, ...] | list[Path] = (), builtin: bool = True) -> list[tuple[Path, bool]]:
    """(file, is built in) for the built-in packs (or only the guards' cue words when they are
    switched off) followed by every pack file under each extra path."""
    files = [(p, True) for p in builtin_pack_files()] if builtin else [(context_pack_file(), True)]
    for directory in extra:
        files.extend((p, False) for p in pack_files(Path(directory)))
    return files


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema("rule-pack.schema.json"))


def _schema_problems(loaded: Loaded, filename: str) -> list[Problem]:
    problems = []
    for error in _validator().iter_errors(loaded.data):
        path = tuple(error.absolute_path)
        line, col = loaded.mark(path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in sorted(k for k in error.instance if k not in allowed):
                kline, kcol = loaded.key_marks.get(path + (key,), (line, col))
                hint = _did_you_mean(key, allowed)
                problems.append(Problem(filename, kline, kcol, dotted(path + (key,)),
                                        f"unknown key '{key}'{hint}"))
            continue
        elif error.validator in ("not", "anyOf") and path and isinstance(path[-1], int):
            message = "this rule mixes keys of different kinds; see docs/rule-format.md"
        elif error.validator == "not":
            message = "keys of another rule kind are not allowed here; see docs/rule-format.md"
        problems.append(Problem(filename, line, col, dotted(path), message))
    return problems


def _did_you_mean(key: str, allowed: set[str]) -> str:
    import difflib
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _example(value, default_type: str | None) -> Example:
    if isinstance(value, str):
        return Example(value, default_type)
    profile = value.get("profile", {})
    return Example(value["text"], value.get("type", default_type),
                   tuple(profile.get("jurisdictions", ())), tuple(profile.get("licenses", ())))


def _rule(raw: dict, pack: str, origin: str) -> Rule:
    guards = set(DEFAULT_GUARDS)
    for name, on in raw.get("guards", {}).items():
        (guards.add if on else guards.discard)(name)
    applies = tuple(raw["applies-to"])
    examples = raw["examples"]
    return Rule(
        id=raw["id"], category=raw["category"], severity=raw["severity"], applies_to=applies,
        kind=raw["kind"], message=raw["message"].strip(), rationale=" ".join(raw["rationale"].split()),
        citations=tuple(Citation(**{k: str(v) for k, v in c.items()}) for c in raw["citations"]),
        suggestion=raw["suggestion"].strip(),
        examples_flag=tuple(_example(e, applies[0]) for e in examples["flag"]),
        examples_pass=tuple(_example(e, applies[0]) for e in examples["pass"]),
        pack=pack, origin=origin, title=raw.get("title", ""), guards=frozenset(guards),
        severity_by_type=tuple(sorted(raw.get("severity-by-type", {}).items())),
        severity_by_jurisdiction=tuple(sorted(raw.get("severity-by-jurisdiction", {}).items())),
        checklist=raw.get("checklist"), licensed_exempt=tuple(raw.get("licensed-exempt", ())),
        tags=tuple(raw.get("tags", ())), match=tuple(raw.get("match", ())),
        unless=tuple(raw.get("unless", ())),
        replace=tuple((str(k), str(v)) for k, v in raw.get("replace", {}).items()),
        satisfied_by=tuple(raw.get("satisfied-by", ())), placement=raw.get("placement", ""),
        when=tuple(raw.get("when", ())), when_guards=bool(raw.get("when-guards", False)),
        then=tuple(raw.get("then", ())), scope=raw.get("scope", "document"),
        where=raw.get("where", "anywhere"),
    )


def load_packs(files: list[tuple[Path, bool]]) -> LoadedPacks:
    """Load and validate every pack file; raise RulePackError listing all problems."""
    out = LoadedPacks()
    problems: list[Problem] = []
    rule_sites: dict[str, str] = {}
    lexicon_sites: dict[str, str] = {}
    pack_names: dict[str, str] = {}
    extensions: list[tuple[str, dict, str, int, int]] = []
    for path, builtin in files:
        name = display_path(path)
        try:
            raw_bytes = path.read_bytes()
            text = raw_bytes.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, 1, 1, "", f"cannot read rule pack: {exc}"))
            continue
        loaded = load_yaml(text, name)
        problems.extend(loaded.problems)
        if loaded.data is None:
            if not loaded.problems:
                problems.append(Problem(name, 1, 1, "", "empty rule pack"))
            continue
        found = _schema_problems(loaded, name)
        if found:
            problems.extend(found)
            continue
        data = loaded.data
        if data["pack"] in pack_names:
            line, col = loaded.mark(("pack",))
            problems.append(Problem(name, line, col, "pack",
                                    f"pack name '{data['pack']}' is already used by {pack_names[data['pack']]}"))
            continue
        pack_names[data["pack"]] = name
        for lex_name, lex in data.get("lexicons", {}).items():
            line, col = loaded.mark(("lexicons", lex_name))
            if "extends" in lex:
                extensions.append((lex["extends"], lex, name, line, col))
                continue
            if lex_name in lexicon_sites:
                problems.append(Problem(name, line, col, f"lexicons.{lex_name}",
                                        f"lexicon '{lex_name}' is already defined at {lexicon_sites[lex_name]}"))
                continue
            lexicon_sites[lex_name] = f"{name}:{line}"
            out.lexicons[lex_name] = Lexicon(lex_name, lex.get("inflect", "none"), tuple(lex["terms"]),
                                             f"{name}:{line}")
        for key, cues in data.get("context", {}).items():
            out.context.setdefault(key, []).extend(cues)
        rules = []
        for i, raw in enumerate(data.get("rules", [])):
            line, col = loaded.mark(("rules", i))
            origin = f"{name}:{line}"
            if raw["id"] in rule_sites:
                problems.append(Problem(name, line, col, f"rules[{i}].id",
                                        f"duplicate rule id {raw['id']} (first defined at {rule_sites[raw['id']]})"))
                continue
            rule_sites[raw["id"]] = origin
            for fld in ("match", "unless", "satisfied-by", "when", "then"):
                for j, _ in enumerate(raw.get(fld, [])):
                    pl, pc = loaded.mark(("rules", i, fld, j))
                    out.sites[(raw["id"], fld, j)] = (name, pl, pc, f"rules[{i}].{fld}[{j}]")
            for j, key in enumerate(raw.get("replace", {})):
                pl, pc = loaded.mark(("rules", i, "replace", key))
                out.sites[(raw["id"], "replace", j)] = (name, pl, pc, f"rules[{i}].replace.{key}")
            rules.append(_rule(raw, data["pack"], origin))
        out.packs.append(Pack(
            name=data["pack"], version=data["version"], path=name,
            sha256=hashlib.sha256(raw_bytes).hexdigest(), description=data.get("description", ""),
            jurisdictions=tuple(data.get("jurisdictions", ())), rules=tuple(rules), builtin=builtin,
            context=data.get("context", {}),
        ))
    for base, lex, name, line, col in extensions:
        if base not in out.lexicons:
            problems.append(Problem(name, line, col, "lexicons", f"extends unknown lexicon '{base}'"))
            continue
        old = out.lexicons[base]
        out.lexicons[base] = Lexicon(base, old.inflect, old.terms + tuple(lex["terms"]), old.origin)
    if problems:
        raise RulePackError(f"{len(problems)} problem(s) in rule packs", problems)
    return out
