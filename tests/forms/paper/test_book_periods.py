"""forms/paper/periods.py: the year, half-year or quarter a 台账 covers, read from command-line values."""

from __future__ import annotations

import datetime as dt

import pytest

from forms import i18n
from forms.paper.periods import Period, PeriodError, parse_period

D = dt.date


@pytest.mark.parametrize(
    "args, first, last, label, code",
    [
        ((2026,), D(2026, 1, 1), D(2026, 12, 31), "2026年", "2026"),
        (("2026",), D(2026, 1, 1), D(2026, 12, 31), "2026年", "2026"),
        ((2026, None, 1), D(2026, 1, 1), D(2026, 6, 30), "2026年上半年", "2026-H1"),
        ((2026, None, "H2"), D(2026, 7, 1), D(2026, 12, 31), "2026年下半年", "2026-H2"),
        ((2026, None, "上半年"), D(2026, 1, 1), D(2026, 6, 30), "2026年上半年", "2026-H1"),
        ((2026, 1), D(2026, 1, 1), D(2026, 3, 31), "2026年第一季度", "2026-Q1"),
        ((2026, "q2"), D(2026, 4, 1), D(2026, 6, 30), "2026年第二季度", "2026-Q2"),
        ((2026, "Q4"), D(2026, 10, 1), D(2026, 12, 31), "2026年第四季度", "2026-Q4"),
        ((2024, "三"), D(2024, 7, 1), D(2024, 9, 30), "2024年第三季度", "2024-Q3"),
        ((2024, "", ""), D(2024, 1, 1), D(2024, 12, 31), "2024年", "2024"),
    ],
)
def test_a_period_from_command_line_values(args, first, last, label, code):
    period = parse_period(*args)
    assert (period.first, period.last, period.label, period.code) == (first, last, label, code)


def test_a_meeting_on_march_31_and_one_on_april_1_fall_in_different_quarters():
    q1, q2, h1 = parse_period(2026, 1), parse_period(2026, 2), parse_period(2026, None, 1)
    assert q1.contains("2026-03-31") and not q1.contains("2026-04-01")
    assert q2.contains("2026-04-01") and not q2.contains("2026-03-31")
    assert h1.contains("2026-03-31") and h1.contains(D(2026, 6, 30)) and not h1.contains("2026-07-01")
    assert not q1.contains(None) and not q1.contains("")


def test_a_quarter_and_a_half_together_are_refused_in_chinese():
    with pytest.raises(PeriodError) as caught:
        parse_period(2026, quarter=2, half=1)
    assert "季度和半年只能选一个" in str(caught.value)
    assert "--quarter" in str(caught.value) and "--half" in str(caught.value)


@pytest.mark.parametrize(
    "args, says",
    [
        (("二〇二六",), "年份应为四位数字"),
        (("26",), "年份应为四位数字"),
        (("3000",), "1921–2999"),  # four digits, but no year a branch has records in
        (("1900",), "1921–2999"),
        ((2026, 5), "季度应为 1 到 4"),
        ((2026, "Q0"), "季度应为 1 到 4"),
        ((2026, None, 3), "半年应为 1（上半年）或 2（下半年）"),
        ((2026, None, "中"), "半年应为 1（上半年）或 2（下半年）"),
    ],
)
def test_a_wrong_value_says_what_to_type(args, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(*args)


def test_a_period_made_directly_is_checked_too():
    with pytest.raises(PeriodError):
        Period(2026, "quarter", 5)
    with pytest.raises(PeriodError):
        Period(2026, "month", 1)


@pytest.fixture
def english():
    assert i18n.set_language("en")
    yield
    i18n.set_language(i18n.SOURCE_LANGUAGE)


def test_the_window_shows_the_label_in_english_and_the_paper_keeps_chinese(english):
    assert parse_period(2026, 4).shown_label() == "Q4 2026"
    assert parse_period(2026, None, 1).shown_label() == "H1 2026"
    assert parse_period(2026, None, 2).shown_label() == "H2 2026"
    assert parse_period(2026).shown_label() == "2026"
    assert parse_period(2026, 4).label == "2026年第四季度"
    with pytest.raises(PeriodError, match="only one"):
        parse_period(2026, 1, 1)


def test_in_chinese_the_window_label_is_the_paper_label():
    for period in (parse_period(2026), parse_period(2026, 3), parse_period(2026, None, 2)):
        assert period.shown_label() == period.label
