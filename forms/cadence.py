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

from forms.expressions import ExpressionError, compile_expression
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
    period is reported (done or due); the previous period is reported as well, as overdue, when
    nothing was held in it, so a cadre sees at the start of a month what was missed last month.
    `since` (e.g. the day the branch started using Yici) keeps periods that ended before it from
    being reported overdue.
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
            prev = previous_period(today, rule.every)
            current = period_of(today, rule.every)
            last_done, held_prev, held_now = _scan(matcher, rule.when, rows, prev, current)
            if not held_prev and (since is None or prev[1] >= since):
                items.append(_item(form.id, rule, prev, "overdue", last_done))
            items.append(_item(form.id, rule, current, "done" if held_now else "due", last_done))
    # sorted() is stable, so within a state items keep form and rule order.
    return sorted(items, key=lambda item: STATES.index(item.state))


def window(
    forms: Iterable[Form], overrides: Mapping[str, str] | None, today: dt.date | str
) -> dict[str, str]:
    """{form id: first day that can matter today} for the forms with cadence rules for this
    branch: the start of the previous period of the form's longest rule. Pass it to
    `Store.records_for_cadence` to load only the records `due_items` looks at."""
    today = _as_date(today)
    overrides = dict(overrides or {})
    days = {}
    for form in forms:
        starts = [previous_period(today, rule.every)[0] for rule in _rules(form, overrides)]
        if starts:
            days[form.id] = min(starts).isoformat()
    return days


def _scan(
    matcher: _Matcher, when: str | None, rows: list[tuple[dt.date, dict]], prev: tuple, current: tuple
) -> tuple[str | None, bool, bool]:
    """(newest day held, held in the previous period, held in the current one) for a rule,
    over rows newest first. A row is evaluated only while it can still change the answer."""
    (p_start, p_end, _), (c_start, c_end, _) = prev, current
    last: dt.date | None = None
    held_prev = held_now = False
    for day, data in rows:
        in_prev = not held_prev and p_start <= day <= p_end
        in_now = not held_now and c_start <= day <= c_end
        if last is not None and not (in_prev or in_now):
            if day < p_start:
                break  # older rows cannot change anything any more
            continue
        if matcher.matches(when, data):
            last = last or day
            held_prev = held_prev or in_prev
            held_now = held_now or in_now
            if held_prev and held_now:
                break
    return (last.isoformat() if last else None), held_prev, held_now


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
