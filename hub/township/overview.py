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
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from forms import cadence
from forms.model import Form
from hub.township import held
from hub.township.held import read_names

KIND_LABELS = {"month": "月", "quarter": "季度", "half-year": "半年", "year": "年度"}


@dataclass(frozen=True)
class Period:
    """One period of a cadence kind in the year; `mask` has a bit for each of its months."""

    first: dt.date
    last: dt.date
    label: str
    mask: int


# A cell's state is the worst of its items', by this order (shown from BEFORE up).
STATES = ("none", "future", "before", "done", "due", "overdue")
NONE, FUTURE, BEFORE, DONE, DUE, OVERDUE = range(len(STATES))


@dataclass(frozen=True)
class Cell:
    """One branch in one column: its worst state, how many items were done of those counted, and
    the first day of its longest period (a quarter's item in a month's column starts earlier)."""

    state: str
    done: int
    counted: int
    first: dt.date
    last: dt.date

    @property
    def shown(self) -> bool:
        """Whether the cell has something to say (not nothing, not only periods to come)."""
        return self.state not in ("none", "future")


@dataclass
class RuleLine:
    """One of a branch's rules over the year: its name, kind and each period's state."""

    form_id: str
    name: str
    every: str
    periods: list[tuple[Period, str]]


@dataclass
class Row:
    """One branch: per column its state (an index into STATES), items done and counted, first
    day; its counts of items; and (for the branch page) its rules one by one."""

    id: int
    uid: str
    name: str
    ranks: list[int]
    done: list[int]
    counted: list[int]
    firsts: list[dt.date]
    overdue: int = 0
    due: int = 0
    held: int = 0
    several: bool = False  # a column holds more than one of its items
    lines: list[RuleLine] = field(default_factory=list)

    def cells(self, columns: list[Period]) -> list[Cell]:
        """The row's cells, one per column."""
        return [
            Cell(STATES[rank], done, counted, first, column.last)
            for rank, done, counted, first, column in zip(
                self.ranks, self.done, self.counted, self.firsts, columns, strict=True
            )
        ]


@dataclass
class Overview:
    """The whole table and the counts at its top."""

    year: int
    today: dt.date
    columns: list[Period]
    rows: list[Row]
    several: bool = False  # a cell may hold more than one item: it shows done / counted

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


async def overview(
    conn: psycopg.AsyncConnection,
    forms: list[Form],
    year: int,
    branch_id: int | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """What `compute` needs from PostgreSQL: (branches, held rows), for one branch or all."""
    where = "WHERE id = %s" if branch_id is not None else ""
    branches = await (
        await conn.execute(
            f"SELECT id, uid, name, cadence, created_at::date FROM branches {where} ORDER BY name".encode(),
            [branch_id] if branch_id is not None else [],
        )
    ).fetchall()
    if branch_id is not None:
        query, params = held.held_query(forms, year, [branch_id])
        return branches, await (await conn.execute(query, params)).fetchall()
    return branches, await held.held_rows(conn, forms, year)


class _Judge:
    """forms/cadence.py's answers, asked once per distinct question."""

    def __init__(self, forms: list[Form], year: int, today: dt.date):
        self.forms = {form.id: form for form in forms}
        self.order = forms
        self.names = {form.id: read_names(form) for form in forms}
        self.day = min(today, dt.date(year, 12, 31))
        self._rules: dict[str, list[tuple[str, str, str]]] = {}
        self._counts: dict[tuple, frozenset[str]] = {}

    def rules(self, overrides: dict[str, str], key: str) -> list[tuple[str, str, str]]:
        """(form id, label, every) of each rule a branch with these overrides (`key`: as JSON) keeps."""
        found = self._rules.get(key)
        if found is None:
            seen: dict[tuple[str, str], str] = {}
            for item in cadence.due_items(self.order, overrides, [], self.day):
                seen.setdefault((item.form_id, item.label), item.every)
            found = self._rules[key] = [(f, label, every) for (f, label), every in seen.items()]
        return found

    def counts_for(self, form_id: str, overrides: dict[str, str], key: str, values: str) -> frozenset[str]:
        """The labels of the rules a record of the form holding `values` ([present, value, ...]
        as JSON) counts for, for a branch with these overrides (`key`: as JSON)."""
        found = self._counts.get((form_id, key, values))
        if found is None:
            mine = {k: v for k, v in overrides.items() if k == form_id or k.startswith(form_id + ":")}
            seen = json.loads(values)
            data = {
                name: seen[2 * n + 1] for n, name in enumerate(self.names[form_id]) if seen[2 * n] is True
            }
            day = self.day.isoformat()
            items = cadence.due_items([self.forms[form_id]], mine, [(form_id, "final", day, data)], day)
            found = self._counts[(form_id, key, values)] = frozenset(
                i.label for i in items if i.state == "done"
            )
        return found


_judges: OrderedDict[tuple, _Judge] = OrderedDict()
_rows: dict[tuple, Row] = {}  # a branch's row by everything it is made of: reused while nothing changed
KEPT_ROWS = 50_000


def _judge(forms: list[Form], year: int, today: dt.date) -> _Judge:
    """The judge for these forms today, kept while they and the day stay the same."""
    key = (tuple((f.id, f.version, f.source) for f in forms), year, today)
    judge = _judges.get(key)
    if judge is None:
        judge = _judges[key] = _Judge(forms, year, today)
        while len(_judges) > 8:
            _judges.popitem(last=False)
    return judge


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
    judge = _judge(forms, year, today)
    branches = list(branches)
    settings = {b[0]: overrides_of(b[3]) for b in branches}
    keys = {bid: json.dumps(value, sort_keys=True) for bid, value in settings.items()}
    held: dict[int, dict[tuple[str, str], int]] = {}
    for branch_id, form_id, values, months in held_rows:
        mine = held.setdefault(branch_id, {})
        mine[("", "")] = mine.get(("", ""), 0) | months  # any record: when the branch started (_Sheet.row)
        if form_id not in judge.forms:
            continue
        for label in judge.counts_for(form_id, settings[branch_id], keys[branch_id], values):
            mine[(form_id, label)] = mine.get((form_id, label), 0) | months
    kinds = {every for b in branches for _, _, every in judge.rules(settings[b[0]], keys[b[0]])}
    one_kind = len(forms) == 1 and len(kinds) == 1
    columns = list(periods(year, next(iter(kinds)) if one_kind else "month"))
    # Where each period of each kind stands: its own column, or the month it ends in.
    layout = {
        every: [(n if one_kind else p.last.month - 1, p) for n, p in enumerate(periods(year, every))]
        for every in kinds
    }
    sheet = _Sheet(judge, today, columns, layout, titles or {form.id: form.title for form in forms}, lines)
    if len(_rows) > KEPT_ROWS:
        _rows.clear()
    rows = []
    for branch in branches:
        mine = held.get(branch[0], {})
        key = (judge, one_kind, branch[:3], branch[4], keys[branch[0]], tuple(sorted(mine.items())))
        row = None if lines else _rows.get(key)
        if row is None:
            row = sheet.row(branch, settings[branch[0]], keys[branch[0]], mine)
            if not lines:
                _rows[key] = row
        rows.append(row)
    return Overview(year, today, columns, rows, any(row.several for row in rows))


@dataclass
class _Sheet:
    """How one overview lays out a branch's rules: its judge, columns and where periods stand."""

    judge: _Judge
    today: dt.date
    columns: list[Period]
    layout: dict[str, list[tuple[int, Period]]]
    titles: dict[str, str]
    lines: bool

    def row(self, branch: tuple, overrides: dict[str, str], key: str, mine: dict) -> Row:
        """One branch's row: each rule's periods in their columns."""
        branch_id, uid, name, _, created = branch
        year, today = self.columns[0].first.year, self.today
        # The branch started on the hub, or earlier with its first record's month.
        months = mine.get(("", ""), 0)
        since = min(created, dt.date(year, (months & -months).bit_length(), 1)) if months else created
        width = len(self.columns)
        row = Row(
            branch_id, uid, name, [NONE] * width, [0] * width, [0] * width, [c.first for c in self.columns]
        )
        ranks, done, counted, starts = row.ranks, row.done, row.counted, row.firsts
        items = [0] * width
        for form_id, label, every in self.judge.rules(overrides, key):
            done_months = mine.get((form_id, label), 0)
            states = []
            for column, period in self.layout[every]:
                items[column] += 1
                if done_months & period.mask:
                    state = DONE
                    row.held += 1
                    done[column] += 1
                    counted[column] += 1
                elif period.first > today:
                    state = FUTURE
                elif period.last < since:
                    state = BEFORE
                elif period.last >= today:
                    state = DUE
                    row.due += 1
                    counted[column] += 1
                else:
                    state = OVERDUE
                    row.overdue += 1
                    counted[column] += 1
                if state > ranks[column]:
                    ranks[column] = state
                if period.first < starts[column]:
                    starts[column] = period.first
                if self.lines:
                    states.append((period, STATES[state]))
            if self.lines:
                title = self.titles.get(form_id, form_id)
                rule_name = label if label == title else f"{label}（{title}）"
                row.lines.append(RuleLine(form_id, rule_name, every, states))
        row.several = max(items, default=0) > 1
        return row
