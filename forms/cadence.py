"""What is due for a branch: which regular meetings are done, due or overdue (no Qt, no SQL).

Each form's `cadence` rules (e.g. 支部委员会 every month) are checked against the branch's
records. A branch may change a rule's period or turn it off: overrides are keyed
``"<form id>:<label>"`` (or just ``"<form id>"`` for every rule of that form) with a value in
CADENCE_PERIODS or ``"off"``. An override for a form without cadence rules turns one on,
labelled with the form title (e.g. ``{"ruhu-zoufang": "month"}``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Mapping

from forms.expressions import ExpressionError, compile_expression
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
        raise ValueError(f"未知的周期“{every}”，应为 {'/'.join(CADENCE_PERIODS)} / unknown period {every!r}")
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
    items: list[DueItem] = []
    for form in forms:
        for rule in _rules(form, overrides):
            held = sorted(
                day for day, data in finals.get(form.id, ()) if _matches(rule.when, data)
            )
            last_done = held[-1].isoformat() if held else None
            prev = previous_period(today, rule.every)
            if not _any_within(held, prev) and (since is None or prev[1] >= since):
                items.append(_item(form.id, rule, prev, "overdue", last_done))
            current = period_of(today, rule.every)
            state = "done" if _any_within(held, current) else "due"
            items.append(_item(form.id, rule, current, state, last_done))
    # sorted() is stable, so within a state items keep form and rule order.
    return sorted(items, key=lambda item: STATES.index(item.state))


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


def _any_within(days: list[dt.date], period: tuple[dt.date, dt.date, str]) -> bool:
    start, end, _ = period
    return any(start <= day <= end for day in days)


def _item(form_id: str, rule: Cadence, period: tuple, state: str, last_done: str | None) -> DueItem:
    start, end, label = period
    return DueItem(form_id, rule.label, rule.every, label, start.isoformat(), end.isoformat(),
                   state, last_done)


def _first_of_next(year: int, month: int) -> dt.date:
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
