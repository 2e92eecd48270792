"""The 台账's summary of meetings held against the branch's cadence: done / missed per period.

What counts is forms/cadence.py's, reused, never restated: the branch's rules after its overrides
are the items `due_items` reports, and a record counts for a rule exactly when `due_items`, asked
about that record alone on its own day, says the rule is done. This module only lays the book's
periods side by side: for each rule, every period of the rule's length that overlaps the book
(each month of a year's book for a monthly rule), with the days something was held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from forms import cadence
from forms.model import Form
from forms.paper.book_markup import grid, heading, note, section, text
from forms.paper.periods import Period

ANCHOR = "book-cadence"
DONE, MISSED, OPEN, OUTSIDE = "done", "missed", "open", "outside"
STATE_WORDS = {DONE: "已开", MISSED: "未开", OPEN: "未到期", OUTSIDE: "本册内未开"}
EVERY_WORDS = {"month": "每月", "quarter": "每季度", "half-year": "每半年", "year": "每年"}


@dataclass
class PeriodLine:
    """One period of a rule: its label and days, the state, the days something was held."""

    label: str
    first: dt.date
    last: dt.date
    state: str
    days: list[str] = field(default_factory=list)


@dataclass
class RuleLine:
    """One cadence rule of the branch (e.g. 支部委员会, every month) over the book's period."""

    form_id: str
    form_title: str
    label: str
    every: str
    periods: list[PeriodLine]

    def count(self, state: str) -> int:
        """How many of its periods are in `state`."""
        return sum(1 for p in self.periods if p.state == state)


def rule_lines(
    forms: Iterable[Form],
    overrides: Mapping[str, str] | None,
    finals: Iterable,
    period: Period,
    made_on: dt.date,
) -> list[RuleLine]:
    """Each cadence rule of the branch with its periods inside `period`, in the order of `forms`.

    `finals` are the branch's final records of the period (store Records). A period with no
    meeting is MISSED once it is over, OPEN while it is still running on `made_on`, and OUTSIDE
    when it reaches beyond the book (a yearly rule in a quarter's book): only the book's part of
    it was looked at.
    """
    forms = list(forms)
    by_id = {form.id: form for form in forms}
    held = _held(by_id, overrides, finals)
    lines = []
    for form_id, label, every in _rules(forms, overrides, period):
        days = held.get((form_id, label), [])
        periods = []
        for first, last, name in _periods(period, every):
            inside = sorted(d for d in days if first.isoformat() <= d <= last.isoformat())
            if inside:
                state = DONE
            elif last > made_on:
                state = OPEN
            elif first < period.first or last > period.last:
                state = OUTSIDE
            else:
                state = MISSED
            periods.append(PeriodLine(name, first, last, state, inside))
        lines.append(RuleLine(form_id, by_id[form_id].title, label, every, periods))
    return lines


def _rules(forms: list[Form], overrides, period: Period) -> list[tuple[str, str, str]]:
    """(form id, label, every) of each rule the branch keeps, as cadence.due_items reports them."""
    seen: dict[tuple[str, str], str] = {}
    for item in cadence.due_items(forms, overrides, [], period.last):
        seen.setdefault((item.form_id, item.label), item.every)
    order = {form.id: n for n, form in enumerate(forms)}
    keys = sorted(seen, key=lambda key: order[key[0]])  # stable: rule order kept within a form
    return [(form_id, label, seen[(form_id, label)]) for form_id, label in keys]


def _held(by_id: dict[str, Form], overrides, finals: Iterable) -> dict[tuple[str, str], list[str]]:
    """{(form id, rule label): days} — the rules each record counts for, by cadence.due_items."""
    held: dict[tuple[str, str], list[str]] = {}
    for record in finals:
        form = by_id.get(record.form_id)
        day = (record.occurred_on or "")[:10]
        if form is None or not day:
            continue
        row = (record.form_id, "final", day, record.data)
        for item in cadence.due_items([form], overrides, [row], day):
            if item.state == "done":
                held.setdefault((item.form_id, item.label), []).append(day)
    return held


def _periods(period: Period, every: str) -> list[tuple[dt.date, dt.date, str]]:
    """The periods of length `every` that overlap the book's period, in order."""
    found = []
    day = period.first
    while day <= period.last:
        first, last, label = cadence.period_of(day, every)
        found.append((first, last, label))
        day = last + dt.timedelta(days=1)
    return found


def cadence_section(lines: list[RuleLine], period: Period, made_on: dt.date) -> str:
    """The summary page: one line per rule, then each rule's periods with the days held."""
    out = [section(ANCHOR, "会议开展情况")]
    out.append(
        note(
            text(
                f"按各类会议规定的周期（本支部另有设置的，按本支部的设置）统计{period.label}内每个周期"
                "是否召开，只计已定稿的记录。“未到期”指制作本台账时该周期尚未结束；"
                "“本册内未开”指该周期超出本台账的期间，只看了本台账期间内的记录。"
                f"制作日期：{made_on.isoformat()}。"
            )
        )
    )
    if not lines:
        out.append(note(text("本支部没有规定召开周期的会议。")))
        return "".join(out)
    rows = []
    for line in lines:
        rows.append(
            [
                text(_rule_name(line)),
                text(EVERY_WORDS.get(line.every, line.every)),
                str(len(line.periods)),
                str(line.count(DONE)),
                _strong(line.count(MISSED)),
                str(line.count(OPEN) + line.count(OUTSIDE)),
            ]
        )
    out.append(
        grid(
            ["会议", "周期", "应开", "已开", "未开", "未计"],
            rows,
            widths=[40, 12, 12, 12, 12, 12],
            align=["left", "center", "center", "center", "center", "center"],
        )
    )
    for line in lines:
        out.append(heading(f"{_rule_name(line)}（{EVERY_WORDS.get(line.every, line.every)}一次）"))
        out.append(
            grid(
                ["周期", "情况", "召开日期"],
                ([text(p.label), _state(p.state), text("、".join(p.days))] for p in line.periods),
                widths=[28, 18, 54],
                align=["left", "center", "left"],
            )
        )
    return "".join(out)


def _rule_name(line: RuleLine) -> str:
    return line.label if line.label == line.form_title else f"{line.label}（{line.form_title}）"


def _state(state: str) -> str:
    word = text(STATE_WORDS.get(state, state))
    return f"<b>{word}</b>" if state == MISSED else word


def _strong(count: int) -> str:
    return f"<b>{count}</b>" if count else "0"
