"""Which branch is behind: every branch × the year's periods, each cadence item done, due or
overdue, counted from the records in PostgreSQL by the desktop's own rules (forms/cadence.py).

What counts is forms/cadence.py's, reused, never restated (as the 台账's summary does,
forms/paper/book_cadence.py): a branch's rules after its overrides are the items `due_items`
reports, and a record counts for a rule exactly when `due_items`, asked about that record alone,
says the rule is done. To do that for a county's year of records in a fraction of a second,
PostgreSQL groups the year's final records by branch, form and the values the rules' `when`
expressions read (three kinds of 三会一课 meeting, not 100,000 records), with the months they
fell in as a bit mask; `due_items` then judges each group once.

A period is done when a counted record fell in it, due while it runs, overdue once it is over,
"future" before it starts, and "before" when it ended before the branch started (the day it came
to the hub, or its first record's month if earlier: as the desktop counts nothing before it was
first used). In a year of months a quarter's (or half-year's, year's) item stands in the column
of the month it ends; a form whose rules are all of one longer kind gets that kind's columns.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from forms import cadence
from forms.expressions import ExpressionError, compile_expression
from forms.model import Form

RANK = {"overdue": 5, "due": 4, "done": 3, "future": 2, "before": 1, "none": 0}
KIND_LABELS = {"month": "月", "quarter": "季度", "half-year": "半年", "year": "年度"}


@dataclass(frozen=True)
class Period:
    """One period of a cadence kind in the year; `mask` has a bit for each of its months."""

    first: dt.date
    last: dt.date
    label: str
    mask: int


@dataclass
class Cell:
    """One branch in one column: its items there as (rule name, state, period label)."""

    first: dt.date
    last: dt.date
    items: list[tuple[str, str, str]] = field(default_factory=list)
    state: str = "none"


@dataclass
class RuleLine:
    """One of a branch's rules over the year: its name, kind and each period's state."""

    form_id: str
    name: str
    every: str
    periods: list[tuple[Period, str]]


@dataclass
class Row:
    """One branch: its cells, its counts and (for the branch page) its rules one by one."""

    id: int
    uid: str
    name: str
    cells: list[Cell]
    overdue: int = 0
    due: int = 0
    done: int = 0
    lines: list[RuleLine] = field(default_factory=list)


@dataclass
class Overview:
    """The whole table and the counts at its top."""

    year: int
    today: dt.date
    columns: list[Period]
    rows: list[Row]

    @property
    def behind(self) -> int:
        """Branches with an overdue item."""
        return sum(1 for row in self.rows if row.overdue)

    @property
    def waiting(self) -> int:
        """Branches with nothing overdue but something due now."""
        return sum(1 for row in self.rows if not row.overdue and row.due)

    @property
    def on_time(self) -> int:
        """Branches with nothing overdue or due."""
        return sum(1 for row in self.rows if not row.overdue and not row.due)


@functools.cache
def periods(year: int, every: str) -> tuple[Period, ...]:
    """The periods of kind `every` in the year, as forms/cadence.py cuts them."""
    found, day = [], dt.date(year, 1, 1)
    while day.year == year:
        first, last, label = cadence.period_of(day, every)
        mask = sum(1 << (m - 1) for m in range(first.month, last.month + 1))
        found.append(Period(first, last, label, mask))
        day = last + dt.timedelta(days=1)
    return tuple(found)


def overrides_of(stored: Any) -> dict[str, str]:
    """A branch's cadence overrides as forms/cadence.py takes them ({"form:label": "month"});
    a value written as {"every": "month"} is read too."""
    if not isinstance(stored, dict):
        return {}
    out = {}
    for key, value in stored.items():
        if isinstance(value, dict):
            value = value.get("every")
        if isinstance(key, str) and isinstance(value, str):
            out[key] = value
    return out


def read_names(form: Form) -> list[str]:
    """The record values the form's cadence rules look at (their `when` expressions' names)."""
    names: set[str] = set()
    for rule in form.cadence:
        if rule.when:
            try:
                names |= compile_expression(rule.when).names
            except ExpressionError:
                pass  # such a rule counts nothing (forms/cadence.py): no value is needed for it
    return sorted(names)


def held_query(forms: list[Form], year: int, branch_id: int | None) -> tuple[bytes, list]:
    """One query: for each form, the year's final records grouped by branch and the values its
    rules read, with the months they fell in; plus each branch's first month (form '')."""
    parts, params = [], []
    month_bit = "bit_or(1 << (extract(month FROM r.occurred_on)::int - 1))"
    where = "r.status = 'final' AND r.occurred_on BETWEEN %s AND %s" + (
        " AND r.branch_id = %s" if branch_id is not None else ""
    )
    span = [dt.date(year, 1, 1), dt.date(year, 12, 31)] + ([branch_id] if branch_id is not None else [])
    for form in forms:
        names = read_names(form)
        if names:
            seen = "jsonb_build_array(" + ", ".join("v.data ? %s, v.data -> %s" for _ in names) + ")"
            parts.append(
                f"SELECT r.branch_id, %s::text, {seen}, {month_bit} FROM records r "
                "JOIN record_revisions v ON v.uuid = r.uuid AND v.revision = r.revision "
                f"WHERE r.form_id = %s AND {where} GROUP BY 1, 3"
            )
            params += [form.id, *(n for name in names for n in (name, name)), form.id, *span]
        else:
            parts.append(
                f"SELECT r.branch_id, %s::text, '[]'::jsonb, {month_bit} FROM records r "
                f"WHERE r.form_id = %s AND {where} GROUP BY 1"
            )
            params += [form.id, form.id, *span]
    parts.append(f"SELECT r.branch_id, ''::text, '[]'::jsonb, {month_bit} FROM records r WHERE {where} GROUP BY 1")
    params += span
    return " UNION ALL ".join(parts).encode(), params


async def overview(
    conn: psycopg.AsyncConnection,
    forms: list[Form],
    year: int,
    today: dt.date,
    branch_id: int | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """What `compute` needs from PostgreSQL: (branches, held rows)."""
    where = "WHERE id = %s" if branch_id is not None else ""
    branches = await (
        await conn.execute(
            f"SELECT id, uid, name, cadence, created_at::date FROM branches {where} ORDER BY name".encode(),
            [branch_id] if branch_id is not None else [],
        )
    ).fetchall()
    query, params = held_query(forms, year, branch_id)
    held = await (await conn.execute(query, params)).fetchall()
    return branches, held


class _Judge:
    """forms/cadence.py's answers, asked once per distinct question."""

    def __init__(self, forms: list[Form], year: int, today: dt.date):
        self.forms = {form.id: form for form in forms}
        self.order = forms
        self.names = {form.id: read_names(form) for form in forms}
        self.day = min(today, dt.date(year, 12, 31))
        self._rules: dict[str, list[tuple[str, str, str]]] = {}
        self._counts: dict[tuple, frozenset[str]] = {}

    def rules(self, overrides: dict[str, str]) -> list[tuple[str, str, str]]:
        """(form id, label, every) of each rule a branch with these overrides keeps."""
        key = json.dumps(overrides, sort_keys=True)
        if key not in self._rules:
            seen: dict[tuple[str, str], str] = {}
            for item in cadence.due_items(self.order, overrides, [], self.day):
                seen.setdefault((item.form_id, item.label), item.every)
            self._rules[key] = [(f, label, every) for (f, label), every in seen.items()]
        return self._rules[key]

    def counts_for(self, form_id: str, overrides: dict[str, str], values: list) -> frozenset[str]:
        """The labels of the rules a record of the form holding `values` counts for."""
        mine = {k: v for k, v in overrides.items() if k == form_id or k.startswith(form_id + ":")}
        key = (form_id, json.dumps(mine, sort_keys=True), json.dumps(values))
        found = self._counts.get(key)
        if found is None:
            names = self.names.get(form_id, [])
            data = {name: values[2 * n + 1] for n, name in enumerate(names) if values[2 * n : 2 * n + 1] == [True]}
            day = self.day.isoformat()
            items = cadence.due_items([self.forms[form_id]], mine, [(form_id, "final", day, data)], day)
            found = self._counts[key] = frozenset(i.label for i in items if i.state == "done")
        return found


def _state(period: Period, held: int, since: dt.date, today: dt.date) -> str:
    if held & period.mask:
        return "done"
    if period.first > today:
        return "future"
    if period.last < since:
        return "before"
    return "due" if period.last >= today else "overdue"


def compute(
    forms: list[Form],
    year: int,
    today: dt.date,
    branches: Iterable[tuple],
    held_rows: Iterable[tuple],
    *,
    lines: bool = False,
    titles: dict[str, str] | None = None,
) -> Overview:
    """The overview from the rows `overview` read (no I/O). `lines`: keep each rule's periods."""
    judge = _Judge(forms, year, today)
    branches = list(branches)
    settings = {b[0]: overrides_of(b[3]) for b in branches}
    held: dict[int, dict[tuple[str, str], int]] = {}
    first_month: dict[int, int] = {}
    for branch_id, form_id, values, months in held_rows:
        if not form_id:
            first_month[branch_id] = (months & -months).bit_length()
            continue
        mine = held.setdefault(branch_id, {})
        for label in judge.counts_for(form_id, settings.get(branch_id, {}), values):
            mine[(form_id, label)] = mine.get((form_id, label), 0) | months
    kinds = {every for b in branches for _, _, every in judge.rules(settings[b[0]])}
    one_kind = len(forms) == 1 and len(kinds) == 1
    columns = list(periods(year, kinds.pop() if one_kind else "month"))
    titles = titles or {form.id: form.title for form in forms}
    rows = []
    for branch_id, uid, name, _, created in branches:
        since = created
        if branch_id in first_month:
            since = min(since, dt.date(year, first_month[branch_id], 1))
        row = Row(branch_id, uid, name, [Cell(c.first, c.last) for c in columns])
        mine = held.get(branch_id, {})
        for form_id, label, every in judge.rules(settings[branch_id]):
            title = titles.get(form_id, form_id)
            rule_name = label if label == title else f"{label}（{title}）"
            done_months = mine.get((form_id, label), 0)
            states = []
            for number, period in enumerate(periods(year, every)):
                state = _state(period, done_months, since, today)
                if state == "overdue":
                    row.overdue += 1
                elif state == "due":
                    row.due += 1
                elif state == "done":
                    row.done += 1
                cell = row.cells[number if one_kind else period.last.month - 1]
                cell.items.append((rule_name, state, period.label))
                if RANK[state] > RANK[cell.state]:
                    cell.state = state
                if cell.first > period.first:
                    cell.first = period.first
                if lines:
                    states.append((period, state))
            if lines:
                row.lines.append(RuleLine(form_id, rule_name, every, states))
        rows.append(row)
    return Overview(year, today, columns, rows)
