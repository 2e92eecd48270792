"""The assisted-entry panel with real widgets and a real clipboard: the platform's fields in its
order, one click or Ctrl+N or Enter copies each, photos exported to a chosen folder, 已录入 and
有问题 kept in the audit; the list of what waits across records opens it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

import desktop.copy_panel as copy_panel
from desktop.copy_panel import EntriesDialog, EntryDialog
from desktop.delivery_panel import DeliveryPanel

FIELDS = "会议类型 = meeting_type\n会议名称 = title\n主持人 = host\n会议内容 = content\n所属支部 = branch"
NAME = "阿卜杜热合曼·艾买提江"


@pytest.fixture
def waiting(session, final_record):
    """A copy target and one record waiting for it; returns the delivery."""
    session.store.add_target("县党建系统", "copy", options={"fields": FIELDS})
    session.store.add_member(session.branch_id, NAME, "党员")
    uuid = final_record(host=NAME, content="第一行\n第二行")
    [d] = session.store.deliveries(record_uuid=uuid)
    return d


def clipboard() -> str:
    return QGuiApplication.clipboard().text()


def test_values_in_the_platforms_order_copied_by_click_key_and_enter(qtbot, session, waiting):
    dialog = EntryDialog(session, waiting.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    labels = [label.text() for label, _shown, _button in dialog.rows]
    assert labels == ["会议类型", "会议名称", "主持人", "会议内容", "所属支部"]
    assert dialog.rows[3][1].text() == "第一行\n第二行"

    qtbot.mouseClick(dialog.rows[2][2], Qt.MouseButton.LeftButton)
    assert clipboard() == NAME and "主持人" in dialog.status.text()
    qtbot.keyClick(dialog.values_area, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert clipboard() == "五星村党支部" and dialog.current == 4
    qtbot.keyClick(dialog.values_area, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert clipboard() == "支部委员会" and dialog.current == 0
    qtbot.keyClick(dialog.values_area, Qt.Key.Key_Return)  # copies the current one, moves down
    assert clipboard() == "支部委员会" and dialog.current == 1
    qtbot.keyClick(dialog.values_area, Qt.Key.Key_Return)
    assert clipboard() == "十一月支部委员会" and dialog.current == 2
    assert dialog.rows[2][1].property("current") is True


def test_entered_is_audited_and_leaves_the_waiting_list(qtbot, session, waiting, monkeypatch):
    monkeypatch.setattr(copy_panel, "confirm", lambda *args: True)
    entries = EntriesDialog(session)
    qtbot.addWidget(entries)
    assert entries.table.rowCount() == 1 and entries.table.item(0, 0).text() == "县党建系统"
    dialog = entries.open_selected()
    assert dialog is not None
    assert dialog.mark_entered()
    assert session.store.delivery(waiting.id).state == "delivered"
    [line] = [e for e in session.store.audit(waiting.record_uuid) if e.action == "entered"]
    assert line.operator == "测试录入员"
    assert NAME in session.store.delivery(waiting.id).payload  # what was copied, kept as proof
    assert entries.table.rowCount() == 0 and entries.empty.isVisibleTo(entries)


def test_a_problem_is_kept_in_the_persons_words(qtbot, session, waiting, monkeypatch):
    monkeypatch.setattr(copy_panel, "ask_words", lambda *args: "平台要求上传签到表")
    panel = DeliveryPanel(session, waiting.record_uuid)
    qtbot.addWidget(panel)
    assert panel.select_target("县党建系统") and panel.enter_button.isVisibleTo(panel)
    dialog = panel.enter_selected()
    assert dialog is not None and dialog.report_problem()
    d = session.store.delivery(waiting.id)
    assert d.state == "failed" and d.message == "平台要求上传签到表"
    [line] = [e for e in session.store.audit(d.record_uuid) if e.action == "entry_problem"]
    assert line.detail["reason"] == "平台要求上传签到表"
    assert panel.table.item(0, 2).text() == "失败"


def test_photos_go_to_the_chosen_folder(qtbot, session, tmp_path, monkeypatch):
    session.store.add_target("县党建系统", "copy", options={"fields": FIELDS})
    draft, _ = session.records.new(
        "sanhui-yike", session.branch_id, {"meeting_type": "支部委员会"}, "测试录入员"
    )
    photo = session.store.add_attachment(draft.uuid, b"\xff\xd8jpeg" * 50, name="现场.jpeg")
    values = {**draft.data, "title": "会", "topics": "议", "content": "内容", "host": "李明"}
    values["photos"] = [{"sha256": photo.sha256, "name": photo.name}]
    session.records.save_draft(draft.uuid, values, "测试录入员")
    session.records.finalize(draft.uuid, "测试录入员")
    [d] = session.store.deliveries(record_uuid=draft.uuid)
    out = tmp_path / "上传"
    monkeypatch.setattr(copy_panel, "ask_folder", lambda *args: str(out))
    dialog = EntryDialog(session, d.id)
    qtbot.addWidget(dialog)
    assert dialog.photos_button.isVisibleTo(dialog)
    [path] = dialog.export_photos()
    assert path.name == "会议照片-1.jpeg" and path.read_bytes() == b"\xff\xd8jpeg" * 50
    assert str(path.parent) in dialog.status.text()


def test_a_wrong_field_list_says_so_and_cannot_be_marked_entered(qtbot, session, final_record):
    target = session.store.add_target("县党建系统", "copy", options={"fields": FIELDS})
    uuid = final_record()
    # Settings changed behind the window's back (an old profile): the panel names the problem.
    session.store.db.execute(
        "UPDATE targets SET options = ? WHERE id = ?", ['{"fields": "坏 = ("}', target.id]
    )
    [d] = session.store.deliveries(record_uuid=uuid)
    dialog = EntryDialog(session, d.id)
    qtbot.addWidget(dialog)
    assert "字段设置有误" in dialog.problem.text() and not dialog.entered_button.isEnabled()
