"""A person's word kept carefully: marking a delivery that never left as delivered needs a
reason (kept in the audit); a roster imported again unchanged writes nothing; a second 书记 is
warned about; names with control characters are refused."""

from __future__ import annotations

import pytest

from forms.store import DeliveryOutcome, NeverSent, NotAllowed, never_sent
from forms.store.states import FAILED
from tests.sync.engine_setup import OPERATOR, village  # noqa: F401 - fixture


def test_a_delivery_never_sent_needs_a_reason_to_be_marked_delivered(village):
    store = village.store
    store.add_target("镇党委钉钉群", "dingtalk")
    record = village.final(1)
    (d,) = store.deliveries()
    assert d.state == "pending" and d.attempts == 0 and never_sent(d)
    for reason in ("", "   ", "\n"):
        with pytest.raises(NeverSent) as refused:
            store.mark_delivered(d.id, OPERATOR, reason=reason)
        assert "从未发送过" in str(refused.value) and "写明原因" in str(refused.value)
    assert store.delivery(d.id).state == "pending"
    assert [e for e in store.audit(record.uuid) if e.action == "marked_delivered"] == []
    with pytest.raises(NotAllowed):
        store.mark_delivered(d.id, OPERATOR, reason="网页\x00录入")  # control characters refused
    with pytest.raises(NotAllowed, match="原因太长（501 个字）"):
        store.mark_delivered(d.id, OPERATOR, reason="录" * 501)
    done = store.mark_delivered(d.id, OPERATOR, reason="已在平台网页上手工录入\n（停电那天）")
    assert done.state == "delivered"
    (entry,) = [e for e in store.audit(record.uuid) if e.action == "marked_delivered"]
    assert entry.operator == OPERATOR
    assert entry.detail == {
        "target": "镇党委钉钉群",
        "was": "pending",
        "never_sent": True,
        "reason": "已在平台网页上手工录入 （停电那天）",
    }


def test_one_that_was_sent_needs_no_reason_but_keeps_one_given(village):
    store = village.store
    store.add_target("平台", "wecom")
    record = village.final(1)
    (d,) = store.deliveries()
    store.mark_sending([d.id])
    store.record_attempts([DeliveryOutcome(d.id, FAILED, "格式错误", None, "")])
    failed = store.delivery(d.id)
    assert failed.state == "failed" and failed.attempts == 1 and not never_sent(failed)
    store.mark_delivered(d.id, OPERATOR, reason="平台客服已补录")
    (entry,) = [e for e in store.audit(record.uuid) if e.action == "marked_delivered"]
    assert entry.detail == {"target": "平台", "was": "failed", "reason": "平台客服已补录"}


ROSTER = [
    {"name": "张三", "role": "书记", "phone": "13800138000"},
    {"name": "李四", "role": "委员", "phone": None},
    {"name": "王五", "role": "党员", "phone": None},
]


def test_a_roster_imported_again_unchanged_changes_nothing(village):
    store = village.store
    branch = store.add_branch("青松村党支部")
    first = store.plan_roster(branch.id, ROSTER)
    assert first.added == ["张三", "李四", "王五"] and not first.changes_nothing
    store.import_members(branch.id, ROSTER)
    before = store.db.conn.total_changes
    again = store.plan_roster(branch.id, ROSTER)
    assert again.changes_nothing and again.unchanged == ["张三", "李四", "王五"]
    assert again.added == again.changed == [] and again.warnings == []
    store.import_members(branch.id, ROSTER)  # even when asked: nothing is written
    assert store.db.conn.total_changes == before
    changed = store.plan_roster(branch.id, [{"name": "李四", "role": "副书记", "phone": "13900139000"}])
    assert changed.changed == ["李四（职务 委员→副书记，电话 空→13900139000）"]
    assert not changed.changes_nothing and store.members(branch.id)[1].role == "委员"  # only a plan


def test_a_second_secretary_is_warned_about_naming_both(village):
    store = village.store
    branch = store.add_branch("青松村党支部")
    store.import_members(branch.id, ROSTER)
    assert store.roster_warnings(branch.id) == []
    plan = store.plan_roster(branch.id, [{"name": "赵六", "role": "书记", "phone": None}])
    assert plan.secretaries == ["张三", "赵六"]
    assert plan.warnings == [
        "名册上有 2 位书记：张三、赵六。一个支部只有一位书记，"
        "请把已不再担任书记的人改为其他职务（如委员或党员）。"
    ]
    store.add_member(branch.id, "赵六", role="书记")  # allowed: a handover of office takes a while
    assert store.roster_warnings(branch.id) == plan.warnings
    zhang = store.members(branch.id)[0]
    store.update_member(zhang.id, role="党员")
    assert store.roster_warnings(branch.id) == []
    li = store.members(branch.id)[1]
    store.update_member(li.id, role="书记")
    assert "李四、赵六" in store.roster_warnings(branch.id)[0]


@pytest.mark.parametrize("bad", ["张\x00三", "张\u202e三", "\x1b[31m张三"])
def test_names_with_control_characters_are_refused(village, bad):
    store = village.store
    with pytest.raises(NotAllowed, match="控制字符"):
        store.add_branch(bad)
    branch = store.add_branch("青松村党支部")
    with pytest.raises(NotAllowed, match="“姓名”里有看不见的控制字符"):
        store.add_member(branch.id, bad)
    with pytest.raises(NotAllowed, match="控制字符"):
        store.import_members(branch.id, [{"name": bad}])
    assert store.members(branch.id) == []
    store.add_member(branch.id, "张\n三")  # a pasted line break is a space
    assert store.members(branch.id)[0].name == "张 三"
