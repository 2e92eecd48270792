"""English comes from the compiled .qm; Chinese is the source language and needs none."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from desktop.i18n import I18N_DIR, install_language, remove_language
from desktop.main_window import MainWindow


def test_english_translation_loads(qapp):
    assert (I18N_DIR / "yici_en.qm").exists()
    assert install_language(qapp, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "新建记录") == "New record"
        assert QCoreApplication.translate("RecordsModel", "摘要") == "Summary"
        assert QCoreApplication.translate("errors", "无法完成") == "Could not finish"
    finally:
        remove_language(qapp)
    assert QCoreApplication.translate("MainWindow", "新建记录") == "新建记录"


def test_chinese_needs_no_file(qapp):
    assert install_language(qapp, "zh_CN")
    assert QCoreApplication.translate("MainWindow", "新建记录") == "新建记录"
    assert install_language(qapp, "no-such-language")  # falls back to Chinese


def test_window_built_in_english(session, qtbot, qapp):
    session.store.add_branch("红星村党支部")
    install_language(qapp, "en")
    try:
        window = MainWindow(session)
        qtbot.addWidget(window)
        assert window.new_button.text() == "New record"
        assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Settings", "&Help"]
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Form"
        assert window.sync_label.text() == "No delivery platform configured"
    finally:
        remove_language(qapp)
