"""Configuration: find it, validate it, merge it with defaults and the command line.

Precedence is defaults < configuration file < command line. Every effective value remembers
where it came from, so `scopecheck config show` can say why a setting has the value it has.
The file is found by walking up from the checked paths; `--config FILE` names it directly.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from scopecheck.errors import ConfigError, Problem
from scopecheck.model import DEFAULT_DOC_TYPE, DOC_TYPES, SEVERITIES
from scopecheck.resources import schema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

CONFIG_NAMES = (".scopecheck.yaml", "scopecheck.yaml", "pyproject.toml")
TOML_TABLE = ("tool", "scopecheck")

DEFAULTS: dict[str, Any] = {
    "types": {},
    "default-type": DEFAULT_DOC_TYPE,
    "select": [],
    "ignore": [],
    "per-file-ignores": {},
    "severity": {},
    "fail-on": "error",
    "rules": [],
    "exclude": [],
    "profile.jurisdictions": ["us"],
    "profile.licenses": [],
}
# command-line values add to the configuration for these keys; for the others they replace it
ADDITIVE = frozenset({"ignore", "rules", "exclude"})


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str  # "default", "FILE:LINE", "command line", or both joined with " + "


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    data: dict
    marks: dict[tuple, tuple[int, int]]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def where(self, key_path: tuple) -> str:
        path = tuple(key_path)
        while path and path not in self.marks:
            path = path[:-1]
        line, _ = self.marks.get(path, (1, 1))
        return f"{shown(self.path)}:{line}"


def shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- finding the file ---------------------------------------------------------------------

def start_folder(paths: list[str], cwd: Path) -> Path:
    """The deepest folder containing every checked path (the working folder for - and URLs)."""
    folders = []
    for raw in paths:
        if raw == "-" or "://" in raw:
            folders.append(cwd)
            continue
        p = (cwd / raw).resolve()
        folders.append(p if p.is_dir() else p.parent)
    if not folders:
        return cwd.resolve()
    return Path(os.path.commonpath([str(f) for f in folders]))


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        present = [folder / name for name in CONFIG_NAMES[:2] if (folder / name).is_file()]
        if len(present) > 1:
            raise ConfigError(f"{shown(present[0])} and {shown(present[1])} are both configuration "
                              "files for the same folder; keep one of them")
        if present:
            return present[0]
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*scopecheck\s*[\].]", text, re.MULTILINE) is not None


# --- reading and validating ---------------------------------------------------------------

def load_config(path: Path) -> ConfigFile:
    name = shown(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{name}: configuration file not found; check the --config path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: cannot read the configuration file ({exc}); save it as UTF-8") from None
    # A file that passed the schema before, unchanged, is not parsed and validated again: the
    # YAML parser and jsonschema cost a single-page check about 55 ms. The rule packs it names
    # are looked for on every run.
    key = _parsed_key(path, text)
    parsed = _remembered(key)
    if parsed is not None:
        config = ConfigFile(path, *parsed)
        problems = _missing_packs(config)
    else:
        config = ConfigFile(path, *_parse(path, text, name))
        problems = validate(config)
        if not problems:
            _remember(key, config)
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in {name}", problems)
    return config


def _parse(path: Path, text: str, name: str) -> tuple[dict, dict]:
    if path.name == "pyproject.toml":
        return _read_toml(text, name)
    from scopecheck.yamlload import load_yaml  # runs without a config file skip the YAML parser
    loaded = load_yaml(text, name)
    if loaded.problems:
        raise ConfigError(f"{len(loaded.problems)} problem(s) in {name}", loaded.problems)
    return ({} if loaded.data is None else loaded.data), loaded.marks


def _parsed_key(path: Path, text: str) -> str | None:
    """The cache key of a configuration's parsed, valid form: its text and kind, the schema
    and the code (None when caches are off)."""
    from scopecheck.cache import code_stamp, digest, enabled
    from scopecheck.resources import data_dir
    if not enabled():
        return None
    try:
        schema_bytes = (data_dir("schemas") / "config.schema.json").read_bytes()
    except OSError:
        return None
    return digest("config", code_stamp(), path.name == "pyproject.toml", schema_bytes, text)


def _remembered(key: str | None) -> tuple[dict, dict] | None:
    if key is None:
        return None
    from scopecheck.cache import Store
    found = Store().load("config", f"{key}.pickle")
    return found if (isinstance(found, tuple) and len(found) == 2
                     and isinstance(found[0], dict) and isinstance(found[1], dict)) else None


def _remember(key: str | None, config: ConfigFile) -> None:
    if key is None:
        return
    from scopecheck.cache import Store
    store = Store()
    if store.save((config.data, config.marks), "config", f"{key}.pickle"):
        store.prune(store.path("config"), keep=(store.path("config", f"{key}.pickle"),))


def _read_toml(text: str, name: str) -> tuple[dict, dict]:
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError("TOML syntax error", [Problem(name, line, col, "", f"TOML syntax error: {message}")]) from None
    table = document.get("tool", {}).get("scopecheck")
    if table is None:
        raise ConfigError(f"{name}: has no [tool.scopecheck] table; add one or point --config at a "
                          ".scopecheck.yaml file")
    return table, _toml_marks(text)


_TOML_KEY = r'(?:"[^"]*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_TOML_HEADER = re.compile(rf"^\s*\[\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*\]")
_TOML_ASSIGN = re.compile(rf"^\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*=")


def _toml_parts(dotted_key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(_TOML_KEY, dotted_key))


def _toml_marks(text: str) -> dict[tuple, tuple[int, int]]:
    """Line and column of each key under [tool.scopecheck], relative to that table.

    tomllib keeps no positions, so keys are located by reading table headers and assignments;
    anything not found falls back to its parent key, then to the table header.
    """
    marks: dict[tuple, tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            table = _toml_parts(header.group(1))
            if table[:2] == TOML_TABLE:
                marks.setdefault(table[2:], (number, line.index("[") + 1))
            continue
        assign = _TOML_ASSIGN.match(line)
        if assign and table[:2] == TOML_TABLE:
            key = table[2:] + _toml_parts(assign.group(1))
            marks.setdefault(key, (number, len(line) - len(line.lstrip()) + 1))
    return marks


def _validator() -> Draft202012Validator:
    # imported here: jsonschema is slow to import and runs without a config file never need it
    from jsonschema import Draft202012Validator
    return Draft202012Validator(schema("config.schema.json"))


def validate(config: ConfigFile) -> list[Problem]:
    from scopecheck.yamlload import dotted

    name = shown(config.path)
    problems: list[Problem] = []
    config_schema = schema("config.schema.json")
    for error in _validator().iter_errors(config.data):
        path = tuple(error.absolute_path)
        for key_path, message in _explain(error, path, config_schema):
            line, col = _mark(config, key_path)
            problems.append(Problem(name, line, col, dotted(key_path), message))
    return problems or _missing_packs(config)


def _missing_packs(config: ConfigFile) -> list[Problem]:
    problems = []
    for i, entry in enumerate(config.data.get("rules", [])):
        if not (config.folder / entry).exists():
            line, col = _mark(config, ("rules", i))
            problems.append(Problem(shown(config.path), line, col, f"rules[{i}]",
                                    f"rule pack '{entry}' not found (paths are relative to "
                                    f"{shown(config.folder) or '.'}/)"))
    return problems


def _mark(config: ConfigFile, key_path: tuple) -> tuple[int, int]:
    path = tuple(key_path)
    while path and path not in config.marks:
        path = path[:-1]
    return config.marks.get(path, (1, 1))


def _known_keys(config_schema: dict, path: tuple) -> list[str]:
    node = config_schema
    for part in path:
        if isinstance(part, int):
            return []
        props = node.get("properties", {})
        if part not in props:
            return []
        node = props[part]
    return sorted(node.get("properties", {}))


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


_TYPE_WORDS = {"array": "a list", "object": "a mapping of keys to values", "string": "text",
               "integer": "a whole number", "boolean": "true or false"}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value}'"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _explain(error, path: tuple, config_schema: dict) -> list[tuple[tuple, str]]:
    """One or more (key path, message) pairs that read like advice."""
    if error.validator == "additionalProperties":
        known = _known_keys(config_schema, path)
        extra = sorted(set(error.instance) - set(known), key=str)
        return [(path + (key,), f"unknown key '{key}'{_did_you_mean(key, known)} "
                 f"(known keys: {', '.join(known)})") for key in extra]
    if error.validator == "enum":
        choices = [str(c) for c in error.validator_value]
        what = "document type" if set(choices) == set(DOC_TYPES) else \
            "severity" if set(choices) == set(SEVERITIES) else "value"
        return [(path, f"'{error.instance}' is not a {what}{_did_you_mean(error.instance, choices)} "
                 f"(choose one of: {', '.join(choices)})")]
    if error.validator == "type":
        wanted = _TYPE_WORDS.get(error.validator_value, error.validator_value)
        hint = ""
        if error.validator_value == "array" and isinstance(error.instance, str):
            hint = f"; write it as a list: [{error.instance}]"
        return [(path, f"expected {wanted}, got {_kind_of(error.instance)}{hint}")]
    if error.validator == "pattern" and path[:2] == ("profile", "jurisdictions"):
        return [(path, f"'{error.instance}' is not a jurisdiction code; use lower case codes such as "
                 "us, us-ca, uk, ca-on, au")]
    if error.validator == "minLength":
        return [(path, "must not be empty")]
    if error.validator == "minItems":
        return [(path, "must list at least one value, or be left out")]
    return [(path, error.message)]


# --- merging ------------------------------------------------------------------------------

def _flatten(data: dict) -> dict[str, tuple[Any, tuple]]:
    """Config data -> {setting name: (value, key path in the file)}."""
    out: dict[str, tuple[Any, tuple]] = {}
    for key, value in data.items():
        if key == "profile":
            for sub, sub_value in value.items():
                out[f"profile.{sub}"] = (sub_value, ("profile", sub))
        else:
            out[key] = (value, (key,))
    return out


@dataclass(frozen=True)
class Effective:
    """The merged settings of a run, each with its source."""

    settings: dict[str, Setting]
    config: ConfigFile | None
    cwd: Path
    doc_type: str | None = None  # --type (command line only)

    def value(self, key: str) -> Any:
        return self.settings[key].value

    def rule_paths(self) -> tuple[Path, ...]:
        return tuple(Path(p) for p in self.value("rules"))

    def anchored(self, pattern: str) -> tuple[str, ...]:
        folder = self.config.folder if self.config else self.cwd
        return anchor_glob(pattern, folder, self.cwd)

    def to_options(self, **runtime: Any):
        from scopecheck.api import Options
        from scopecheck.rules.ruleset import Profile

        globs = tuple((g, t) for pattern, t in self.value("types").items() for g in self.anchored(pattern))
        exclude = tuple(g for pattern in self.value("exclude") for g in self.anchored(pattern))
        per_file = tuple((g, tuple(ids)) for pattern, ids in self.value("per-file-ignores").items()
                         for g in self.anchored(pattern))
        return Options(
            doc_type=self.doc_type, type_globs=globs, default_type=self.value("default-type"),
            rules_dirs=self.rule_paths(), select=tuple(self.value("select")),
            ignore=tuple(self.value("ignore")),
            profile=Profile(tuple(self.value("profile.jurisdictions")), tuple(self.value("profile.licenses"))),
            fail_on=self.value("fail-on"), exclude=exclude, per_file_ignores=per_file,
            severity_overrides=tuple(self.value("severity").items()), **runtime)

    def to_dict(self) -> dict:
        return {
            "config_file": shown(self.config.path) if self.config else None,
            "settings": {key: {"value": _plain(s.value), "source": s.source}
                         for key, s in self.settings.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def anchor_glob(pattern: str, folder: Path, cwd: Path) -> tuple[str, ...]:
    """Turn a glob written relative to the configuration folder into globs for the paths
    scopecheck reports (relative to the working folder, or absolute outside it).

    A glob without a slash matches a file name in any folder.
    """
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    if "/" not in pattern:
        return (pattern, f"*/{pattern}")
    if pattern.startswith("**/"):
        rest = pattern[3:]
        return (rest, f"*/{rest}")
    folder, cwd = folder.resolve(), cwd.resolve()
    absolute = (PurePosixPath(folder.as_posix()) / pattern).as_posix()
    if folder == cwd:
        return (pattern, absolute)
    if folder.is_relative_to(cwd):  # the configuration sits below the working folder
        return (f"{folder.relative_to(cwd).as_posix()}/{pattern}", absolute)
    if cwd.is_relative_to(folder):  # running from a subfolder of the configured project
        below = cwd.relative_to(folder).as_posix() + "/"
        if pattern.startswith(below):
            return (pattern[len(below):], absolute)
        if pattern.startswith("*"):
            return (pattern, absolute)
    return (absolute,)


def resolve(paths: list[str], cli: dict[str, Any] | None = None, config_file: Path | None = None,
            cwd: Path | None = None, doc_type: str | None = None) -> Effective:
    """Defaults < configuration file < command line. `cli` holds only options the user gave."""
    cwd = cwd or Path.cwd()
    cli = cli or {}
    if config_file is not None:
        path: Path | None = Path(config_file)
        if not path.exists():
            raise ConfigError(f"{config_file}: configuration file not found; check the --config path")
    else:
        path = find_config(start_folder(paths, cwd))
    config = load_config(path) if path else None
    settings = {key: Setting(value, "default") for key, value in DEFAULTS.items()}
    if config:
        for key, (value, key_path) in _flatten(config.data).items():
            if key == "rules":
                value = [(config.folder / entry).as_posix() for entry in value]
            settings[key] = Setting(value, config.where(key_path))
    for key, value in cli.items():
        if key not in settings:
            raise KeyError(f"unknown setting {key}")
        current = settings[key]
        if key in ADDITIVE and current.source != "default":
            settings[key] = Setting(list(current.value) + [v for v in value if v not in current.value],
                                    f"{current.source} + command line")
        else:
            settings[key] = Setting(list(value) if isinstance(value, tuple) else value, "command line")
    if doc_type:
        settings["type"] = Setting(doc_type, "command line")
    return Effective(settings, config, cwd, doc_type)


__all__ = ["CONFIG_NAMES", "ConfigFile", "Effective", "Setting", "anchor_glob", "find_config",
           "load_config", "resolve", "validate"]


def command_line(*, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
                 rules: tuple[Path, ...] = (), jurisdictions: tuple[str, ...] = (),
                 licenses: tuple[str, ...] = (), fail_on: str | None = None) -> dict[str, Any]:
    """The settings a user gave on the command line (empty ones are left to the config)."""
    given: dict[str, Any] = {"select": select, "ignore": ignore, "rules": rules,
                             "profile.jurisdictions": jurisdictions, "profile.licenses": licenses,
                             "fail-on": fail_on}
    return {key: value for key, value in given.items() if value}
