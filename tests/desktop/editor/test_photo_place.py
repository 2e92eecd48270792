"""Where photos were taken: a branch's position typed in the branches dialog (checked), the
distance from it beside each photo, and 用照片的位置 filling a household visit's coordinates from
a photo's GPS (choosing which photo when several have one). No network anywhere."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.branches_dialog import BranchesDialog
from desktop.editor.photo_place import PhotoPlaceDialog
from tests.desktop.editor.conftest import type_chinese
from tests.desktop.editor.test_photos import phone_photo
from tests.forms.photos.making import gps_at

VILLAGE = (30.5, 114.3)


# The laptop's clock is China's: a photo's +08:00 is the record's own zone.
pytestmark = pytest.mark.usefixtures("in_china")


@pytest.fixture
def warnings_said(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: said.append(text))
    )
    return said


def test_a_branch_position_is_typed_checked_and_kept(qtbot, session, warnings_said):
    dialog = BranchesDialog(session, select_id=session.branch_id)
    qtbot.addWidget(dialog)
    dialog.show()
    position = dialog.position
    assert position.isVisible() and position.lat.text() == ""
    position.lat.setText("114.3")
    position.lon.setText("30.5")
    assert not dialog.save_branch()
    assert "可能填反了" in warnings_said[-1]
    position.lon.clear()
    assert not dialog.save_branch()
    assert warnings_said[-1] == "请同时填写纬度和经度，或者都不填。"
    # Pasted from a phone's map as one pair: each half goes to its box.
    position.lat.clear()
    qtbot.keyClicks(position.lat, "30.512345, 114.301234")
    position.lat.editingFinished.emit()  # the person moves on
    assert (position.lat.text(), position.lon.text()) == ("30.512345", "114.301234")
    assert dialog.save_branch()
    branch = session.store.branch(session.branch_id)
    assert (branch.latitude, branch.longitude) == (30.512345, 114.301234)
    # Shown again as kept; emptied both, it is forgotten.
    dialog.reload(session.branch_id)
    assert dialog.position.lat.text() == "30.512345"
    position.lat.clear()
    position.lon.clear()
    assert dialog.save_branch()
    assert session.store.branch(session.branch_id).latitude is None


def test_each_photo_says_how_far_from_the_branch_it_was_taken(tmp_path, session, new_editor):
    session.store.set_branch_position(session.branch_id, *VILLAGE)
    editor = new_editor()
    photos = editor.panel.widget("photos")
    near = phone_photo(tmp_path, "IMG_村口.jpg", seed=1, gps=gps_at(30.5, 114.3 + 0.0125))  # 1.2 km east
    town = phone_photo(tmp_path, "IMG_镇上.jpg", seed=2, gps=gps_at(30.5 + 0.2, 114.3))  # 22 km north
    porch = phone_photo(tmp_path, "IMG_门口.jpg", seed=3, gps=gps_at(30.5 + 0.003, 114.3))  # 330 m
    none = phone_photo(tmp_path, "IMG_无定位.jpg", seed=4)
    assert photos.add_paths([str(p) for p in (near, town, porch, none)]) == 4
    lines = [photos.cards[i["sha256"]].lines for i in photos.value()]
    assert "距五星村党支部 1.2 公里" in lines[0]
    assert "距五星村党支部 22 公里" in lines[1]
    assert "距五星村党支部 330 米" in lines[2]
    assert not any(line.startswith("距") for line in lines[3])
    assert "距五星村党支部 1.2 公里" in photos.cards[photos.value()[0]["sha256"]].notes.text()


def test_the_photo_place_fills_the_visit_coordinates(qtbot, tmp_path, session, new_editor, monkeypatch):
    editor = new_editor("ruhu-zoufang")
    location = editor.panel.widget("location")
    type_chinese(location.place, "三组45号")
    # No photo yet: it says what to do.
    location.from_photo.click()
    assert "还没有照片" in location.note.text() and location.lat.text() == ""
    photos = editor.panel.widget("photos")
    assert photos.add_paths([str(phone_photo(tmp_path, "IMG_无定位.jpg", seed=4))]) == 1
    location.from_photo.click()
    assert "都没有拍摄位置" in location.note.text()
    # One photo with a place: used at once.
    assert photos.add_paths(
        [str(phone_photo(tmp_path, "IMG_门口.jpg", seed=1, gps=gps_at(30.512345, 114.301234)))]
    )
    location.from_photo.click()
    assert (location.lat.text(), location.lon.text()) == ("30.512345", "114.301234")
    assert location.value() == {"place": "三组45号", "lat": 30.512345, "lon": 114.301234}
    assert "IMG_门口.jpg" in location.note.text()
    # Two: the person picks one, by its picture, time and place.
    assert photos.add_paths([str(phone_photo(tmp_path, "IMG_院里.jpg", seed=2, gps=gps_at(30.6, 114.4)))])
    shown = []

    def pick_second(dialog):
        shown.append([dialog.list.item(n).text() for n in range(dialog.list.count())])
        dialog.list.setCurrentRow(1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PhotoPlaceDialog, "exec", pick_second)
    location.from_photo.click()
    assert shown and shown[0][1].startswith("IMG_院里.jpg\n拍摄于 2026-09-10 14:05")
    assert (location.lat.text(), location.lon.text()) == ("30.600000", "114.400000")
    editor.refresh_now()
    uuid = editor.save_now()
    assert session.store.record(uuid).data["location"] == {"place": "三组45号", "lat": 30.6, "lon": 114.4}
