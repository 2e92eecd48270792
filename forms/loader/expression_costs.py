"""Trying a form's expressions on sample records, so that one which goes past the sandbox's
bounds (a huge value, a huge number, too long a run) is reported at its line when the form is
checked, not first met while a cadre types.

Two samples: every field filled with an ordinary value of its type, and every field empty.
Only the sandbox's bounds count here (`ExpressionTooCostly`); an expression that fails on a
sample value for another reason (a date it cannot read) may well work on real values. All the
tries of one form share `TOTAL_SECONDS`, so a form of many slow expressions cannot hold up
`yici forms check` (or the start of the app) for longer than that.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from forms.expressions import ExpressionError, ExpressionTooCostly, compile_expression
from forms.model import Field
from forms.sandbox import DEFAULT, Bounds

TOTAL_SECONDS = 3.0

_SAMPLES: dict[str, Any] = {
    "text": "示例文字",
    "longtext": "第一行\n第二行",
    "integer": 12,
    "decimal": 3.5,
    "date": "2026-03-05",
    "datetime": "2026-03-05T14:30",
    "time": "14:30",
    "member": "张三",
    "members": ["张三", "李四"],
    "absences": [{"name": "王五", "reason": "病假"}],
    "photos": [{"sha256": "0" * 64, "name": "照片.jpg"}],
    "files": [{"sha256": "1" * 64, "name": "材料.pdf"}],
    "location": {"place": "村委会", "lat": 30.25, "lon": 120.15},
    "idcard": "11010519491231002X",
    "phone": "13800138000",
}
_CONTEXT = {"roster_count": 12, "today": "2026-03-05", "now": "2026-03-05T14:30"}


def _walk(fields: Iterable[Field]) -> Iterator[Field]:
    for f in fields:
        yield f
        yield from _walk(f.fields)


def _sample(f: Field, filled: bool) -> Any:
    if not filled:
        return [] if f.is_list else None
    if f.type == "select_one":
        return f.choices[0] if f.choices else "选项"
    if f.type == "select_multiple":
        return list(f.choices[:2]) or ["选项"]
    if f.type == "repeat":
        return [_level(f.fields, filled)]
    return _SAMPLES.get(f.type, "示例")


def _level(fields: Iterable[Field], filled: bool) -> dict[str, Any]:
    """Sample values of one level (groups opened up, a repeat as one sample row)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.type == "group":
            out.update(_level(f.fields, filled))
        else:
            out[f.key] = _sample(f, filled)
    return out


def costly_expressions(
    fields: tuple[Field, ...], expressions: Iterable[tuple[str, int, list[str] | None]]
) -> list[tuple[str, int, str]]:
    """(source, line, why) for each expression that goes past the bounds on a sample record;
    `expressions` are (source, line, keys of the repeat row it sits in or None)."""
    by_key = {f.key: f for f in _walk(fields) if f.type != "group"}
    samples = [{**_CONTEXT, **_level(fields, filled)} for filled in (True, False)]
    found = []
    end = time.monotonic() + TOTAL_SECONDS
    for source, at, row_keys in expressions:
        try:
            expression = compile_expression(source)
        except ExpressionError:
            continue  # reported where it is compiled
        for filled, variables in zip((True, False), samples, strict=True):
            if row_keys:
                variables = {**variables, **{k: _sample(by_key[k], filled) for k in row_keys if k in by_key}}
            left = end - time.monotonic()
            bounds = Bounds(
                DEFAULT.max_size, DEFAULT.budget, DEFAULT.max_digits, max(0.05, min(left, DEFAULT.seconds))
            )
            try:
                expression.evaluate(variables, bounds)
            except ExpressionTooCostly as exc:
                found.append((source, at, exc.message))
                break
            except ExpressionError:
                pass  # depends on the values: real records may be fine
        if time.monotonic() > end:
            break
    return found


__all__ = ["TOTAL_SECONDS", "costly_expressions"]
