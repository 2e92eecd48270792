"""Settings: who is typing, how big the text is, which language, and the township hub.

Font size scales the whole window: the application font and the stylesheet's sizes and paddings
change together (`apply_appearance`), so 大字 is readable without anything being cut off.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop.appearance import DEFAULT_FONT_SIZE, apply_appearance, write_ui_cache
from desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from desktop.window_size import fit_window


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

        # The township's name heads the cover of every 台账 (forms/paper/book.py).
        self.township_edit = QLineEdit(str(store.get_setting("township") or ""))
        self.township_edit.setPlaceholderText(self.tr("例如：中共某某镇委员会；印在台账封面上"))
        self.township_edit.setMaxLength(60)

        self.font_combo = QComboBox()
        for value, label in (
            (("standard"), self.tr("标准")),
            ("large", self.tr("大字")),
            ("xlarge", self.tr("特大")),
        ):
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

        # addRow(text, widget) makes the widget its label's buddy, so Alt+N/F/L jump to it.
        form = QFormLayout()
        form.addRow(self.tr("录入人姓名(&N)："), self.operator_edit)
        form.addRow(self.tr("乡镇(&T)："), self.township_edit)
        form.addRow(self.tr("字体大小(&F)："), self.font_combo)
        form.addRow(self.tr("界面语言(&L)："), self.language_combo)
        form.addRow("", language_note)

        # The township hub (docs/HUB.md): joining is its own dialog, it talks to the network.
        self.hub_label = QLabel(self)
        self.hub_label.setWordWrap(True)
        self.hub_button = QPushButton(self)
        self.hub_button.clicked.connect(self.open_hub_join)
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub_label, 1)
        hub_row.addWidget(self.hub_button)
        form.addRow(self.tr("乡镇平台："), hub_row)
        self.show_hub()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        fit_window(self, "settings", 420, 0)

    def show_hub(self) -> None:
        from desktop.hub_join_dialog import hub_line

        self.hub_label.setText(hub_line(self.session.store))
        joined = self.session.store.hub_target() is not None
        self.hub_button.setText(self.tr("重新加入…") if joined else self.tr("加入乡镇平台…"))

    def open_hub_join(self):
        """The join dialog; the line above it says the outcome once it closes."""
        from desktop.hub_join_dialog import HubJoinDialog

        dialog = HubJoinDialog(self.session, self)
        dialog.finished.connect(lambda _result: self.show_hub())
        dialog.open()
        return dialog

    @staticmethod
    def _select(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def accept(self) -> None:
        """Store the settings and apply the font size at once."""
        name = self.operator_edit.text().strip()
        if not name:
            QMessageBox.warning(self, self.tr("设置"), self.tr("请填写录入人姓名。记录里会写明是谁录入的。"))
            self.operator_edit.setFocus()
            return
        store = self.session.store
        self.session.operator = name
        store.set_setting("township", self.township_edit.text().strip())
        font_size = self.font_combo.currentData()
        store.set_setting("font_size", font_size)
        language = self.language_combo.currentData()
        store.set_setting("language", language)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # always, while a dialog is on screen
            apply_appearance(app, font_size)
        write_ui_cache(self.session.data_dir, font_size, language)
        if language != self._original_language:
            QMessageBox.information(self, self.tr("设置"), self.tr("界面语言已保存，重新启动 Yici 后生效。"))
        super().accept()

    @property
    def language_changed(self) -> bool:
        return self.language_combo.currentData() != self._original_language
