"""Settings: operator, font size scaling the whole UI, language (applies after restart)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.appearance import FONT_SIZES, stylesheet
from desktop.settings_dialog import SettingsDialog
from tests.desktop.conftest import type_chinese


def test_font_size_changes_the_application_font(session, qtbot, qapp):
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert qapp.font().pointSize() == FONT_SIZES["standard"]
    dialog.font_combo.setCurrentIndex(dialog.font_combo.findData("large"))
    dialog.accept()
    assert session.store.get_setting("font_size") == "large"
    assert qapp.font().pointSize() == FONT_SIZES["large"]
    assert f"font-size: {FONT_SIZES['large']}pt" in qapp.styleSheet()
    # A new widget picks the size up; the stylesheet's paddings grew with it.
    assert "padding: 10px" in stylesheet(FONT_SIZES["large"]) or "padding: 4px 10px" in stylesheet(
        FONT_SIZES["large"]
    )
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.font_combo.currentData() == "large"
    dialog.font_combo.setCurrentIndex(dialog.font_combo.findData("xlarge"))
    dialog.accept()
    assert qapp.font().pointSize() == FONT_SIZES["xlarge"]


def test_operator_name_is_saved(session, qtbot):
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.operator_edit.clear()
    type_chinese(dialog.operator_edit, "李秀英")
    dialog.accept()
    assert session.operator == "李秀英"


def test_empty_operator_is_refused(session, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.operator_edit.clear()
    dialog.accept()
    assert shown and session.operator == "张晓梅"


def test_language_is_stored_and_says_restart(session, qtbot, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.language_changed
    dialog.accept()
    assert session.store.get_setting("language") == "en"
    assert told and "重新启动" in told[0]


def test_the_township_is_saved_and_heads_every_book(session, qtbot):
    """乡镇 in the settings is the line above the branch on a 台账's cover, and a profile carries it."""
    from forms.paper.book import branch_book
    from forms.paper.periods import parse_period
    from forms.profile import import_profile
    from forms.profile_export import export_profile

    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    type_chinese(dialog.township_edit, "中共红星镇委员会")
    dialog.accept()
    assert session.store.get_setting("township") == "中共红星镇委员会"
    branch = session.store.add_branch("依干其乡托万克亚喀艾日克村党支部")
    cover = branch_book(session.store, session.catalog, branch.id, parse_period(2026)).html
    assert "中共红星镇委员会" in cover
    text = export_profile(session.store, session.catalog)
    assert "township: 中共红星镇委员会" in text
    # Imported into a laptop that has none, the township arrives with the profile.
    from forms.catalog import Catalog
    from forms.store import Store

    fresh = Store.open(session.data_dir.parent / "fresh")
    profile = session.data_dir.parent / "county.yaml"
    profile.write_text(text, encoding="utf-8")
    import_profile(fresh, Catalog(fresh.data_dir), profile)
    assert fresh.get_setting("township") == "中共红星镇委员会"
    fresh.close()
