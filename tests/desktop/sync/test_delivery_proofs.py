"""A web-form entry's screenshots in its delivery's details: thumbnails saying what each shows and
when, one click to see it whole (scrolling) and save a copy; a screenshot gone from the data
folder is said, not a crash."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

import desktop.proof_view as proof_view
from desktop.delivery_panel import DeliveryPanel
from tests.desktop.sync.browser_window import NAME
from tests.sync.browser_setup import RECIPES

RECIPE = (RECIPES / "standin-check-first.yaml").read_text(encoding="utf-8")


def png(width: int, height: int, color: str) -> bytes:
    """A page-sized screenshot of one colour."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def entered(session, final_record, shots):
    """A record entered into a web form by a run, with these (kind, png, url) screenshots."""
    target = session.store.add_target(NAME, "browser", options={"recipe": RECIPE})
    uuid = final_record()
    [d] = session.store.deliveries(target_id=target.id)
    session.store.start_browser_entry(d.id)
    session.store.finish_browser_entry(d.id, session.operator, "entered", "已在平台录入", proofs=shots)
    return uuid


def test_screenshots_show_as_thumbnails_and_open_whole_to_save(
    qtbot, session, final_record, tmp_path, monkeypatch
):
    before, after = png(1280, 2400, "#fde8e8"), png(1280, 900, "#e6f4ea")
    uuid = entered(
        session,
        final_record,
        [("before", before, "http://10.0.0.5/meetings/new"), ("after", after, "http://10.0.0.5/m/7?sid=abc")],
    )
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    assert panel.select_target(NAME)
    details = panel.view_selected()
    assert details is not None and details.proofs is not None
    strip = details.proofs
    titles = [b.text().split("\n") for b in strip.buttons]
    assert [t[0] for t in titles] == ["提交前", "提交后"] and all(len(t[1]) == 16 for t in titles)
    assert strip.buttons[1].toolTip() == "http://10.0.0.5/m/7"  # the address without its query
    em = strip.fontMetrics().horizontalAdvance("一")
    for button in strip.buttons:  # thumbnails, not the page at its size
        assert 0 < button.iconSize().width() <= 12 * em and button.iconSize().height() <= 8 * em

    qtbot.mouseClick(strip.buttons[0], Qt.MouseButton.LeftButton)
    viewer = strip.viewer
    assert viewer is not None and viewer.isVisible()
    assert viewer.picture.pixmap().height() == 2400  # whole, in a scrolling area
    assert viewer.area.verticalScrollBar().maximum() > 0
    saved = tmp_path / "证明"  # the person typed no extension
    monkeypatch.setattr(proof_view, "ask_where", lambda _parent, _title, suggested: saved)
    assert viewer.save_as() == tmp_path / "证明.png"
    assert (tmp_path / "证明.png").read_bytes() == before
    assert "已保存" in viewer.status.text()
    assert viewer.name.startswith(NAME) and viewer.name.endswith(".png") and ":" not in viewer.name


def test_a_screenshot_gone_from_the_data_folder_is_said(qtbot, session, final_record):
    shot = png(800, 600, "#eeeeee")
    uuid = entered(session, final_record, [("after", shot, "http://10.0.0.5/m/8")])
    [proof] = session.store.proofs(session.store.deliveries(record_uuid=uuid)[0].id)
    session.store.attachment_path(proof.sha256).unlink()
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    panel.select_target(NAME)
    details = panel.view_selected()
    assert details is not None and details.proofs is not None
    [button] = details.proofs.buttons
    assert "截图文件不见了" in button.text() and not button.isEnabled()
    assert details.proofs.open_proof(0) is None


def test_a_delivery_without_screenshots_shows_none(qtbot, session, final_record):
    session.store.add_target("手机端系统", "copy", options={"fields": "会议名称 = title"})
    uuid = final_record()
    panel = DeliveryPanel(session, uuid)
    qtbot.addWidget(panel)
    details = panel.view_selected()
    assert details is not None and details.proofs is None
