"""Kind `copy` on a real store: the field list checked line by line (a wrong expression named with
its label), records waiting for a person from the moment they are final (the engine sends
nothing), values in the platform's order (long, multi-line, Chinese), photos exported as copies
with the originals unchanged, and the audit of who entered it or what went wrong."""

from __future__ import annotations

import hashlib

import pytest

from forms import target_kinds
from forms.store import NotAllowed
from sync.copy import entry
from sync.copy_fields import FieldsProblem, parse_fields
from sync.copy_photos import export_photos
from sync.engine import Deliverer
from tests.sync.engine_setup import OPERATOR, village  # noqa: F401 - fixture

FIELDS = """\
# 党建云 · 三会一课录入页，从上到下
会议类型 = meeting_type
会议类型代码 = {'支部党员大会': '01', '支部委员会': '02'}[meeting_type]
会议名称 = title
主持人 = host
会议内容 = content
所属支部 = branch
"""
NAME = "阿卜杜热合曼·艾买提江"


def copy_target(village, fields: str = FIELDS, **options):
    return village.store.add_target("党建云", "copy", options={"fields": fields, **options})


def test_field_lists_are_checked_line_by_line_naming_the_label():
    fields = parse_fields("甲 = a; 乙 = b\n\n# 说明\n丙 = c | length")
    assert [(f.line, f.label, f.expression) for f in fields] == [
        (1, "甲", "a"),
        (1, "乙", "b"),
        (4, "丙", "c | length"),
    ]
    with pytest.raises(FieldsProblem) as bad:
        parse_fields("会议类型 = meeting_type\n召开日期 = held_at[:10] +\n没有等号\n")
    assert [line for line, _ in bad.value.problems] == [2, 3]
    assert "字段“召开日期”的表达式有误" in bad.value.problems[0][1]
    assert "应写成 标签 = 表达式" in bad.value.problems[1][1]
    assert "第 2 行" in str(bad.value)
    problems = target_kinds.option_problems("copy", {"fields": "日期 = held_at[:10] +"})
    assert problems and "第 1 行" in problems[0] and "日期" in problems[0]
    config = target_kinds.TargetConfig(1, "x", "copy")
    assert "请填写平台的字段" in target_kinds.settings_problems(config)[0]


def test_a_copy_delivery_waits_for_a_person_and_the_engine_sends_nothing(village):
    target = copy_target(village)
    record = village.final(1, host=NAME, content="第一段\n第二段：" + "很长的内容" * 200)
    (d,) = village.store.deliveries()
    assert d.state == "awaiting_entry" and d.attempts == 0
    assert village.store.pending_count() == 0
    summary = Deliverer(village.store).run()
    assert village.states() == ["awaiting_entry"] and village.store.delivery(d.id).attempts == 0
    assert summary is not None

    found = entry(village.store, d)
    assert [v.label for v in found.values] == [
        "会议类型",
        "会议类型代码",
        "会议名称",
        "主持人",
        "会议内容",
        "所属支部",
    ]
    texts = [v.text for v in found.values]
    assert texts[:4] == ["支部委员会", "02", "第1次支部委员会", NAME]
    assert texts[4].startswith("第一段\n第二段：") and len(texts[4]) > 1000
    assert texts[5] == "红星村党支部" and not any(v.problem for v in found.values)

    # A correction replaces what was not typed in yet; the new revision waits instead.
    village.correct(record.uuid, host="李四")
    assert village.states(target.id) == ["superseded", "awaiting_entry"]


def test_an_expression_that_fails_on_a_record_names_its_label(village):
    copy_target(
        village, "会议类型 = meeting_type\n人数 = (title | length) // (host | length - host | length)"
    )
    village.final(1)
    (d,) = village.store.deliveries()
    values = entry(village.store, d).values
    assert values[0].text == "支部委员会" and not values[0].problem
    assert values[1].text == "" and "字段“人数”的表达式" in values[1].problem


def test_entered_and_problems_are_kept_with_who_and_when(village):
    copy_target(village)
    first = village.final(1)
    second = village.final(2)
    one, two = sorted(village.store.entries_waiting(), key=lambda d: d.id)
    assert (one.record_uuid, two.record_uuid) == (first.uuid, second.uuid)
    store = village.store

    done = store.mark_entered(one.id, OPERATOR, shown='[["会议类型", "支部委员会"]]')
    assert done.state == "delivered" and done.delivered_at and "支部委员会" in done.payload
    (line,) = [e for e in store.audit(first.uuid) if e.action == "entered"]
    assert (
        line.operator == OPERATOR and line.at and line.detail == {"target": "党建云", "was": "awaiting_entry"}
    )

    with pytest.raises(NotAllowed, match="写明"):
        store.report_entry_problem(two.id, OPERATOR, "  ")
    failed = store.report_entry_problem(two.id, OPERATOR, "平台提示：会议时间不能早于支部成立时间")
    assert failed.state == "failed" and failed.message == "平台提示：会议时间不能早于支部成立时间"
    (line,) = [e for e in store.audit(second.uuid) if e.action == "entry_problem"]
    assert line.operator == OPERATOR and line.detail["reason"] == "平台提示：会议时间不能早于支部成立时间"
    assert [d.id for d in store.entries_waiting()] == []

    # Sent again: it waits for a person again (never to the engine); then entered after all.
    assert store.resend(two.id, OPERATOR).state == "awaiting_entry"
    assert store.mark_entered(two.id, OPERATOR).state == "delivered"
    with pytest.raises(NotAllowed):
        store.mark_entered(two.id, OPERATOR)  # already delivered


def test_only_copy_deliveries_are_entered_by_hand(village):
    village.store.add_target("镇党委钉钉群", "dingtalk")
    village.final(1)
    (d,) = village.store.deliveries()
    with pytest.raises(NotAllowed, match="不是手工录入"):
        village.store.mark_entered(d.id, OPERATOR)
    with pytest.raises(NotAllowed, match="不是手工录入"):
        village.store.report_entry_problem(d.id, OPERATOR, "录不进去")


def test_photos_are_exported_as_named_copies_and_the_originals_stay(village, tmp_path):
    store = village.store
    copy_target(village)
    draft, _ = village.records.new("sanhui-yike", village.branch_id, {"meeting_type": "支部委员会"}, OPERATOR)
    photos = [
        store.add_attachment(draft.uuid, f"照片{n}".encode() * 100, name=f"IMG_{n}.JPG") for n in (1, 2)
    ]
    sheet = store.add_attachment(draft.uuid, b"%PDF-1.4 sign-in", name="签到表.pdf")
    values = {
        **draft.data,
        "title": "第1次支部委员会",
        "host": "王建国",
        "topics": "学习党章",
        "content": "传达上级精神。",
        "photos": [{"sha256": p.sha256, "name": p.name} for p in photos],
        "files": [{"sha256": sheet.sha256, "name": sheet.name}],
    }
    village.records.save_draft(draft.uuid, values, OPERATOR)
    record, _ = village.records.finalize(draft.uuid, OPERATOR)
    originals = {p.sha256: store.attachment_bytes(p.sha256) for p in photos}
    (d,) = store.deliveries()
    found = entry(store, d)

    out = tmp_path / "待上传"
    paths = export_photos(found.item, out, record.occurred_on)
    assert [p.name for p in paths] == ["会议照片-1.jpg", "会议照片-2.jpg", "其他材料-1.pdf"]
    assert paths[0].parent.name.startswith("红星村党支部-三会一课")
    assert [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths[:2]] == [p.sha256 for p in photos]
    assert export_photos(found.item, out, record.occurred_on) == paths  # again: nothing new
    assert sorted(x.name for x in paths[0].parent.iterdir()) == sorted(p.name for p in paths)
    paths[0].write_bytes(b"changed by someone")
    again = export_photos(found.item, out, record.occurred_on)
    assert again[0].name == "会议照片-1（2）.jpg"
    for sha, data in originals.items():
        assert store.attachment_bytes(sha) == data
