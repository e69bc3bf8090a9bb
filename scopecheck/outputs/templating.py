"""The Jinja2 environment for the HTML and Markdown reports, built in one place.

Bundled templates are trusted; a user-supplied template folder is rendered in a sandbox and
searched first, so a reviewer can restyle the report without being able to reach Python."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TextIO

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from scopecheck.errors import ScopecheckError
from scopecheck.outputs import presentation
from scopecheck.outputs.json_output import item_encoder
from scopecheck.resources import data_dir


# Reading `finding.rule_id` from a dict, Jinja2 tries the attribute first and takes the item
# when that raises AttributeError: an exception per lookup, a quarter of rendering a report
# under the profiler. A plain dict has no attributes but its type's, so for any other name the
# item is the answer.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _ItemFirst:
    def getattr(self, obj: object, attribute: str) -> object:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)  # type: ignore[misc]


class _ReportEnvironment(_ItemFirst, jinja2.Environment):
    """The bundled templates' environment."""


class _SandboxedReportEnvironment(_ItemFirst, SandboxedEnvironment):
    """A user template folder's environment."""


@lru_cache(maxsize=8)
def environment(kind: str, user_templates: Path | None = None) -> jinja2.Environment:
    """`kind` is "html" (autoescaped) or "markdown" (escaped with the `md` filter instead).

    One environment per kind and template folder for the life of the process: it keeps the
    templates it has compiled, and an audit renders the same report template once per
    submission (compiling it took about 27 ms each time)."""
    folders = [str(data_dir("templates"))]
    if user_templates is not None:
        folders.insert(0, str(user_templates))
    cls = _SandboxedReportEnvironment if user_templates is not None else _ReportEnvironment
    env = cls(loader=jinja2.FileSystemLoader(folders), autoescape=(kind == "html"),
              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
              keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update(presentation.GLOBALS)
    return env


def render(kind: str, template: str, user_templates: Path | None = None, **context: object) -> str:
    with _template_errors(template, user_templates):
        return environment(kind, user_templates).get_template(template).render(**context)


def write(kind: str, template: str, stream: TextIO, user_templates: Path | None = None,
          **context: object) -> None:
    """The template rendered into `stream` piece by piece, as Jinja2 produces it."""
    with _template_errors(template, user_templates):
        for piece in environment(kind, user_templates).get_template(template).generate(**context):
            stream.write(piece)


@contextmanager
def _template_errors(template: str, user_templates: Path | None) -> Iterator[None]:
    """A template's problem as one line that says which template and what to do."""
    try:
        yield
    except jinja2.TemplateNotFound as exc:
        raise ScopecheckError(f"template {exc.name} not found in {user_templates or data_dir('templates')}; "
                              "copy it from scopecheck's templates/ folder to customise it") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ScopecheckError(f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}") from exc
    except SecurityError as exc:
        raise ScopecheckError(f"template {template} tried something the sandbox forbids ({exc}); "
                              "templates may only read the report values") from exc
    except jinja2.UndefinedError as exc:
        raise ScopecheckError(f"template {template}: {exc.message}; check the variable names "
                              "against docs/outputs.md") from exc


def generated_at() -> str:
    """UTC time of the run, or SOURCE_DATE_EPOCH when set, for reproducible reports."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        moment = datetime.now(timezone.utc).replace(microsecond=0)
    else:
        try:
            moment = datetime.fromtimestamp(int(raw), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ScopecheckError(f"SOURCE_DATE_EPOCH={raw!r} is not a whole number of seconds since "
                                  "1970-01-01; set it to an integer such as 1700000000, or unset it") from None
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def record_digest(data: dict) -> str:
    """sha256 of the canonical JSON of a record (sorted keys, no spaces): lets a signed printout
    be matched to audit.json. The record's lists are encoded item by item, so a large run's
    findings are hashed as they are read back, never held whole."""
    digest = hashlib.sha256()
    encode = item_encoder(sort_keys=True, separators=(",", ":"))
    digest.update(b"{")
    for n, key in enumerate(sorted(data)):
        digest.update((b"," if n else b"") + encode(key).encode("utf-8") + b":")
        value = data[key]
        if isinstance(value, list):
            digest.update(b"[")
            for i, item in enumerate(value):
                digest.update((b"," if i else b"") + encode(item).encode("utf-8"))
            digest.update(b"]")
        else:
            digest.update(encode(value).encode("utf-8"))
    digest.update(b"}")
    return digest.hexdigest()


def highlight_html(finding: dict) -> Markup:
    """The sentence with the matched words in <mark>; each part escaped separately."""
    excerpt, (start, end) = finding["excerpt"], finding["highlight"]
    if end <= start:
        return escape(_squash(excerpt))
    # escape() is markupsafe's C function; Markup.format goes through string.Formatter in Python
    return Markup(f"{escape(_squash(excerpt[:start], right=False))}<mark>{escape(excerpt[start:end])}</mark>"
                  f"{escape(_squash(excerpt[end:], left=False))}")


def _squash(text: str, left: bool = True, right: bool = True) -> str:
    """Collapse runs of whitespace (line breaks inside a sentence) but keep the edges that touch the match."""
    body = " ".join(text.split())
    if not left and text[:1].isspace() and body:
        body = " " + body
    if not right and text[-1:].isspace() and body:
        body = body + " "
    return body


# characters that start Markdown syntax anywhere in a line (code, emphasis, links, tables,
# strikethrough, backslash escapes); the rest only matter at the start of a line
MD_INLINE = set("\\`*_{}[]|~")
MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;",
               # no @mentions or #issue links in pull-request comments from document text
               "@": "&#64;", "#": "&#35;"}
_LIST_START = re.compile(r"^(\d+)([.)])")


def md_escape(text: object) -> str:
    """Escape Markdown and inline-HTML syntax so document text shows literally, on one line."""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in MD_ENTITIES:
            out.append(MD_ENTITIES[ch])
        elif ch in MD_INLINE:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if escaped[:1] in ("-", "+", "="):  # a list item or heading underline at the start of a line
        return "\\" + escaped
    return _LIST_START.sub(r"\1\\\2", escaped)


def highlight_md(finding: dict) -> str:
    excerpt, (start, end) = finding["excerpt"], finding["highlight"]
    if end <= start:
        return md_escape(excerpt)
    before = md_escape(excerpt[:start])
    after = md_escape(excerpt[end:])
    gap_before = " " if excerpt[:start][-1:].isspace() else ""
    gap_after = " " if excerpt[end:][:1].isspace() else ""
    return f"{before}{gap_before}**{md_escape(excerpt[start:end])}**{gap_after}{after}"


FILTERS = {
    "highlight": highlight_html,
    "md": md_escape,
    "md_highlight": highlight_md,
    "cite": presentation.describe_citation,
    "element": presentation.element_label,
    "type_source": presentation.type_source_label,
    "evidence": presentation.split_evidence,
    "plural": presentation.plural,
}
