"""Value shapes: turn what people type (or import) into the JSON shape of each field type.

`coerce_value` only fixes the shape ("12" -> 12, "2026/3/1" -> "2026-03-01"); ranges, choices,
the roster and identity numbers are checked by forms/engine/validation.py.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from forms.characters import control_problem, one_line, with_newlines
from forms.expressions import is_number
from forms.i18n import tr, tr_noop
from forms.identity import normalize_idcard, normalize_phone
from forms.model import LIST_TYPES, Field

_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATETIME = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]|\s+)(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
NAME_SEPARATORS = re.compile(r"[,，、;；\s]+")


def iso_minute(dt) -> str:
    """A datetime as 'YYYY-MM-DDTHH:MM' (the shape of datetime fields)."""
    if isinstance(dt, datetime.datetime):
        return dt.strftime("%Y-%m-%dT%H:%M")
    return str(dt)[:16]


class _Bad(Exception):
    """A value that does not fit its field's type; the message is for the user."""


def empty_value(field: Field):
    """What an unfilled field holds: [] for list types, else None."""
    return [] if field.type in LIST_TYPES else None


def is_empty(value) -> bool:
    """None, blank text, an empty list or dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def coerce_value(field: Field, value) -> tuple[Any, str | None]:
    """(value in the field's shape, None), or (value unchanged, Chinese message) when it cannot be.

    Empty values become empty_value(field). Choices, ranges and the roster are checked by
    `evaluate`, not here. Repeat rows are checked only for being dicts.
    """
    if is_empty(value):
        return empty_value(field), None
    try:
        cleaned = _COERCERS.get(field.type, _as_is)(field, value)
        if field.type != "repeat":  # a repeat's rows are cleaned field by field
            _refuse_controls(field, cleaned)
    except _Bad as bad:
        return value, str(bad)
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, AttributeError):
        return value, tr("“{label}”的值无法识别，请重新填写").format(label=field.label)
    # Cleaning can leave nothing ("-" as a phone number): that is an empty value, as it will be
    # when the record is checked again.
    return (empty_value(field) if is_empty(cleaned) else cleaned), None


def _as_is(field, value):
    return value


def _refuse_controls(field, value) -> None:
    """Every text inside a cleaned value is free of control characters (forms/characters.py)."""
    if isinstance(value, str):
        problem = control_problem(value, field.label)
        if problem:
            raise _Bad(problem)
    elif isinstance(value, dict):
        for v in value.values():
            _refuse_controls(field, v)
    elif isinstance(value, list):
        for v in value:
            _refuse_controls(field, v)


def _nfkc(s: str) -> str:
    # Full-width digits and punctuation (１２、：) are common from Chinese input methods.
    return unicodedata.normalize("NFKC", s).strip()


# Enough for any text: NFKC, dropping spaces and upper-casing each settle in a round or two.
_MOST_ROUNDS = 8


def _settled(clean: Callable[[str], str], text: str) -> str:
    """`clean` applied until it changes nothing, so a value cleaned once stays as it is when the
    record is checked again. One pass is not enough: NFKC turns a spacing accent into a space and
    a combining accent ("A¨" -> "A ̈") which joins its letter once spaces are dropped; upper-casing
    can split a letter from its accent ("ΐ" -> "Ϊ́")."""
    for _ in range(_MOST_ROUNDS):
        again = clean(text)
        if again == text:
            break
        text = again
    return text


def _text(field, value):
    if isinstance(value, str):
        # A line break pasted into a one-line field becomes a space; a longtext keeps its lines.
        return with_newlines(value) if field.type == "longtext" else one_line(value)
    if is_number(value):
        return str(value)
    raise _Bad(tr("“{label}”应为文字").format(label=field.label))


def _integer(field, value):
    if is_number(value):
        if isinstance(value, int):
            return value
        if float(value).is_integer():
            return int(value)
    elif isinstance(value, str):
        s = _nfkc(value).replace(",", "")
        if _INTEGER.fullmatch(s) and len(s) < 1000:
            return int(s.split(".")[0])
    raise _Bad(tr("“{label}”应为整数，例如 12").format(label=field.label))


def _decimal(field, value):
    if is_number(value):
        return value
    if isinstance(value, str):
        s = _nfkc(value).replace(",", "")
        if _DECIMAL.fullmatch(s) and len(s) < 1000:
            number = float(s)
            if math.isfinite(number):
                return int(s) if re.fullmatch(r"[+-]?\d+", s) else number
    raise _Bad(tr("“{label}”应为数字，例如 0.5").format(label=field.label))


def _date(field, value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        m = _DATE.fullmatch(_nfkc(value))
        if m:
            try:
                return datetime.date(*map(int, m.groups())).isoformat()
            except ValueError:
                pass
    raise _Bad(tr("“{label}”应为日期，写成 2026-03-01 这样").format(label=field.label))


def _datetime(field, value):
    if isinstance(value, datetime.datetime):
        return iso_minute(value)
    if isinstance(value, str):
        m = _DATETIME.fullmatch(_nfkc(value))
        if m:
            year, month, day, hour, minute = map(int, m.groups())
            try:
                return iso_minute(datetime.datetime(year, month, day, hour, minute))
            except ValueError:
                pass
    raise _Bad(tr("“{label}”应为日期和时间，写成 2026-03-01T09:30 这样").format(label=field.label))


def _time(field, value):
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        m = _TIME.fullmatch(_nfkc(value))
        if m:
            hour, minute = map(int, m.groups())
            try:
                return datetime.time(hour, minute).strftime("%H:%M")
            except ValueError:
                pass
    raise _Bad(tr("“{label}”应为时间，写成 09:30 这样").format(label=field.label))


def _choice_text(field, value) -> str:
    if isinstance(value, str):
        return one_line(value).strip()
    if is_number(value):
        return str(value)
    raise _Bad(tr("“{label}”应从选项中选择").format(label=field.label))


def _select_one(field, value):
    return _choice_text(field, value)


def _unique(items: list) -> list:
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _select_multiple(field, value):
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Bad(tr("“{label}”应为选项列表").format(label=field.label))
    return _unique([c for c in (_choice_text(field, v) for v in value) if c])


def _member(field, value):
    if isinstance(value, str):
        return one_line(value).strip()
    raise _Bad(tr("“{label}”应为一位党员的姓名").format(label=field.label))


def _members(field, value):
    if isinstance(value, str):
        value = NAME_SEPARATORS.split(value)
    if not isinstance(value, (list, tuple)):
        raise _Bad(tr("“{label}”应为姓名列表").format(label=field.label))
    names = []
    for v in value:
        if not isinstance(v, str):
            raise _Bad(tr("“{label}”应为姓名列表").format(label=field.label))
        if v.strip():
            names.append(one_line(v).strip())
    return _unique(names)


_ABSENCE_SHAPE = tr_noop('每一项写成 {"name": "张三", "reason": "病假"}')


def _absences(field, value):
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        said = tr("“{label}”应为缺席人员列表（姓名和原因），{absence_shape}，现在是{shown}")
        raise _Bad(said.format(label=field.label, absence_shape=tr(_ABSENCE_SHAPE), shown=_shown(value)))
    rows, seen = [], set()
    for number, item in enumerate(value, 1):
        name, reason = _absence(field, number, item)
        if name and name not in seen:
            seen.add(name)
            rows.append({"name": name, "reason": reason})
    return rows


def _absence(field, number: int, item) -> tuple[str, str]:
    """(name, reason) of one absence: a name alone, or {"name", "reason"}; else what is wrong."""
    where = tr("“{label}”第 {number} 项").format(label=field.label, number=number)
    if isinstance(item, str):
        return one_line(item).strip(), ""
    if not isinstance(item, dict):
        said = tr("{where}应为姓名和原因，{absence_shape}，现在是{shown}")
        raise _Bad(said.format(where=where, absence_shape=tr(_ABSENCE_SHAPE), shown=_shown(item)))
    name, reason = item.get("name"), item.get("reason")
    if "name" not in item:
        others = "、".join(f"“{k}”" for k in item) or tr("什么也没有")
        said = tr("{where}缺少姓名（name），只有 {others}：{absence_shape}")
        raise _Bad(said.format(where=where, others=others, absence_shape=tr(_ABSENCE_SHAPE)))
    if name is None:
        said = tr("{where}的姓名（name）是空的：请填写缺席人的姓名，{absence_shape}")
        raise _Bad(said.format(where=where, absence_shape=tr(_ABSENCE_SHAPE)))
    if not isinstance(name, str):
        raise _Bad(tr("{where}的姓名（name）应为文字，现在是{shown}").format(where=where, shown=_shown(name)))
    name = one_line(name).strip()
    if reason is not None and not isinstance(reason, str):
        said = tr("{where}（{name}）的原因（reason）应为文字，现在是{shown}")
        raise _Bad(said.format(where=where, name=name or tr("无姓名"), shown=_shown(reason)))
    return name, one_line(reason or "").strip()


def _shown(value) -> str:
    """A wrong value as a person can recognise it: its JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return f" {text[:40]}{'…' if len(text) > 40 else ''}"


def _attachments(field, value):
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Bad(tr("“{label}”应为文件列表").format(label=field.label))
    items = []
    for item in value:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("sha256"), str)
            or not _SHA256.fullmatch(item["sha256"])
            or not isinstance(item.get("name"), str)
        ):
            raise _Bad(tr("“{label}”中有无法识别的文件，请重新添加").format(label=field.label))
        items.append(dict(item))
    return items


def _coordinate(field, value, limit: float, what: str):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(_nfkc(value))
        except ValueError:
            value = None
    if not is_number(value) or abs(value) > limit:
        said = tr("“{label}”的{what}不对（应在 -{limit:g} 到 {limit:g} 之间）")
        raise _Bad(said.format(label=field.label, what=what, limit=limit))
    return value


def _location(field, value):
    if isinstance(value, str):
        return {"place": one_line(value).strip(), "lat": None, "lon": None}
    if not isinstance(value, dict):
        raise _Bad(tr("“{label}”应为地点").format(label=field.label))
    place = value.get("place") or ""
    if not isinstance(place, str):
        raise _Bad(tr("“{label}”的地名应为文字").format(label=field.label))
    lat = _coordinate(field, value.get("lat"), 90, tr("纬度"))
    lon = _coordinate(field, value.get("lon"), 180, tr("经度"))
    if (lat is None) != (lon is None):
        raise _Bad(tr("“{label}”的经度和纬度要一起填写").format(label=field.label))
    if not place.strip() and lat is None:
        return None
    return {"place": one_line(place).strip(), "lat": lat, "lon": lon}


def _idcard(field, value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _Bad(tr("“{label}”应为18位身份证号").format(label=field.label))
    return _settled(lambda s: normalize_idcard(_nfkc(s)), value)


def _phone(field, value):
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _Bad(tr("“{label}”应为11位手机号").format(label=field.label))
    return _settled(lambda s: normalize_phone(_nfkc(s)), value)


def _repeat_shape(field, value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(r, dict) for r in value):
        raise _Bad(tr("“{label}”应为若干行").format(label=field.label))
    return [dict(r) for r in value]


def _group(field, value):
    raise _Bad(tr("“{label}”是分组，本身没有值").format(label=field.label))


_COERCERS = {
    "text": _text,
    "longtext": _text,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "select_one": _select_one,
    "select_multiple": _select_multiple,
    "member": _member,
    "members": _members,
    "absences": _absences,
    "photos": _attachments,
    "files": _attachments,
    "location": _location,
    "idcard": _idcard,
    "phone": _phone,
    "repeat": _repeat_shape,
    "group": _group,
}
