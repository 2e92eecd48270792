"""Text values as the engine takes them in: control characters refused with the field named,
line breaks only where a field has lines, malformed absences named for what is wrong, and drafts
saved with their calculations as computed."""

from __future__ import annotations

import json

import pytest

from forms.characters import control_problem
from forms.lifecycle import Records
from forms.store import Store
from forms.store import times as store_times
from tests.forms.test_engine import FORM, ctx, filled, texts
from tests.forms.test_lifecycle import NOW, catalog_with

REFUSED = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\ud800", "\u200f"]


@pytest.mark.parametrize("char", REFUSED)
@pytest.mark.parametrize(
    "key, make",
    [
        ("title", lambda c: f"支部{c}会议"),
        ("notes", lambda c: f"第一行\n第二{c}行"),
        ("host", lambda c: f"张三{c}"),
        ("attendees", lambda c: ["张三", f"李四{c}"]),
        ("absences", lambda c: [{"name": "赵五", "reason": f"病{c}假"}]),
        ("meeting_type", lambda c: f"支部委员会{c}"),
        ("place", lambda c: {"place": f"村部{c}", "lat": None, "lon": None}),
        ("photos", lambda c: [{"sha256": "a" * 64, "name": f"a{c}.jpg"}]),
    ],
)
def test_control_characters_are_refused_naming_the_field(key, make, char):
    out = evaluate_with(**{key: make(char)})
    label = FORM.field(key).label
    problems = texts(out, key)
    said = "无法识别的字符" if char == "\ud800" else "看不见的控制字符"
    assert any(f"“{label}”里有{said}" in t and f"U+{ord(char):04X}" in t for t in problems), problems
    assert not out.ok


def test_control_characters_in_repeat_rows_are_refused_at_their_row():
    out = evaluate_with(problems=[{"description": "漏雨\x00", "follow": "否"}])
    assert any("“描述”里有看不见的控制字符" in t for t in texts(out, "problems[0].description"))


def evaluate_with(**values):
    from forms.engine import evaluate

    return evaluate(FORM, filled(**values), ctx())


def test_tabs_and_ordinary_text_pass():
    out = evaluate_with(title="甲\t乙", notes="一\t二\n三")
    assert out.values["title"] == "甲\t乙" and out.values["notes"] == "一\t二\n三"
    assert texts(out, "title") == [] and texts(out, "notes") == []


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\v", "\f", "\u2028", "\u2029", "\x85", "\x1e"])
def test_line_breaks_are_spaces_in_one_line_fields_and_newlines_in_longtext(brk):
    out = evaluate_with(title=f"上{brk}下", notes=f"上{brk}下", host=f"张{brk}三")
    assert out.values["title"] == "上 下"
    assert out.values["notes"] == "上\n下"
    assert texts(out, "title") == [] and texts(out, "notes") == []
    assert "张 三 不在本支部名册上" in " ".join(texts(out, "host"))


def test_control_problem_says_where_and_what():
    assert control_problem("ab\x00", "名称") == (
        "“名称”里有看不见的控制字符（第 3 个字符，U+0000），多半是从别处复制时带进来的。请删掉它后重新填写。"
    )
    assert control_problem("正常的文字\t和\n换行", "名称") is None
    assert "无法识别的字符（第 1 个字符，U+DCFF），多半是文字的编码不是 UTF-8" in control_problem(
        "\udcff", "名称"
    )


# --- absences -----------------------------------------------------------------------------------

ABSENCE_SHAPES = [
    (5, "应为缺席人员列表（姓名和原因）", "现在是 5"),
    ([5], "第 1 项应为姓名和原因", "现在是 5"),
    ([["赵五"]], "第 1 项应为姓名和原因", '现在是 ["赵五"]'),
    ([{"reason": "病假"}], "第 1 项缺少姓名（name）", "“reason”"),
    ([{"member": "赵五", "reason": "病假"}], "第 1 项缺少姓名（name）", "“member”"),
    ([{"name": None, "reason": "病假"}], "第 1 项的姓名（name）是空的", '{"name": "张三", "reason": "病假"}'),
    ([{"name": 7}], "第 1 项的姓名（name）应为文字", "现在是 7"),
    ([{"name": "赵五", "reason": 3}], "第 1 项（赵五）的原因（reason）应为文字", "现在是 3"),
    ([{"name": "赵五", "reason": ["病假"]}], "第 1 项（赵五）的原因（reason）应为文字", '["病假"]'),
    ([{"name": "赵五"}, {"name": None}], "第 2 项的姓名（name）是空的", ""),
]


@pytest.mark.parametrize("value, what, detail", ABSENCE_SHAPES)
def test_malformed_absences_say_what_is_wrong(value, what, detail):
    out = evaluate_with(absences=value)
    (problem,) = texts(out, "absences")
    assert problem.startswith("“缺席”") and what in problem and detail in problem, problem
    assert "None" not in problem
    assert out.values["absences"] == value  # kept as typed, nothing lost


def test_absences_off_the_roster_are_named():
    out = evaluate_with(absences=[{"name": "陌生人", "reason": "病假"}])
    assert texts(out, "absences") == ["陌生人 不在本支部名册上，请先在名册中添加或重新选择（“缺席”）"]


def test_absences_may_be_names_alone_or_rows():
    out = evaluate_with(absences=["赵五", {"name": "李四", "reason": None}], attendees=["王书记", "张三"])
    assert out.values["absences"] == [{"name": "赵五", "reason": ""}, {"name": "李四", "reason": ""}]
    assert texts(out, "absences") == []


# --- drafts keep their calculations as computed -------------------------------------------------

REPEAT_FORM = """\
id: costs
version: 1
title: 费用
fields:
  - {key: attendees, label: 实到人员, type: members, default: all_members}
  - {key: attend_count, label: 实到人数, type: integer, calculate: attendees | length}
  - key: items
    label: 费用
    type: repeat
    fields:
      - {key: cost, label: 费用, type: decimal}
      - {key: double, label: 双倍, type: decimal, calculate: cost * 2 if cost is not none else none}
  - {key: note, label: 备注, type: text, relevant: attend_count > 1}
"""


@pytest.fixture
def records(tmp_path, monkeypatch):
    monkeypatch.setattr(store_times, "clock", lambda: NOW)
    store = Store.open(tmp_path / "data")
    branch = store.add_branch("第一党支部")
    for name in ("张三", "李四", "王五"):
        store.add_member(branch.id, name)
    yield Records(store, catalog_with(tmp_path, "lib", REPEAT_FORM)), store, branch
    store.close()


def test_a_draft_is_saved_with_its_calculations_as_computed(records):
    records, store, branch = records
    typed = {"attendees": ["张三"], "items": [{"cost": 3}, {"cost": "x"}], "note": "隐藏时仍保留"}
    record, _ = records.new("costs", branch.id, typed, "小王")
    data = store.record(record.uuid).data
    assert data["attend_count"] == 1  # not the 3 of the default roster, not missing
    assert data["items"] == [{"cost": 3, "double": 6}, {"cost": "x", "double": None}]
    assert data["note"] == "隐藏时仍保留"  # a draft keeps what was typed, even hidden for now
    records.save_draft(record.uuid, {**data, "attendees": ["张三", "李四"], "attend_count": 99}, "小王")
    data = store.record(record.uuid).data
    assert data["attend_count"] == 2 and data["items"][0]["double"] == 6
    assert json.dumps(data)  # plain JSON


def test_a_malformed_repeat_in_a_draft_is_kept_as_typed(records):
    records, store, branch = records
    record, _ = records.new("costs", branch.id, {"items": "不是列表"}, "小王")
    assert store.record(record.uuid).data["items"] == "不是列表"


def test_a_roster_file_with_control_characters_names_the_line(tmp_path):
    from forms.roster_file import read_roster

    path = tmp_path / "名册.csv"
    path.write_text("姓名,职务\n张三,书记\n李\x00四,党员\n王\u202e五,党员\n", encoding="utf-8")
    result = read_roster(path)
    assert [r["name"] for r in result.rows] == ["张三"]
    assert [p.split("（")[0] for p in result.problems] == [
        "第3行：“姓名”里有看不见的控制字符",
        "第4行：“姓名”里有看不见的控制字符",
    ]
