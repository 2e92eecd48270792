"""The per-record delivery panel: states in Chinese, resend and mark-delivered change them."""

from __future__ import annotations

import pytest

import desktop.delivery_panel as delivery_panel
from desktop.delivery_panel import DeliveriesDialog, DeliveryPanel
from sync.secrets import set_secret
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer


@pytest.fixture
def answer_yes(monkeypatch):
    asked = []
    monkeypatch.setattr(delivery_panel, "ask", lambda parent, title, text: asked.append(text) or True)
    return asked


@pytest.fixture
def robot():
    server = DingTalkServer()
    yield server
    server.close()


def uncertain_robot_delivery(session, robot, final_record) -> tuple[str, int]:
    """A DingTalk delivery left `sending` by a crash, then found by recovery: uncertain."""
    target = session.store.add_target("支部工作群", "dingtalk")
    set_secret(session.store, target, "webhook", robot.webhook)
    uuid = final_record()
    [d] = session.store.deliveries(record_uuid=uuid, target_id=target.id)
    session.store.mark_sending([d.id])
    assert session.store.recover_interrupted({"rest", "xlsx"})[1] == 1
    return uuid, d.id


def cell(panel, row, column) -> str:
    return panel.table.item(row, column).text()


def test_panel_shows_each_target_with_state_and_message(
    qtbot, session, controller, robot, final_record, rest_target
):
    with PlatformServer() as server:
        rest_target(server.url)
        uuid, _ = uncertain_robot_delivery(session, robot, final_record)
        c = controller()
        panel = DeliveryPanel(session, uuid, controller=c)
        qtbot.addWidget(panel)
        rows = {
            cell(panel, r, 0): (cell(panel, r, 2), cell(panel, r, 4)) for r in range(panel.table.rowCount())
        }
        assert rows["支部工作群"][0] == "可能已发送，请确认"
        assert "中断" in rows["支部工作群"][1]
        assert rows["市党建平台"][0] == "待发送"
        # A run delivers to the REST platform; the panel follows without being told.
        c.start()
        qtbot.waitUntil(lambda: c.runs >= 1 and not c.running, timeout=10000)
        rows = {cell(panel, r, 0): cell(panel, r, 2) for r in range(panel.table.rowCount())}
        assert rows == {"市党建平台": "已送达", "支部工作群": "可能已发送，请确认"}
        assert robot.received == 0  # an uncertain robot message is never resent silently


def test_mark_delivered_after_confirming(qtbot, session, robot, final_record, answer_yes):
    uuid, delivery_id = uncertain_robot_delivery(session, robot, final_record)
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert panel.select_target("支部工作群")
    assert panel.confirm_button.isEnabled() and panel.resend_button.isEnabled()
    assert panel.confirm_selected()
    assert "确认" in answer_yes[0]
    assert session.store.delivery(delivery_id).state == "delivered"
    assert cell(panel, 0, 2) == "已送达"
    assert not panel.confirm_button.isEnabled() and not panel.resend_button.isEnabled()


def test_declining_the_question_changes_nothing(qtbot, session, robot, final_record, monkeypatch):
    monkeypatch.setattr(delivery_panel, "ask", lambda *a: False)
    uuid, delivery_id = uncertain_robot_delivery(session, robot, final_record)
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert not panel.confirm_selected()
    assert not panel.resend_selected()
    assert session.store.delivery(delivery_id).state == "uncertain"


def test_resend_sends_again_through_the_worker(qtbot, session, controller, robot, final_record, answer_yes):
    uuid, delivery_id = uncertain_robot_delivery(session, robot, final_record)
    c = controller()
    c.start()
    qtbot.waitUntil(lambda: c.runs >= 1 and not c.running, timeout=10000)
    assert robot.received == 0
    panel = DeliveryPanel(session, uuid, controller=c)
    qtbot.addWidget(panel)
    assert panel.resend_selected()
    assert "两条相同的消息" in answer_yes[0]  # the operator is warned about a duplicate
    qtbot.waitUntil(lambda: session.store.delivery(delivery_id).state == "delivered", timeout=10000)
    qtbot.waitUntil(lambda: cell(panel, 0, 2) == "已送达", timeout=5000)
    assert len(robot.accepted) == 1
    assert c.status[0] == "全部已送达"


def test_view_content_shows_what_was_sent_without_secrets(qtbot, session, controller, robot, final_record):
    target = session.store.add_target("支部工作群", "dingtalk")
    set_secret(session.store, target, "webhook", robot.webhook)
    uuid = final_record()
    c = controller()
    c.start()
    qtbot.waitUntil(lambda: len(robot.accepted) == 1 and not c.running, timeout=10000)
    panel = DeliveryPanel(session, uuid, controller=c)
    qtbot.addWidget(panel)
    dialog = panel.view_selected()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "十一月支部委员会" in text and "markdown" in text
    assert robot.token not in text and robot.token not in dialog.answer.toPlainText()
    assert dialog.text.isReadOnly()


def test_draft_free_record_without_targets_says_so(qtbot, session, final_record):
    panel = DeliveryPanel(session, final_record())
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 0
    assert "没有推送" in panel.empty.text()


def test_deliveries_dialog_lists_uncertain_ones_across_records(qtbot, session, robot, final_record):
    uuid, _ = uncertain_robot_delivery(session, robot, final_record)
    dialog = DeliveriesDialog(session)
    qtbot.addWidget(dialog)
    panel = dialog.panel
    assert panel.table.rowCount() == 1
    assert "五星村党支部" in cell(panel, 0, 0) and "三会一课" in cell(panel, 0, 0)
    with qtbot.waitSignal(dialog.record_requested) as blocker:
        panel.table.selectRow(0)
        panel._double_clicked(None)
    assert blocker.args == [uuid]


def test_editor_shows_the_panel_for_final_records_only(qtbot, session, robot, final_record):
    from desktop.editor.record_editor import RecordEditor

    uuid, _ = uncertain_robot_delivery(session, robot, final_record)
    editor = RecordEditor(session, uuid=uuid)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.delivery_box.isVisible()
    assert editor.delivery_panel.table.item(0, 2).text() == "可能已发送，请确认"
    draft = RecordEditor(session, form_id="sanhui-yike", branch_id=session.branch_id)
    qtbot.addWidget(draft)
    draft.show()
    assert not draft.delivery_box.isVisible()


def test_marking_a_delivery_never_sent_asks_for_a_reason_kept_in_the_audit(
    qtbot, session, final_record, monkeypatch
):
    session.store.add_target("镇党委钉钉群", "dingtalk")  # no webhook yet: it waits, never sent
    uuid = final_record()
    [d] = session.store.deliveries(record_uuid=uuid)
    asked, answers = [], [None, "  ", "已在平台网页上手工录入"]
    monkeypatch.setattr(delivery_panel, "ask_reason", lambda p, t, text: asked.append(text) or answers.pop(0))
    monkeypatch.setattr(delivery_panel, "ask", lambda *a: pytest.fail("a yes/no question is not enough"))
    monkeypatch.setattr(delivery_panel.QMessageBox, "information", lambda *a: None)
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert panel.select_target("镇党委钉钉群") and panel.confirm_button.isEnabled()
    assert not panel.confirm_selected()  # cancelled
    assert not panel.confirm_selected()  # no reason given
    assert session.store.delivery(d.id).state == "pending"
    assert "从未发送到“镇党委钉钉群”" in asked[0] and "原因" in asked[0]
    assert panel.confirm_selected()
    assert session.store.delivery(d.id).state == "delivered"
    [entry] = [e for e in session.store.audit(uuid) if e.action == "marked_delivered"]
    assert entry.detail["reason"] == "已在平台网页上手工录入" and entry.operator == "测试录入员"


def test_editor_note_tells_of_a_platform_added_after_the_record_was_finalized(qtbot, session, final_record):
    from desktop.editor.record_editor import RecordEditor

    def note(uuid: str) -> str:
        editor = RecordEditor(session, uuid=uuid)
        qtbot.addWidget(editor)
        editor.show()
        panel = editor.delivery_panel
        assert panel is not None and editor.delivery_box.isVisible()
        return panel.empty.text() if panel.empty.isVisible() else ""

    before = final_record()
    assert note(before) == "这条记录没有推送：还没有配置推送平台。"
    session.store.add_target("支部工作群", "dingtalk")
    shown = note(before)
    assert "“支部工作群”是在这条记录定稿之后才添加的" in shown
    assert "同时推送已定稿的记录" in shown and "还没有配置推送平台" not in shown
    after = final_record()  # finalized with the platform there: it has its delivery, no note
    assert note(after) == ""
    session.store.add_target("县党建平台", "dingtalk")  # the first record's table shows one, not this
    shown = note(after)
    assert "“县党建平台”是在这条记录定稿之后才添加的" in shown and "支部工作群" not in shown
    session.store.add_target("另一个乡的群", "dingtalk", branches=["别的村党支部"])
    assert "另一个乡的群" not in note(after)  # out of scope: not missing
