"""What the command line prints: UTF-8 streams, aligned tables that know CJK width, JSON.

Kept apart from the commands so every command formats the same way, and so the table code can
be tested on its own.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from forms.characters import CONTROL_CHARACTERS, LINE_BREAKS

# Record states in the users' words.
STATUS_LABELS = {"draft": "草稿", "final": "已定稿", "void": "已作废"}


def status_label(status: str) -> str:
    """A record state in the users' words (unknown states as stored)."""
    return STATUS_LABELS.get(status, status)


def use_utf8_streams() -> None:
    """Make stdout/stderr UTF-8 even under a C locale or a GBK console redirected to a file.

    Without this a Chinese message would raise UnicodeEncodeError instead of being printed.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters count two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def shown_codes(text: str) -> str:
    """`text` with every control character (forms/characters.py) written as its \\u code."""
    return CONTROL_CHARACTERS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def cell(value: Any) -> str:
    """One table cell as text: None is empty, lists are joined, line breaks are flattened, and
    control characters (a stored value's or a platform's ESC sequences) shown as codes, never obeyed
    by the terminal."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "、".join(cell(v) for v in value)
    text = LINE_BREAKS.sub(" ", str(value))
    return shown_codes(text)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns padded to the widest cell, by display width; the last column is not padded."""
    lines = [[cell(h) for h in headers]] + [[cell(v) for v in row] for row in rows]
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(headers))]
    out = []
    for line in lines:
        parts = [text + " " * (widths[i] - display_width(text)) for i, text in enumerate(line[:-1])]
        out.append("  ".join(parts + line[-1:]).rstrip())
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def pairs(items: Iterable[tuple[str, Any]], indent: str = "") -> str:
    """`label：value` lines with the values lined up, for one record or one summary."""
    items = [(cell(label), value) for label, value in items]
    if not items:
        return ""
    width = max(display_width(label) for label, _ in items)
    return "\n".join(
        f"{indent}{label}{' ' * (width - display_width(label))}：{cell(value)}" for label, value in items
    )


def print_json(obj: Any) -> None:
    """Machine-readable output for scripts: UTF-8, not ASCII-escaped, dates as strings. Control
    characters JSON leaves raw (DEL, C1, bidi overrides, lone surrogates) are written as \\u
    escapes too: the same value to a script, nothing a terminal would obey."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str)
    print(shown_codes(text))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str) -> None:
    """A table, or the `empty` sentence when there is nothing to show."""
    print(table(headers, rows) if rows else empty)


def err(*lines: str) -> None:
    """A message for the person, on stderr, so stdout stays clean for scripts; a stored value
    quoted in it cannot send the terminal control sequences."""
    for line in lines:
        print(shown_codes(line), file=sys.stderr)
