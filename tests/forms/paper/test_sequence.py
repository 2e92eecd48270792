"""第 N 次 (forms/paper/sequence.py): a meeting's number in its branch's year, per form and type."""

from __future__ import annotations

import datetime as dt

from forms.paper.record_page import record_page
from forms.paper.sequence import counted_choice, sequence_number, sequence_numbers
from tests.forms.paper.conftest import NOW


def meeting(setup, kind: str, held_at: str, *, branch=None, final: bool = True):
    data = {
        "meeting_type": kind,
        "title": f"{kind} {held_at}",
        "held_at": held_at,
        "host": "王建国",
        "topics": "议题",
        "content": "内容",
        "expected_count": 10,
    }
    if kind == "支部委员会":
        data["expected_count"] = 4
    if kind == "党课":
        data.update(lecturer="王建国", course_title="党课")
    record, outcome = setup.records.new(
        "sanhui-yike", (branch or setup.branch).id, data, "欧阳晓明", final=final
    )
    assert not outcome.errors, outcome.errors
    return record


def number(setup, record) -> int | None:
    form = setup.catalog.get("sanhui-yike")
    return sequence_number(setup.store, form, setup.store.record(record.uuid))


def test_meetings_are_numbered_per_type_in_the_order_they_were_held(setup, clock):
    # Entered out of order: the third committee meeting of the year was typed first.
    third = meeting(setup, "支部委员会", "2026-03-10T19:00")
    first = meeting(setup, "支部委员会", "2026-01-08T19:00")
    assembly = meeting(setup, "支部党员大会", "2026-02-01T09:00")
    second = meeting(setup, "支部委员会", "2026-02-12T19:00")
    lesson = meeting(setup, "党课", "2026-02-12T15:00")
    assert [number(setup, r) for r in (first, second, third)] == [1, 2, 3]
    assert number(setup, assembly) == 1 and number(setup, lesson) == 1


def test_the_same_time_falls_back_to_the_order_of_entry(setup, clock):
    early = meeting(setup, "党小组会", "2026-05-05T19:00")
    clock.now = NOW + dt.timedelta(minutes=5)
    late = meeting(setup, "党小组会", "2026-05-05T19:00")
    same_day_earlier_hour = meeting(setup, "党小组会", "2026-05-05T08:00")
    assert [number(setup, r) for r in (same_day_earlier_hour, early, late)] == [1, 2, 3]


def test_each_year_and_each_branch_counts_from_one(setup):
    other = setup.store.add_branch("白杨村党支部", secretary="王建国")
    setup.store.add_member(other.id, "王建国", role="书记")
    last_year = meeting(setup, "支部党员大会", "2025-12-20T09:00")
    this_year = meeting(setup, "支部党员大会", "2026-01-05T09:00")
    elsewhere = meeting(setup, "支部党员大会", "2026-06-01T09:00", branch=other)
    assert [number(setup, r) for r in (last_year, this_year, elsewhere)] == [1, 1, 1]
    page = record_page(setup.store, setup.catalog, this_year)
    assert "2026年第 1 次支部党员大会" in page.html


def test_a_draft_gets_the_number_it_would_get_now_and_takes_none_from_others(setup):
    meeting(setup, "支部委员会", "2026-01-08T19:00")
    meeting(setup, "支部委员会", "2026-03-10T19:00")
    draft = meeting(setup, "支部委员会", "2026-02-12T19:00", final=False)
    assert number(setup, draft) == 2
    later = meeting(setup, "支部委员会", "2026-04-09T19:00")
    assert number(setup, later) == 3  # the draft is not counted
    setup.records.finalize(draft.uuid, "欧阳晓明")
    assert number(setup, later) == 4 and number(setup, draft) == 2


def test_a_voided_meeting_has_no_number_and_leaves_a_gap_to_no_one(setup):
    first = meeting(setup, "支部委员会", "2026-01-08T19:00")
    second = meeting(setup, "支部委员会", "2026-02-12T19:00")
    third = meeting(setup, "支部委员会", "2026-03-10T19:00")
    setup.store.void(second.uuid, "录错了", "欧阳晓明")
    assert [number(setup, r) for r in (first, second, third)] == [1, None, 2]


def test_a_draft_without_a_day_has_no_number(setup):
    record, _ = setup.records.new("sanhui-yike", setup.branch.id, {"meeting_type": "党课"}, "欧阳晓明")
    setup.records.save_draft(record.uuid, {"meeting_type": "党课", "held_at": None}, "欧阳晓明")
    assert number(setup, record) is None


def test_a_form_without_a_required_choice_is_counted_as_a_whole(setup):
    form = setup.catalog.get("zhuti-dangri")
    assert counted_choice(form) is None
    uuids = []
    for held_at in ("2026-02-01T09:00", "2026-01-01T09:00"):
        data = {
            "held_at": held_at,
            "theme": "主题",
            "activity_types": ["学习"],
            "host": "王建国",
            "content": "x",
        }
        record, outcome = setup.records.new("zhuti-dangri", setup.branch.id, data, "欧阳晓明", final=True)
        assert not outcome.errors
        uuids.append(record.uuid)
    numbers = sequence_numbers(setup.store, form, setup.branch.id, "2026")
    assert [numbers[u] for u in uuids] == [2, 1]
    assert counted_choice(setup.catalog.get("sanhui-yike")).key == "meeting_type"
