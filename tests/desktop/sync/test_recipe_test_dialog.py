"""The targets page's 测试 for a web-form platform runs the recipe tester in a real headless
Chromium against the stand-in: the person looks at the filled form, presses 继续, and the dialog
lists the fields it could not fill (with their recipe lines) beside a screenshot; nothing is
submitted and no delivery is touched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import desktop.proof_view as proof_view
from desktop.targets_dialog import TargetsDialog
from tests.desktop.sync.browser_window import headless, recipe_line, web_form_target
from tests.sync.headless import needs_chromium
from tests.sync.standin_platform import StandinPlatform

pytestmark = needs_chromium
RUN_MS = 120_000


@pytest.fixture
def renamed():
    """The stand-in after the platform renamed 会议名称 to 会议标题."""
    server = StandinPlatform(labels={"会议名称": "会议标题"})
    yield server
    server.close()


def test_a_renamed_field_is_listed_with_its_recipe_line_beside_the_filled_form(
    qtbot, session, final_record, renamed, tmp_path, monkeypatch
):
    target = web_form_target(session, renamed, "standin-auto.yaml")
    final_record()
    page = TargetsDialog(session)
    qtbot.addWidget(page)
    page.open_browser = headless(tmp_path / "chromium")
    assert page.select(target.name)
    assert "试填" in page.test_button.toolTip()
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    dialog = page.trial
    qtbot.waitUntil(lambda: dialog.pause_panel.isVisibleTo(dialog), timeout=RUN_MS)
    assert "继续" in dialog.pause_text.text()  # look at the form in the browser, then continue
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=RUN_MS)

    assert dialog.missing.isVisibleTo(dialog) and dialog.missing.rowCount() == 1
    row = [dialog.missing.item(0, c).text() for c in range(3)]
    assert row[0] == "会议名称"
    assert row[1] == str(recipe_line(renamed, "standin-auto.yaml", "label: 会议名称"))
    assert row[2] and not row[2].startswith("字段")  # the reason alone: label and line have columns
    assert "1 个字段没能填写" in dialog.outcome.text()
    # The filled form, scaled into the dialog; a click shows it whole, to save a copy of.
    assert dialog.picture.isVisibleTo(dialog) and not dialog.picture.pixmap().isNull()
    assert dialog.picture.pixmap().width() <= dialog.picture.width()
    saved = tmp_path / "试填.png"
    monkeypatch.setattr(proof_view, "ask_where", lambda *_a: saved)
    qtbot.mouseClick(dialog.picture, Qt.MouseButton.LeftButton)
    viewer = dialog.viewer
    assert viewer is not None and viewer.isVisible()
    assert viewer.picture.pixmap().width() > dialog.picture.pixmap().width()
    assert viewer.save_as() == saved and saved.read_bytes() == dialog.report.screenshot
    # A test enters nothing and leaves the waiting record as it was.
    assert renamed.meetings == []
    assert [d.state for d in session.store.deliveries(target_id=target.id)] == ["awaiting_entry"]
    assert page.test_button.isEnabled()
