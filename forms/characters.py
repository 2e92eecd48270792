"""Which characters a text value may hold: line breaks of every kind, and the invisible control
characters no one types, refused wherever text comes in (values, rosters, branch names).

Line breaks: a longtext keeps them (as "\\n"), any single-line text turns each into a space.
Besides "\\n" and "\\r\\n" they come from pasting: Word's Shift+Enter (\\v), U+2028/U+2029 from web
pages. Refused: C0 controls but tab and line breaks (NUL, ESC ...), DEL, C1 controls, bidi marks,
embeddings, overrides and isolates (they make text read differently from what it is, e.g. a
reversed file name) and lone surrogates (not text at all; SQLite and JSON choke on them).
"""

from __future__ import annotations

import re

from forms.i18n import tr

# Every boundary str.splitlines() knows.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def one_line(text: str) -> str:
    """`text` with every line break a space."""
    return LINE_BREAKS.sub(" ", text)


def with_newlines(text: str) -> str:
    """`text` with every kind of line break a plain "\\n"."""
    return LINE_BREAKS.sub("\n", text)


def control_problem(text: str, what: str) -> str | None:
    """A Chinese message when `text` holds a refused character (naming `what` holds it, where,
    and its code), else None."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if "\ud800" <= found.group() <= "\udfff":  # bytes that were not UTF-8 (a GBK file or terminal)
        return tr(
            "“{what}”里有无法识别的字符（第 {number} 个字符，{code}），"
            "多半是文字的编码不是 UTF-8（例如 GBK 的文件或终端）。请改用 UTF-8 后重新填写。"
        ).format(what=what, number=found.start() + 1, code=code)
    return tr(
        "“{what}”里有看不见的控制字符（第 {number} 个字符，{code}），"
        "多半是从别处复制时带进来的。请删掉它后重新填写。"
    ).format(what=what, number=found.start() + 1, code=code)
