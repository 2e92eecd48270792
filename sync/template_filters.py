"""Field values as short readable Chinese: the filters message templates use (`show`, `when`,
`names`, `absences`, `place`, `lines`, `points`, `oneline`, `count`, `tally`) and `labelled`.

The one place that knows what each field type's JSON looks like on the way out (forms/model.py);
the Excel sheets use `show` too. An empty value or a field missing from an old record shows as
nothing rather than failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import jinja2


def show(value: Any) -> str:
    """Any field value as short readable Chinese text; '' when there is nothing to show."""
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, str):
        return when(value) if _DATETIME.match(value) else value.strip()
    if isinstance(value, dict):
        if "place" in value or "lat" in value:
            return place(value)
        return "；".join(f"{k}：{show(v)}" for k, v in value.items() if show(v))
    if isinstance(value, (list, tuple)):
        if not value:
            return ""
        if all(isinstance(v, dict) and "sha256" in v for v in value):
            return f"{len(value)} 个"
        if all(isinstance(v, dict) and "reason" in v for v in value):
            return absences(value)
        if len(value) == 1 and isinstance(value[0], dict):
            return show(value[0])
        if all(isinstance(v, dict) for v in value):
            return "\n".join(f"{i}. {show(v)}" for i, v in enumerate(value, 1))
        return "、".join(s for s in (show(v) for v in value) if s)
    return str(value)


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def when(value: Any) -> str:
    """'2026-03-05T14:30' as '2026-03-05 14:30'; dates and other text unchanged."""
    if not value or isinstance(value, jinja2.Undefined):
        return ""
    text = str(value)
    if _DATETIME.match(text):
        return text[:16].replace("T", " ")
    return text


def names(value: Any) -> str:
    """A members list (or one member) as '张三、李四'."""
    if not value or isinstance(value, jinja2.Undefined):
        return ""
    if isinstance(value, str):
        return value
    return "、".join(str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value)


def absences(value: Any) -> str:
    """Absences [{'name','reason'}] as '张三（病假）、李四（外出务工）'."""
    if not value or isinstance(value, jinja2.Undefined):
        return ""
    out = []
    for v in value:
        if isinstance(v, dict):
            name, reason = str(v.get("name") or "").strip(), str(v.get("reason") or "").strip()
            out.append(f"{name}（{reason}）" if reason else name)
        else:
            out.append(str(v))
    return "、".join(o for o in out if o)


def place(value: Any) -> str:
    """A location {'place','lat','lon'} (or plain text) as readable text."""
    if not value or isinstance(value, jinja2.Undefined):
        return ""
    if isinstance(value, str):
        return value
    text = str(value.get("place") or "").strip()
    lat, lon = value.get("lat"), value.get("lon")
    if lat is not None and lon is not None:
        text = f"{text}（{float(lat):.5f}, {float(lon):.5f}）".lstrip()
    return text


def lines(value: Any) -> list[str]:
    """Non-empty lines of a longtext, stripped."""
    if not value or isinstance(value, jinja2.Undefined):
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


_NUMBERING = re.compile(r"^(\d+[.、．)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")


def points(value: Any) -> list[str]:
    """Lines of a '一行一个' longtext with any numbering the operator typed removed."""
    return [_NUMBERING.sub("", line) or line for line in lines(value)]


def oneline(value: Any) -> str:
    """Any value on one line: a longtext's lines joined with '；'."""
    return "；".join(lines(show(value)))


def count(value: Any) -> int:
    """How many items a list value holds (0 for nothing)."""
    if not value or isinstance(value, jinja2.Undefined) or isinstance(value, str):
        return 0
    return len(value)


def tally(rows: Any, attribute: str, order: Iterable[str] = ()) -> list[tuple[str, list]]:
    """Repeat rows grouped by one of their values: [(value, rows)], `order` first, empty groups left out."""
    if not rows or isinstance(rows, jinja2.Undefined):
        return []
    groups: dict[str, list] = {str(v): [] for v in order}
    for row in rows:
        if isinstance(row, dict) and row.get(attribute) not in (None, ""):
            groups.setdefault(str(row[attribute]), []).append(row)
    return [(value, members) for value, members in groups.items() if members]


def labelled(data: dict, labels: dict, skip: Iterable[str] = ()) -> list[tuple[str, Any]]:
    """(label, value) for every value worth showing, in label order, then unlabelled keys."""
    skip = set(skip)
    keys = [k for k in labels if k in data] + [k for k in data if k not in labels]
    return [(labels.get(k) or k, data[k]) for k in keys if k not in skip and show(data[k])]
