"""The conflict with the township hub in the window: both versions side by side, each choice a
new revision, the banner and the status line saying so until nobody needs to choose."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.hub_conflict_dialog import MINE, THEIRS, HubConflictDialog, shown_value
from desktop.sync_notice import SyncNotice, SyncStatusWidget
from desktop.sync_state import read_state


def hub_target(session):
    return session.store.add_target("乡镇平台", "hub", url="https://10.1.2.3:8470", branches=["五星村党支部"])


def conflict(session, uuid: str, *, status: str = "final", **changes) -> dict:
    """Keep, as a refused push would, the hub's version of `uuid`: its values with `changes`."""
    record = session.store.record(uuid)
    theirs = {
        "revision": 2,
        "base_revision": 1,
        "status": status,
        "data": {**record.data, **changes},
        "summary": record.summary,
        "occurred_on": record.occurred_on,
        "operator": "李四",
        "finalized_at": "2026-11-20T09:30:00+08:00",
        "void_reason": "重复录入" if status == "void" else None,
    }
    target = session.store.hub_target()
    session.store.keep_hub_conflict(uuid, record.revision, target.id, theirs)
    return theirs


def rows(dialog) -> dict[str, tuple[str, str]]:
    table = dialog.table
    return {
        table.item(r, 0).text(): (table.item(r, MINE).text(), table.item(r, THEIRS).text())
        for r in range(table.rowCount())
    }


def test_both_versions_side_by_side_and_taking_the_hubs(qtbot, session, final_record):
    hub_target(session)
    uuid = final_record()
    conflict(session, uuid, title="十一月支部委员会（更正）", place="党群服务中心")
    dialog = HubConflictDialog(session)
    qtbot.addWidget(dialog)
    shown = rows(dialog)
    # Only what differs, by the form's labels, in the form's order.
    assert list(shown) == ["会议名称", "会议地点"], shown
    assert shown["会议地点"] == ("村委会", "党群服务中心")
    assert "李四" in dialog.explain.text() and "2026-11-20 09:30" in dialog.explain.text()
    assert dialog.table.item(0, MINE).checkState() == Qt.CheckState.Checked  # this laptop's by default
    assert dialog.mine_button.isEnabled() and dialog.merge_button.isEnabled()

    dialog.theirs_button.click()
    record = session.store.record(uuid)
    assert record.data["place"] == "党群服务中心" and record.revision == 2
    assert session.store.hub_conflicts() == []
    # The hub has this version already: it is never sent there again.
    hub = session.store.hub_target()
    states = {d.revision: d.state for d in session.store.deliveries(record_uuid=uuid, target_id=hub.id)}
    assert states[2] == "delivered"
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.resolved == [uuid]


def test_merging_row_by_row(qtbot, session, final_record):
    hub_target(session)
    uuid = final_record()
    conflict(session, uuid, title="十一月支部委员会（更正）", place="党群服务中心")
    dialog = HubConflictDialog(session)
    qtbot.addWidget(dialog)
    dialog.choose(1, THEIRS)  # the hub's place, this laptop's title
    # One side per row: ticking the hub's value unticked this laptop's.
    assert dialog.table.item(1, MINE).checkState() == Qt.CheckState.Unchecked
    dialog.choose(1, MINE)
    assert dialog.table.item(1, THEIRS).checkState() == Qt.CheckState.Unchecked
    dialog.choose(1, THEIRS)
    dialog.merge_button.click()
    record = session.store.record(uuid)
    assert record.data["place"] == "党群服务中心" and record.data["title"] == "十一月支部委员会"
    assert record.revision == 2
    assert session.store.hub_conflicts() == []


def test_keeping_mine_makes_a_new_revision_with_my_values(qtbot, session, final_record):
    hub_target(session)
    uuid = final_record()
    conflict(session, uuid, place="党群服务中心")
    dialog = HubConflictDialog(session)
    qtbot.addWidget(dialog)
    dialog.mine_button.click()
    record = session.store.record(uuid)
    assert record.revision == 2 and record.data["place"] == "村委会"
    actions = [a.action for a in session.store.audit(uuid)]
    assert "corrected" in actions
    # It goes to the hub (on top of the hub's revision 2) like any correction.
    hub = session.store.hub_target()
    states = {d.revision: d.state for d in session.store.deliveries(record_uuid=uuid, target_id=hub.id)}
    assert states[2] == "pending"


def test_a_void_on_the_hub_can_only_be_taken(qtbot, session, final_record):
    hub_target(session)
    uuid = final_record()
    conflict(session, uuid, status="void")
    dialog = HubConflictDialog(session)
    qtbot.addWidget(dialog)
    assert "作废" in dialog.explain.text() and "重复录入" in dialog.explain.text()
    assert not dialog.mine_button.isEnabled() and not dialog.merge_button.isEnabled()
    dialog.theirs_button.click()
    assert session.store.record(uuid).status == "void"


def test_several_conflicts_one_after_another(qtbot, session, final_record):
    hub_target(session)
    first, second = final_record(), final_record(title="十二月支部委员会")
    conflict(session, first, place="甲")
    conflict(session, second, place="乙")
    dialog = HubConflictDialog(session, first=second)
    qtbot.addWidget(dialog)
    assert dialog.conflict.record_uuid == second
    assert dialog.position.text() == "第 2 条，共 2 条待处理"
    dialog.theirs_button.click()
    assert dialog.conflict.record_uuid == first and dialog.result() == 0
    assert not dialog.position.isVisibleTo(dialog)  # one left: no "第 1 条，共 1 条"
    dialog.mine_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.resolved == [second, first]


def test_status_line_and_banner_lead_to_the_conflict(qtbot, session, final_record, controller):
    hub_target(session)
    uuid = final_record()
    assert read_state(session.store).conflicts == 0
    conflict(session, uuid, place="党群服务中心")
    assert read_state(session.store).conflicts == 1
    c = controller()
    widget, notice = SyncStatusWidget(c), SyncNotice(c, session)
    qtbot.addWidget(widget)
    qtbot.addWidget(notice)
    notice.show()
    c.refresh()
    assert widget.text.text().startswith("1 条记录与乡镇平台冲突") and widget.level == "attention"
    assert "另一台电脑上也被更正过" in notice.text.text()
    dialog = notice.view()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, HubConflictDialog) and dialog.conflict.record_uuid == uuid
    dialog.theirs_button.click()
    assert not notice.isVisible()
    assert not widget.text.text().startswith("1 条记录与乡镇平台冲突")


def test_values_read_as_people_read_them():
    assert shown_value(None) == "—" and shown_value([]) == "—"
    assert shown_value(["李明", "王芳"]) == "李明、王芳"
    assert shown_value([{"name": "张伟", "reason": "外出务工"}]) == "张伟（外出务工）"
    assert shown_value("2026-11-20T09:30") == "2026-11-20 09:30"
    assert shown_value([{"item": "修路", "owner": "李明"}]) == "1. item：修路；owner：李明"
