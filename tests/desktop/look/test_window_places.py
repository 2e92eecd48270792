"""Windows open inside the screen, the main window maximized on a small one, each window back where
it was left unless that place no longer fits; and the checker sees a cut text when there is one.
(Offscreen: the screen is 800x800 there.)"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop.appearance import UI_CACHE, keep_window_place, keep_window_places_in
from desktop.errors import ErrorDialog
from desktop.main_window import MainWindow
from tests.desktop.look import sample
from tests.desktop.look.checker import problems


@pytest.fixture
def places(tmp_path):
    """Window places kept in a ui.json of this test's own (and nowhere after it)."""
    keep_window_places_in(tmp_path)
    yield tmp_path / UI_CACHE
    keep_window_places_in(None)


def room() -> QRect:
    return QApplication.primaryScreen().availableGeometry()


def test_the_main_window_opens_maximized_on_a_small_screen(session, qtbot):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isMaximized()
    # (The offscreen platform draws a frame of its own around the maximized window.)
    assert window.width() <= room().width() and window.height() <= room().height()


def test_a_dialog_reopens_where_it_was_left(places, qtbot):
    first = ErrorDialog("磁盘已满", "details")
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(40, 50, 520, 330)
    first.close()
    assert "error" in json.loads(places.read_text(encoding="utf-8"))["windows"]
    again = ErrorDialog("磁盘已满", "details")
    qtbot.addWidget(again)
    assert again.geometry() == QRect(40, 50, 520, 330)


def test_a_place_that_no_longer_fits_the_screen_is_not_restored(places, qtbot):
    elsewhere = ErrorDialog("磁盘已满", "details")
    qtbot.addWidget(elsewhere)
    elsewhere.setGeometry(2500, 1400, 620, 380)  # on a second monitor that is gone now
    keep_window_place("error", bytes(elsewhere.saveGeometry().toBase64().data()).decode("ascii"))
    dialog = ErrorDialog("磁盘已满", "details")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # moved inside the screen once shown, where the frame is known
    assert room().contains(dialog.frameGeometry())
    assert dialog.geometry().topLeft() != QRect(2500, 1400, 620, 380).topLeft()


def test_without_a_data_folder_no_place_is_kept(tmp_path, qtbot):
    keep_window_places_in(None)
    dialog = ErrorDialog("磁盘已满", "details")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close()
    assert not (tmp_path / UI_CACHE).exists()


def test_attendance_shows_every_long_name_whole(session, qtbot):
    ids = sample.fill(session)
    from desktop.editor.record_editor import RecordEditor

    editor = RecordEditor(session, uuid=ids["draft"])
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.wait(50)  # the absences are laid out once the ticks are known
    cut = [p for p in problems(editor) if "item text cut" in p.what or "text cut" in p.what]
    assert not cut, "\n".join(map(str, cut))


def test_the_checker_sees_a_squeezed_label(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel("阿卜杜热合曼·艾买提江", window)
    QVBoxLayout(window)  # no layout item: the label keeps the width it is given
    label.setGeometry(0, 0, 40, 30)
    window.resize(200, 60)
    window.show()
    qtbot.waitExposed(window)
    found = problems(window)
    assert any(p.text == "阿卜杜热合曼·艾买提江" and p.needed > p.given == 40 for p in found)


@pytest.mark.parametrize("size", ["large", "xlarge"])
def test_a_records_delivery_note_reads_whole_at_big_text(session, qtbot, size):
    """A platform added after a record was final: the note saying so, under the record's
    deliveries, is read whole at 大字 and 特大 (the box kept a 标准 height and cut it)."""
    from desktop.appearance import apply_appearance
    from desktop.editor.record_editor import RecordEditor

    ids = sample.fill(session)
    session.store.add_target(
        "托克扎克镇阿克喀什村党支部党员教育管理平台（测试环境）", "rest", url="http://127.0.0.1:9/api"
    )
    apply_appearance(QApplication.instance(), size)
    try:
        editor = RecordEditor(session, uuid=ids["final"])
        qtbot.addWidget(editor)
        editor.show()
        qtbot.waitExposed(editor)
        qtbot.wait(50)
        assert "之后才添加" in editor.delivery_panel.empty.text()
        cut = [p for p in problems(editor) if "text cut" in p.what]
        assert not cut, "\n".join(map(str, cut))
    finally:
        apply_appearance(QApplication.instance(), "standard")
