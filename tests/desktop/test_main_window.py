"""The main window: branches, records of the chosen branch, filters, shortcuts, editor, layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from desktop.appearance import apply_appearance
from desktop.main_window import MainWindow, editor_class
from tests.desktop.conftest import type_chinese


def _meeting(session, branch_id, meeting="支部委员会", final=True, **values):
    data = {
        "meeting_type": meeting,
        "title": f"{meeting}会议",
        "topics": "学习",
        "content": "会议内容",
        **values,
    }
    record, _ = session.records.new("sanhui-yike", branch_id, data, session.operator, final=final)
    return record


@pytest.fixture
def two_branches(session):
    red = session.store.add_branch("红星村党支部", secretary="王建国")
    session.store.import_members(
        red.id, [{"name": "王建国", "role": "书记"}, {"name": "李秀英", "role": "委员"}]
    )
    green = session.store.add_branch("青山村党支部", secretary="赵明")
    session.store.add_member(green.id, "赵明", role="书记")
    _meeting(session, red.id)
    _meeting(session, red.id, meeting="党小组会", final=False)
    _meeting(session, green.id, meeting="党课", lecturer="赵明", course_title="党史学习")
    return red, green


@pytest.fixture
def window(session, two_branches, qtbot):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_branches_and_their_records(window, two_branches):
    red, green = two_branches
    names = [window.branch_list.item(r).text() for r in range(window.branch_list.count())]
    assert names == ["红星村党支部", "青山村党支部"]
    assert window.current_branch_id() == red.id
    assert window.model.rowCount() == 2
    assert "2" in window.count_label.text()
    window.branch_list.select_branch(green.id)
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 0)) == "三会一课"
    headers = [window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["表单", "日期", "摘要", "状态", "修订", "录入人", "更新时间"]


def test_filters_by_status_and_debounced_text(window, qtbot):
    window.status_filter.setCurrentIndex(window.status_filter.findData("draft"))
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 3)) == "草稿"
    window.status_filter.setCurrentIndex(0)
    assert window.model.rowCount() == 2
    type_chinese(window.search, "党小组会")
    assert window.model.rowCount() == 2  # not yet: the search waits for a pause in typing
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=2000)
    window.month_filter.setCurrentIndex(window.month_filter.count() - 1)  # two years ago
    assert window.model.rowCount() == 0
    assert window.empty_label.isVisibleTo(window)


def test_shortcuts(window, qtbot):
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.new_action.shortcut().toString() == "Ctrl+N"
    assert window.refresh_action.shortcut().toString() == "F5"
    window.new_action.trigger()
    assert window.new_menu.isVisible()
    titles = [a.text() for a in window.new_menu.actions()]
    assert "三会一课" in titles and "入户走访" in titles
    window.new_menu.close()


def test_refresh_sees_records_added_elsewhere(window, session, two_branches):
    red, _ = two_branches
    _meeting(session, red.id, meeting="支部党员大会")  # e.g. from the command line
    assert window.model.rowCount() == 2
    window.refresh_action.trigger()
    assert window.model.rowCount() == 3


def test_sync_status_in_the_status_bar_and_targets_in_the_settings_menu(window, qtbot):
    from desktop.targets_dialog import TargetsDialog

    assert window.sync is not None and window.sync.running is not None
    assert window.sync_status.text.text() == "未配置推送平台"
    assert window.statusBar().isAncestorOf(window.sync_status)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["文件(&F)", "设置(&S)", "帮助(&H)"]
    settings = window.menuBar().actions()[1].menu()
    assert [a.text() for a in settings.actions()] == ["设置(&S)…", "支部与花名册(&B)…", "推送平台(&T)…"]
    window.targets_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TargetsDialog) and w.isVisible())
    assert dialog.parent() is window
    dialog.reject()


def test_final_record_counts_as_pending_and_the_banner_sits_above_the_records(
    window, session, two_branches, qtbot
):
    red, _green = two_branches
    # A platform nobody listens on: the delivery stays pending (connection refused).
    session.store.add_target(
        "市党建平台", "rest", url="http://127.0.0.1:9/api/records", options={"auth": "none"}
    )
    record = _meeting(session, red.id, meeting="支部党员大会")
    window._on_record_changed(record.uuid)  # what an editor's `finalized` signal does
    qtbot.waitUntil(lambda: "1 条待发送" in window.sync_status.text.text(), timeout=10_000)
    layout = window._records_layout
    assert layout.indexOf(window.sync_notice) == layout.indexOf(window.table) - 1
    assert window.sync_notice.isHidden()  # nothing for a person to decide


@pytest.mark.skipif(editor_class() is None, reason="record editor not installed")
def test_banner_opens_records_in_the_window(window, two_branches):
    window.table.selectRow(0)
    uuid = window.selected_uuid()
    window.sync_notice.record_requested.emit(uuid)
    assert uuid in window.editors
    window.editors[uuid].close()


def test_closing_the_window_stops_background_delivery(session, two_branches, qtbot):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    thread = w.sync._thread
    assert thread is not None and thread.isRunning()
    w.close()
    assert w.sync._thread is None and thread.isFinished()


def test_the_window_stays_open_while_an_editor_keeps_its_typing(window, qtbot):
    """An editor that refuses to close (its person kept an unsaved correction) keeps the whole
    window, and the delivery worker, running: nothing typed is thrown away."""
    from PySide6.QtWidgets import QWidget

    class KeepsTyping(QWidget):
        def closeEvent(self, event):
            event.ignore()

    keeper = KeepsTyping()
    qtbot.addWidget(keeper)
    keeper.show()
    window.editors["kept"] = keeper
    assert window.close() is False
    assert window.isVisible() and window.sync._thread is not None
    del window.editors["kept"]
    assert window.close() is True


@pytest.mark.skipif(editor_class() is None, reason="record editor not installed")
def test_new_record_opens_editor_and_saving_refreshes(window, qtbot):
    editor = window.new_record("sanhui-yike")
    assert editor is not None and editor.isVisible()
    title = editor.panel.widget("title").focus_widgets()[0]
    type_chinese(title, "十二月支委会")
    uuid = editor.save_now()
    assert uuid
    assert window.model.rowCount() == 3
    assert window.selected_uuid() == uuid
    editor.close()


@pytest.mark.skipif(editor_class() is None, reason="record editor not installed")
def test_enter_on_a_row_opens_it(window, qtbot):
    window.table.setFocus()
    window.table.selectRow(0)
    uuid = window.selected_uuid()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert uuid in window.editors
    editor = window.editors[uuid]
    assert editor.uuid == uuid
    # Opening the same record again brings the same window forward.
    assert window.open_record(uuid) is editor
    editor.close()


@pytest.mark.parametrize("size", ["standard", "large", "xlarge"])
def test_fits_a_1366x768_screen_without_side_scrolling(session, two_branches, qtbot, qapp, size):
    apply_appearance(qapp, size)
    w = MainWindow(session)
    qtbot.addWidget(w)
    # The offscreen screen is 800 wide, so the window opens maximized there; sized here as on a
    # 1366x768 laptop (tests/desktop/look checks the real screens under an X server).
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    assert w.minimumSizeHint().width() <= 1366
    assert w.width() <= 1366
    assert not w.table.horizontalScrollBar().isVisible()
    # The summary column keeps a usable width even at 特大.
    assert w.table.columnWidth(2) >= 200
    w.close()
