"""How a server may echo a text back, decoded: JSON escapes, percent-encoding, HTML entities.

A platform that repeats a request in its error answer rarely repeats it byte for byte: a token
comes back as `\\u0074ok…`, a URL as `https:\\/\\/…` or `https%3A%2F%2F…`, a Chinese secret as
`%E7%A7%98`. `views(text)` gives the text decoded in each of those ways (and twice over, for an
encoding inside another), each view remembering which characters of the original made each of
its own, so that forms/secrecy.py's `Scrubber` can find a secret in any view and hide exactly
those characters of the original. Standard library only, like forms/secrecy.py.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# One escape: a run of \uXXXX (a surrogate pair stays together), a short JSON escape, a run of
# %XX bytes (UTF-8 is decoded across the run), an HTML entity, or `+` (a space in form encoding).
_ESCAPES = re.compile(
    r"(?P<u>(?:\\u[0-9a-fA-F]{4})+)"
    r"|\\(?P<j>[\"\\/bfnrt'])"
    r"|(?P<pct>(?:%[0-9a-fA-F]{2})+)"
    r"|(?P<ent>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{2,8});)"
    r"|(?P<plus>\+)"
)
_SHORT = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# Views are only made of texts up to this long: the scrubber cuts what it keeps well below it.
MAX_DECODED = 1_000_000


class View:
    """A decoded text and the way back from its characters to the characters of the original."""

    def __init__(self, text: str, parent: View | None = None, segments: list | None = None):
        self.text = text
        self.parent = parent
        # (start in this view, start in the parent, length here, length in the parent); a literal
        # segment has equal lengths, an escape maps its one character to the whole escape.
        self._segments = segments or []
        self._starts = [s[0] for s in self._segments]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that characters [start, end) of this view came from."""
        if self.parent is None:
            return start, end
        first, last = self._parent_pos(start, True), self._parent_pos(end - 1, False)
        return self.parent.original_span(first, last)

    def _parent_pos(self, pos: int, starting: bool) -> int:
        here, there, length, there_length = self._segments[bisect.bisect_right(self._starts, pos) - 1]
        if length == there_length:  # literal: character for character
            return there + (pos - here) + (0 if starting else 1)
        return there if starting else there + there_length


def _percent(run: str) -> list[tuple[str, int]]:
    """(character, how many characters of `run` made it) for a run of %XX, UTF-8 decoded;
    bytes that are not UTF-8 stay as their %XX text."""
    data = bytes(int(run[i + 1 : i + 3], 16) for i in range(0, len(run), 3))
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(data):
        for size in (1, 2, 3, 4):
            try:
                char = data[i : i + size].decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append((char, size * 3))
            i += size
            break
        else:
            out.append((run[i * 3 : i * 3 + 3], 3))
            i += 1
    return out


def _unicode(run: str) -> list[tuple[str, int]]:
    """(character, characters of `run` that made it) for a run of \\uXXXX, pairs joined."""
    units = [int(run[i + 2 : i + 6], 16) for i in range(0, len(run), 6)]
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if 0xD800 <= unit < 0xDC00 and i + 1 < len(units) and 0xDC00 <= units[i + 1] < 0xE000:
            out.append((chr(0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00)), 12))
            i += 2
        else:
            out.append((chr(unit), 6))
            i += 1
    return out


def _decoded_pieces(match: re.Match, plus: bool) -> list[tuple[str, int]] | None:
    kind = match.lastgroup
    token = match.group(0)
    if kind == "u":
        return _unicode(token)
    if kind == "j":
        return [(_SHORT.get(match.group("j"), match.group("j")), 2)]
    if kind == "pct":
        return _percent(token)
    if kind == "ent":
        import html  # here: its entity table costs ~1.5 ms at every start

        text = html.unescape(token)
        return [(text, len(token))] if text != token else None
    return [(" ", 1)] if plus else None


def decode(parent: View, plus: bool) -> View | None:
    """`parent` with one layer of escapes decoded (`+` as a space when `plus`); None when the
    text holds no escape this decodes, so the view would be the text itself."""
    text = parent.text
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    here = there = 0
    changed = False
    for match in _ESCAPES.finditer(text):
        decoded = _decoded_pieces(match, plus)
        if decoded is None:
            continue
        changed = True
        if match.start() > there:  # the literal text before this escape
            length = match.start() - there
            segments.append((here, there, length, length))
            pieces.append(text[there : match.start()])
            here, there = here + length, match.start()
        for chars, used in decoded:
            if len(chars) == used:  # `+` as a space, or bytes left as they were: one for one
                segments.append((here, there, used, used))
            else:  # each character it decodes to maps back to the whole escape
                segments.extend((here + k, there, 1, used) for k in range(len(chars)))
            pieces.append(chars)
            here += len(chars)
            there += used
    if not changed:
        return None
    if there < len(text):
        length = len(text) - there
        segments.append((here, there, length, length))
        pieces.append(text[there:])
    return View("".join(pieces), parent, segments)


def views(text: str) -> Iterator[View]:
    """The text itself, then each way a server may have encoded it, up to two layers deep."""
    root = View(text)
    yield root
    if len(text) > MAX_DECODED or not any(c in text for c in "\\%&+"):
        return
    for plus in (False, True):
        once = decode(root, plus)
        if once is None:
            continue
        yield once
        twice = decode(once, plus)
        if twice is not None:
            yield twice
