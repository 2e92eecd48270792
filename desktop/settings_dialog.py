"""Settings: who is typing, how big the text is, which language.

Font size scales the whole window: the application font and the stylesheet's sizes and paddings
change together (`apply_appearance`), so 大字 is readable without anything being cut off.
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QMessageBox, QVBoxLayout,
)

from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES

STYLE_PATH = Path(__file__).resolve().parent.parent / "resources" / "style.qss"

# Setting value -> base font size in points. 标准 is a touch above the usual 9pt because
# Chinese characters at 9pt are hard to read on cheap laptop screens.
FONT_SIZES = {"standard": 10, "large": 13, "xlarge": 16}
DEFAULT_FONT_SIZE = "standard"


UI_CACHE = "ui.json"


def read_ui_cache(data_dir: Path) -> dict:
    """Language and font size as last seen, read before the database is opened.

    The store holds the settings; this small copy lets the window appear in the right language
    and size before the (slower to import) store is loaded. Missing or bad: defaults.
    """
    try:
        value = json.loads((Path(data_dir) / UI_CACHE).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def write_ui_cache(data_dir: Path, font_size: str | None, language: str | None) -> None:
    """Remember language and font size for the next start (best effort)."""
    try:
        (Path(data_dir) / UI_CACHE).write_text(
            json.dumps({"font_size": font_size, "language": language}), encoding="utf-8")
    except OSError:
        pass  # only a start-up hint: the store keeps the real settings


def font_points(size: str | None) -> int:
    """Base point size for a font-size setting ('standard', 'large', 'xlarge')."""
    return FONT_SIZES.get(size or DEFAULT_FONT_SIZE, FONT_SIZES[DEFAULT_FONT_SIZE])


def stylesheet(points: int) -> str:
    """The stylesheet with sizes and paddings scaled to `points`."""
    try:
        text = STYLE_PATH.read_text(encoding="utf-8")
    except OSError:
        return ""  # a missing stylesheet makes the window plainer, not unusable
    scale = points / FONT_SIZES["standard"]
    return (text.replace("@PT_BIG@", str(round(points * 1.3)))
            .replace("@PT@", str(points))
            .replace("@PAD_SMALL@", str(round(3 * scale)))
            .replace("@PAD@", str(round(8 * scale)))
            .replace("@IND@", str(round(14 * scale))))


def apply_appearance(app: QApplication, font_size: str | None, family: str | None = None) -> None:
    """Set the application font and stylesheet for a font-size setting."""
    points = font_points(font_size)
    font = QFont(app.font())
    if family:
        font.setFamily(family)
    font.setPointSize(points)
    app.setFont(font)
    app.setStyleSheet(stylesheet(points))


class SettingsDialog(QDialog):
    """Operator name, font size and language, stored with store.set_setting."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("设置"))
        store = session.store

        self.operator_edit = QLineEdit(session.operator)
        self.operator_edit.setPlaceholderText(self.tr("例如：张晓梅"))
        self.operator_edit.setMaxLength(30)

        self.font_combo = QComboBox()
        for value, label in ((("standard"), self.tr("标准")), ("large", self.tr("大字")),
                             ("xlarge", self.tr("特大"))):
            self.font_combo.addItem(label, value)
        self._select(self.font_combo, store.get_setting("font_size", DEFAULT_FONT_SIZE))

        self.language_combo = QComboBox()
        for value, label in LANGUAGES.items():
            self.language_combo.addItem(label, value)
        self._original_language = store.get_setting("language", DEFAULT_LANGUAGE)
        self._select(self.language_combo, self._original_language)

        language_note = QLabel(self.tr("切换语言需要重新启动 Yici 才能生效。"))
        language_note.setObjectName("hint")
        language_note.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("录入人姓名(&N)："), self.operator_edit)
        form.addRow(self.tr("字体大小(&F)："), self.font_combo)
        form.addRow(self.tr("界面语言(&L)："), self.language_combo)
        form.addRow("", language_note)
        for row, buddy in ((0, self.operator_edit), (1, self.font_combo), (2, self.language_combo)):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            label.setBuddy(buddy)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def accept(self) -> None:
        """Store the settings and apply the font size at once."""
        name = self.operator_edit.text().strip()
        if not name:
            QMessageBox.warning(self, self.tr("设置"),
                                self.tr("请填写录入人姓名。记录里会写明是谁录入的。"))
            self.operator_edit.setFocus()
            return
        store = self.session.store
        self.session.operator = name
        font_size = self.font_combo.currentData()
        store.set_setting("font_size", font_size)
        language = self.language_combo.currentData()
        store.set_setting("language", language)
        app = QApplication.instance()
        apply_appearance(app, font_size)
        write_ui_cache(self.session.data_dir, font_size, language)
        if language != self._original_language:
            QMessageBox.information(
                self, self.tr("设置"),
                self.tr("界面语言已保存，重新启动 Yici 后生效。"))
        super().accept()

    @property
    def language_changed(self) -> bool:
        return self.language_combo.currentData() != self._original_language
