"""从手机文件夹选: a phone's folder read on its own thread, its photos listed with the record's time
window first (newest first), each with its time and whether a final record holds it already;
thumbnails only for the rows on screen; ticked photos attached to the record."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.editor import phone_folder
from desktop.editor.phone_folder import PhoneFolderDialog
from desktop.editor.phone_folder_model import Heading
from forms.photo_items import attach_photo
from tests.desktop.editor.test_photos import MEETING, final_meeting_with, phone_photo, set_time

# The laptop's clock is China's: a photo's +08:00 is the record's own zone.
pytestmark = pytest.mark.usefixtures("in_china")


@pytest.fixture
def phone(tmp_path):
    camera = tmp_path / "手机" / "DCIM" / "Camera"
    camera.mkdir(parents=True)
    for seed, taken in enumerate(
        (
            "2026:09:10 14:05:00",
            "2026:09:10 09:30:00",
            "2026:09:07 10:00:00",
            "2026:08:01 08:00:00",
            "2026:09:10 20:00:00",
        )
    ):
        phone_photo(
            camera, f"IMG_{taken[:10].replace(':', '')}_{taken[11:13]}.jpg", seed=seed + 10, taken=taken
        )
    phone_photo(camera, "Screenshot.jpg", seed=20, taken=None)
    return tmp_path / "手机"


def open_folder(qtbot, editor, folder) -> PhoneFolderDialog:
    photos = editor.panel.widget("photos")
    dialog = PhoneFolderDialog(folder, editor.env, {i["sha256"] for i in photos.value()}, editor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("共"), timeout=10000)
    return dialog


def rows(dialog) -> list[str]:
    return [r.text if isinstance(r, Heading) else r.path.name for r in dialog.model.rows]


def test_the_record_time_window_comes_first_newest_first(qtbot, phone, new_editor):
    editor = new_editor()
    set_time(editor, MEETING)
    dialog = open_folder(qtbot, editor, phone)
    assert dialog.status.text() == "共 6 张照片。"
    assert rows(dialog) == [
        "记录时间前后 12 小时内拍的照片（3 张）",
        "IMG_20260910_20.jpg",
        "IMG_20260910_14.jpg",
        "IMG_20260910_09.jpg",
        "其他照片（3 张），最新的在前",
        "IMG_20260907_10.jpg",
        "IMG_20260801_08.jpg",
        "Screenshot.jpg",
    ]
    model = dialog.model
    assert model.index(2, 1).data() == "2026-09-10 14:05" and model.index(7, 1).data() == "没有拍摄时间"
    assert dialog.table.rowSpan(0, 0) == 1 and dialog.table.columnSpan(0, 0) == 3  # a heading across
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert dialog.table.currentIndex().row() == 1  # the newest of the window, ready for Space


def test_a_photo_already_used_is_named_and_ticked_ones_are_attached(
    qtbot, phone, session, new_editor, monkeypatch
):
    used = phone / "DCIM" / "Camera" / "IMG_20260910_09.jpg"
    final_meeting_with(session, used)

    editor = new_editor()
    set_time(editor, "2026-09-10T15:00")
    dialog = open_folder(qtbot, editor, phone)
    model = dialog.model
    row = rows(dialog).index("IMG_20260910_09.jpg")
    qtbot.waitUntil(lambda: model.index(row, 2).data() != "", timeout=10000)  # painted, then examined
    assert model.index(row, 2).data() == "这张照片已用于 2026-09-10 三会一课（五星村党支部）"
    assert model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == model.index(row, 2).data()
    qtbot.waitUntil(lambda: model.index(1, 0).data(Qt.ItemDataRole.DecorationRole) is not None, timeout=10000)

    # A click ticks, a second click unticks, Space ticks the current row.
    assert not dialog.add_button.isEnabled()
    dialog.table.clicked.emit(model.index(1, 0))
    dialog.table.clicked.emit(model.index(2, 2))
    dialog.table.clicked.emit(model.index(2, 2))
    dialog.table.setCurrentIndex(model.index(3, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    dialog.table.clicked.emit(model.index(0, 0))  # a heading ticks nothing
    assert model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.chosen.text() == "已选 2 张" and dialog.add_button.isEnabled()
    assert [p.name for p in dialog.paths()] == ["IMG_20260910_20.jpg", "IMG_20260910_09.jpg"]

    # Through the field's own button: the folder chosen, two photos ticked, both attached.
    monkeypatch.setattr(phone_folder, "choose_folder", lambda *a: phone)

    def tick_two(shown):
        qtbot.waitUntil(lambda: shown.status.text().startswith("共"), timeout=10000)
        shown.model.toggle(1)
        shown.model.toggle(3)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PhoneFolderDialog, "exec", tick_two)
    photos = editor.panel.widget("photos")
    photos.phone_button.click()
    assert [i["name"] for i in photos.value()] == ["IMG_20260910_20.jpg", "IMG_20260910_09.jpg"]
    warned = photos.cards[photos.value()[1]["sha256"]].warnings
    assert warned == ["这张照片已用于 2026-09-10 三会一课（五星村党支部）"]
    # Opened again, the record's own photos say so.
    again = open_folder(qtbot, editor, phone)
    qtbot.waitUntil(lambda: again.model.index(1, 2).data() != "", timeout=10000)
    assert again.model.index(1, 2).data() == "已在这条记录里"


def test_thumbnails_are_made_for_the_rows_on_screen_only(qtbot, tmp_path, new_editor):
    folder = tmp_path / "存储卡"
    folder.mkdir()
    first = phone_photo(folder, "IMG_0000.jpg", seed=1)
    for n in range(1, 120):
        shutil.copy(first, folder / f"IMG_{n:04d}.jpg")
    editor = new_editor()
    set_time(editor, MEETING)
    dialog = open_folder(qtbot, editor, folder)
    model = dialog.model
    assert len(model.rows) == 121
    qtbot.waitUntil(lambda: len(model._pictures) > 0, timeout=10000)
    qtbot.wait(300)
    made = len(model._pictures)
    assert 0 < made < 60, made
    dialog.table.scrollToBottom()
    last = model.rowCount() - 1
    qtbot.waitUntil(
        lambda: model.index(last, 0).data(Qt.ItemDataRole.DecorationRole) is not None, timeout=10000
    )
    assert len(model._pictures) < 120


def test_a_folder_dropped_on_the_photos_opens_it(qtbot, phone, new_editor, monkeypatch):
    editor = new_editor()
    set_time(editor, MEETING)
    opened = []

    def tick_newest(shown):
        opened.append(shown.folder)
        qtbot.waitUntil(lambda: shown.scan is None, timeout=10000)
        shown.model.toggle(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PhoneFolderDialog, "exec", tick_newest)
    photos = editor.panel.widget("photos")
    photos.add_paths([str(phone / "DCIM")])
    assert opened == [phone / "DCIM"]
    assert [i["name"] for i in photos.value()] == ["IMG_20260910_20.jpg"]
