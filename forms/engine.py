"""Form engine: the values a new record starts with, and validation of what was entered.

`evaluate` is pure and never raises: whatever `values` holds (typed by a person, imported from a
spreadsheet, read from an old database) it returns cleaned values and messages addressed to
fields, in Chinese, saying what to fix.
"""
from __future__ import annotations

import copy
import datetime
import json
import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterable

from forms.expressions import ExpressionError, compile_expression, is_number
from forms.identity import idcard_problem, phone_problem
from forms.model import CONTEXT_NAMES, LIST_TYPES, Field, Form
from forms.values import NAME_SEPARATORS, coerce_value, empty_value, is_empty, iso_minute

__all__ = [
    "Context", "Message", "Outcome", "Person", "coerce_value", "defaults", "empty_value", "evaluate",
    "is_empty", "parse_value", "record_date", "row_defaults", "summary",
]

SECRETARY_ROLE = "书记"
# A photo taken this many days away from the record's date earns a warning (staged photos).
PHOTO_DAYS_TOLERANCE = 3



# ---------------------------------------------------------------- context and results

@dataclass(frozen=True)
class Person:
    """A roster entry for contexts built without the store (tests, command line)."""

    name: str
    role: str = "党员"


@dataclass
class Context:
    """What a form's defaults and expressions may know besides the record: roster and clock."""

    roster: list = dc_field(default_factory=list)
    today: datetime.date = dc_field(default_factory=datetime.date.today)
    now: datetime.datetime = dc_field(default_factory=datetime.datetime.now)
    last: dict = dc_field(default_factory=dict)

    @classmethod
    def for_names(cls, names: Iterable, today: datetime.date | None = None, last: dict | None = None) -> "Context":
        """A context whose roster holds these names; an item may be a (name, role) pair."""
        roster = [Person(*n) if isinstance(n, (tuple, list)) else Person(str(n)) for n in names]
        if today is None:
            return cls(roster=roster, last=dict(last or {}))
        now = datetime.datetime.combine(today, datetime.datetime.now().time())
        return cls(roster=roster, today=today, now=now, last=dict(last or {}))

    @property
    def names(self) -> list[str]:
        """The roster's names in roster order."""
        return [n for n in (_person_name(p) for p in self.roster) if n]

    def variables(self) -> dict:
        """The CONTEXT_NAMES as expressions see them (dates as ISO text, like field values)."""
        return {
            "roster_count": len(self.names),
            "today": _iso_date(self.today),
            "now": iso_minute(self.now),
        }


@dataclass(frozen=True)
class Message:
    """A message for one field (key path such as "problems[2].description"; "" = whole form)."""

    field: str
    level: str
    text: str


@dataclass
class Outcome:
    """Cleaned values plus every message found."""

    values: dict
    messages: list[Message]

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.level == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks finalizing (warnings allowed)."""
        return not self.errors

    def for_field(self, key: str) -> list[Message]:
        """Messages addressed to exactly this key path."""
        return [m for m in self.messages if m.field == key]


def _person_name(p) -> str:
    if isinstance(p, str):
        return p
    if isinstance(p, dict):
        return str(p.get("name") or "")
    return str(getattr(p, "name", "") or "")


def _person_role(p) -> str:
    if isinstance(p, dict):
        return str(p.get("role") or "")
    return str(getattr(p, "role", "") or "")


def _iso_date(d) -> str:
    return d.isoformat() if isinstance(d, datetime.date) else str(d)[:10]


# ---------------------------------------------------------------- expressions in a record

_SKIP = object()   # an expression that cannot be computed yet because a value it reads is empty


def _compute(source: str, variables: dict):
    """(value, None), (_SKIP, None) when inputs are empty, or (None, error text)."""
    try:
        expr = compile_expression(source)
        return expr.evaluate(variables), None
    except ExpressionError as exc:
        try:
            names = compile_expression(source).names
        except ExpressionError:
            names = frozenset()
        if any(is_empty(variables.get(n)) for n in names):
            return _SKIP, None
        return None, exc.message


def _truthy(value) -> bool:
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - an odd object from an expression counts as false
        return False


def _data_fields(fields: Iterable[Field]) -> list[Field]:
    """Fields holding values at this level (groups opened up, not themselves)."""
    out = []
    for f in fields:
        if f.type == "group":
            out.extend(_data_fields(f.fields))
        else:
            out.append(f)
    return out


def _relevance(fields, variables: dict, notes: list | None, prefix: str = "", parent: bool = True) -> dict:
    """key -> shown? for fields at one level, groups included; a hidden group hides its children."""
    shown = {}
    for f in fields:
        ok = parent
        if ok and f.relevant:
            value, err = _compute(f.relevant, variables)
            if value is _SKIP:
                ok = False
            elif err:
                if notes is not None:
                    notes.append(Message(prefix + f.key, "warning", f"“{f.label}”的显示条件无法计算：{err}"))
            else:
                ok = _truthy(value)
        shown[f.key] = ok
        if f.type == "group":
            shown.update(_relevance(f.fields, variables, notes, prefix, ok))
    return shown


def _calculated(f: Field, variables: dict, notes: list | None, path: str):
    value, err = _compute(f.calculate, variables)
    if value is _SKIP or err:
        if err and notes is not None:
            notes.append(Message(path, "warning", f"“{f.label}”表达式无法计算：{err}"))
        return empty_value(f)
    coerced, problem = coerce_value(f, value)
    if problem:
        if notes is not None:
            notes.append(Message(path, "warning", f"“{f.label}”的计算结果不合要求：{problem}"))
        return empty_value(f)
    return coerced


def _settle(fields, clean: dict, outer: dict, notes: list | None, prefix: str = "") -> tuple[dict, dict]:
    """Compute calculations and relevance at one level until nothing changes.

    Returns (values as expressions see them, relevance). Calculations may read other calculated
    values, so we iterate to a fixed point; a cycle simply stops after a bounded number of rounds.
    """
    data = _data_fields(fields)
    current = dict(clean)
    shown: dict = {}
    for _ in range(len(data) + 2):
        variables = {**outer, **current}
        shown = _relevance(fields, variables, None, prefix)
        new = {}
        for f in data:
            if not shown.get(f.key, True):
                new[f.key] = empty_value(f)
            elif f.calculate:
                new[f.key] = _calculated(f, variables, None, prefix + f.key)
            elif f.type == "repeat":
                new[f.key] = [
                    _settle(f.fields, row, variables, None, f"{prefix}{f.key}[{i}].")[0]
                    for i, row in enumerate(clean[f.key])
                ]
            else:
                new[f.key] = clean[f.key]
        if new == current:
            break
        current = new
    if notes is not None:
        # One more round only to collect the messages of expressions that could not be computed.
        variables = {**outer, **current}
        _relevance(fields, variables, notes, prefix)
        for f in data:
            if shown.get(f.key, True) and f.calculate:
                _calculated(f, variables, notes, prefix + f.key)
    return current, shown


# ---------------------------------------------------------------- evaluate

def evaluate(form: Form, values, context: Context | None = None) -> Outcome:
    """Clean and check `values` against `form`; never raises (see module docstring)."""
    context = context if context is not None else Context()
    messages: list[Message] = []
    if not isinstance(values, dict):
        messages.append(Message("", "error", "记录的数据格式不对，请重新填写 / record data is not a mapping"))
        values = {}
    outer = context.variables()
    roster = set(context.names)

    level_fields = form.fields
    kept, clean = _coerce_level(level_fields, values, "", messages)
    current, shown = _settle(level_fields, clean, outer, messages)
    out = _finish_level(level_fields, kept, current, shown, outer, roster, "", messages)

    variables = {**outer, **current}
    _absence_overlap(form, current, messages)
    _photo_dates(form, current, messages)
    for check in form.checks:
        _run_check(form, check, variables, messages)
    return Outcome(values=out, messages=_dedupe(messages))


def _dedupe(messages: list[Message]) -> list[Message]:
    return list(dict.fromkeys(messages))


def _coerce_level(fields, values: dict, prefix: str, messages: list) -> tuple[dict, dict]:
    """(values to keep: coerced or as typed when wrong, values expressions see: wrong -> empty)."""
    data = _data_fields(fields)
    known = {f.key for f in data}
    for k in values:
        if k not in known:
            messages.append(Message(f"{prefix}{k}", "warning", f"表单中没有“{k}”这一项，已忽略"))
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
        messages.append(Message(path, "error", f"“{f.label}”应为若干行"))
        return raw, []
    kept_rows, clean_rows = [], []
    for i, row in enumerate(raw):
        row_path = f"{path}[{i}]"
        if not isinstance(row, dict):
            messages.append(Message(row_path, "error", f"“{f.label}”第{i + 1}行格式不对，请重新填写"))
            row = {}
        k, c = _coerce_level(f.fields, row, row_path + ".", messages)
        kept_rows.append(k)
        clean_rows.append(c)
    return kept_rows, clean_rows


def _finish_level(fields, kept: dict, current: dict, shown: dict, outer: dict, roster: set,
                  prefix: str, messages: list) -> dict:
    """Values to store at one level (hidden cleared, calculated filled) and their messages."""
    variables = {**outer, **current}
    type_errors = {m.field for m in messages if m.level == "error"}
    out = {}
    for f in _data_fields(fields):
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
            _run_constraint(f, variables, path, messages)
    return out


def _drop_messages(messages: list, path: str, keep_warnings: bool = False) -> None:
    # Values of hidden fields are cleared, so what was wrong with them no longer matters.
    messages[:] = [m for m in messages
                   if not ((m.field == path or m.field.startswith(path + "[") or m.field.startswith(path + "."))
                           and not (keep_warnings and m.level == "warning"))]


def _finish_rows(f: Field, kept, rows: list, variables: dict, roster: set, path: str, messages: list):
    if not isinstance(kept, list):
        return kept
    out = []
    for i, (kept_row, row) in enumerate(zip(kept, rows)):
        row_prefix = f"{path}[{i}]."
        current, shown = _settle(f.fields, row, variables, messages, row_prefix)
        out.append(_finish_level(f.fields, kept_row, current, shown, variables, roster, row_prefix, messages))
    return out


def _required_text(f: Field) -> str:
    if f.type == "repeat":
        return f"请至少填写一行“{f.label}”"
    if f.type in LIST_TYPES:
        return f"请选择“{f.label}”"
    return f"请填写“{f.label}”"


def _value_problems(f: Field, value, roster: set) -> list[str]:
    """What is wrong with a well-shaped, non-empty value: ranges, lengths, choices, roster, ids."""
    problems = []
    if f.min is not None or f.max is not None:
        problems.extend(_range_problems(f, value))
    if f.max_length is not None and isinstance(value, str) and len(value) > f.max_length:
        problems.append(f"“{f.label}”最多{f.max_length}个字，现在是{len(value)}个")
    if f.type == "select_one" and value not in f.choices:
        problems.append(f"“{value}”不是“{f.label}”的可选项，请从 {'、'.join(f.choices)} 中选择")
    if f.type == "select_multiple":
        wrong = [v for v in value if v not in f.choices]
        if wrong:
            problems.append(f"{'、'.join(wrong)} 不是“{f.label}”的可选项，请从 {'、'.join(f.choices)} 中选择")
    if roster and f.type in ("member", "members", "absences"):
        names = [value] if f.type == "member" else [v["name"] if isinstance(v, dict) else v for v in value]
        strangers = [n for n in names if n not in roster]
        if strangers:
            problems.append(f"{'、'.join(strangers)} 不在本支部名册上，请先在名册中添加或重新选择（“{f.label}”）")
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
            return [f"“{f.label}”至少要有{f.min}项，现在有{n}项"]
        if is_number(f.max) and n > f.max:
            return [f"“{f.label}”最多{f.max}项，现在有{n}项"]
        return []
    low, high = _bound(f, f.min), _bound(f, f.max)
    try:
        if low is not None and value < low:
            return [f"“{f.label}”不能小于 {low}"]
        if high is not None and value > high:
            return [f"“{f.label}”不能大于 {high}"]
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


def _run_constraint(f: Field, variables: dict, path: str, messages: list) -> None:
    value, err = _compute(f.constraint, variables)
    if value is _SKIP:
        return
    if err:
        messages.append(Message(path, "error", f"“{f.label}”的检查条件表达式无法计算：{err}"))
    elif not _truthy(value):
        messages.append(Message(path, "error", f.constraint_message or f"“{f.label}”的填写不符合要求，请核对"))


def _run_check(form: Form, check, variables: dict, messages: list) -> None:
    if check.when:
        applies, err = _compute(check.when, variables)
        if applies is _SKIP or err or not _truthy(applies):
            return
    value, err = _compute(check.rule, variables)
    if value is _SKIP:
        return
    target = _check_target(form, check)
    if err:
        messages.append(Message(target, check.level, f"{check.message}（规则无法计算：{err}）"))
    elif not _truthy(value):
        messages.append(Message(target, check.level, check.message))


def _check_target(form: Form, check) -> str:
    """The one field a check is about, or "" when it reads several."""
    names: set[str] = set()
    for source in (check.rule, check.when):
        if source:
            try:
                names |= compile_expression(source).names
            except ExpressionError:
                return ""
    keys = {k for k in names - CONTEXT_NAMES if form.field(k) is not None}
    return keys.pop() if len(keys) == 1 else ""


def _attendance_fields(form: Form) -> tuple[Field | None, Field | None]:
    """The first members field (who came) and the first absences field of a form."""
    present = next((f for f in form.walk() if f.type == "members"), None)
    absent = next((f for f in form.walk() if f.type == "absences"), None)
    return present, absent


def _absence_overlap(form: Form, current: dict, messages: list) -> None:
    present, absent = _attendance_fields(form)
    if present is None or absent is None:
        return
    came = set(current.get(present.key) or [])
    both = [a["name"] for a in current.get(absent.key) or [] if a["name"] in came]
    if both:
        messages.append(Message(absent.key, "warning",
                                f"{'、'.join(both)} 同时在“{present.label}”和“{absent.label}”中，请核对"))


def _photo_dates(form: Form, current: dict, messages: list) -> None:
    # Photos whose EXIF time ('taken_at') is far from the record's day are a known abuse.
    day = record_date(form, current)
    if day is None:
        return
    base = datetime.date.fromisoformat(day)
    for f in form.walk():
        if f.type != "photos":
            continue
        for item in current.get(f.key) or []:
            taken = item.get("taken_at")
            try:
                taken_day = datetime.date.fromisoformat(str(taken)[:10])
            except ValueError:
                continue
            gap = abs((taken_day - base).days)
            if gap > PHOTO_DAYS_TOLERANCE:
                messages.append(Message(f.key, "warning",
                                        f"照片“{item.get('name')}”拍摄于 {taken_day}，与记录日期 {day} 相差{gap}天，请核对"))


# ---------------------------------------------------------------- defaults

def _symbolic_default(f: Field, context: Context, allow_last: bool = True):
    d = f.default
    if d == "now":
        return {"date": _iso_date(context.today), "time": context.now.strftime("%H:%M")}.get(
            f.type, iso_minute(context.now))
    if d == "today":
        return _iso_date(context.today)
    if d == "last":
        return copy.deepcopy((context.last or {}).get(f.key)) if allow_last else None
    if d == "secretary":
        return next((_person_name(p) for p in context.roster if _person_role(p) == SECRETARY_ROLE), None)
    if d == "all_members":
        return list(context.names)
    if d == "roster_count":
        return len(context.names)
    return copy.deepcopy(d)


def _level_defaults(fields, context: Context, allow_last: bool) -> dict:
    values = {}
    for f in _data_fields(fields):
        value = _symbolic_default(f, context, allow_last) if f.default is not None else None
        coerced, problem = coerce_value(f, value)
        values[f.key] = empty_value(f) if problem else coerced
    present = next((f for f in _data_fields(fields) if f.type == "members"), None)
    for f in _data_fields(fields):
        if f.type == "absences" and f.default is None:
            came = set(values.get(present.key) or []) if present else set()
            values[f.key] = [{"name": n, "reason": ""} for n in context.names if n not in came]
    return values


def defaults(form: Form, context: Context | None = None) -> dict:
    """The values a new record starts with, calculated values filled in."""
    context = context if context is not None else Context()
    return evaluate(form, _level_defaults(form.fields, context, True), context).values


def row_defaults(field: Field, context: Context | None = None) -> dict:
    """The values a new row of a repeat field starts with (`last` does not apply to rows)."""
    context = context if context is not None else Context()
    return _level_defaults(field.fields, context, False)


# ---------------------------------------------------------------- command line, dates, summaries

def parse_value(field: Field, text: str) -> Any:
    """Command-line text -> a value of the field's type; ValueError (Chinese) when it cannot be."""
    if field.type == "group":
        raise ValueError(f"“{field.label}”是分组，不能直接填写；请填写其中的各项")
    text = "" if text is None else str(text)
    stripped = text.strip()
    if not stripped:
        return empty_value(field)
    value: Any = text
    if field.type in LIST_TYPES or field.type == "location":
        if stripped[:1] in "[{":
            try:
                value = json.loads(stripped)
            except ValueError as exc:
                raise ValueError(f"“{field.label}”的 JSON 写法有误：{exc}") from exc
        elif field.type in ("select_multiple", "members"):
            value = [v for v in NAME_SEPARATORS.split(stripped) if v]
        elif field.type == "absences":
            value = [_absence_from_text(part) for part in re.split(r"[,，;；]+", stripped) if part.strip()]
        elif field.type != "location":
            raise ValueError(f"“{field.label}”请用 JSON 列表填写，例如 [{{...}}]")
    elif field.type not in ("text", "longtext"):
        value = stripped
    coerced, problem = coerce_value(field, value)
    if problem:
        raise ValueError(problem)
    if field.type == "select_one" and coerced not in field.choices:
        raise ValueError(f"“{coerced}”不是“{field.label}”的可选项，可选：{'、'.join(field.choices)}")
    if field.type == "select_multiple":
        wrong = [c for c in coerced if c not in field.choices]
        if wrong:
            raise ValueError(f"{'、'.join(wrong)} 不是“{field.label}”的可选项，可选：{'、'.join(field.choices)}")
    return coerced


def _absence_from_text(part: str) -> dict:
    """"张三:请假" (or 张三：请假) -> {'name': '张三', 'reason': '请假'}."""
    name, _, reason = part.strip().replace("：", ":").partition(":")
    return {"name": name.strip(), "reason": reason.strip()}


def record_date(form: Form, values) -> str | None:
    """'YYYY-MM-DD' of the first date/datetime field holding a value: the day it happened."""
    if not isinstance(values, dict):
        return None
    for f in form.walk():
        if f.type in ("date", "datetime") and not is_empty(values.get(f.key)):
            coerced, problem = coerce_value(f, values.get(f.key))
            if not problem:
                return coerced[:10]
    return None


def summary(form: Form, values) -> str:
    """One line for lists, e.g. "支部委员会 · 2026-11-05 · 7人".

    It starts with the first required choice, text or member that tells records apart (a member
    defaulting to the secretary does not), else the form's title; then the day; then head count.
    """
    if not isinstance(values, dict):
        return form.title
    name = next((values[f.key] for f in form.walk()
                 if f.required and f.type in ("select_one", "text", "member") and f.default != "secretary"
                 and isinstance(values.get(f.key), str) and values[f.key].strip()), None)
    parts = [name.strip()[:30] if name else form.title]
    day = record_date(form, values)
    if day:
        parts.append(day)
    present, _ = _attendance_fields(form)
    if present is not None and isinstance(values.get(present.key), list):
        parts.append(f"{len(values[present.key])}人")
    return " · ".join(parts)
