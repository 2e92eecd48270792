"""forms/cadence.py: which regular meetings are done, due or overdue for a branch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from forms.model import Cadence, Field, Form

cadence = pytest.importorskip("forms.cadence", reason="forms/expressions.py (ENGINE) not there yet")
period_of, due_items, branch_state = cadence.period_of, cadence.due_items, cadence.branch_state

D = dt.date

SANHUI = Form(
    id="sanhui-yike",
    version=1,
    title="三会一课",
    fields=(
        Field(
            key="meeting_type",
            type="select_one",
            label="会议类型",
            choices=("支部党员大会", "支部委员会", "党小组会", "党课"),
        ),
    ),
    cadence=(
        Cadence(every="month", label="支部委员会", when="meeting_type == '支部委员会'"),
        Cadence(every="month", label="党小组会", when="meeting_type == '党小组会'"),
        Cadence(every="quarter", label="支部党员大会", when="meeting_type == '支部党员大会'"),
        Cadence(every="quarter", label="党课", when="meeting_type == '党课'"),
    ),
)
ZUZHI = Form(
    id="zuzhi-shenghuohui",
    version=1,
    title="组织生活会",
    fields=(),
    cadence=(Cadence(every="year", label="组织生活会"),),
)
RUHU = Form(id="ruhu-zoufang", version=1, title="入户走访", fields=())


def meeting(kind: str, day: str, status: str = "final"):
    return ("sanhui-yike", status, day, {"meeting_type": kind})


def find(items, label, state=None):
    found = [i for i in items if i.label == label and (state is None or i.state == state)]
    return found


# --- periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, every, start, end, label",
    [
        (D(2026, 11, 15), "month", D(2026, 11, 1), D(2026, 11, 30), "2026年11月"),
        (D(2024, 2, 10), "month", D(2024, 2, 1), D(2024, 2, 29), "2024年2月"),
        (D(2026, 12, 31), "month", D(2026, 12, 1), D(2026, 12, 31), "2026年12月"),
        (D(2026, 3, 31), "quarter", D(2026, 1, 1), D(2026, 3, 31), "2026年第1季度"),
        (D(2026, 4, 1), "quarter", D(2026, 4, 1), D(2026, 6, 30), "2026年第2季度"),
        (D(2026, 12, 31), "quarter", D(2026, 10, 1), D(2026, 12, 31), "2026年第4季度"),
        (D(2027, 1, 1), "quarter", D(2027, 1, 1), D(2027, 3, 31), "2027年第1季度"),
        (D(2026, 6, 30), "half-year", D(2026, 1, 1), D(2026, 6, 30), "2026年上半年"),
        (D(2026, 7, 1), "half-year", D(2026, 7, 1), D(2026, 12, 31), "2026年下半年"),
        (D(2026, 5, 20), "year", D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    ],
)
def test_period_of(day, every, start, end, label):
    assert period_of(day, every) == (start, end, label)
    assert period_of(day.isoformat(), every) == (start, end, label)


def test_period_of_rejects_unknown_kind():
    with pytest.raises(ValueError, match="周期"):
        period_of(D(2026, 1, 1), "week")


# --- states --------------------------------------------------------------------------------


def test_nothing_held_current_due_and_previous_overdue():
    items = due_items([ZUZHI], {}, [], D(2026, 5, 1))
    assert [(i.period_label, i.state) for i in items] == [("2025年", "overdue"), ("2026年", "due")]
    assert items[0].period_start == "2025-01-01" and items[0].period_end == "2025-12-31"
    assert items[1].last_done is None
    assert branch_state(items) == "overdue"


def test_done_in_current_period():
    records = [
        ("zuzhi-shenghuohui", "final", "2025-12-20", {}),
        ("zuzhi-shenghuohui", "final", "2026-02-03", {}),
    ]
    items = due_items([ZUZHI], {}, records, "2026-05-01")
    assert [(i.period_label, i.state, i.last_done) for i in items] == [("2026年", "done", "2026-02-03")]
    assert branch_state(items) == "done"


def test_previous_done_current_due():
    records = [("zuzhi-shenghuohui", "final", "2025-12-20", {})]
    items = due_items([ZUZHI], {}, records, D(2026, 5, 1))
    assert [(i.period_label, i.state) for i in items] == [("2026年", "due")]
    assert items[0].last_done == "2025-12-20"
    assert branch_state(items) == "due"


def test_year_boundary_dec_31_and_jan_1():
    records = [meeting("支部党员大会", "2026-12-31")]
    on_dec_31 = due_items([SANHUI], {}, records, D(2026, 12, 31))
    assert [(i.period_label, i.state) for i in find(on_dec_31, "支部党员大会")] == [
        ("2026年第3季度", "overdue"),
        ("2026年第4季度", "done"),
    ]
    on_jan_1 = due_items([SANHUI], {}, records, D(2027, 1, 1))
    # Held on the last day of Q4: nothing missed last quarter; the new quarter has just begun.
    assert [(i.period_label, i.state) for i in find(on_jan_1, "支部党员大会")] == [("2027年第1季度", "due")]


def test_quarter_boundary_mar_31_and_apr_1():
    records = [meeting("党课", "2026-03-31")]
    on_mar_31 = find(due_items([SANHUI], {}, records, D(2026, 3, 31)), "党课")
    assert [(i.period_label, i.state) for i in on_mar_31] == [
        ("2025年第4季度", "overdue"),
        ("2026年第1季度", "done"),
    ]
    on_apr_1 = find(due_items([SANHUI], {}, records, D(2026, 4, 1)), "党课")
    assert [(i.period_label, i.state) for i in on_apr_1] == [("2026年第2季度", "due")]
    assert on_apr_1[0].period_start == "2026-04-01" and on_apr_1[0].period_end == "2026-06-30"
    # The day after, with nothing held on Mar 31, Q1 shows as missed.
    missed = find(due_items([SANHUI], {}, [], D(2026, 4, 1)), "党课", "overdue")
    assert [i.period_label for i in missed] == ["2026年第1季度"]


def test_month_start_shows_last_month_missed():
    records = [meeting("支部委员会", "2026-10-12")]
    items = find(due_items([SANHUI], {}, records, D(2026, 11, 1)), "支部委员会")
    assert [(i.period_label, i.state) for i in items] == [("2026年11月", "due")]
    items = find(due_items([SANHUI], {}, records, D(2026, 12, 1)), "支部委员会")
    assert [(i.period_label, i.state) for i in items] == [("2026年11月", "overdue"), ("2026年12月", "due")]


def test_when_filters_by_meeting_type():
    records = [meeting("支部委员会", "2026-11-05")]
    items = due_items([SANHUI], {}, records, D(2026, 11, 20))
    current = {i.label: i.state for i in items if i.state != "overdue"}
    assert current == {"支部委员会": "done", "党小组会": "due", "支部党员大会": "due", "党课": "due"}
    assert find(items, "支部委员会")[-1].last_done == "2026-11-05"
    assert find(items, "党小组会")[-1].last_done is None


def test_drafts_and_void_do_not_count():
    records = [
        meeting("支部委员会", "2026-11-05", status="draft"),
        meeting("支部委员会", "2026-11-06", status="void"),
    ]
    items = find(due_items([SANHUI], {}, records, D(2026, 11, 20)), "支部委员会")
    assert [i.state for i in items] == ["overdue", "due"]
    assert items[-1].last_done is None


def test_records_as_store_objects():
    @dataclass
    class Rec:
        form_id: str
        status: str
        occurred_on: str | None
        data: dict

    records = [
        Rec("sanhui-yike", "final", "2026-11-05", {"meeting_type": "支部委员会"}),
        Rec("sanhui-yike", "final", None, {"meeting_type": "党小组会"}),
    ]
    items = due_items([SANHUI], {}, records, D(2026, 11, 20))
    assert find(items, "支部委员会")[-1].state == "done"
    assert find(items, "党小组会")[-1].state == "due"  # no date: cannot count for a period


def test_override_changes_period():
    items = find(
        due_items(
            [SANHUI], {"sanhui-yike:党课": "half-year"}, [meeting("党课", "2026-02-01")], D(2026, 5, 10)
        ),
        "党课",
    )
    assert [(i.every, i.period_label, i.state) for i in items] == [
        ("half-year", "2025年下半年", "overdue"),
        ("half-year", "2026年上半年", "done"),
    ]
    assert items[0].key == "sanhui-yike:党课"


def test_override_off_and_unknown_value():
    items = due_items(
        [SANHUI], {"sanhui-yike:党小组会": "off", "sanhui-yike:党课": "weekly"}, [], D(2026, 5, 10)
    )
    assert not find(items, "党小组会")
    assert {i.every for i in find(items, "党课")} == {"quarter"}  # bad value: the form's rule


def test_override_for_whole_form_and_turning_on_a_form_without_cadence():
    items = due_items(
        [ZUZHI, RUHU],
        {"zuzhi-shenghuohui": "off", "ruhu-zoufang": "month"},
        [("ruhu-zoufang", "final", "2026-05-03", {})],
        D(2026, 5, 10),
    )
    assert [(i.form_id, i.label, i.period_label, i.state) for i in items] == [
        ("ruhu-zoufang", "入户走访", "2026年4月", "overdue"),
        ("ruhu-zoufang", "入户走访", "2026年5月", "done"),
    ]
    assert due_items([RUHU], {}, [], D(2026, 5, 10)) == []


def test_since_hides_periods_before_the_branch_started():
    items = due_items([ZUZHI], {}, [], D(2026, 5, 1), since=D(2026, 3, 1))
    assert [(i.period_label, i.state) for i in items] == [("2026年", "due")]


def test_every_missed_period_since_the_start_is_listed_not_only_the_latest():
    records = [meeting("支部委员会", "2026-02-10"), meeting("支部委员会", "2025-12-01")]
    items = due_items(
        [SANHUI],
        {"sanhui-yike": "off", "sanhui-yike:支部委员会": "month"},
        records,
        D(2026, 5, 10),
        since=D(2025, 11, 20),
    )
    assert [(i.period_label, i.state) for i in items] == [
        ("2025年11月", "overdue"),  # the branch started on the 20th: that month counts too
        ("2026年1月", "overdue"),
        ("2026年3月", "overdue"),
        ("2026年4月", "overdue"),
        ("2026年5月", "due"),
    ]
    assert {i.last_done for i in items} == {"2026-02-10"}
    # Never further back than a year, however long ago the branch started.
    old = due_items(
        [SANHUI],
        {"sanhui-yike": "off", "sanhui-yike:支部委员会": "month"},
        [],
        D(2026, 5, 10),
        since=D(2020, 1, 1),
    )
    assert [i.period_label for i in old][:2] == ["2025年5月", "2025年6月"] and len(old) == 13


def test_order_overdue_first_and_branch_state():
    records = [meeting("支部委员会", "2026-11-05"), meeting("支部委员会", "2026-10-05")]
    items = due_items([SANHUI], {}, records, D(2026, 11, 20))
    states = [i.state for i in items]
    assert states == sorted(states, key=["overdue", "due", "done"].index)
    assert branch_state([]) == "done"
    assert branch_state([i for i in items if i.state == "done"]) == "done"
    assert branch_state([i for i in items if i.state != "overdue"]) == "due"


def test_broken_when_counts_as_not_held():
    form = Form(
        id="x", version=1, title="X", fields=(), cadence=(Cadence(every="month", label="X", when="a.b.c()"),)
    )
    items = due_items([form], {}, [("x", "final", "2026-05-03", {"a": 1})], D(2026, 5, 10))
    assert items[-1].state == "due"


def test_library_sanhui_yike_cadence_drives_due_items():
    loader = pytest.importorskip("forms.loader", reason="forms/loader/ (ENGINE) not there yet")
    from pathlib import Path

    import forms

    form = loader.load_form(Path(forms.__file__).parent / "library" / "sanhui-yike.yaml")
    items = due_items([form], {}, [meeting("支部党员大会", "2026-11-05")], D(2026, 11, 20))
    current = {i.label: (i.every, i.state) for i in items if i.state != "overdue"}
    assert current == {
        "支部委员会": ("month", "due"),
        "党小组会": ("month", "due"),
        "支部党员大会": ("quarter", "done"),
        "党课": ("quarter", "due"),
    }


# --- the quick evaluation gives the naive answers ----------------------------------------------


def naive_due_items(forms, overrides, records, today, since=None):
    """due_items as first written: every `when` evaluated for every final record."""
    from forms.expressions import compile_expression

    today = cadence._as_date(today)
    since = cadence._as_date(since) if since is not None else None
    finals = cadence._final_records(records)

    def matches(when, data):
        if not when:
            return True
        try:
            return bool(compile_expression(when).evaluate(dict(data)))
        except Exception:  # noqa: BLE001
            return False

    def within(days, p):
        return any(p[0] <= d <= p[1] for d in days)

    items = []
    for form in forms:
        for rule in cadence._rules(form, dict(overrides or {})):
            held = sorted(d for d, data in finals.get(form.id, ()) if matches(rule.when, data))
            last = held[-1].isoformat() if held else None
            # Every earlier period back to `since` (a year at most); only the last one without it.
            floor = None if since is None else max(since, today - dt.timedelta(days=cadence.LOOKBACK_DAYS))
            missed, prev = [], cadence.previous_period(today, rule.every)
            while (floor is None and not missed) or (floor is not None and prev[1] >= floor):
                missed.insert(0, prev)
                prev = cadence.previous_period(prev[0], rule.every)
            for period in missed:
                if not within(held, period):
                    items.append(cadence._item(form.id, rule, period, "overdue", last))
            cur = period_of(today, rule.every)
            items.append(cadence._item(form.id, rule, cur, "done" if within(held, cur) else "due", last))
    return sorted(items, key=lambda i: cadence.STATES.index(i.state))


ODD = Form(
    id="odd",
    version=1,
    title="怪表",
    fields=(),
    cadence=(
        Cadence(every="month", label="数字", when="n == 1"),  # 1, 1.0, True, "1" differ here
        Cadence(every="quarter", label="文本", when="(n | string) == '1'"),
        Cadence(every="half-year", label="有值", when="n is defined and n is not none"),
        Cadence(every="year", label="列表", when="people | length > 2"),
        Cadence(every="month", label="坏的", when="n.x.y()"),
    ),
)


def test_quick_due_items_equal_naive_on_random_records():
    import random

    rng = random.Random(20261105)
    kinds = ["支部党员大会", "支部委员会", "党小组会", "党课", "其他"]
    values = [1, 1.0, True, "1", None, 0, [1], {"a": 1}]
    for _round in range(150):
        records = []
        for _ in range(rng.randint(0, 60)):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1100))
            status = rng.choice(["final"] * 4 + ["draft", "void"])
            if rng.random() < 0.5:
                records.append(("sanhui-yike", status, day.isoformat(), {"meeting_type": rng.choice(kinds)}))
            else:
                data = {}
                if rng.random() < 0.8:
                    data["n"] = rng.choice(values)
                if rng.random() < 0.5:
                    data["people"] = ["x"] * rng.randint(0, 4)
                records.append(
                    (
                        rng.choice(["odd", "zuzhi-shenghuohui", "ruhu-zoufang"]),
                        status,
                        rng.choice([day.isoformat(), None, "bad"]),
                        data,
                    )
                )
        today = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1200))
        overrides = rng.choice(
            [
                {},
                {"ruhu-zoufang": "quarter"},
                {"sanhui-yike:党课": "year"},
                {"odd:数字": "off", "zuzhi-shenghuohui": "half-year"},
            ]
        )
        since = rng.choice([None, today - dt.timedelta(days=rng.randint(0, 400))])
        forms = [SANHUI, ZUZHI, RUHU, ODD]
        got = due_items(forms, overrides, records, today, since=since)
        assert got == naive_due_items(forms, overrides, records, today, since=since), (today, records)
        # and with only the records the window says can matter, the states are the same
        days = cadence.window(forms, overrides, today, since)
        recent = [r for r in records if r[0] in days and r[2] and r[2] != "bad" and r[2] >= days[r[0]]]
        windowed = due_items(forms, overrides, recent, today, since=since)
        assert [(i.form_id, i.label, i.period_label, i.state) for i in windowed] == [
            (i.form_id, i.label, i.period_label, i.state) for i in got
        ]


def test_when_is_evaluated_once_per_distinct_value(monkeypatch):
    calls = []
    real = cadence._matches
    monkeypatch.setattr(cadence, "_matches", lambda when, data: calls.append(when) or real(when, data))
    kinds = ["支部党员大会", "支部委员会", "党小组会", "党课"]
    records = [
        meeting(kinds[i % 4], (D(2025, 1, 1) + dt.timedelta(days=i % 700)).isoformat()) for i in range(1300)
    ]
    items = due_items([SANHUI], {}, records, D(2026, 11, 20))
    assert len(calls) <= 4 * 4  # 4 rules x 4 distinct meeting types
    assert items == naive_due_items([SANHUI], {}, records, D(2026, 11, 20))


def test_window_is_the_previous_period_start_of_each_forms_longest_rule():
    assert cadence.window([SANHUI, ZUZHI, RUHU], {}, D(2026, 11, 20)) == {
        "sanhui-yike": "2026-07-01",
        "zuzhi-shenghuohui": "2025-01-01",
    }
    assert cadence.window(
        [SANHUI, RUHU], {"sanhui-yike": "month", "ruhu-zoufang": "month"}, "2026-01-05"
    ) == {"sanhui-yike": "2025-12-01", "ruhu-zoufang": "2025-12-01"}
    assert cadence.window([ZUZHI], {"zuzhi-shenghuohui": "off"}, D(2026, 1, 1)) == {}
