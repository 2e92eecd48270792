"""Asking for a reason: why a record is voided (作废), or what a correction (更正) changes.
Both are written to the audit, so neither may be empty.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from desktop.window_size import fit_window


class _ReasonDialog(QDialog):
    """A question, an editable combo of common answers, OK enabled only with some text."""

    def __init__(self, title: str, question: str, suggestions: list[str], ok_text: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(question, self)
        label.setWordWrap(True)
        self.combo = QComboBox(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(suggestions)
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText("")
        self.combo.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 24)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(label)
        box.addWidget(self.combo)
        box.addWidget(buttons)
        self.combo.editTextChanged.connect(self._update)
        self._update()
        fit_window(self, type(self).__name__, 420, 0)

    def _update(self, *_args) -> None:
        self.ok_button.setEnabled(bool(self.text()))

    def text(self) -> str:
        """The reason as typed, trimmed."""
        return self.combo.currentText().strip()


class VoidDialog(_ReasonDialog):
    """作废: the record stays (greyed, 已作废) but no longer counts; a reason is required."""

    def __init__(self, parent=None):
        super().__init__(
            self.tr("作废记录"),
            self.tr("作废后这条记录不再计入统计，但会保留备查。请写明作废原因："),
            [self.tr("重复录入"), self.tr("选错了支部"), self.tr("选错了表单"), self.tr("会议没有实际召开")],
            self.tr("作废"),
            parent,
        )

    @classmethod
    def ask(cls, parent=None) -> str | None:
        """The reason, or None when cancelled."""
        dialog = cls(parent)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None


class CorrectionDialog(_ReasonDialog):
    """更正: a new revision of a final record; the note says what was changed and why."""

    def __init__(self, parent=None):
        super().__init__(
            self.tr("保存更正"),
            self.tr("更正会生成新的版本，原来的版本保留在历史中。请说明更正了什么、为什么："),
            [self.tr("补充会议内容"), self.tr("更正实到人员"), self.tr("更正会议时间"), self.tr("补充照片")],
            self.tr("保存更正"),
            parent,
        )

    @classmethod
    def ask(cls, parent=None) -> str | None:
        """The note, or None when cancelled."""
        dialog = cls(parent)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None
