"""YAML loading that keeps line numbers and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys; in a rule pack that hides mistakes, so a
duplicate is reported with both lines. Only the safe loader is used: no tags construct objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from scopecheck.errors import Problem

try:  # the C loader is much faster where libyaml is available
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


def load_plain(text: str) -> Any:
    """YAML as the safe loader reads it (the C one where available), without marks or the
    duplicate-key check: for front matter and data files the user keeps."""
    return yaml.load(text, Loader=_BaseLoader)  # noqa: S506 - a safe loader


@dataclass
class Loaded:
    data: Any
    # key path (tuple of keys and indexes) -> (line, column), 1-based
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # where each key is written
    problems: list[Problem] = field(default_factory=list)

    def mark(self, path: tuple) -> tuple[int, int]:
        """The closest known position for a key path (falls back to its parents)."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


def load_yaml(text: str, filename: str) -> Loaded:
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        position = getattr(exc, "position", None)
        if mark is None and isinstance(position, int):
            # a ReaderError (a control character) has an offset, not a mark
            line_start = text.rfind("\n", 0, position) + 1
            line, col = text.count("\n", 0, position) + 1, position - line_start + 1
        # only the first line: the rest is PyYAML's '  in "<unicode string>", position N'
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Loaded(None, problems=[Problem(filename, line, col, "", f"YAML syntax error: {problem}")])
    finally:
        loader.dispose()
    result = Loaded(None)
    if node is None:
        return result
    result.data = _construct(node, (), result, filename)
    return result


def _construct(node: yaml.Node, path: tuple, out: Loaded, filename: str) -> Any:
    out.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    _check_tag(node, path, out, filename)
    if isinstance(node, yaml.MappingNode):
        mapping: dict = {}
        seen: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                out.problems.append(Problem(filename, key_node.start_mark.line + 1,
                                            key_node.start_mark.column + 1, _dotted(path),
                                            "merge keys (<<) are not supported; write the keys out"))
                continue
            key = _scalar(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                key = str(key)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in seen:
                out.problems.append(Problem(filename, line, col, _dotted(path + (key,)),
                                            f"duplicate key (first defined on line {seen[key]})"))
                continue
            seen[key] = line
            out.key_marks[path + (key,)] = (line, col)
            # the value's own position: a wrong value is reported where the value is
            mapping[key] = _construct(value_node, path + (key,), out, filename)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, path + (i,), out, filename) for i, item in enumerate(node.value)]
    return _scalar(node)


_ALLOWED_TAGS = frozenset("tag:yaml.org,2002:" + name for name in
                          ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))


def _check_tag(node: yaml.Node, path: tuple, out: Loaded, filename: str) -> None:
    if node.tag not in _ALLOWED_TAGS:
        out.problems.append(Problem(filename, node.start_mark.line + 1, node.start_mark.column + 1,
                                    _dotted(path), f"unsupported YAML tag {node.tag}; remove it"))


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
        # YAML 1.1 reads yes/no/on/off as booleans; rule authors mean the words (YAML 1.2 agrees)
        return node.value
    constructor = yaml.SafeLoader.yaml_constructors.get(node.tag)
    if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary") or constructor is None:
        return node.value
    return constructor(_SCALAR_LOADER, node)


_SCALAR_LOADER = yaml.SafeLoader("")


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


dotted = _dotted
