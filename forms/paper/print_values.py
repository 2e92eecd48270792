"""A record's values ready for paper: each field's value as a person reads it in a 记录本.

A layout writes `{{ values.place }}` and gets the place, or a line to write on when nothing was
entered (never "None"); `{{ values.held_at }}` reads 2026年11月5日 19:00; a members list reads
张三、李四; absences read 张三（病假）、李四（外出务工）. Each value (`PrintValue`) also offers its
parts for a layout that arranges them itself: `.items` (names, absences as {name, reason},
choices ticked, photos, repeat rows), `.lines` (a long text's lines), `.points` (its lines without
the numbering typed before them), `.role` (a member's role on the roster), `.choices` (what a
choice field offers), `.columns` (a repeat's sub-fields), `.label`, `.raw` (the stored JSON).
`values.some_key` of a key the record does not have (an old form version) is an empty value, so
one layout prints every version of its form.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from markupsafe import Markup, escape

from forms.engine.calculations import SKIP, compute, truthy
from forms.model import Field, Form
from forms.values import empty_value, is_empty

# Words printed on paper: the 记录本 is Chinese whatever language the window speaks.
WORDS = {
    "date": "{y}年{m}月{d}日",
    "month": "{y}年{m}月",
    "items": "、",
    "absence": "{name}（{reason}）",
    "photos": "{count} 张照片",
    "rows": "{count} 行",
    "coordinates": "（纬度 {lat}，经度 {lon}）",
}
# A line to write on: what an empty value prints as, about this many characters wide.
BLANK_WIDTH = 8
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MOMENT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# Numbering an operator typed before each point ("1.", "2、", "（3）", "四、"): the page numbers them.
_NUMBERING = re.compile(r"^(\d+[.、．)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")


def blank(width: int = BLANK_WIDTH) -> Markup:
    """A line to write on by hand, about `width` characters wide."""
    width = max(1, min(width if isinstance(width, int) else BLANK_WIDTH, 40))
    # Underscores: Qt draws no underline under spaces at the end of a line, and a line of
    # underscores reads as a line to write on in any PDF reader's text too.
    return Markup("_" * (2 * width))


def cn_date(value: Any) -> str:
    """'2026-11-05' (or the day of a time) as 2026年11月5日; other text unchanged; '' for nothing."""
    text = "" if value is None else str(value).strip()
    match = _DATE.match(text) or _MOMENT.match(text)
    if not match:
        return text
    y, m, d = match.group(1), int(match.group(2)), int(match.group(3))
    return WORDS["date"].format(y=y, m=m, d=d)


def cn_when(value: Any) -> str:
    """Any stored date or time as it is printed: 2026年11月5日, 2026年11月5日 19:00, 2026年3月,
    19:00; a stored timestamp ('2026-11-05T14:03:22+08:00') to the minute; '' for nothing."""
    if value is None or isinstance(value, bool):
        return ""
    text = str(value).strip()
    moment = _MOMENT.match(text)
    if moment:
        return f"{cn_date(text[:10])} {moment.group(4)}:{moment.group(5)}"
    month = _MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return WORDS["month"].format(y=month.group(1), m=int(month.group(2)))
    return cn_date(text)


def cn_number(value: Any) -> str:
    """An integer or decimal as printed: 12, 12.5 (no trailing zeros, no exponent for money)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.10g}"
    return str(value)


def text_lines(value: Any) -> list[str]:
    """A long text's lines, blank ones at either end dropped, line breaks of every kind."""
    if not isinstance(value, str):
        return []
    lines = [line.rstrip() for line in value.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


class PrintValue:
    """One field's value ready for print. Written out it is `text` (escaped, line breaks kept),
    or a line to write on when empty; `bool()` says whether anything was entered."""

    def __init__(
        self,
        field: Field | None,
        raw: Any = None,
        *,
        text: str = "",
        items: list | None = None,
        lines: list[str] | None = None,
        role: str = "",
        shown: bool = True,
        columns: list[dict] | None = None,
    ):
        self.key = field.key if field else ""
        self.label = field.label if field else ""
        self.type = field.type if field else ""
        self.raw = raw
        self.text = text
        self.items = list(items or [])
        self.lines = list(lines or [])
        self.role = role
        self.shown = shown
        self.columns = list(columns or [])  # a repeat's sub-fields: [{key, label}]
        self.choices = list(field.choices) if field else []  # what a choice field offers
        self.empty = not text and not self.items

    @property
    def points(self) -> list[str]:
        """A long text's non-empty lines, numbering typed before each removed (议题, one a line)."""
        return [_NUMBERING.sub("", line.strip()) or line.strip() for line in self.lines if line.strip()]

    @property
    def count(self) -> int:
        """How many items (names, absences, photos, rows); 0 for a single value."""
        return len(self.items)

    def __html__(self) -> str:
        if self.empty:
            return str(blank())
        if self.type == "longtext" or "\n" in self.text:
            return str(Markup("<br/>").join(escape(line) for line in self.text.split("\n")))
        return str(escape(self.text))

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return not self.empty

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"PrintValue({self.key!r}, {self.text[:20]!r})"


class Values:
    """Values by key, read as `values.key` or `values['key']`; a key the record lacks is an empty
    value (so a layout written for a newer form version prints an older record). Iterating gives
    the keys in form order."""

    def __init__(self, values: Mapping[str, PrintValue]):
        self._values = dict(values)

    def __getitem__(self, key: Any) -> PrintValue:
        value = self._values.get(str(key))
        return value if value is not None else PrintValue(None)

    def __getattr__(self, key: str) -> PrintValue:
        if key.startswith("_"):
            raise AttributeError(key)
        return self[key]

    def __contains__(self, key: Any) -> bool:
        return str(key) in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


# A photo's print details from its stored item ({sha256, name, taken_at?}): {src, name, time_label}.
PhotoDetails = Callable[[dict], dict]


def printed(
    field: Field,
    raw: Any,
    roles: Mapping[str, str],
    photo: PhotoDetails,
    shown: bool = True,
    row_variables: dict | None = None,
) -> PrintValue:
    """One field's stored value as a PrintValue (see the module docstring for each type)."""
    kind = field.type
    if is_empty(raw) or (isinstance(raw, float) and raw != raw):
        return PrintValue(field, raw, shown=shown, columns=_columns(field))
    if kind in ("date", "datetime", "time"):
        return PrintValue(field, raw, text=cn_when(raw), shown=shown)
    if kind in ("integer", "decimal"):
        return PrintValue(field, raw, text=cn_number(raw), shown=shown)
    if kind == "longtext":
        lines = text_lines(raw)
        return PrintValue(field, raw, text="\n".join(lines), lines=lines, shown=shown)
    if kind == "member":
        name = _name(raw)
        return PrintValue(field, raw, text=name, role=roles.get(name, ""), shown=shown)
    if kind in ("members", "select_multiple"):
        names = [_name(item) for item in _as_list(raw)]
        names = [n for n in names if n]
        return PrintValue(field, raw, text=WORDS["items"].join(names), items=names, shown=shown)
    if kind == "absences":
        rows = [_absence(item) for item in _as_list(raw)]
        rows = [row for row in rows if row["name"]]
        text = WORDS["items"].join(
            WORDS["absence"].format(**row) if row["reason"] else row["name"] for row in rows
        )
        return PrintValue(field, raw, text=text, items=rows, shown=shown)
    if kind == "photos":
        photos = [photo(item) for item in _as_list(raw) if isinstance(item, dict)]
        return PrintValue(
            field, raw, text=WORDS["photos"].format(count=len(photos)), items=photos, shown=shown
        )
    if kind == "files":
        names = [str(item.get("name") or "") for item in _as_list(raw) if isinstance(item, dict)]
        return PrintValue(field, raw, text=WORDS["items"].join(names), items=names, shown=shown)
    if kind == "location":
        return PrintValue(field, raw, text=_place(raw), shown=shown)
    if kind == "repeat":
        table = [
            row_values(field.fields, row, roles, photo, row_variables or {})
            for row in _as_list(raw)
            if isinstance(row, dict)
        ]
        return PrintValue(
            field,
            raw,
            text=WORDS["rows"].format(count=len(table)),
            items=table,
            shown=shown,
            columns=_columns(field),
        )
    if isinstance(raw, (list, tuple)):
        names = [_name(item) for item in raw]
        return PrintValue(
            field, raw, text=WORDS["items"].join(n for n in names if n), items=names, shown=shown
        )
    if isinstance(raw, dict):
        return PrintValue(field, raw, text=_name(raw), shown=shown)
    text = raw.strip() if isinstance(raw, str) else cn_number(raw)
    return PrintValue(field, raw, text=text, shown=shown)


def row_values(fields, row: dict, roles: Mapping[str, str], photo: PhotoDetails, outer: dict) -> Values:
    """One repeat row's values; a sub-field hidden in this row (its `relevant`) is left empty."""
    shown = relevance(fields, {**outer, **_filled(fields, row)})
    return Values(
        {
            f.key: printed(f, row.get(f.key) if shown.get(f.key, True) else None, roles, photo, shown[f.key])
            for f in _data_fields(fields)
        }
    )


def relevance(fields, variables: dict, parent: bool = True) -> dict[str, bool]:
    """key -> shown, for fields at one level (groups opened; a hidden group hides its fields).
    An expression that cannot be computed because what it reads is empty hides its field."""
    shown: dict[str, bool] = {}
    for f in fields:
        ok = parent
        if ok and f.relevant:
            value, error = compute(f.relevant, variables)
            ok = not error and value is not SKIP and truthy(value)
        shown[f.key] = ok
        if f.type == "group":
            shown.update(relevance(f.fields, variables, ok))
    return shown


def record_values(
    form: Form, data: dict, roles: Mapping[str, str], photo: PhotoDetails, context: dict
) -> tuple[Values, dict[str, bool]]:
    """Every field of the record ready for print, and which fields its answers show."""
    data = data if isinstance(data, dict) else {}
    variables = {**context, **_filled(form.fields, data)}
    shown = relevance(form.fields, variables)
    values = {}
    for f in _data_fields(form.fields):
        visible = shown.get(f.key, True)
        values[f.key] = printed(f, data.get(f.key) if visible else None, roles, photo, visible, variables)
    return Values(values), shown


def _filled(fields, data: dict) -> dict:
    """The level's values as expressions see them: every key present, missing ones empty."""
    return {f.key: data.get(f.key, empty_value(f)) for f in _data_fields(fields)}


def _data_fields(fields) -> list[Field]:
    out: list[Field] = []
    for f in fields:
        if f.type == "group":
            out.extend(_data_fields(f.fields))
        else:
            out.append(f)
    return out


def _columns(field: Field) -> list[dict]:
    if field.type != "repeat":
        return []
    return [{"key": f.key, "label": f.label} for f in _data_fields(field.fields)]


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [] if value is None else [value]


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    if value is None:
        return ""
    return str(value).strip() if isinstance(value, str) else cn_number(value)


def _absence(item: Any) -> dict:
    if isinstance(item, dict):
        return {"name": _name(item), "reason": str(item.get("reason") or "").strip()}
    return {"name": _name(item), "reason": ""}


def _place(value: Any) -> str:
    if not isinstance(value, dict):
        return _name(value)
    place = str(value.get("place") or "").strip()
    lat, lon = value.get("lat"), value.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        place += WORDS["coordinates"].format(lat=f"{lat:.5f}", lon=f"{lon:.5f}")
    return place


def today_label(today: _dt.date | None = None) -> str:
    """Today as printed (2026年11月5日)."""
    return cn_date((today or _dt.date.today()).isoformat())
