"""A target's options as a table: one row per option, its value, and what it means.

The target form (target_form.py) shows one; what each kind's options mean comes from
target_options.py, which options a kind knows and which values they take from the kinds
themselves (forms/target_kinds.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from desktop.target_options import option_hint


class OptionTable(QTableWidget):
    """Option name, value and hint; `kind()` says which kind's hints to show."""

    def __init__(self, kind: Callable[[], str], parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self._kind = kind
        self.setHorizontalHeaderLabels([self.tr("选项"), self.tr("值"), self.tr("说明")])
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.setColumnWidth(1, self.fontMetrics().horizontalAdvance("中") * 16)
        self.setMinimumHeight(120)
        # Hints wrap in their column: a column that changes width changes the lines they need.
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())
        self.itemChanged.connect(self._edited)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The stretched last column widens with the window without saying so (no sectionResized),
        # once the header has laid itself out: a hint wrapped for a narrow column left its row
        # tall, its text low and cut.
        QTimer.singleShot(0, self, self.resizeRowsToContents)

    def set_option(self, key: str, value: str) -> None:
        """Set an option row (adding one when the key is new)."""
        rows = [row for row in range(self.rowCount()) if self.cell(row, 0) == key]
        row = rows[0] if rows else self.add_row(key)
        item = self.item(row, 1)  # every row has its value cell (add_row)
        if item is not None:
            item.setText(value)

    def add_row(self, key: str = "") -> int:
        """Add an option row for `key` (empty: the person types the name); its row number."""
        row = self.rowCount()
        self.blockSignals(True)
        self.insertRow(row)
        self.setItem(row, 0, QTableWidgetItem(key))
        self.setItem(row, 1, QTableWidgetItem(""))
        hint = QTableWidgetItem("")
        hint.setFlags(hint.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, 2, hint)
        self.blockSignals(False)
        self.show_hint(row)
        self.setCurrentCell(row, 1 if key else 0)
        return row

    def remove_selected(self) -> None:
        """Remove the selected rows."""
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def _edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.show_hint(item.row())

    def show_hints(self) -> None:
        """Every row's hint again (the kind changed)."""
        for row in range(self.rowCount()):
            self.show_hint(row)

    def show_hint(self, row: int) -> None:
        """The hint of one row: what the option means, or that this kind does not know it."""
        hint = self.item(row, 2)
        if hint is None:
            return
        self.blockSignals(True)
        text = option_hint(self._kind(), self.cell(row, 0))
        hint.setText(text or (self.tr("（此类型不认识这个选项）") if self.cell(row, 0) else ""))
        hint.setToolTip(text)
        self.blockSignals(False)

    def cell(self, row: int, column: int) -> str:
        """A cell's text, trimmed."""
        item = self.item(row, column)
        return item.text().strip() if item else ""

    def names(self) -> list[str]:
        """The option names typed, in order (a name typed twice appears twice)."""
        return [self.cell(r, 0) for r in range(self.rowCount()) if self.cell(r, 0)]

    def values(self) -> dict[str, str]:
        """The options as typed (rows without a name are left out)."""
        return {self.cell(r, 0): self.cell(r, 1) for r in range(self.rowCount()) if self.cell(r, 0)}
