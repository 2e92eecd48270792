"""The period a 台账 covers: a year, a half-year (H1/H2) or a quarter (Q1–Q4).

`parse_period` reads it from command-line style arguments (`--year 2026 --quarter 4`); a wrong
value, or a quarter and a half given together, raises `PeriodError` with a message in Chinese that
says what to type. The day arithmetic is forms/cadence.py's `period_of` (one fact in one place);
the Chinese label printed on paper ("2026年第四季度") is `label`, the label for the window, in the
person's language, is `shown_label()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms.cadence import period_of
from forms.i18n import tr, tr_noop

YEAR = "year"
HALF = "half"
QUARTER = "quarter"
KINDS = (YEAR, HALF, QUARTER)
MIN_YEAR, MAX_YEAR = 1921, 2999  # a year a branch can have records in; anything else is a typo

_CHINESE_NUMBERS = "一二三四"
_HALF_NAMES = ("上", "下")
# The labels: printed in Chinese as they are, shown in the window through tr().
_LABELS = {
    (YEAR, 0): tr_noop("{year}年"),
    (HALF, 1): tr_noop("{year}年上半年"),
    (HALF, 2): tr_noop("{year}年下半年"),
    (QUARTER, 1): tr_noop("{year}年第一季度"),
    (QUARTER, 2): tr_noop("{year}年第二季度"),
    (QUARTER, 3): tr_noop("{year}年第三季度"),
    (QUARTER, 4): tr_noop("{year}年第四季度"),
}
_EVERY = {YEAR: "year", HALF: "half-year", QUARTER: "quarter"}  # forms.cadence's period names


class PeriodError(ValueError):
    """A period that cannot be made from what was given; the message is for the person."""


@dataclass(frozen=True)
class Period:
    """A year (`kind` "year", `number` 0), a half-year ("half", 1–2) or a quarter ("quarter", 1–4)."""

    year: int
    kind: str = YEAR
    number: int = 0

    def __post_init__(self) -> None:
        top = {YEAR: 0, HALF: 2, QUARTER: 4}.get(self.kind)
        if top is None:
            raise PeriodError(tr("未知的期间类型“{kind}”。").format(kind=self.kind))
        if not (MIN_YEAR <= self.year <= MAX_YEAR) or not (
            (top == 0 == self.number) or 1 <= self.number <= top
        ):
            raise PeriodError(
                tr(
                    "期间不对（{year} {kind} {number}）：年份应在 {min_year}–{max_year} 之间，"
                    "半年为 1–2，季度为 1–4。"
                ).format(
                    year=self.year, kind=self.kind, number=self.number, min_year=MIN_YEAR, max_year=MAX_YEAR
                )
            )

    @property
    def first(self) -> dt.date:
        """The first day of the period."""
        return self._bounds()[0]

    @property
    def last(self) -> dt.date:
        """The last day of the period (included)."""
        return self._bounds()[1]

    def _bounds(self) -> tuple[dt.date, dt.date]:
        months = {YEAR: 1, HALF: 6 * self.number - 5, QUARTER: 3 * self.number - 2}[self.kind]
        first, last, _ = period_of(dt.date(self.year, months, 1), _EVERY[self.kind])
        return first, last

    def contains(self, day: dt.date | str | None) -> bool:
        """Whether a day ('YYYY-MM-DD' or a date) falls in the period."""
        if not day:
            return False
        text = day.isoformat() if isinstance(day, dt.date) else str(day)[:10]
        return self.first.isoformat() <= text <= self.last.isoformat()

    @property
    def label(self) -> str:
        """The Chinese label printed on paper: 2026年, 2026年上半年, 2026年第四季度."""
        return _LABELS[(self.kind, self.number)].format(year=self.year)

    def shown_label(self) -> str:
        """The label in the person's language, for the window ("Q4 2026" in English)."""
        return tr(_LABELS[(self.kind, self.number)]).format(year=self.year)

    @property
    def code(self) -> str:
        """A short ASCII name for file names: 2026, 2026-H1, 2026-Q4."""
        if self.kind == HALF:
            return f"{self.year}-H{self.number}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)


def parse_period(year: int | str, quarter: int | str | None = None, half: int | str | None = None) -> Period:
    """The period from command-line style values: a year, with at most one of a quarter
    (1–4, Q1–Q4, 一–四) or a half (1–2, H1/H2, 上/下, 上半年/下半年)."""
    if _given(quarter) and _given(half):
        raise PeriodError(
            tr("季度和半年只能选一个：--quarter 和 --half 不能同时给出。请只写其中一个，或都不写（整年）。")
        )
    number = _year(year)
    if quarter is not None and _given(quarter):
        return Period(number, QUARTER, _part(quarter, "Q", _CHINESE_NUMBERS, 4, _bad_quarter))
    if half is not None and _given(half):
        return Period(number, HALF, _part(half, "H", _HALF_NAMES, 2, _bad_half))
    return Period(number)


def _given(value: int | str | None) -> bool:
    return value is not None and str(value).strip() != ""


def _year(value: int | str) -> int:
    text = str(value).strip().removesuffix("年")
    if not (text.isascii() and text.isdigit()) or not (MIN_YEAR <= int(text) <= MAX_YEAR):
        raise PeriodError(
            tr("年份应为四位数字（{min_year}–{max_year}），例如 2026，不能是“{year}”。").format(
                year=value, min_year=MIN_YEAR, max_year=MAX_YEAR
            )
        )
    return int(text)


def _part(value: int | str, letter: str, names: str | tuple[str, ...], top: int, bad) -> int:
    """1..top from "3", "Q3"/"q3", "三"/"第三季度", "上"/"上半年"; `bad(value)` raises otherwise."""
    text = str(value).strip().upper().removeprefix(letter).removeprefix("第")
    text = text.removesuffix("季度").removesuffix("半年")
    if text.isascii() and text.isdigit() and 1 <= int(text) <= top:
        return int(text)
    if len(text) == 1 and text in names:
        return names.index(text) + 1
    raise bad(value)


def _bad_quarter(value) -> PeriodError:
    return PeriodError(tr("季度应为 1 到 4（也可写 Q1–Q4），不能是“{quarter}”。").format(quarter=value))


def _bad_half(value) -> PeriodError:
    return PeriodError(
        tr("半年应为 1（上半年）或 2（下半年），也可写 H1、H2，不能是“{half}”。").format(half=value)
    )
