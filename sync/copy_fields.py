"""A platform's fields as a person types them: labels in the platform's order, each with an
expression over the record, read from one "标签 = 表达式" per line and checked line by line.

The `copy` kind shows these values for a person to copy into the platform; a recipe that fills
the platform's web form can take its values from the same list. Expressions run in the bounded
sandbox (forms/expressions.py), over the record's values and facts, as Excel columns do:

    # 三会一课录入页，从上到下
    会议类型 = meeting_type
    召开日期 = held_at[:10] | replace('-', '/')
    会议类型代码 = {'支部党员大会': '01', '支部委员会': '02'}[meeting_type]
    参会人员 = attendees | join('、')

Lines may also be separated by ';' (outside quotes), so the list fits on one command line; a line
that starts with '#' is a comment. Problems name the line (FILE:LINE in files).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from sync.template_filters import show

MAX_FIELDS = 200  # a platform's page; more is a mistake in the list (a pasted file)
MAX_LABEL = 60


@dataclass(frozen=True)
class Field:
    """One of the platform's fields: where its line is, its label and its expression."""

    line: int
    label: str
    expression: str


@dataclass(frozen=True)
class FieldValue:
    """A field's value for one record, as text to copy; `problem` when its expression fails."""

    label: str
    text: str
    problem: str = ""


class FieldsProblem(ValueError):
    """The field list is wrong: `problems` are (line, message) pairs, lines counted from 1."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("；".join(describe(line, message) for line, message in problems))


def describe(line: int, message: str) -> str:
    """A problem with its line, as the window and option checks show it."""
    return tr("第 {line} 行：{message}").format(line=line, message=message)


def _entries(text: str) -> list[tuple[int, str]]:
    """(line, entry) for each entry: split at new lines and at ';' outside quotes."""
    entries: list[tuple[int, str]] = []
    current: list[str] = []
    line, quote = 1, None
    for ch in text or "":
        if ch == "\n":
            entries.append((line, "".join(current)))
            current, quote = [], None
            line += 1
            continue
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in ";；":
            entries.append((line, "".join(current)))
            current = []
            continue
        current.append(ch)
    entries.append((line, "".join(current)))
    return [(n, entry.strip()) for n, entry in entries if entry.strip() and not entry.strip().startswith("#")]


def parse_fields(text: str) -> list[Field]:
    """The fields in `text`, every expression compiled; FieldsProblem naming each bad line."""
    fields: list[Field] = []
    problems: list[tuple[int, str]] = []
    for line, entry in _entries(text):
        label, sep, expression = entry.partition("=")
        label, expression = label.strip(), expression.strip()
        if not sep or not label or not expression:
            problems.append((line, tr("“{entry}”应写成 标签 = 表达式").format(entry=entry[:60])))
            continue
        if len(label) > MAX_LABEL:
            problems.append((line, tr("标签太长（超过 {n} 个字）").format(n=MAX_LABEL)))
            continue
        try:
            compile_expression(expression)
        except ExpressionError as exc:
            problems.append(
                (line, tr("字段“{label}”的表达式有误：{message}").format(label=label, message=exc.message))
            )
            continue
        fields.append(Field(line, label, expression))
    if not problems and not fields:
        problems.append((1, tr("请至少写一个字段，例如：会议类型 = meeting_type")))
    if len(fields) > MAX_FIELDS:
        problems.append((fields[MAX_FIELDS].line, tr("字段太多（最多 {n} 个）").format(n=MAX_FIELDS)))
    if problems:
        raise FieldsProblem(problems)
    return fields


def fields_problem(text: str) -> str | None:
    """Why this field list is wrong (each line named), or None: the `fields` option's check."""
    try:
        parse_fields(text)
    except FieldsProblem as exc:
        return str(exc)
    return None


def variables(facts: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """What an expression sees: the record's values, and its facts (uuid, revision, form_title,
    branch, operator, status) also as record.xxx; the record's own values win over a fact with
    the same name, as in Excel columns."""
    record = dict(facts)
    values = dict(data or {})
    return {**record, **values, "record": record, "data": values}


def field_values(fields: list[Field], names: dict[str, Any]) -> list[FieldValue]:
    """Each field's value as text, in the platform's order. A field whose expression fails on
    this record keeps its place with the reason, naming its label."""
    found = []
    for field in fields:
        try:
            value = compile_expression(field.expression).evaluate(names)
        except ExpressionError as exc:
            found.append(
                FieldValue(
                    field.label,
                    "",
                    tr("字段“{label}”的表达式 {source} 无法计算：{message}").format(
                        label=field.label, source=field.expression, message=exc.message
                    ),
                )
            )
            continue
        found.append(FieldValue(field.label, show(value)))
    return found


__all__ = [
    "Field",
    "FieldValue",
    "FieldsProblem",
    "describe",
    "field_values",
    "fields_problem",
    "parse_fields",
    "variables",
]
