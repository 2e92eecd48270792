"""Values stay text in group messages: what people typed is made inert before a robot template
sees it, so only the template's own markup (headings, bold, lists) is live.

DingTalk and WeCom read markdown (links, images, HTML and WeCom's <font> tags, <@userid>
mentions, headings, quotes, lists, code, tables); Feishu's `post` is built from the same text
with that markup stripped (messages.plain), so typed markup would be eaten there. Every value
therefore has each markup character swapped for its full-width twin (the same character to a
Chinese reader, plain text to every renderer); backslash escapes are not used because neither
platform documents them. A value cannot start a heading, quote, list or code block on any of its
lines; "://" and "www." lose what makes a renderer turn them into links; control, bidi-override
and line-separator characters are dropped. Single-line fields stay on one line (line breaks
become spaces); a longtext keeps its lines, each made inert.

The values are made inert at the door (`inert_context`), not by a filter each template must
remember nor by Jinja2's `finalize`, which never sees a value joined with `~`, passed through
`join` or marked `| safe`: so a target's own template gets the same protection.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from forms.characters import CONTROL_CHARACTERS, LINE_BREAKS

# Markup characters and their full-width twins.
TWINS = {
    "\\": "＼",
    "`": "｀",
    "*": "＊",
    "_": "＿",
    "[": "［",
    "]": "］",
    "<": "＜",
    ">": "＞",
    "#": "＃",
    "|": "｜",
    "~": "～",
    "@": "＠",
    "&": "＆",
}
_TWIN_TABLE = str.maketrans(TWINS)
# Characters that start a block only at the beginning of a line: list items, setext underlines
# and thematic breaks ("- ", "+ ", "===", "---").
_LINE_START_TWINS = {"-": "－", "+": "＋", "=": "＝"}
_ORDERED_ITEM = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_ORDERED_TWINS = {".": "．", ")": "）"}

_LINK_SCHEME = re.compile(r"(?<=[A-Za-z0-9.+-]):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_INDENT = re.compile(r"[ \t]*")


def _inert_line(line: str) -> str:
    indent = _INDENT.match(line).group(0)  # type: ignore[union-attr]  # always matches
    rest = line[len(indent) :]
    if indent:
        # Four spaces would start a code block; the ideographic space indents as Chinese text does.
        indent = "\u3000" * ((len(indent.expandtabs(4)) + 1) // 2)
    if rest[:1] in _LINE_START_TWINS:
        rest = _LINE_START_TWINS[rest[0]] + rest[1:]
    else:
        item = _ORDERED_ITEM.match(rest)
        if item:
            rest = item.group(1) + _ORDERED_TWINS[item.group(2)] + rest[item.end() :]
    return indent + rest


def inert_text(text: str, multiline: bool = False) -> str:
    """`text` as plain text for a group message: markup characters swapped for full-width twins,
    no line able to start a block, no link schemes; on one line unless `multiline`."""
    text = CONTROL_CHARACTERS.sub("", text)
    text = text.translate(_TWIN_TABLE)
    text = _LINK_SCHEME.sub("：", text)
    text = _WWW.sub(r"\1．", text)
    lines = LINE_BREAKS.split(text)
    if not multiline:
        return _inert_line(" ".join(lines))
    return "\n".join(_inert_line(line) for line in lines)


def inert(value: Any, multiline: bool = False) -> Any:
    """Any value with every text in it made inert (lists and dicts walked, keys kept)."""
    if isinstance(value, str):
        return inert_text(value, multiline)
    if isinstance(value, dict):
        return {k: inert(v, multiline) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [inert(v, multiline) for v in value]
    return value


def inert_data(data: dict, multiline_keys: Collection[str] | None, prefix: str = "") -> dict:
    """A record's values made inert; `multiline_keys` names the longtext fields ("key", and
    "repeat.key" inside repeat rows); None (form unknown) keeps every value's line breaks."""
    out: dict = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
            out[key] = [inert_data(row, multiline_keys, f"{path}.") for row in value]
        elif isinstance(value, dict):
            out[key] = inert_data(value, multiline_keys, f"{path}.")
        else:
            out[key] = inert(value, multiline_keys is None or path in multiline_keys)
    return out


def inert_context(context: dict[str, Any], multiline_keys: Collection[str] | None) -> dict[str, Any]:
    """A template context (messages.template_context) whose every value is inert text: the
    record's values by their field type, everything else (branch, operator, labels) on one line."""
    data = inert_data(context.get("data") or {}, multiline_keys)
    out = {key: inert(value) for key, value in context.items() if key not in ("data", "record")}
    out["data"] = data
    record = context.get("record")
    if isinstance(record, dict):
        out["record"] = {key: inert(value) for key, value in record.items() if key != "data"}
        out["record"]["data"] = data
    return out
