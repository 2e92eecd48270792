"""The record editor on the built-in 三会一课 form, driven through its widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from desktop.editor import record_editor
from desktop.editor.finalize_dialog import FinalizeDialog
from desktop.editor.history_dialog import HistoryDialog
from desktop.editor.record_editor import RecordEditor, open_editors
from desktop.editor.void_dialog import CorrectionDialog, VoidDialog
from tests.desktop.editor.conftest import type_chinese


def fill_required(editor, meeting="支部委员会"):
    """Answer every required field of 三会一课 through the widgets."""
    p = editor.panel
    next(b for b in p.widget("meeting_type").buttons if b.text() == meeting).click()
    type_chinese(p.widget("title").edit, "十一月支部委员会")
    type_chinese(p.widget("topics").edit, "研究发展党员工作")
    type_chinese(p.widget("content").edit, "书记传达镇党委会议精神，委员逐一发言。")
    editor.refresh_now()


def accept_dialogs(monkeypatch, calls=None):
    def fake_exec(dialog):
        if calls is not None:
            calls.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FinalizeDialog, "exec", fake_exec)


def press(qtbot, editor, key):
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    qtbot.keyClick(editor.panel.widget("title").edit, key, Qt.KeyboardModifier.ControlModifier)


def test_new_record_starts_from_defaults(new_editor):
    editor = new_editor()
    p = editor.panel
    assert editor.uuid is None
    assert p.widget("host").value() == "李明"  # default: secretary
    assert p.widget("attendees").value() == ["李明", "王芳", "张伟", "刘洋", "陈静"]
    assert p.widget("expected_count").value() == 5  # default: roster_count
    assert p.widget("held_at").value()  # default: now
    assert p.rows["title"].label.text().endswith("*</span>")  # required mark


def test_lecturer_appears_only_for_party_lecture(new_editor):
    editor = new_editor()
    p = editor.panel
    assert not p.rows["lecturer"].isVisible()
    assert p.rows["topics"].isVisible()
    next(b for b in p.widget("meeting_type").buttons if b.text() == "党课").click()
    editor.refresh_now()
    assert p.rows["lecturer"].isVisible()
    assert p.rows["course_title"].isVisible()
    assert not p.rows["topics"].isVisible()
    next(b for b in p.widget("meeting_type").buttons if b.text() == "党小组会").click()
    editor.refresh_now()
    assert not p.rows["lecturer"].isVisible()
    assert p.rows["party_group"].isVisible()


def test_relevance_follows_typing_after_debounce(qtbot, new_editor):
    editor = new_editor()
    p = editor.panel
    next(b for b in p.widget("meeting_type").buttons if b.text() == "党课").click()
    qtbot.waitUntil(lambda: p.rows["lecturer"].isVisible(), timeout=2000)


def test_validation_messages_shown_and_cleared(qtbot, new_editor):
    editor = new_editor()
    row = editor.panel.rows["title"]
    assert not row.message.isVisible()  # nothing shouted before the field is touched
    type_chinese(row.widget.edit, "临时")
    row.widget.edit.clear()
    qtbot.waitUntil(lambda: row.message.isVisible(), timeout=2000)
    assert "会议名称" in row.message.text()
    assert "#c62828" in row.message.text()  # errors in red
    type_chinese(row.widget.edit, "支部委员会会议")
    qtbot.waitUntil(lambda: not row.message.isVisible(), timeout=2000)


def test_form_level_warning_in_panel(new_editor):
    editor = new_editor()
    fill_required(editor, "支部党员大会")
    p = editor.panel
    p.widget("expected_count").spin.setValue(9)  # 5 present + 0 absent != 9 due
    editor.refresh_now()
    assert editor.messages.isVisible()
    assert "实到人数加缺席人数不等于应到人数" in editor.messages.text()


def test_attend_count_and_absences_follow_ticks(qtbot, new_editor):
    editor = new_editor()
    p = editor.panel
    attendees, absences = p.widget("attendees"), p.widget("absences")
    assert absences.value() == []
    attendees.set_checked("刘洋", False)
    assert absences.value() == [{"name": "刘洋", "reason": ""}]  # live, no debounce
    attendees.set_checked("王芳", False)
    assert [a["name"] for a in absences.value()] == ["王芳", "刘洋"]  # roster order
    absences.combo_for("刘洋").setEditText("请假")
    qtbot.waitUntil(lambda: p.widget("attend_count").value() == 3, timeout=2000)
    assert p.widget("attend_count").label.text() == "3"
    assert p.widget("absent_count").value() == 2
    assert "已选 3 / 5 人" in attendees.count.text()
    attendees.set_checked("王芳", True)
    assert absences.value() == [{"name": "刘洋", "reason": "请假"}]  # reason kept
    attendees._tick_all(False)
    assert len(absences.value()) == 5
    attendees._tick_all(True)
    assert absences.value() == []


def test_ctrl_s_saves_draft(qtbot, new_editor, session):
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "支部委员会")
    with qtbot.waitSignal(editor.saved, timeout=2000) as blocker:
        press(qtbot, editor, Qt.Key.Key_S)
    uuid = blocker.args[0]
    assert uuid == editor.uuid
    record = session.store.record(uuid)
    assert record.status == "draft"
    assert record.data["title"] == "支部委员会"
    assert editor.status_line.text().startswith("已保存草稿")


def test_autosave_timer_writes_draft(qtbot, new_editor, session):
    editor = new_editor()
    assert RecordEditor.AUTOSAVE_MS <= 3000
    editor._autosave.setInterval(200)  # the real 3 s is exercised by the kill test
    assert session.store.records() == []  # opening alone writes nothing
    type_chinese(editor.panel.widget("title").edit, "自动保存的标题")
    qtbot.waitUntil(lambda: editor.uuid is not None, timeout=3000)
    assert session.store.record(editor.uuid).data["title"] == "自动保存的标题"
    assert editor.status_line.text().startswith("已自动保存 ")
    type_chinese(editor.panel.widget("place").edit, "村部会议室")
    qtbot.waitUntil(lambda: session.store.record(editor.uuid).data.get("place") == "村部会议室", timeout=3000)
    assert len(session.store.records()) == 1  # later saves update the same draft


def test_close_saves_and_untouched_new_record_is_not_created(new_editor, session):
    untouched = new_editor()
    untouched.close()
    assert session.store.records() == []
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "关窗前的标题")
    editor.close()
    [record] = session.store.records()
    assert record.data["title"] == "关窗前的标题"
    assert editor not in open_editors()


def test_ctrl_enter_finalizes_after_confirmation(qtbot, monkeypatch, new_editor, session):
    shown = []
    accept_dialogs(monkeypatch, shown)
    editor = new_editor()
    fill_required(editor, meeting="支部党员大会")  # everyone expected (支部委员会: the committee)
    editor.panel.widget("attendees").set_checked("陈静", False)
    with qtbot.waitSignal(editor.finalized, timeout=2000) as blocker:
        press(qtbot, editor, Qt.Key.Key_Return)
    record = session.store.record(blocker.args[0])
    assert record.status == "final" and record.revision == 1
    assert record.data["attend_count"] == 4
    assert record.data["absences"] == [{"name": "陈静", "reason": ""}]
    assert "十一月支部委员会" in shown[0].summary.toPlainText()
    # A final record is read-only with 更正 / 作废 / 历史.
    assert editor.panel.widget("title").edit.isReadOnly()
    assert editor.correct_button.isVisibleTo(editor) and editor.void_button.isVisibleTo(editor)
    assert not editor.finalize_button.isVisibleTo(editor)


def test_ctrl_enter_on_keypad_enter_too(qtbot, monkeypatch, new_editor, session):
    accept_dialogs(monkeypatch)
    editor = new_editor()
    fill_required(editor)
    with qtbot.waitSignal(editor.finalized, timeout=2000):
        press(qtbot, editor, Qt.Key.Key_Enter)


def test_confirmation_shows_warnings_and_cancel_keeps_draft(monkeypatch, new_editor, session):
    seen = []

    def reject(dialog):
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(FinalizeDialog, "exec", reject)
    editor = new_editor()
    fill_required(editor, "支部党员大会")
    editor.panel.widget("expected_count").spin.setValue(20)
    assert editor.finalize() is False
    assert seen[0].warnings is not None and "未过半" in seen[0].warnings.text()
    assert editor.status == "draft"


def test_errors_block_finalize_and_focus_first_bad_field(monkeypatch, new_editor, session):
    calls = []
    accept_dialogs(monkeypatch, calls)
    editor = new_editor()
    next(b for b in editor.panel.widget("meeting_type").buttons if b.text() == "支部委员会").click()
    type_chinese(editor.panel.widget("title").edit, "缺内容的会")
    assert editor.finalize() is False
    assert calls == []  # no confirmation when there are errors
    topics = editor.panel.rows["topics"]
    assert topics.message.isVisible() and "会议议题" in topics.message.text()
    assert editor.panel.rows["content"].message.isVisible()
    assert editor.focusWidget() is topics.widget.edit  # first bad field in form order
    assert "改正" in editor.status_line.text()
    assert all(r.status == "draft" for r in session.store.records())


def test_correct_creates_revision_two(qtbot, monkeypatch, new_editor, session):
    accept_dialogs(monkeypatch)
    editor = new_editor()
    fill_required(editor)
    assert editor.finalize()
    uuid = editor.uuid
    reopened = RecordEditor(session, uuid=uuid)
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.panel.widget("content").edit.isReadOnly()
    reopened.start_correction()
    assert not reopened.panel.widget("content").edit.isReadOnly()
    reopened.panel.widget("content").edit.clear()
    type_chinese(reopened.panel.widget("content").edit, "补充：会议一致通过。")
    monkeypatch.setattr(CorrectionDialog, "ask", classmethod(lambda cls, parent=None: "补充会议内容"))
    with qtbot.waitSignal(reopened.changed, timeout=2000):
        assert reopened.save_correction()
    record = session.store.record(uuid)
    assert record.revision == 2 and record.status == "final"
    assert record.data["content"] == "补充：会议一致通过。"
    history = session.store.history(uuid)
    assert [r.revision for r in history] == [1, 2]
    assert history[-1].note == "补充会议内容"
    assert reopened.panel.widget("content").edit.isReadOnly()
    dialog = HistoryDialog(session.store, reopened.form, uuid, reopened)
    assert dialog.revision_list.topLevelItemCount() == 2
    assert dialog.audit_list.topLevelItemCount() >= 3
    dialog.close()


def test_correction_needs_a_note(monkeypatch, new_editor, session):
    accept_dialogs(monkeypatch)
    editor = new_editor()
    fill_required(editor)
    assert editor.finalize()
    editor.start_correction()
    monkeypatch.setattr(CorrectionDialog, "ask", classmethod(lambda cls, parent=None: None))
    assert editor.save_correction() is False
    assert session.store.record(editor.uuid).revision == 1


def test_void_with_reason(qtbot, monkeypatch, new_editor, session):
    accept_dialogs(monkeypatch)
    editor = new_editor()
    fill_required(editor)
    assert editor.finalize()
    monkeypatch.setattr(VoidDialog, "ask", classmethod(lambda cls, parent=None: "重复录入"))
    with qtbot.waitSignal(editor.changed, timeout=2000) as blocker:
        assert editor.void()
    record = session.store.record(blocker.args[0])
    assert record.status == "void" and record.void_reason == "重复录入"
    assert "重复录入" in editor.banner.text()
    assert not editor.void_button.isVisibleTo(editor)


def test_void_dialog_requires_text(qtbot):
    dialog = VoidDialog()
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    type_chinese(dialog.combo.lineEdit(), "重复录入")
    assert dialog.ok_button.isEnabled() and dialog.text() == "重复录入"


def test_reopened_draft_keeps_values_and_is_editable(qtbot, new_editor, session):
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "未完成的会议")
    editor.panel.widget("attendees").set_checked("张伟", False)
    editor.panel.widget("absences").combo_for("张伟").setEditText("病假")
    uuid = editor.save_now()
    editor.close()
    again = RecordEditor(session, uuid=uuid)
    qtbot.addWidget(again)
    assert again.panel.widget("title").value() == "未完成的会议"
    assert again.panel.widget("absences").value() == [{"name": "张伟", "reason": "病假"}]
    assert not again.panel.widget("title").edit.isReadOnly()
    assert again in open_editors()
    assert again.save_now() == uuid  # nothing changed, nothing written


def test_delete_draft(qtbot, monkeypatch, new_editor, session):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    editor = new_editor()
    type_chinese(editor.panel.widget("title").edit, "要删除的草稿")
    editor.save_now()
    with qtbot.waitSignal(editor.changed, timeout=2000):
        assert editor.delete_draft()
    assert session.store.records() == []
    assert editor not in record_editor.open_editors()


def test_fits_small_screen_without_horizontal_scrolling(new_editor):
    editor = new_editor()
    editor.resize(960, 680)
    assert editor.width() <= 1366 and editor.height() <= 768
    assert editor.scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert editor.minimumSizeHint().width() <= 960


def test_tab_order_follows_form(new_editor):
    editor = new_editor()
    stops = editor.panel.focus_widgets()
    title, held_at = editor.panel.widget("title").edit, editor.panel.widget("held_at").edit
    assert stops.index(title) < stops.index(held_at)
    assert title.nextInFocusChain() is not None
    # Qt's own chain, followed from the title, reaches held_at before the minutes field.
    content = editor.panel.widget("content").edit
    chain, w = [], title
    for _ in range(200):
        w = w.nextInFocusChain()
        chain.append(w)
    assert held_at in chain and content in chain
    assert chain.index(held_at) < chain.index(content)


def test_buttons_keep_their_places_when_the_first_autosave_comes(new_editor, qtbot):
    editor = new_editor()
    qtbot.waitExposed(editor)
    for _ in range(30):  # the window grows to its content once shown: measure after that
        size = editor.size()
        qtbot.wait(100)
        if editor.size() == size:
            break
    assert editor.history_button.isVisible() and not editor.history_button.isEnabled()
    placed = {b.text(): b.geometry() for b in editor.buttons if b.isVisible()}
    delete_at = editor.delete_button.mapToGlobal(editor.delete_button.rect().center())
    type_chinese(editor.panel.widget("title").edit, "十一月支部委员会")
    editor._autosave_now()  # what the 3-second timer does
    assert editor.uuid is not None
    QApplication.processEvents()
    assert {b.text(): b.geometry() for b in editor.buttons if b.isVisible()} == placed
    assert editor.history_button.isEnabled()
    # A click aimed at 删除草稿 before the save still lands on 删除草稿.
    assert editor.childAt(editor.mapFromGlobal(delete_at)) is editor.delete_button


def test_a_committee_meeting_starts_with_the_committee_ticked(new_editor):
    editor = new_editor()
    p = editor.panel

    def meeting(kind):
        next(b for b in p.widget("meeting_type").buttons if b.text() == kind).click()
        editor.refresh_now()

    meeting("支部委员会")
    assert p.widget("attendees").value() == ["李明", "王芳", "张伟"]  # 书记, 副书记, 委员
    assert p.widget("expected_count").value() == 3 and p.widget("absences").value() == []
    assert p.widget("attend_count").value() == 3
    meeting("支部党员大会")  # everyone again
    assert p.widget("attendees").value() == ["李明", "王芳", "张伟", "刘洋", "陈静"]
    assert p.widget("expected_count").value() == 5
    meeting("支部委员会")
    p.widget("attendees").set_checked("张伟", False)  # the person's own tick: absent is a committee member
    assert [a["name"] for a in p.widget("absences").value()] == ["张伟"]  # not the ordinary members
    meeting("党课")  # from now on the person's ticks stay
    assert p.widget("attendees").value() == ["李明", "王芳"]


def test_a_due_committee_meeting_opens_with_the_committee(session, qtbot):
    editor = RecordEditor(
        session, form_id="sanhui-yike", branch_id=session.branch_id, values={"meeting_type": "支部委员会"}
    )
    qtbot.addWidget(editor)
    assert editor.panel.widget("attendees").value() == ["李明", "王芳", "张伟"]
    assert editor.panel.widget("expected_count").value() == 3
