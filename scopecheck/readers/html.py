"""HTML (exported sites, saved pages), read with the standard library's HTML tokenizer.

Why html.parser and not a tree builder: it is the only widely available parser that reports the
source line and column of every text run and keeps character references apart from the text,
which is what exact positions need; it is pure Python (no wheels to match) and tolerant of
broken markup. The little tree logic we need (implied end tags, hidden subtrees) is done here.

Linted: visible text, <title>, meta description and og:/twitter:description, image alt text,
button and link text, form labels. Skipped: script, style, noscript, template, svg, code and
pre, and anything hidden (hidden attribute, aria-hidden="true", display:none, type="hidden").
"""
from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from scopecheck.errors import InputError
from scopecheck.readers.assemble import Assembler
from scopecheck.readers.base import Extracted, decode

VOID = frozenset("area base br col embed hr img input link meta source track wbr param keygen".split())
SKIPPED = frozenset("script style noscript template svg math code pre kbd samp head iframe object select".split())
BLOCK_KINDS = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list_item", "dt": "list_item", "dd": "list_item",
    "td": "table_cell", "th": "table_cell", "caption": "paragraph",
    "label": "form_field", "legend": "form_field", "button": "paragraph", "option": "paragraph",
    **{tag: "paragraph" for tag in (
        "p div section article header footer nav aside main blockquote figure figcaption form "
        "fieldset address details summary dialog hgroup ul ol dl table tbody thead tfoot tr body html "
        "center menu").split()},
}
# elements that end an open <p>, as browsers do
CLOSES_P = frozenset(tag for tag in BLOCK_KINDS if tag not in {"li", "dt", "dd", "td", "th", "caption", "label",
                                                                "legend", "button", "option", "tr", "tbody",
                                                                "thead", "tfoot", "body", "html"})
# an element of the same name closes the previous one, unless a container sits in between
SELF_CLOSING_SIBLINGS = {"p": set(), "li": {"ul", "ol", "menu"}, "dt": {"dl"}, "dd": {"dl"},
                         "td": {"tr", "table"}, "th": {"tr", "table"}, "tr": {"table", "tbody", "thead", "tfoot"},
                         "option": {"select", "datalist"}}
LISTS = frozenset({"ul", "ol", "dl", "menu"})
META_TEXT = frozenset({"description", "og:description", "twitter:description", "og:title", "twitter:title"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# words joined by single spaces: such a run is the same in the text as in the source, on one
# line, so it is one piece of the source map; other whitespace collapses to one space
_RUN = re.compile(r"\S+(?: \S+)*")
MAX_DEPTH = 2000


def _hidden(tag: str, attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    if tag == "input" and (attrs.get("type") or "").lower() == "hidden":
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))


class _Open:
    __slots__ = ("tag", "skip", "block", "quote", "list")

    def __init__(self, tag: str, skip: bool, block: bool, quote: bool, is_list: bool) -> None:
        self.tag, self.skip, self.block, self.quote, self.list = tag, skip, block, quote, is_list


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out = Assembler("line")
        self.stack: list[_Open] = []
        self.skip_depth = 0
        self.quote_depth = 0
        self.in_title = False
        self.lead_stack: list[str] = []
        self.declared: dict[str, str] = {}

    # --- structure ----------------------------------------------------------------------------
    def _kind(self) -> str:
        for item in reversed(self.stack):
            if item.block:
                return BLOCK_KINDS[item.tag]
        return "paragraph"

    def _open_block_for(self, tag: str) -> None:
        kind = BLOCK_KINDS[tag]
        lead = self.lead_stack[-1] if (kind == "list_item" and self.lead_stack) else ""
        self.out.open_block(kind, quote=self.quote_depth > 0, lead_in=lead)

    def _pop(self) -> None:
        item = self.stack.pop()
        if item.skip:
            self.skip_depth -= 1
        if item.quote:
            self.quote_depth -= 1
        if item.list:
            self.lead_stack.pop()
        if item.block:
            self.out.close_block()
            # text after a nested block continues in a new block of the enclosing element
            for outer in reversed(self.stack):
                if outer.block:
                    self._reopen = outer.tag
                    break

    def _close_to(self, tag: str, stop: set[str] | frozenset[str] = frozenset()) -> bool:
        for i in range(len(self.stack) - 1, -1, -1):
            name = self.stack[i].tag
            if name == tag:
                while len(self.stack) > i:
                    self._pop()
                return True
            if name in stop:
                return False
        return False

    _reopen: str | None = None

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k.lower(): v for k, v in attrs_list}
        if tag == "body":
            self._close_to("head")
        if tag in SELF_CLOSING_SIBLINGS:
            self._close_to(tag, SELF_CLOSING_SIBLINGS[tag] | {"div", "table", "ul", "ol", "body"} if tag != "p"
                           else {"div", "section", "article", "li", "td", "th", "blockquote", "body", "button"})
        if tag in CLOSES_P:
            self._close_to("p", {"div", "section", "article", "li", "td", "th", "blockquote", "body", "button"})
        if tag == "title":
            self.in_title = True
            self.out.open_block("paragraph")
            return
        if tag == "meta":
            self._meta(attrs)
            return
        hidden = self.skip_depth > 0 or tag in SKIPPED or _hidden(tag, attrs)
        if tag == "img" and not hidden and (attrs.get("alt") or "").strip():
            self._attribute_text(attrs["alt"], "alt")
        if tag == "input" and not hidden and (attrs.get("type") or "").lower() in ("submit", "button") \
                and (attrs.get("value") or "").strip():
            self._attribute_text(attrs["value"], "value")
        if tag == "br":
            self.out.space()
        if tag in VOID or len(self.stack) >= MAX_DEPTH:
            return
        block = tag in BLOCK_KINDS and not hidden
        # every hidden element counts, so closing a nested one never un-hides its parent
        item = _Open(tag, hidden, block, tag == "blockquote", tag in LISTS)
        if item.skip:
            self.skip_depth += 1
            if self.skip_depth == 1:
                self.out.gap()  # the words on either side are not one phrase
        if item.quote:
            self.quote_depth += 1
        if item.list:
            self.lead_stack.append(self.out.last_lead_in)
        self.stack.append(item)
        self._reopen = None
        if block:
            self._open_block_for(tag)

    def handle_startendtag(self, tag: str, attrs_list) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag not in VOID and self.stack and self.stack[-1].tag == tag:
            self._pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            self.out.close_block()
            return
        if tag == "p" and not any(item.tag == "p" for item in self.stack):
            return
        self._close_to(tag)

    # --- text ---------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip_depth and not self.in_title:
            return
        line, column = self.getpos()
        self._text(data, line, column + 1)

    def _ensure_block(self) -> None:
        if self._reopen is not None and self.out._block_start is None:
            self._open_block_for(self._reopen)
            self._reopen = None

    def _text(self, data: str, line: int, column: int) -> None:
        """Add the text of `data`, which starts at (line, column), collapsing whitespace."""
        if not data:
            return
        self._ensure_block()
        if data[0].isspace():
            self.out.space()
        last = 0
        for m in _RUN.finditer(data):
            gap = data[last:m.start()]
            newlines = gap.count("\n")
            if newlines:
                line += newlines
                column = len(gap) - gap.rfind("\n")
            else:
                column += len(gap)
            if m.start() > 0 and last != m.start():
                self.out.space()
            self.out.add(m.group(), line, column)
            column += len(m.group())
            last = m.end()
        if data[-1].isspace():
            self.out.space()

    def _reference(self, text: str) -> None:
        if self.skip_depth and not self.in_title:
            return
        if text.isspace() or text == "\xa0":
            self._ensure_block()
            self.out.space()
            return
        line, column = self.getpos()
        self._ensure_block()
        self.out.add(text, line, column + 1, verbatim=False)

    def handle_entityref(self, name: str) -> None:
        self._reference(html_lib.unescape(f"&{name};") if f"&{name};" != html_lib.unescape(f"&{name};")
                        else f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(html_lib.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        line, column = self.getpos()
        self.out.comment(data, line, column + 1)

    # --- attributes ---------------------------------------------------------------------------
    def _attribute_position(self, value: str, name: str) -> tuple[int, int, bool]:
        raw = self.get_starttag_text() or ""
        line, column = self.getpos()
        at = raw.find(value)
        verbatim = at >= 0
        if at < 0:
            m = re.search(rf"\b{re.escape(name)}\s*=\s*['\"]?", raw, re.IGNORECASE)
            at = m.end() if m else 0
        before = raw[:at]
        if "\n" in before:
            return line + before.count("\n"), at - before.rfind("\n"), verbatim
        return line, column + at + 1, verbatim

    def _attribute_text(self, value: str, name: str) -> None:
        line, column, verbatim = self._attribute_position(value, name)
        self._ensure_block()
        self.out.space()
        if verbatim:
            self._text(value, line, column)
        else:
            self.out.add(" ".join(value.split()), line, column, verbatim=False)
        self.out.space()

    def _meta(self, attrs: dict[str, str | None]) -> None:
        key = (attrs.get("name") or attrs.get("property") or "").lower()
        content = attrs.get("content") or ""
        if key == "scopecheck:type":  # the HTML counterpart of front matter `scopecheck: {type: ...}`
            self.declared["type"] = content.strip().lower()
            return
        if key in META_TEXT and content.strip():
            self.out.open_block("paragraph")
            line, column, verbatim = self._attribute_position(content, "content")
            if verbatim:
                self._text(content, line, column)
            else:
                self.out.add(" ".join(content.split()), line, column, verbatim=False)
            self.out.close_block()


def read(data: bytes, path: str) -> Extracted:
    text, warnings = decode(data, path)
    return read_text(text, path, warnings)


def read_text(text: str, path: str, warnings: list[str] | None = None) -> Extracted:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader()
    try:
        reader.feed(text)
        reader.close()
    except (AssertionError, ValueError) as exc:  # the tokenizer gives up on some broken markup
        raise InputError(f"{path}: the HTML could not be read ({exc}); check that the file is a web page") from exc
    front = {"scopecheck": dict(reader.declared)} if reader.declared else {}
    return reader.out.finish("html", front, warnings)
