"""Validation and defaults: what a person sees when they fill in a form."""

import datetime

import pytest

from forms.engine import (
    Context,
    Message,
    Outcome,
    Person,
    defaults,
    evaluate,
    parse_value,
    record_date,
    row_defaults,
    summary,
)
from forms.loader import parse_form

TODAY = datetime.date(2026, 11, 5)
VALID_ID = "11010519491231002X"
SHA = "a" * 64

# Covers every field type and option; also used by the property tests.
RICH = """\
id: rich
version: 1
title: 全部类型
fields:
  - key: basics
    label: 基本
    type: group
    fields:
      - {key: meeting_type, label: 会议类型, type: select_one, choices: [支部党员大会, 支部委员会, 党课],
         required: true}
      - {key: held_at, label: 召开时间, type: datetime, required: true, default: now}
      - {key: day, label: 日期, type: date, default: today, min: 2020-01-01, max: 2030-12-31}
      - {key: start, label: 开始, type: time, default: now}
      - {key: title, label: 名称, type: text, max_length: 10, default: last}
      - {key: notes, label: 记录, type: longtext}
      - {key: lecturer, label: 授课人, type: member, relevant: "meeting_type == '党课'", required: true}
      - {key: host, label: 主持人, type: member, default: secretary}
  - key: attendance
    label: 出席
    type: group
    relevant: meeting_type != '党课' or true
    fields:
      - {key: expected_count, label: 应到人数, type: integer, default: roster_count, min: 0}
      - {key: attendees, label: 实到人员, type: members, default: all_members}
      - {key: attend_count, label: 实到人数, type: integer, calculate: attendees | length}
      - {key: absences, label: 缺席, type: absences}
      - {key: absent_count, label: 缺席人数, type: integer, calculate: absences | length}
      - {key: total, label: 合计, type: integer, calculate: attend_count + absent_count}
  - {key: tags, label: 标签, type: select_multiple, choices: [学习, 志愿服务, 讨论], max: 2}
  - {key: amount, label: 金额, type: decimal, min: 0.01, max: 1000, default: 0.5}
  - {key: even, label: 偶数, type: integer, constraint: even % 2 == 0, constraint_message: 请填写偶数}
  - {key: photos, label: 照片, type: photos, max: 3}
  - {key: files, label: 文件, type: files}
  - {key: place, label: 地点, type: location}
  - {key: idno, label: 身份证号, type: idcard}
  - {key: mobile, label: 手机, type: phone}
  - key: problems
    label: 问题
    type: repeat
    max: 5
    fields:
      - {key: description, label: 描述, type: longtext, required: true}
      - {key: follow, label: 跟进, type: select_one, choices: [是, 否], default: 否, required: true}
      - {key: who, label: 跟进人, type: member, relevant: "follow == '是'", required: true}
      - {key: cost, label: 费用, type: decimal, min: 0}
      - {key: double, label: 双倍, type: decimal, calculate: cost * 2 if cost is not none else none}
  - {key: problem_count, label: 问题数, type: integer, calculate: problems | length}
checks:
  - when: meeting_type == '支部党员大会'
    rule: attend_count * 2 > expected_count
    message: 实到人数未过半，不能作出决定
    level: warning
  - rule: total == expected_count
    message: 实到加缺席不等于应到
  - rule: not (tags and '志愿服务' in tags) or photos | length > 0
    message: 志愿服务请上传照片
"""

FORM = parse_form(RICH, "rich.yaml")
ROSTER = [Person("王书记", "书记"), Person("张三"), Person("李四"), Person("赵五")]


def ctx(**kw) -> Context:
    base = dict(roster=list(ROSTER), today=TODAY, now=datetime.datetime(2026, 11, 5, 9, 30))
    base.update(kw)
    return Context(**base)


def filled(**changes) -> dict:
    values = defaults(FORM, ctx())
    values.update(meeting_type="支部委员会")
    values.update(changes)
    return values


def texts(outcome: Outcome, key: str) -> list[str]:
    return [m.text for m in outcome.for_field(key)]


# ------------------------------------------------------------------ defaults


def test_defaults_fill_symbolic_values_and_calculations():
    d = defaults(FORM, ctx(last={"title": "上次的名称"}))
    assert d["held_at"] == "2026-11-05T09:30"
    assert d["day"] == "2026-11-05" and d["start"] == "09:30"
    assert d["title"] == "上次的名称"
    assert d["host"] == "王书记"
    assert d["attendees"] == ["王书记", "张三", "李四", "赵五"]
    assert d["expected_count"] == 4 and d["attend_count"] == 4
    assert d["absences"] == [] and d["absent_count"] == 0 and d["total"] == 4
    assert d["amount"] == 0.5
    assert d["problems"] == [] and d["problem_count"] == 0 and d["tags"] == []
    assert d["lecturer"] is None and d["meeting_type"] is None
    assert "basics" not in d and "attendance" not in d


def test_absences_default_to_roster_minus_attendees():
    form = parse_form("""\
id: a
version: 1
title: t
fields:
  - {key: attendees, label: 实到, type: members}
  - {key: absences, label: 缺席, type: absences}
""")
    d = defaults(form, ctx())
    assert d["absences"] == [{"name": n, "reason": ""} for n in ("王书记", "张三", "李四", "赵五")]


def test_defaults_without_roster_or_secretary():
    d = defaults(FORM, Context(today=TODAY))
    assert d["host"] is None and d["attendees"] == [] and d["expected_count"] == 0
    assert d["title"] is None  # no last record


def test_context_for_names_accepts_roles():
    c = Context.for_names([("王书记", "书记"), "张三"], today=TODAY)
    assert c.names == ["王书记", "张三"] and c.today == TODAY and c.now.date() == TODAY
    assert defaults(FORM, c)["host"] == "王书记"


def test_row_defaults():
    assert row_defaults(FORM.field("problems"), ctx()) == {
        "description": None,
        "follow": "否",
        "who": None,
        "cost": None,
        "double": None,
    }


# ------------------------------------------------------------------ evaluate


def test_complete_record_is_ok():
    out = evaluate(FORM, filled(), ctx())
    assert out.ok and out.messages == [], out.messages


def test_required_only_when_relevant_and_irrelevant_values_cleared():
    out = evaluate(FORM, filled(lecturer="张三"), ctx())
    assert out.values["lecturer"] is None and out.ok
    out = evaluate(FORM, filled(meeting_type="党课"), ctx())
    assert texts(out, "lecturer") == ["请填写“授课人”"]
    out = evaluate(FORM, filled(meeting_type=None), ctx())
    assert texts(out, "meeting_type") == ["请填写“会议类型”"] and texts(out, "held_at") == []


def test_irrelevant_wrong_value_is_cleared_without_message():
    out = evaluate(FORM, filled(lecturer=["not", "a", "name"]), ctx())
    assert out.values["lecturer"] is None and out.for_field("lecturer") == []


@pytest.mark.parametrize(
    "key, value, part",
    [
        ("expected_count", "十二", "整数"),
        ("expected_count", 1.5, "整数"),
        ("expected_count", True, "整数"),
        ("amount", "abc", "数字"),
        ("amount", float("nan"), "数字"),
        ("held_at", "2026-11-05", "日期和时间"),
        ("day", "2026-02-30", "日期"),
        ("start", "25:00", "时间"),
        ("notes", {"a": 1}, "文字"),
        ("host", ["张三"], "一位党员"),
        ("attendees", 7, "姓名列表"),
        ("photos", [{"sha256": "xyz", "name": "a.jpg"}], "文件"),
        ("place", {"place": "村部", "lat": 91, "lon": 100}, "纬度"),
        ("place", {"place": "村部", "lat": 30}, "一起填写"),
    ],
)
def test_wrong_types_are_messages_and_the_typed_value_is_kept(key, value, part):
    out = evaluate(FORM, filled(**{key: value}), ctx())
    assert any(part in t for t in texts(out, key)), out.messages
    assert not out.ok
    if value == value:  # NaN aside, the value stays as typed so nothing the user entered is lost
        assert out.values[key] == value


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("expected_count", " 12 ", 12),
        ("expected_count", "１２", 12),
        ("expected_count", 12.0, 12),
        ("amount", "3", 3),
        ("amount", "0.25", 0.25),
        ("day", "2026/3/1", "2026-03-01"),
        ("day", "2026年3月1日", "2026-03-01"),
        ("held_at", "2026-11-05 09:30:15", "2026-11-05T09:30"),
        ("start", "9:05", "09:05"),
        ("attendees", "张三，李四、张三", ["张三", "李四"]),
        ("place", "村部", {"place": "村部", "lat": None, "lon": None}),
        ("mobile", "138 0013 8000", "13800138000"),
        ("idno", VALID_ID.lower(), VALID_ID),
        ("notes", "   ", None),
        ("tags", [], []),
    ],
)
def test_coercion_of_what_people_type(key, value, expected):
    out = evaluate(FORM, filled(**{key: value}), ctx())
    assert out.values[key] == expected and out.for_field(key) == []


def test_ranges_lengths_and_counts():
    out = evaluate(
        FORM,
        filled(
            expected_count=-1,
            amount=0,
            title="一二三四五六七八九十百",
            day="2019-12-31",
            tags=["学习", "讨论", "志愿服务"],
            photos=[{"sha256": SHA, "name": f"{i}.jpg"} for i in range(4)],
        ),
        ctx(),
    )
    assert texts(out, "expected_count") == ["“应到人数”不能小于 0"]
    assert texts(out, "amount") == ["“金额”不能小于 0.01"]
    assert texts(out, "title") == ["“名称”最多10个字，现在是11个"]
    assert texts(out, "day") == ["“日期”不能小于 2020-01-01"]
    assert texts(out, "tags") == ["“标签”最多2项，现在有3项"]
    assert texts(out, "photos") == ["“照片”最多3项，现在有4项"]
    out = evaluate(FORM, filled(amount=1000.5), ctx())
    assert texts(out, "amount") == ["“金额”不能大于 1000"]


def test_choices():
    out = evaluate(FORM, filled(meeting_type="茶话会", tags=["学习", "打牌"]), ctx())
    assert "不是“会议类型”的可选项" in texts(out, "meeting_type")[0]
    assert texts(out, "tags")[0].startswith("打牌 不是“标签”的可选项")


def test_members_must_be_on_the_roster_when_one_is_given():
    values = filled(
        host="陌生人", attendees=["张三", "路人甲"], absences=[{"name": "路人乙", "reason": "请假"}]
    )
    out = evaluate(FORM, values, ctx())
    assert "陌生人 不在本支部名册上" in texts(out, "host")[0]
    assert "路人甲" in texts(out, "attendees")[0]
    assert "路人乙" in texts(out, "absences")[0]
    assert evaluate(FORM, values, ctx(roster=[])).for_field("host") == []


def test_constraint_with_its_message_only_when_filled():
    assert texts(evaluate(FORM, filled(even=3), ctx()), "even") == ["请填写偶数"]
    assert texts(evaluate(FORM, filled(even=4), ctx()), "even") == []
    assert texts(evaluate(FORM, filled(even=None), ctx()), "even") == []


def test_idcard_and_phone():
    out = evaluate(FORM, filled(idno=VALID_ID[:17] + "1", mobile="12345678901"), ctx())
    assert "校验位" in texts(out, "idno")[0]
    assert "手机号" in texts(out, "mobile")[0]
    assert evaluate(FORM, filled(idno=VALID_ID, mobile="13800138000"), ctx()).ok


def test_form_checks_at_their_level_and_address():
    out = evaluate(
        FORM,
        filled(
            meeting_type="支部党员大会", attendees=["张三"], absences=[{"name": "李四", "reason": "请假"}]
        ),
        ctx(),
    )
    assert Message("", "warning", "实到人数未过半，不能作出决定") in out.messages
    assert Message("", "error", "实到加缺席不等于应到") in out.messages
    out = evaluate(FORM, filled(tags=["志愿服务"]), ctx())
    assert out.errors == [Message("", "error", "志愿服务请上传照片")]
    ok = evaluate(
        FORM,
        filled(
            meeting_type="支部党员大会",
            attendees=["张三", "李四", "赵五"],
            absences=[{"name": "王书记", "reason": "病假"}],
        ),
        ctx(),
    )
    assert ok.ok and ok.warnings == []


def test_check_addressed_to_its_single_field():
    form = parse_form("""\
id: a
version: 1
title: t
fields:
  - {key: n, label: N, type: integer}
checks:
  - {rule: n != 13, message: 不吉利, level: warning}
""")
    out = evaluate(form, {"n": 13}, ctx())
    assert out.warnings == [Message("n", "warning", "不吉利")] and out.ok


def test_calculations_in_any_order_and_cycles_terminate():
    form = parse_form("""\
id: a
version: 1
title: t
fields:
  - {key: c, label: C, type: integer, calculate: b * 2}
  - {key: b, label: B, type: integer, calculate: a + 1}
  - {key: a, label: A, type: integer}
  - {key: x, label: X, type: integer, calculate: "(y or 0) + 1"}
  - {key: y, label: Y, type: integer, calculate: "(x or 0) + 1"}
""")
    out = evaluate(form, {"a": 1, "c": 99}, ctx())
    assert out.values["b"] == 2 and out.values["c"] == 4
    assert isinstance(out.values["x"], int)


def test_calculated_value_cannot_be_typed_over():
    out = evaluate(FORM, filled(attend_count=99), ctx())
    assert out.values["attend_count"] == 4


def test_expression_that_fails_is_a_message_not_an_exception():
    form = parse_form("""\
id: a
version: 1
title: t
fields:
  - {key: a, label: A, type: integer}
  - {key: b, label: B, type: integer}
  - {key: q, label: Q, type: decimal, calculate: a / b}
  - {key: t, label: T, type: text, constraint: "t | int > 0"}
""")
    out = evaluate(form, {"a": 1, "b": 0, "t": "x"}, ctx())
    assert any("表达式无法计算" in m.text for m in out.for_field("q")), out.messages
    assert out.values["q"] is None
    assert out.for_field("t") and not out.ok
    out = evaluate(form, {"a": 1, "b": None}, ctx())  # an empty input: not yet computable, no noise
    assert out.for_field("q") == []


def test_repeat_rows_validated_with_paths():
    values = filled(
        problems=[
            {"description": "屋顶漏雨", "follow": "是", "who": "张三", "cost": "12.5"},
            {"description": "", "follow": "是"},
            {"description": "路灯坏了", "who": "李四", "cost": -1},
            "not a row",
        ]
    )
    out = evaluate(FORM, values, ctx())
    assert out.values["problems"][0]["cost"] == 12.5 and out.values["problems"][0]["double"] == 25
    assert texts(out, "problems[1].description") == ["请填写“描述”"]
    assert texts(out, "problems[1].who") == ["请填写“跟进人”"]
    assert out.values["problems"][2]["who"] is None  # follow empty: who is not relevant
    assert texts(out, "problems[2].follow") == ["请填写“跟进”"]
    assert texts(out, "problems[2].cost") == ["“费用”不能小于 0"]
    assert texts(out, "problems[3]")
    assert out.values["problem_count"] == 4


def test_repeat_row_count_and_shape():
    out = evaluate(FORM, filled(problems=[{"description": "x", "follow": "否"}] * 6), ctx())
    assert texts(out, "problems") == ["“问题”最多5项，现在有6项"]
    out = evaluate(FORM, filled(problems="一行字"), ctx())
    assert texts(out, "problems") == ["“问题”应为若干行"] and out.values["problems"] == "一行字"


def test_unknown_keys_warn_and_are_dropped():
    out = evaluate(FORM, filled(colour="red"), ctx())
    assert "colour" not in out.values and out.for_field("colour")[0].level == "warning" and out.ok


def test_values_that_are_not_a_dict():
    out = evaluate(FORM, ["nonsense"], ctx())
    assert not out.ok and out.for_field("")


def test_same_person_present_and_absent_warns():
    out = evaluate(FORM, filled(absences=[{"name": "张三", "reason": ""}]), ctx())
    assert any("张三" in m.text and m.level == "warning" for m in out.for_field("absences"))


def test_photo_taken_far_from_record_date_warns():
    photo = {"sha256": SHA, "name": "会场.jpg", "taken_at": "2026-10-01T10:00"}
    out = evaluate(FORM, filled(photos=[photo]), ctx())
    assert any("会场.jpg" in m.text for m in out.for_field("photos") if m.level == "warning")
    photo["taken_at"] = "2026-11-05T09:40"
    assert evaluate(FORM, filled(photos=[photo]), ctx()).for_field("photos") == []


def test_evaluate_does_not_change_its_input():
    values = filled(attendees=["张三"], problems=[{"description": "x"}])
    before = repr(values)
    evaluate(FORM, values, ctx())
    assert repr(values) == before


# ------------------------------------------------------------------ parse_value, dates, summary


@pytest.mark.parametrize(
    "key, text, expected",
    [
        ("expected_count", "12", 12),
        ("amount", "0.2", 0.2),
        ("held_at", "2026-11-05 09:30", "2026-11-05T09:30"),
        ("day", "2026-11-05", "2026-11-05"),
        ("meeting_type", "党课", "党课"),
        ("tags", "学习,讨论", ["学习", "讨论"]),
        ("tags", '["学习"]', ["学习"]),
        ("attendees", "张三, 李四，王书记", ["张三", "李四", "王书记"]),
        ("attendees", '["张三"]', ["张三"]),
        (
            "absences",
            "张三:请假，李四：病假",
            [{"name": "张三", "reason": "请假"}, {"name": "李四", "reason": "病假"}],
        ),
        ("absences", '[{"name": "张三", "reason": "请假"}]', [{"name": "张三", "reason": "请假"}]),
        ("place", "三组", {"place": "三组", "lat": None, "lon": None}),
        (
            "place",
            '{"place": "三组", "lat": 30.5, "lon": 110.2}',
            {"place": "三组", "lat": 30.5, "lon": 110.2},
        ),
        ("problems", '[{"description": "漏雨"}]', [{"description": "漏雨"}]),
        ("notes", "  第一行  ", "  第一行  "),
        ("attendees", "", []),
        ("expected_count", " ", None),
    ],
)
def test_parse_value(key, text, expected):
    assert parse_value(FORM.field(key), text) == expected


@pytest.mark.parametrize(
    "key, text",
    [
        ("expected_count", "十二"),
        ("amount", "1,2,3x"),
        ("meeting_type", "茶话会"),
        ("tags", "学习,打牌"),
        ("day", "明天"),
        ("attendees", "[1, 2]"),
        ("problems", "漏雨"),
        ("photos", "[{"),
        ("basics", "x"),
    ],
)
def test_parse_value_refuses_with_chinese_message(key, text):
    field = FORM.field(key)
    with pytest.raises(ValueError) as info:
        parse_value(field, text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_record_date_and_summary():
    values = filled(held_at="2026-11-04T19:00")
    assert record_date(FORM, values) == "2026-11-04"
    assert record_date(FORM, {"day": "2026-01-02"}) == "2026-01-02"
    assert record_date(FORM, {"held_at": "垃圾"}) is None
    assert record_date(FORM, "not a dict") is None
    assert summary(FORM, evaluate(FORM, values, ctx()).values) == "支部委员会 · 2026-11-04 · 4人"
    assert summary(FORM, {}) == "全部类型"
    assert summary(FORM, {"day": "2026-01-02", "meeting_type": " "}) == "全部类型 · 2026-01-02"


def test_hidden_group_clears_and_excuses_its_children():
    form = parse_form("""\
id: a
version: 1
title: t
fields:
  - {key: kind, label: 类型, type: select_one, choices: [会议, 走访]}
  - key: meeting
    label: 会议
    type: group
    relevant: kind == '会议'
    fields:
      - {key: topic, label: 议题, type: text, required: true}
      - key: inner
        label: 内层
        type: group
        fields:
          - {key: n, label: N, type: integer, required: true}
""")
    hidden = evaluate(form, {"kind": "走访", "topic": "x", "n": "oops"}, ctx())
    assert hidden.ok and hidden.values == {"kind": "走访", "topic": None, "n": None}
    shown = evaluate(form, {"kind": "会议"}, ctx())
    assert {m.field for m in shown.errors} == {"topic", "n"}


def test_two_meetings_alike_but_for_their_name_read_apart_in_lists():
    """Same type, same day, as many present: their 会议名称 tells them apart."""
    form = parse_form("""\
id: m
version: 1
title: 会议
fields:
  - {key: meeting_type, label: 类型, type: select_one, choices: [支部委员会, 党员大会], required: true}
  - {key: title, label: 会议名称, type: text, required: true}
  - {key: day, label: 日期, type: date, required: true}
""")
    first = summary(form, {"meeting_type": "支部委员会", "title": "十一月支委会", "day": "2026-11-05"})
    second = summary(form, {"meeting_type": "支部委员会", "title": "研究发展党员", "day": "2026-11-05"})
    assert first == "十一月支委会 · 支部委员会 · 2026-11-05"
    assert first != second
    # A name that already says the type does not say it twice.
    assert summary(form, {"meeting_type": "党员大会", "title": "第四季度党员大会", "day": "2026-11-05"}) == (
        "第四季度党员大会 · 2026-11-05"
    )
