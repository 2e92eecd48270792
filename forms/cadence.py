"""What is due for a branch: which regular meetings are done, due or overdue (no Qt, no SQL).

Each form's `cadence` rules (e.g. 支部委员会 every month) are checked against the branch's
records. A branch may change a rule's period or turn it off: overrides are keyed
``"<form id>:<label>"`` (or just ``"<form id>"`` for every rule of that form) with a value in
CADENCE_PERIODS or ``"off"``. An override for a form without cadence rules turns one on,
labelled with the form title (e.g. ``{"ruhu-zoufang": "month"}``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from forms.expressions import ExpressionError, compile_expression, equalities
from forms.i18n import tr
from forms.model import CADENCE_PERIODS, Cadence, Form

OFF = "off"
STATES = ("overdue", "due", "done")


@dataclass(frozen=True)
class DueItem:
    """One cadence item in one period; dates are 'YYYY-MM-DD' like a record's occurred_on.

    `state` is "done" (a final matching record fell in the period), "due" (the period is still
    running) or "overdue" (the period is over and nothing was held).
    """

    form_id: str
    label: str
    every: str
    period_label: str
    period_start: str
    period_end: str
    state: str
    last_done: str | None

    @property
    def key(self) -> str:
        """The override key that changes this item's period for a branch."""
        return f"{self.form_id}:{self.label}"

    def to_dict(self) -> dict:
        """Plain values for JSON output."""
        return asdict(self)


def period_of(day: dt.date | str, every: str) -> tuple[dt.date, dt.date, str]:
    """The period of kind `every` that contains `day`: (first day, last day, Chinese label)."""
    day = _as_date(day)
    y, m = day.year, day.month
    if every == "month":
        first_month, months, label = m, 1, f"{y}年{m}月"
    elif every == "quarter":
        q = (m - 1) // 3 + 1
        first_month, months, label = 3 * q - 2, 3, f"{y}年第{q}季度"
    elif every == "half-year":
        first = m <= 6
        first_month, months, label = (1 if first else 7), 6, f"{y}年{'上' if first else '下'}半年"
    elif every == "year":
        first_month, months, label = 1, 12, f"{y}年"
    else:
        raise ValueError(
            tr("未知的周期“{every}”，应为 {cadence_periods} / unknown period {every!r}").format(
                every=every, cadence_periods="/".join(CADENCE_PERIODS)
            )
        )
    start = dt.date(y, first_month, 1)
    end = _first_of_next(y, first_month + months - 1) - dt.timedelta(days=1)
    return start, end, label


def previous_period(day: dt.date | str, every: str) -> tuple[dt.date, dt.date, str]:
    """The period of kind `every` just before the one containing `day`."""
    start, _, _ = period_of(day, every)
    return period_of(start - dt.timedelta(days=1), every)


LOOKBACK_DAYS = 366  # missed periods are listed back to a year ago (and never before `since`)


def due_items(
    forms: Iterable[Form],
    overrides: Mapping[str, str] | None,
    records: Iterable[Any],
    today: dt.date | str,
    *,
    since: dt.date | str | None = None,
) -> list[DueItem]:
    """Every cadence item's state for one branch, overdue first, then due, then done.

    `records` are this branch's records, each a store `Record` (attributes) or a tuple
    ``(form_id, status, occurred_on, data)``; only "final" ones count. For each item the current
    period is reported (done or due), and every earlier period in which nothing was held as
    overdue, oldest first: from the period in which `since` falls (the day the branch started
    using Yici) but no further back than a year (LOOKBACK_DAYS). Without `since` only the
    previous period is looked at.
    """
    today = _as_date(today)
    since = _as_date(since) if since is not None else None
    overrides = dict(overrides or {})
    finals = _final_records(records)
    matcher = _Matcher()
    items: list[DueItem] = []
    for form in forms:
        rows = finals.get(form.id, [])
        rows.sort(key=lambda row: row[0], reverse=True)  # newest first (stable)
        for rule in _rules(form, overrides):
            missed = looked_at(today, rule.every, since)
            current = period_of(today, rule.every)
            first = missed[0][0] if missed else current[0]
            last_done, held = _scan(matcher, rule, rows, first)
            for period in missed:
                if period[0] not in held:
                    items.append(_item(form.id, rule, period, "overdue", last_done))
            state = "done" if current[0] in held else "due"
            items.append(_item(form.id, rule, current, state, last_done))
    # sorted() is stable, so within a state items keep form, rule and period order.
    return sorted(items, key=lambda item: STATES.index(item.state))


def looked_at(today: dt.date, every: str, since: dt.date | None) -> list[tuple[dt.date, dt.date, str]]:
    """The periods before today's that may be reported overdue, oldest first."""
    prev = previous_period(today, every)
    if since is None:
        return [prev]
    floor = max(since, today - dt.timedelta(days=LOOKBACK_DAYS))
    periods = []
    while prev[1] >= floor:
        periods.append(prev)
        prev = previous_period(prev[0], every)
    return periods[::-1]


def window(
    forms: Iterable[Form],
    overrides: Mapping[str, str] | None,
    today: dt.date | str,
    since: dt.date | str | None = None,
) -> dict[str, str]:
    """{form id: first day that can matter today} for the forms with cadence rules for this
    branch: the start of the oldest period `due_items` looks at. Pass it to
    `Store.records_for_cadence` to load only the records `due_items` looks at."""
    today = _as_date(today)
    since = _as_date(since) if since is not None else None
    overrides = dict(overrides or {})
    days = {}
    for form in forms:
        starts = [
            (looked_at(today, rule.every, since) or [period_of(today, rule.every)])[0][0]
            for rule in _rules(form, overrides)
        ]
        if starts:
            days[form.id] = min(starts).isoformat()
    return days


def start_values(form: Form, item: DueItem) -> dict[str, Any]:
    """What a new record started from a due item begins with: the values its rule's `when`
    asks for (e.g. meeting_type 支部委员会); for a missed period, the day it happened is left
    empty, since today would not count for that period and only the person knows the day."""
    rule = next((r for r in form.cadence if r.label == item.label), None)
    values = dict(equalities(rule.when)) if rule is not None else {}
    if item.state == "overdue":
        day = next((f for f in form.walk() if f.type in ("date", "datetime")), None)
        if day is not None:
            values[day.key] = None
    return values


def _scan(
    matcher: _Matcher, rule: Cadence, rows: list[tuple[dt.date, dict]], first: dt.date
) -> tuple[str | None, set[dt.date]]:
    """(newest day held, first days of the periods held) for a rule, over rows newest first;
    periods are looked at from `first`. A row is evaluated only while it can change the answer."""
    last: dt.date | None = None
    held: set[dt.date] = set()
    for day, data in rows:
        if day < first:
            if last is not None:
                break  # older rows cannot change anything any more
            if matcher.matches(rule.when, data):
                last = day
                break
            continue
        start = period_of(day, rule.every)[0]
        if start in held and last is not None:
            continue
        if matcher.matches(rule.when, data):
            last = last or day
            held.add(start)
    return (last.isoformat() if last else None), held


class _Matcher:
    """`when` results for one due_items call, cached by the values of the names the
    expression reads (records of one kind of meeting share one evaluation)."""

    def __init__(self) -> None:
        self._names: dict[str, tuple[str, ...] | None] = {}
        self._results: dict[tuple, bool] = {}

    def matches(self, when: str | None, data: dict) -> bool:
        if not when:
            return True
        if when not in self._names:
            try:
                self._names[when] = tuple(sorted(compile_expression(when).names))
            except ExpressionError:
                self._names[when] = None
        names = self._names[when]
        if names is None:
            return False  # an expression that cannot compile never counts
        try:
            key = (when,) + tuple(_value_key(data, name) for name in names)
        except (TypeError, ValueError):  # a value JSON cannot hold (only from odd callers)
            return _matches(when, data)
        result = self._results.get(key)
        if result is None:
            result = self._results[key] = _matches(when, data)
        return result


_ABSENT = ("absent",)


def _value_key(data: dict, name: str) -> Any:
    """A hashable stand-in for a variable's value that tells apart what an expression can
    (1, 1.0, True and "1"; a missing key and None)."""
    if name not in data:
        return _ABSENT
    value = data[name]
    return type(value).__name__, json.dumps(value, ensure_ascii=False, default=repr)


def branch_state(items: Iterable[DueItem]) -> str:
    """The mark for a branch in a list: "overdue" if anything is, else "due", else "done"."""
    states = {item.state for item in items}
    for state in STATES:
        if state in states:
            return state
    return "done"


def _rules(form: Form, overrides: dict[str, str]) -> list[Cadence]:
    """The form's cadence rules after this branch's overrides (off ones dropped)."""
    rules = list(form.cadence)
    if not rules and (form.id in overrides or f"{form.id}:{form.title}" in overrides):
        # A form with no built-in cadence (入户走访) may still be made regular by a branch.
        rules = [Cadence(every=OFF, label=form.title)]
    result = []
    for rule in rules:
        every = overrides.get(f"{form.id}:{rule.label}", overrides.get(form.id, rule.every))
        # An unknown override value (hand-edited settings) must not hide the rule: keep the form's.
        if every not in CADENCE_PERIODS and every != OFF:
            every = rule.every
        if every in CADENCE_PERIODS:
            result.append(Cadence(every=every, label=rule.label, when=rule.when, line=rule.line))
    return result


def _final_records(records: Iterable[Any]) -> dict[str, list[tuple[dt.date, dict]]]:
    """Final records with a usable date, grouped by form id."""
    by_form: dict[str, list[tuple[dt.date, dict]]] = {}
    for rec in records:
        if isinstance(rec, (tuple, list)):
            form_id, status, occurred_on, data = rec
        else:
            form_id, status = rec.form_id, rec.status
            occurred_on, data = rec.occurred_on, rec.data
        if status != "final" or not occurred_on:
            continue
        try:
            day = _as_date(str(occurred_on)[:10])
        except ValueError:
            continue
        by_form.setdefault(form_id, []).append((day, data if isinstance(data, dict) else {}))
    return by_form


def _matches(when: str | None, data: dict) -> bool:
    """Whether a record counts for a rule; a `when` that cannot be evaluated counts as no."""
    if not when:
        return True
    try:
        return bool(compile_expression(when).evaluate(dict(data)))
    except ExpressionError:
        return False
    except Exception:  # noqa: BLE001 — one odd record must not break a branch's whole due list
        return False


def _item(form_id: str, rule: Cadence, period: tuple, state: str, last_done: str | None) -> DueItem:
    start, end, label = period
    return DueItem(
        form_id, rule.label, rule.every, label, start.isoformat(), end.isoformat(), state, last_done
    )


def _first_of_next(year: int, month: int) -> dt.date:
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
