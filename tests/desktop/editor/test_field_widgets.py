"""One widget per field type, from a test form holding every type once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
)

from desktop.editor import field_widgets as fw
from desktop.editor.attachments_widget import FilesWidget
from desktop.editor.photos_widget import PhotosWidget
from desktop.editor.repeat_widget import RepeatWidget
from desktop.editor.roster_widgets import AbsencesWidget, MembersWidget
from tests.desktop.editor.conftest import type_chinese

FORM = Path(__file__).with_name("all_types.yaml")


@pytest.fixture
def editor(session, new_editor):
    session.catalog.install(FORM)
    return new_editor("editor-all-types")


def test_each_type_gets_its_widget(editor):
    p = editor.panel
    expected = {
        "name": (fw.TextWidget, QLineEdit),
        "notes": (fw.LongTextWidget, QPlainTextEdit),
        "age": (fw.IntegerWidget, QSpinBox),
        "amount": (fw.DecimalWidget, QDoubleSpinBox),
        "day": (fw.DateWidget, QDateEdit),
        "moment": (fw.DateTimeWidget, QDateTimeEdit),
        "clock": (fw.TimeWidget, QTimeEdit),
        "kind": (fw.SelectOneRadios, QRadioButton),
        "kind_long": (fw.SelectOneCombo, QComboBox),
        "tags": (fw.SelectMultipleWidget, QCheckBox),
        "person": (fw.MemberWidget, QComboBox),
        "where": (fw.LocationWidget, QLineEdit),
        "id_number": (fw.IdcardWidget, QLineEdit),
        "mobile": (fw.PhoneWidget, QLineEdit),
    }
    for key, (cls, inner) in expected.items():
        widget = p.widget(key)
        assert type(widget) is cls, key
        assert any(isinstance(w, inner) for w in widget.focus_widgets()), key
    assert isinstance(p.widget("people"), MembersWidget)
    assert isinstance(p.widget("missing"), AbsencesWidget)
    assert isinstance(p.widget("pics"), PhotosWidget)
    assert isinstance(p.widget("docs"), FilesWidget)
    assert isinstance(p.widget("items"), RepeatWidget)
    assert isinstance(p.widget("double_age"), fw.CalculatedWidget)
    assert p.groups["basics"][1].title() == "基本"
    assert p.widget("name").edit.placeholderText() == "填写姓名"
    assert p.rows["name"].label.toolTip() == "填写姓名"
    assert p.widget("kind_long").combo.itemText(0) == ""  # empty first entry
    assert p.widget("person").combo.count() == 6  # "" + five on the roster


def test_values_round_trip(editor):
    p = editor.panel
    values = {
        "name": "李明",
        "notes": "第一行\n第二行",
        "age": 45,
        "amount": 12.5,
        "day": "2026-11-05",
        "moment": "2026-11-05T09:30",
        "clock": "14:05",
        "kind": "乙",
        "kind_long": "五",
        "tags": ["学习", "服务"],
        "person": "王芳",
        "people": ["李明", "张伟"],
        "missing": [{"name": "王芳", "reason": "因公外出"}],
        "where": {"place": "三组", "lat": 26.5, "lon": 106.7},
        "id_number": "11010519491231002X",
        "mobile": "13800138000",
        "items": [{"what": "路灯坏了", "serious": "是", "detail": "三处"}],
    }
    p.set_values(values)
    got = p.values()
    for key, value in values.items():
        assert got[key] == value, key


def test_empty_states(editor):
    p = editor.panel
    p.set_values({})
    got = p.values()
    for key in (
        "name",
        "notes",
        "age",
        "amount",
        "day",
        "moment",
        "clock",
        "kind",
        "kind_long",
        "person",
        "where",
        "id_number",
        "mobile",
    ):
        assert got[key] is None, key
    assert got["tags"] == [] and got["pics"] == [] and got["items"] == []
    day = p.widget("day")
    assert day.blank.isVisible() and not day.edit.isVisible()
    day.check.setChecked(True)  # ticking fills today and shows the calendar
    assert day.value() is not None and day.edit.calendarPopup()
    day.check.setChecked(False)
    assert day.value() is None


def test_spin_boxes_honour_min_max_and_decimals(editor):
    age, amount = editor.panel.widget("age"), editor.panel.widget("amount")
    assert age.spin.maximum() == 120 and age.spin.minimum() == 17  # 17 shows as empty
    age.set_value(500)
    assert age.value() == 120
    assert amount.spin.decimals() == 2
    amount.set_value(3.14159)
    assert amount.value() == 3.14


def test_idcard_and_phone_validators_and_messages(qtbot, editor):
    ident, phone = editor.panel.widget("id_number"), editor.panel.widget("mobile")
    qtbot.keyClicks(phone.edit, "138abc0013800099")
    assert phone.edit.text() == "13800138000"  # letters refused, 11 digits max
    qtbot.keyClicks(ident.edit, "110105194912310021")  # wrong check digit
    editor.refresh_now()
    row = editor.panel.rows["id_number"]
    assert row.message.isVisible()
    ident.edit.clear()
    qtbot.keyClicks(ident.edit, "11010519491231002x")
    assert ident.edit.text() == "11010519491231002X"
    editor.refresh_now()
    assert not row.message.isVisible()


def test_calculated_value_is_read_only_and_live(qtbot, editor):
    editor.panel.widget("age").spin.setValue(40)
    qtbot.waitUntil(lambda: editor.panel.widget("double_age").value() == 80, timeout=2000)
    assert editor.panel.widget("double_age").focus_widgets() == []


def test_repeat_rows_add_delete_and_nested_relevance(qtbot, editor):
    rep = editor.panel.widget("items")
    rep.add_button.click()
    rep.add_button.click()
    assert len(rep.rows) == 2 and rep.rows[1].title.text() == "第 2 行"
    first = rep.rows[0].panel
    type_chinese(first.widget("what").edit, "道路破损")
    next(b for b in first.widget("serious").buttons if b.text() == "是").click()
    editor.refresh_now()
    assert first.rows["detail"].isVisible()
    assert not rep.rows[1].panel.rows["detail"].isVisible()
    editor._show_all = True
    editor.refresh_now()
    # Row 2 has no description: the message lands inside row 2.
    assert rep.rows[1].panel.rows["what"].message.isVisible()
    assert not first.rows["what"].message.isVisible()
    rep.rows[1].delete_button.click()
    assert len(rep.rows) == 1
    assert editor.panel.values()["items"] == [{"what": "道路破损", "serious": "是", "detail": None}]


def _image(path: Path, color="#3a7bd5") -> Path:
    img = QImage(320, 240, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    assert img.save(str(path))
    return path


def test_photos_by_picker_path_and_drop(qtbot, tmp_path, editor, session):
    photos = editor.panel.widget("pics")
    assert photos.acceptDrops()
    assert editor.uuid is None
    assert photos.add_paths([str(_image(tmp_path / "现场.png"))]) == 1
    assert editor.uuid is not None  # first attachment saved the draft
    [item] = photos.value()
    assert item["name"] == "现场.png" and len(item["sha256"]) == 64
    assert session.store.attachment_path(item["sha256"]).exists()
    card = photos.cards[item["sha256"]]
    qtbot.waitUntil(lambda: card.picture.pixmap() is not None and not card.picture.pixmap().isNull())
    # Drag and drop of a second image.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(_image(tmp_path / "合影.jpg", "#aa3333")))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt does not route a synthetic drop without a real drag, so call the handlers directly.
    photos.dragEnterEvent(drop)
    assert drop.isAccepted()
    photos.dropEvent(drop)
    assert [i["name"] for i in photos.value()] == ["现场.png", "合影.jpg"]
    # A text file is no photo.
    (tmp_path / "说明.txt").write_text("不是图片", encoding="utf-8")
    assert photos.add_paths([str(tmp_path / "说明.txt")]) == 0
    assert photos.error.isVisible() and "不是照片" in photos.error.text()
    photos.cards[item["sha256"]].remove_button.click()
    assert [i["name"] for i in photos.value()] == ["合影.jpg"]
    uuid = editor.save_now()
    assert [i["name"] for i in session.store.record(uuid).data["pics"]] == ["合影.jpg"]


def test_files_list(tmp_path, editor, session):
    files = editor.panel.widget("docs")
    (tmp_path / "签到表.xlsx").write_bytes(b"PK\x03\x04 fake")
    assert files.add_paths([str(tmp_path / "签到表.xlsx")]) == 1
    assert files.list.item(0).text() == "签到表.xlsx"
    assert session.store.attachments(editor.uuid)[0].name == "签到表.xlsx"


def test_read_only_locks_everything(editor):
    p = editor.panel
    p.set_read_only(True)
    assert p.widget("name").edit.isReadOnly()
    person = p.widget("person").combo
    assert person.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert person.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert p.widget("name").edit.placeholderText() == ""  # no example text in a locked field
    assert not p.widget("pics").add_button.isVisibleTo(p.widget("pics"))
    assert not p.widget("items").add_button.isVisibleTo(p.widget("items"))
    assert p.widget("pics").add_paths(["/nonexistent"]) == 0
    p.set_read_only(False)
    assert p.widget("name").edit.placeholderText() == "填写姓名"
