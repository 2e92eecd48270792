"""Photos in the record editor, with photos made in the tests as phones write them: each stands
upright whatever the camera wrote (HEIC too), its time and warnings sit beside it and follow the
record's time, a photo used before names the record, a file that is not a photo says why, and the
finalize summary carries the warnings. Nothing here blocks finalizing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog

from desktop.editor.finalize_dialog import FinalizeDialog
from desktop.editor.photo_viewer import PhotoViewer
from forms.photo_items import attach_photo
from tests.desktop.editor.test_record_editor import fill_required
from tests.forms.photos.making import camera_exif, heic, jpeg, red_top, scene, shot

MEETING = "2026-09-10T14:00"


# The laptop's clock is China's: a photo's +08:00 is the record's own zone.
pytestmark = pytest.mark.usefixtures("in_china")


def phone_photo(
    folder: Path, name: str, *, seed: int = 1, taken: str | None = "2026:09:10 14:05:33", **kw
) -> Path:
    path = folder / name
    path.write_bytes(jpeg(shot(scene(seed, (640, 480)), (600, 450)), camera_exif(taken=taken, **kw)))
    return path


def set_time(editor, value: str) -> None:
    """Change the meeting's time as a person does in its date-and-time box."""
    editor.panel.widget("held_at").edit.setDateTime(QDateTime.fromString(value, "yyyy-MM-ddTHH:mm"))
    editor.refresh_now()


def shown(qtbot, card) -> QImage:
    qtbot.waitUntil(lambda: card.picture.pixmap() is not None and not card.picture.pixmap().isNull())
    return card.picture.pixmap().toImage()


def red(image: QImage, x: int, y: int) -> bool:
    c = QColor(image.pixel(x, y))
    return c.red() > 170 and c.green() < 90 and c.blue() < 90


def blue(image: QImage, x: int, y: int) -> bool:
    c = QColor(image.pixel(x, y))
    return c.blue() > 170 and c.red() < 90 and c.green() < 110


def upright(image: QImage) -> bool:
    """red_top() as it stands: the band along the top, blue at its left end, none at the bottom."""
    w, h = image.width(), image.height()
    return (
        w > h
        and blue(image, w // 20, 2)
        and red(image, w * 19 // 20, 2)
        and not red(image, w // 2, h - 3)
        and not blue(image, w // 20, h - 3)
    )


@pytest.fixture
def meeting_editor(new_editor):
    editor = new_editor()
    set_time(editor, MEETING)
    return editor


def test_a_photo_taken_sideways_and_an_iphone_heic_stand_upright(qtbot, tmp_path, meeting_editor):
    photos = meeting_editor.panel.widget("photos")
    sideways = tmp_path / "IMG_竖拍.jpg"
    sideways.write_bytes(jpeg(red_top(), camera_exif(orientation=6), orientation=6))
    iphone = tmp_path / "IMG_0001.HEIC"
    iphone.write_bytes(heic(red_top().transpose(Image.Transpose.ROTATE_90), camera_exif(orientation=6)))
    assert photos.add_paths([str(sideways), str(iphone)]) == 2
    for item in photos.value():
        assert upright(shown(qtbot, photos.cards[item["sha256"]])), item["name"]
    # The large view too.
    photos.view(photos.value()[0]["sha256"])
    viewer = meeting_editor.findChild(PhotoViewer)
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull())
    assert upright(viewer.picture.pixmap().toImage())
    assert "拍摄于 2026-09-10 14:05" in viewer.notes.text() and "HUAWEI P60 Pro" in viewer.notes.text()
    viewer.next_button.click()
    assert viewer.windowTitle() == "照片 2/2：IMG_0001.HEIC"
    viewer.close()


def test_a_photo_from_three_days_before_warns_beside_it_until_the_time_says_that_day(
    qtbot, tmp_path, meeting_editor
):
    photos = meeting_editor.panel.widget("photos")
    assert photos.add_paths([str(phone_photo(tmp_path, "IMG_旧.jpg", taken="2026:09:07 09:00:00"))]) == 1
    meeting_editor.refresh_now()
    (card,) = photos.cards.values()
    warning = "拍摄于 2026-09-07 09:00，与记录的时间相差约 3 天，请核对"
    assert card.warnings == [warning] and card.property("warned") is True
    assert "⚠ " + warning in card.notes.text() and card.notes.isVisible()
    # Said once, beside the photo: not again under the field.
    assert warning not in meeting_editor.panel.rows["photos"].message.text()
    set_time(meeting_editor, "2026-09-07T09:30")
    assert card.warnings == [] and card.property("warned") is False
    assert "拍摄于 2026-09-07 09:00" in card.notes.text()


def test_a_photo_with_no_time_says_so_and_finalizing_is_never_blocked(
    qtbot, tmp_path, meeting_editor, monkeypatch
):
    photos = meeting_editor.panel.widget("photos")
    old = phone_photo(tmp_path, "IMG_旧.jpg", seed=2, taken="2026:09:07 09:00:00")
    screenshot = phone_photo(tmp_path, "截图.jpg", seed=3, taken=None)
    assert photos.add_paths([str(old), str(screenshot)]) == 2
    cards = [photos.cards[i["sha256"]] for i in photos.value()]
    assert cards[1].warnings == ["没有拍摄时间（可能是截图、转发或修改过的图片），请确认是本次拍的"]
    fill_required(meeting_editor)
    seen = []

    def accept(dialog):
        seen.append(dialog.warnings.text() if dialog.warnings is not None else "")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FinalizeDialog, "exec", accept)
    assert meeting_editor.finalize()
    assert meeting_editor.status == "final"
    assert "照片“IMG_旧.jpg”：拍摄于 2026-09-07 09:00，与记录的时间相差约 3 天，请核对" in seen[0]
    assert "照片“截图.jpg”：没有拍摄时间" in seen[0]
    # The final record keeps them with each photo (for the hub and the 台账), and still shows them.
    kept = meeting_editor.session.store.record(meeting_editor.uuid).data["photos"]
    assert [[w["kind"] for w in item["warnings"]] for item in kept] == [["far"], ["no_time"]]
    assert [c.warnings for c in meeting_editor.panel.widget("photos").cards.values()][0] == cards[0].warnings
    assert not meeting_editor.panel.widget("photos").cards[kept[0]["sha256"]].remove_button.isVisible()


def final_meeting_with(session, photo: Path) -> None:
    """A final 九月支委会 of the test branch on MEETING, holding `photo`."""
    records = session.records
    values = dict(meeting_type="支部委员会", title="九月支委会", held_at=MEETING)
    values.update(topics="学习", content="讨论")
    first, _ = records.new("sanhui-yike", session.branch_id, values, "测试录入员")
    item = attach_photo(session.store, first.uuid, photo, photo.name)
    records.save_draft(first.uuid, {**first.data, "photos": [item]}, "测试录入员")
    records.finalize(first.uuid, "测试录入员")


def test_a_photo_used_before_names_the_first_record(qtbot, tmp_path, session, new_editor):
    photo = phone_photo(tmp_path, "IMG_合影.jpg", seed=4)
    final_meeting_with(session, photo)

    editor = new_editor()
    set_time(editor, "2026-09-10T15:00")
    photos = editor.panel.widget("photos")
    assert photos.add_paths([str(photo)]) == 1
    (card,) = photos.cards.values()
    assert card.warnings == ["这张照片已用于 2026-09-10 三会一课（五星村党支部）"]
    assert card.property("warned") is True
    # Saved and opened again, the draft still says so.
    uuid = editor.save_now()
    editor.close()
    (card,) = new_editor(uuid=uuid).panel.widget("photos").cards.values()
    assert card.warnings == ["这张照片已用于 2026-09-10 三会一课（五星村党支部）"]


def test_a_file_that_is_not_a_photo_says_why_and_nothing_is_attached(tmp_path, meeting_editor, session):
    photos = meeting_editor.panel.widget("photos")
    fake = tmp_path / "会议照片.jpg"
    fake.write_text("这其实是一段文字", encoding="utf-8")
    webp = tmp_path / "动图.webp"
    QImage(40, 30, QImage.Format.Format_RGB32).save(str(webp), "WEBP")
    assert photos.add_paths([str(fake), str(webp)]) == 0
    text = photos.error.text()
    assert "“会议照片.jpg”：这个文件不是照片" in text and "“动图.webp”" in text and "没有添加" in text
    assert photos.value() == [] and not photos.cards
    uuid = meeting_editor.uuid
    assert uuid is None or session.store.attachments(uuid) == []


def test_showing_photos_leaves_no_plain_copy_in_the_temporary_folder(
    qtbot, tmp_path, monkeypatch, new_editor
):
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # Python's temporary folder
    monkeypatch.setenv("TMPDIR", str(temp))  # and Qt's
    editor = new_editor()
    set_time(editor, MEETING)
    photos = editor.panel.widget("photos")
    sources = [phone_photo(tmp_path, "IMG_1.jpg", seed=1), phone_photo(tmp_path, "IMG_2.jpg", seed=2)]
    assert photos.add_paths([str(p) for p in sources]) == 2
    for item in photos.value():  # the cards' thumbnails
        shown(qtbot, photos.cards[item["sha256"]])
    photos.view(photos.value()[0]["sha256"])  # the large view, both photos
    viewer = editor.findChild(PhotoViewer)
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull())
    viewer.next_button.click()
    qtbot.waitUntil(lambda: viewer.windowTitle().startswith("照片 2/2"))
    qtbot.waitUntil(lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull())
    viewer.close()
    assert tempfile.gettempdir() == str(temp)
    pieces = [p.read_bytes()[2000:2064] for p in sources]
    plain = [
        str(f.relative_to(temp))
        for f in temp.rglob("*")
        if f.is_file() and any(piece in f.read_bytes() for piece in pieces)
    ]
    assert plain == []
