"""The values a new record (or a new row of a repeat) starts with, symbolic defaults worked out."""

from __future__ import annotations

import copy
from typing import Any

from forms.engine.calculations import data_fields
from forms.engine.context import Context, iso_date, person_name, person_role
from forms.engine.validation import evaluate
from forms.expressions import ExpressionError, compile_expression
from forms.model import COMMITTEE_ROLES, Field, Form
from forms.values import coerce_value, empty_value, iso_minute

SECRETARY_ROLE = "书记"


def _symbolic_default(f: Field, context: Context, allow_last: bool = True):
    d = f.default
    if d == "now":
        return {"date": iso_date(context.today), "time": context.now.strftime("%H:%M")}.get(
            f.type, iso_minute(context.now)
        )
    if d == "today":
        return iso_date(context.today)
    if d == "last":
        return copy.deepcopy((context.last or {}).get(f.key)) if allow_last else None
    if d == "secretary":
        return next((person_name(p) for p in context.roster if person_role(p) == SECRETARY_ROLE), None)
    if d == "all_members":
        return list(context.names)
    if d == "roster_count":
        return len(context.names)
    return copy.deepcopy(d)


def _level_defaults(fields, context: Context, allow_last: bool, expected: list[str] | None = None) -> dict:
    # `expected`: the people an attendance rule expects (else the roster), for all_members,
    # roster_count and the absences.
    values = {}
    for f in data_fields(fields):
        value: Any
        if f.default in ("all_members", "roster_count") and expected is not None:
            value = list(expected) if f.default == "all_members" else len(expected)
        else:
            value = _symbolic_default(f, context, allow_last) if f.default is not None else None
        coerced, problem = coerce_value(f, value)
        values[f.key] = empty_value(f) if problem else coerced
    present = next((f for f in data_fields(fields) if f.type == "members"), None)
    people = context.names if expected is None else expected
    for f in data_fields(fields):
        if f.type == "absences" and f.default is None:
            came = set(values.get(present.key) or []) if present else set()
            values[f.key] = [{"name": n, "reason": ""} for n in people if n not in came]
    return values


def expected_people(form: Form, values: dict, context: Context) -> list[str] | None:
    """Who the form's first attendance rule that holds for `values` expects (roster order);
    None for the whole roster. A committee nobody on the roster is in means the roster."""
    for rule in form.attendance:
        if rule.when:
            try:
                if not compile_expression(rule.when).evaluate({**context.variables(), **values}):
                    continue
            except ExpressionError:
                continue
        if rule.expected != "committee":
            return None
        committee = [person_name(p) for p in context.roster if person_role(p) in COMMITTEE_ROLES]
        return [n for n in committee if n] or None
    return None


def attendance_defaults(form: Form, values: dict, context: Context) -> dict:
    """The starting values of the attendance fields (all_members, roster_count, absences) for
    what `values` hold now: the editor refreshes those a person has not touched when, say, the
    meeting type becomes 支部委员会."""
    expected = expected_people(form, values, context)
    start = _level_defaults(form.fields, context, True, expected)
    keys = {f.key for f in data_fields(form.fields) if f.default in ("all_members", "roster_count")}
    keys |= {f.key for f in data_fields(form.fields) if f.type == "absences" and f.default is None}
    return {key: start[key] for key in keys}


def defaults(form: Form, context: Context | None = None, given: dict | None = None) -> dict:
    """The values a new record starts with, calculated values filled in; `given` values (e.g.
    the meeting type a due item asks for) replace the defaults of their keys."""
    context = context if context is not None else Context()
    values = {**_level_defaults(form.fields, context, True), **(given or {})}
    if form.attendance:
        values.update(
            {k: v for k, v in attendance_defaults(form, values, context).items() if k not in (given or {})}
        )
    return evaluate(form, values, context).values


def row_defaults(field: Field, context: Context | None = None) -> dict:
    """The values a new row of a repeat field starts with (`last` does not apply to rows)."""
    context = context if context is not None else Context()
    return _level_defaults(field.fields, context, False)
