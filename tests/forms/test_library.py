"""The built-in form library (forms/library/*.yaml) loads cleanly and follows domain.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import forms
from forms.model import CADENCE_PERIODS, CONTEXT_NAMES

LIBRARY = Path(forms.__file__).parent / "library"
EXPECTED_IDS = {
    "sanhui-yike",
    "zhuti-dangri",
    "zuzhi-shenghuohui",
    "minzhu-pingyi",
    "ruhu-zoufang",
    "dangfei",
}
# domain.md: the meeting cadences every branch is held to (label -> period).
EXPECTED_CADENCE = {
    "sanhui-yike": {"支部委员会": "month", "党小组会": "month", "支部党员大会": "quarter", "党课": "quarter"},
    "zhuti-dangri": {"主题党日": "month"},
    "zuzhi-shenghuohui": {"组织生活会": "year"},
    "minzhu-pingyi": {"民主评议党员": "year"},
}
# The first date/datetime field is the day a record happened (engine.record_date), so it must be
# the actual meeting/visit/payment day, not a planned date.
OCCURRED_FIELD = {
    "sanhui-yike": "held_at",
    "zhuti-dangri": "held_at",
    "zuzhi-shenghuohui": "held_at",
    "minzhu-pingyi": "held_at",
    "ruhu-zoufang": "visited_at",
    "dangfei": "paid_on",
}

FILES = sorted(LIBRARY.glob("*.yaml"))


def _loader():
    return pytest.importorskip(
        "forms.loader",
        reason="forms/loader/ (ENGINE) is not written yet; library YAML checked structurally only",
    )


def test_library_holds_exactly_the_built_in_forms():
    assert {p.stem for p in FILES} == EXPECTED_IDS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_loads_with_zero_problems(path):
    loader = _loader()
    text = path.read_text(encoding="utf-8")
    problems = loader.check_text(text, str(path))
    assert problems == [], "\n".join(str(p) for p in problems)
    form = loader.load_form(path)
    assert form.id == path.stem
    assert form.version >= 1
    assert form.title and form.description
    assert form.source == text or form.source.strip() == text.strip()


@pytest.mark.parametrize("form_id, expected", sorted(EXPECTED_CADENCE.items()))
def test_meeting_cadences_from_domain_md(form_id, expected):
    form = _loader().load_form(LIBRARY / f"{form_id}.yaml")
    assert {c.label: c.every for c in form.cadence} == expected
    assert all(c.every in CADENCE_PERIODS for c in form.cadence)


def test_household_visits_and_dues_have_no_built_in_cadence():
    loader = _loader()
    assert loader.load_form(LIBRARY / "ruhu-zoufang.yaml").cadence == ()
    assert loader.load_form(LIBRARY / "dangfei.yaml").cadence == ()


@pytest.mark.parametrize("form_id, key", sorted(OCCURRED_FIELD.items()))
def test_first_date_field_is_the_day_it_happened(form_id, key):
    form = _loader().load_form(LIBRARY / f"{form_id}.yaml")
    dated = [f for f in form.walk() if f.type in ("date", "datetime")]
    assert dated[0].key == key
    assert dated[0].required and dated[0].default in ("now", "today")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_field_has_a_chinese_label(path):
    form = _loader().load_form(path)

    def every(fields):
        for f in fields:
            yield f
            yield from every(f.fields)

    for f in every(form.fields):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.label), f.key


def test_sanhui_yike_fields_follow_domain_md():
    form = _loader().load_form(LIBRARY / "sanhui-yike.yaml")
    f = form.field
    assert f("meeting_type").choices == ("支部党员大会", "支部委员会", "党小组会", "党课")
    assert f("held_at").type == "datetime" and f("held_at").default == "now"
    assert f("planned_date").type == "date"
    assert f("host").type == "member" and f("host").default == "secretary"
    assert f("recorder").type == "member"
    for key in ("lecturer", "course_title"):
        assert f(key).relevant == "meeting_type == '党课'" and f(key).required
    assert f("expected_count").type == "integer" and f("expected_count").default == "roster_count"
    assert f("attendees").type == "members" and f("attendees").default == "all_members"
    assert f("attend_count").calculate == "attendees | length"
    assert f("absences").type == "absences"
    assert "支部党员大会" in f("decisions").relevant and "支部委员会" in f("decisions").relevant
    assert f("photos").type == "photos" and f("files").type == "files"
    assert {c.message for c in form.checks} >= {"实到人数未过半，不能作出决定"}
    assert all(c.level == "warning" for c in form.checks)


def test_other_forms_key_fields():
    loader = _loader()
    dangri = loader.load_form(LIBRARY / "zhuti-dangri.yaml")
    assert set(dangri.field("activity_types").choices) >= {"学习", "组织生活", "民主议事", "志愿服务"}
    pingyi = loader.load_form(LIBRARY / "minzhu-pingyi.yaml")
    results = pingyi.field("results")
    assert results.type == "repeat"
    assert {c.key: c.type for c in results.fields}["member"] == "member"
    assert [c for c in results.fields if c.key == "grade"][0].choices == (
        "优秀",
        "合格",
        "基本合格",
        "不合格",
    )
    visit = loader.load_form(LIBRARY / "ruhu-zoufang.yaml")
    types = {
        k: visit.field(k).type
        for k in (
            "household_idcard",
            "household_phone",
            "visitors",
            "visited_at",
            "duration_minutes",
            "location",
            "problems",
            "photos",
        )
    }
    assert types == {
        "household_idcard": "idcard",
        "household_phone": "phone",
        "visitors": "members",
        "visited_at": "datetime",
        "duration_minutes": "integer",
        "location": "location",
        "problems": "repeat",
        "photos": "photos",
    }
    assert (visit.field("duration_minutes").min, visit.field("duration_minutes").max) == (1, 600)
    assert not visit.field("household_idcard").required
    dues = loader.load_form(LIBRARY / "dangfei.yaml")
    assert dues.field("amount").type == "decimal" and dues.field("amount").min == 0.01
    assert dues.field("method").choices == ("线上", "现金")
    assert dues.field("proxy").relevant == "by_proxy == '是'"


# --- structural checks that need no loader ----------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_yaml_shape_without_loader(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == path.stem
    assert set(data) <= {"id", "version", "title", "description", "fields", "checks", "cadence", "attendance"}
    for rule in data.get("cadence", []):
        assert rule["every"] in CADENCE_PERIODS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_expressions_name_only_field_keys_and_context(path):
    from jinja2 import meta
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []

    def keys(fields):
        out = set()
        for f in fields:
            out.add(f["key"])
            if f["type"] == "group":
                out |= keys(f["fields"])
        return out

    def walk(fields, scope):
        for f in fields:
            for option in ("relevant", "constraint", "calculate"):
                if f.get(option):
                    found.append((f["key"], f[option], scope))
            if f["type"] == "group":
                walk(f["fields"], scope)
            if f["type"] == "repeat":
                walk(f["fields"], scope | keys(f["fields"]))

    top = keys(data["fields"])
    walk(data["fields"], top)
    for rule in data.get("checks", []) + data.get("cadence", []):
        found += [("check/cadence", rule[o], top) for o in ("when", "rule") if rule.get(o)]
    for where, source, scope in found:
        names = meta.find_undeclared_variables(env.parse("{{ (" + source + ") }}"))
        assert names <= scope | CONTEXT_NAMES, (where, source)


# --- the forms behave as cadres expect (needs the ENGINE's forms/engine/) -------------------


def _engine():
    _loader()
    return pytest.importorskip("forms.engine", reason="forms/engine/ (ENGINE) not written yet")


def _messages(outcome):
    return {m.text for m in outcome.messages}


def test_party_congress_without_quorum_warns():
    engine = _engine()
    form = _loader().load_form(LIBRARY / "sanhui-yike.yaml")
    names = ["张书记", "李委员", "王五", "赵六"]
    roster = [("张书记", "书记"), ("李委员", "委员"), ("王五", "党员"), ("赵六", "党员")]
    context = engine.Context.for_names(roster, today=dt.date(2026, 11, 5))
    values = engine.defaults(form, context)
    assert values["expected_count"] == 4 and values["attendees"] == names
    assert values["host"] == "张书记"  # default: secretary
    values.update(
        meeting_type="支部党员大会",
        title="第四季度党员大会",
        topics="议题一",
        content="会议记录",
        attendees=["张书记", "李委员"],
        absences=[{"name": "王五", "reason": "外出务工"}, {"name": "赵六", "reason": "病假"}],
    )
    outcome = engine.evaluate(form, values, context)
    assert outcome.ok, outcome.errors
    assert outcome.values["attend_count"] == 2
    assert "实到人数未过半，不能作出决定" in _messages(outcome)
    assert "实到人数加缺席人数不等于应到人数，请核对出席名单" not in _messages(outcome)
    values["attendees"] = ["张书记", "李委员", "王五"]
    values["absences"] = [{"name": "赵六", "reason": "病假"}]
    outcome = engine.evaluate(form, values, context)
    assert outcome.ok and outcome.warnings == []


def test_party_lecture_needs_lecturer_and_course_title():
    engine = _engine()
    form = _loader().load_form(LIBRARY / "sanhui-yike.yaml")
    context = engine.Context.for_names([("张书记", "书记"), ("李委员", "委员")], today=dt.date(2026, 11, 5))
    values = engine.defaults(form, context)
    values.update(meeting_type="党课", title="党课", content="讲课内容")
    fields = {m.field for m in engine.evaluate(form, values, context).errors}
    assert {"lecturer", "course_title"} <= fields
    assert "topics" not in fields  # 议题 is for meetings, not for a 党课


def test_dues_month_must_be_year_dash_month():
    engine = _engine()
    form = _loader().load_form(LIBRARY / "dangfei.yaml")
    context = engine.Context.for_names(["张三", "李四"], today=dt.date(2026, 3, 9))
    values = engine.defaults(form, context)
    values.update(member="张三", amount=0.5, method="现金", paid_month="2026-13")
    assert "paid_month" in {m.field for m in engine.evaluate(form, values, context).errors}
    values["paid_month"] = "2026-03"
    assert engine.evaluate(form, values, context).ok
    values.update(by_proxy="是")
    assert "proxy" in {m.field for m in engine.evaluate(form, values, context).errors}
    values.update(proxy="李四")
    assert engine.evaluate(form, values, context).ok


def test_committee_meeting_needs_half_the_committee():
    engine = _engine()
    form = _loader().load_form(LIBRARY / "sanhui-yike.yaml")
    roster = [("张书记", "书记"), ("李委员", "委员"), ("王五", "党员"), ("赵六", "党员")]
    context = engine.Context.for_names(roster, today=dt.date(2026, 11, 5))
    values = engine.defaults(form, context)
    values.update(
        meeting_type="支部委员会",
        title="11月支委会",
        topics="议题",
        content="记录",
        expected_count=3,
        attendees=["张书记"],
        absences=[{"name": "李委员", "reason": "请假"}, {"name": "王五", "reason": "请假"}],
    )
    outcome = engine.evaluate(form, values, context)
    assert outcome.ok
    assert "到会支委不足半数，会议不能召开，请核对" in _messages(outcome)
    values.update(attendees=["张书记", "李委员"], absences=[{"name": "王五", "reason": "请假"}])
    assert engine.evaluate(form, values, context).warnings == []
