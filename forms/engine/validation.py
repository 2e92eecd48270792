"""Validate a record: clean what was typed into each field's shape and say what to fix.

`evaluate` is pure and never raises: whatever `values` holds (typed by a person, imported from a
spreadsheet, read from an old database) it returns cleaned values and messages addressed to
fields, in Chinese, saying what to fix.
"""

from __future__ import annotations

from typing import Any

from forms.engine.calculations import SKIP, compute, data_fields, settle, truthy
from forms.engine.context import Context
from forms.engine.form_checks import absence_overlap, photo_warnings, run_check
from forms.engine.outcome import Message, Outcome
from forms.expressions import is_number
from forms.i18n import tr
from forms.identity import idcard_problem, phone_problem
from forms.model import LIST_TYPES, Field, Form
from forms.values import coerce_value, empty_value, is_empty


def evaluate(form: Form, values, context: Context | None = None) -> Outcome:
    """Clean and check `values` against `form`; never raises (see module docstring)."""
    context = context if context is not None else Context()
    messages: list[Message] = []
    if not isinstance(values, dict):
        messages.append(
            Message("", "error", tr("记录的数据格式不对，请重新填写 / record data is not a mapping"))
        )
        values = {}
    outer = context.variables()
    roster = set(context.names)

    level_fields = form.fields
    kept, clean = _coerce_level(level_fields, values, "", messages)
    current, shown = settle(level_fields, clean, outer, messages)
    out = _finish_level(level_fields, kept, current, shown, outer, roster, "", messages)

    variables = {**outer, **current}
    absence_overlap(form, current, messages)
    photo_warnings(form, current, messages)
    for check in form.checks:
        run_check(form, check, variables, messages)
    return Outcome(values=out, messages=_dedupe(messages))


def _dedupe(messages: list[Message]) -> list[Message]:
    return list(dict.fromkeys(messages))


def _coerce_level(fields, values: dict, prefix: str, messages: list) -> tuple[dict, dict]:
    """(values to keep: coerced or as typed when wrong, values expressions see: wrong -> empty)."""
    data = data_fields(fields)
    known = {f.key for f in data}
    for k in values:
        if k not in known:
            messages.append(
                Message(f"{prefix}{k}", "warning", tr("表单中没有“{k}”这一项，已忽略").format(k=k))
            )
    kept, clean = {}, {}
    for f in data:
        path = prefix + f.key
        raw = values.get(f.key)
        if f.type == "repeat":
            kept[f.key], clean[f.key] = _coerce_rows(f, raw, path, messages)
            continue
        coerced, problem = coerce_value(f, raw)
        if problem:
            messages.append(Message(path, "error", problem))
            kept[f.key], clean[f.key] = raw, empty_value(f)
        else:
            kept[f.key] = clean[f.key] = coerced
    return kept, clean


def _coerce_rows(f: Field, raw, path: str, messages: list) -> tuple[Any, list]:
    if is_empty(raw):
        return [], []
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        messages.append(Message(path, "error", tr("“{label}”应为若干行").format(label=f.label)))
        return raw, []
    kept_rows, clean_rows = [], []
    for i, row in enumerate(raw):
        row_path = f"{path}[{i}]"
        if not isinstance(row, dict):
            messages.append(
                Message(
                    row_path,
                    "error",
                    tr("“{label}”第{number}行格式不对，请重新填写").format(label=f.label, number=i + 1),
                )
            )
            row = {}
        k, c = _coerce_level(f.fields, row, row_path + ".", messages)
        kept_rows.append(k)
        clean_rows.append(c)
    return kept_rows, clean_rows


def _finish_level(
    fields, kept: dict, current: dict, shown: dict, outer: dict, roster: set, prefix: str, messages: list
) -> dict:
    """Values to store at one level (hidden cleared, calculated filled) and their messages."""
    variables = {**outer, **current}
    type_errors = {m.field for m in messages if m.level == "error"}
    out = {}
    for f in data_fields(fields):
        path = prefix + f.key
        if not shown.get(f.key, True):
            out[f.key] = empty_value(f)
            _drop_messages(messages, path)
            continue
        if f.calculate:
            out[f.key] = current[f.key]
            _drop_messages(messages, path, keep_warnings=True)
            continue
        if path in type_errors:
            out[f.key] = kept[f.key]
            continue
        if f.type == "repeat":
            out[f.key] = _finish_rows(f, kept[f.key], current[f.key], variables, roster, path, messages)
        else:
            out[f.key] = current[f.key]
        value = current[f.key]
        if is_empty(value):
            if f.required:
                messages.append(Message(path, "error", _required_text(f)))
            continue
        for text in _value_problems(f, value, roster):
            messages.append(Message(path, "error", text))
        if f.constraint:
            _run_constraint(f, f.constraint, variables, path, messages)
    return out


def _drop_messages(messages: list, path: str, keep_warnings: bool = False) -> None:
    # Values of hidden fields are cleared, so what was wrong with them no longer matters.
    inside = (path + "[", path + ".")
    messages[:] = [
        m
        for m in messages
        if not (
            (m.field == path or m.field.startswith(inside)) and not (keep_warnings and m.level == "warning")
        )
    ]


def _finish_rows(f: Field, kept, rows: list, variables: dict, roster: set, path: str, messages: list):
    if not isinstance(kept, list):
        return kept
    out = []
    for i, (kept_row, row) in enumerate(zip(kept, rows, strict=True)):
        row_prefix = f"{path}[{i}]."
        current, shown = settle(f.fields, row, variables, messages, row_prefix)
        out.append(_finish_level(f.fields, kept_row, current, shown, variables, roster, row_prefix, messages))
    return out


def _required_text(f: Field) -> str:
    if f.type == "repeat":
        return tr("请至少填写一行“{label}”").format(label=f.label)
    if f.type in LIST_TYPES:
        return tr("请选择“{label}”").format(label=f.label)
    return tr("请填写“{label}”").format(label=f.label)


def _value_problems(f: Field, value, roster: set) -> list[str]:
    """What is wrong with a well-shaped, non-empty value: ranges, lengths, choices, roster, ids."""
    problems = []
    if f.min is not None or f.max is not None:
        problems.extend(_range_problems(f, value))
    if f.max_length is not None and isinstance(value, str) and len(value) > f.max_length:
        problems.append(
            tr("“{label}”最多{max_length}个字，现在是{value_count}个").format(
                label=f.label, max_length=f.max_length, value_count=len(value)
            )
        )
    if f.type == "select_one" and value not in f.choices:
        problems.append(
            tr("“{value}”不是“{label}”的可选项，请从 {choices} 中选择").format(
                value=value, label=f.label, choices="、".join(f.choices)
            )
        )
    if f.type == "select_multiple":
        wrong = [v for v in value if v not in f.choices]
        if wrong:
            problems.append(
                tr("{wrong} 不是“{label}”的可选项，请从 {choices} 中选择").format(
                    wrong="、".join(wrong), label=f.label, choices="、".join(f.choices)
                )
            )
    if roster and f.type in ("member", "members", "absences"):
        names = [value] if f.type == "member" else [v["name"] if isinstance(v, dict) else v for v in value]
        strangers = [n for n in names if n not in roster]
        if strangers:
            problems.append(
                tr("{strangers} 不在本支部名册上，请先在名册中添加或重新选择（“{label}”）").format(
                    strangers="、".join(strangers), label=f.label
                )
            )
    if f.type == "idcard":
        problem = idcard_problem(value)
        if problem:
            problems.append(f"“{f.label}”：{problem}")
    if f.type == "phone":
        problem = phone_problem(value)
        if problem:
            problems.append(f"“{f.label}”：{problem}")
    return problems


def _range_problems(f: Field, value) -> list[str]:
    if f.type in LIST_TYPES:
        n = len(value)
        if is_number(f.min) and n < f.min:
            return [tr("“{label}”至少要有{min}项，现在有{n}项").format(label=f.label, min=f.min, n=n)]
        if is_number(f.max) and n > f.max:
            return [tr("“{label}”最多{max}项，现在有{n}项").format(label=f.label, max=f.max, n=n)]
        return []
    low, high = _bound(f, f.min), _bound(f, f.max)
    try:
        if low is not None and value < low:
            return [tr("“{label}”不能小于 {low}").format(label=f.label, low=low)]
        if high is not None and value > high:
            return [tr("“{label}”不能大于 {high}").format(label=f.label, high=high)]
    except TypeError:
        pass
    return []


def _bound(f: Field, bound):
    if bound is None:
        return None
    if f.type in ("integer", "decimal"):
        return bound if is_number(bound) else None
    coerced, problem = coerce_value(f, bound)
    return None if problem else coerced


def _run_constraint(f: Field, constraint: str, variables: dict, path: str, messages: list) -> None:
    value, err = compute(constraint, variables)
    if value is SKIP:
        return
    if err:
        messages.append(
            Message(
                path, "error", tr("“{label}”的检查条件表达式无法计算：{err}").format(label=f.label, err=err)
            )
        )
    elif not truthy(value):
        messages.append(
            Message(
                path,
                "error",
                f.constraint_message or tr("“{label}”的填写不符合要求，请核对").format(label=f.label),
            )
        )
