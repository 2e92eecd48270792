"""Attendance from the branch roster: tick who came (`members`), give reasons for who did not
(`absences`). The form panel tells the absences widget whenever the ticks change.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from desktop.editor.field_base import FieldWidget, lock_combo

# Reasons offered for an absence; the combo stays editable for anything else ("请假（外出务工）").
ABSENCE_REASONS = ("请假", "缺席", "因公外出", "病假")

_NAME_ROLE = Qt.ItemDataRole.UserRole


class FittingList(QListWidget):
    """A wrapping list that tells its owner when its width changed, to refit its height."""

    def __init__(self, on_resize, parent=None):
        super().__init__(parent)
        self._on_resize = on_resize

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._on_resize()


class MembersWidget(FieldWidget):
    """`members`: the roster as tick boxes in columns, with 全选 / 全不选 and a count."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.list = FittingList(self._fit_height, self)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.all_button = QPushButton(self.tr("全选"), self)
        self.none_button = QPushButton(self.tr("全不选"), self)
        self.count = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.all_button)
        top.addWidget(self.none_button)
        top.addWidget(self.count)
        top.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.list)
        self.setFocusProxy(self.list)
        self._fill([])
        self.list.itemChanged.connect(self._item_changed)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button.clicked.connect(lambda: self._tick_all(False))

    def _fill(self, ticked: list[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        names = list(self.env.roster) + [n for n in ticked if n not in self.env.roster]
        chosen = set(ticked)
        for name in names:
            item = QListWidgetItem(name)
            item.setData(_NAME_ROLE, name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            if name not in self.env.roster:
                item.setToolTip(self.tr("不在本支部名册中"))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._fit_grid()
        self._update_count()
        self._fit_height()

    def _fit_grid(self) -> None:
        """Columns as wide as the widest name with its tick box, so every name reads in full.
        Each item's width is set here: Qt's own hint misses the stylesheet's bigger tick box
        (大字 / 特大) and the name was cut to "…"."""
        self.list.ensurePolished()
        metrics = self.list.fontMetrics()
        em = metrics.horizontalAdvance("中")
        tick = self.list.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, self.list)
        height = max(metrics.height(), tick) + 8
        widest = em * 4
        for i in range(self.list.count()):
            item = self.list.item(i)
            width = metrics.horizontalAdvance(item.text()) + max(tick, metrics.height()) + em
            item.setSizeHint(QSize(width, height))
            widest = max(widest, width)
        self.list.setGridSize(QSize(widest + em, height + 4))

    def _item_changed(self, _item) -> None:
        self._update_count()
        self._emit()

    def _tick_all(self, on: bool) -> None:
        if self._read_only:
            return
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._update_count()
        self._emit()

    def _update_count(self) -> None:
        self.count.setText(
            self.tr("已选 {n} / {total} 人").format(n=len(self.value()), total=self.list.count())
        )

    def names(self) -> list[str]:
        """Every name offered, in roster order."""
        return [self.list.item(i).data(_NAME_ROLE) for i in range(self.list.count())]

    def set_checked(self, name: str, on: bool) -> None:
        """Tick or untick one person, as a click would (emits `changed`)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_NAME_ROLE) == name:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def value(self):
        return [
            self.list.item(i).data(_NAME_ROLE)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _show(self, value):
        self._fill([str(v) for v in value] if isinstance(value, list) else [])

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setFlags(flags)
        self.list.blockSignals(False)
        self.all_button.setVisible(not read_only)
        self.none_button.setVisible(not read_only)

    def focus_widgets(self):
        return [self.all_button, self.none_button, self.list]

    def _fit_height(self) -> None:
        # Show every name without an inner scroll bar up to ten rows; longer rosters scroll.
        grid = self.list.gridSize()
        scroll = self.list.verticalScrollBar().sizeHint().width()
        usable = max(self.list.width() - 2 * self.list.frameWidth() - scroll, grid.width())
        per_row = max(1, usable // grid.width())
        rows = max(1, -(-self.list.count() // per_row))
        rows = min(rows, 10)
        self.list.setFixedHeight(rows * grid.height() + 2 * self.list.frameWidth() + 6)


class AbsencesWidget(FieldWidget):
    """`absences`: everyone on the roster not ticked as present, each with a reason."""

    def __init__(self, field, env, parent=None):
        super().__init__(field, env, parent)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(2, 1)
        self.empty = QLabel(self.tr("无（全部到会）"), self)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.empty)
        box.addLayout(self.grid)
        self.rows: list[tuple[str, QLabel, QComboBox]] = []
        self.expected: list[str] | None = None  # who the meeting expects; None: the roster

    def _build(self, items: list[dict]) -> None:
        for _name, label, combo in self.rows:
            label.deleteLater()
            combo.deleteLater()
        self.rows = []
        width = self.fontMetrics().horizontalAdvance("中") * 12
        for r, item in enumerate(items):
            label = QLabel(item["name"], self)
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(list(ABSENCE_REASONS))
            combo.setCurrentIndex(-1)
            combo.setEditText(item.get("reason") or "")
            reason_edit = combo.lineEdit()  # there is one: the combo is editable
            if reason_edit is not None:
                reason_edit.setPlaceholderText(self.tr("原因"))
            combo.setMinimumWidth(width)
            lock_combo(combo, self._read_only)
            combo.editTextChanged.connect(self._emit)
            self.grid.addWidget(label, r, 0)
            self.grid.addWidget(combo, r, 1)
            self.rows.append((item["name"], label, combo))
        self.empty.setVisible(not items)
        self.stops_changed.emit()

    def value(self):
        return [{"name": name, "reason": combo.currentText().strip()} for name, _l, combo in self.rows]

    def _show(self, value):
        items = [v for v in value if isinstance(v, dict) and v.get("name")] if isinstance(value, list) else []
        self._build([{"name": str(v["name"]), "reason": str(v.get("reason") or "")} for v in items])

    def set_attendees(self, attendees: list[str]) -> None:
        """Recompute who is absent (those expected, by default the roster, minus `attendees`),
        keeping reasons already given."""
        present = set(attendees)
        reasons = {item["name"]: item["reason"] for item in self.value()}
        names = [n for n in (self.env.roster if self.expected is None else self.expected) if n not in present]
        names += [n for n in reasons if n not in present and n not in names]
        items = [{"name": n, "reason": reasons.get(n, "")} for n in names]
        if items == self.value():
            return
        self._build(items)
        self._emit()

    def combo_for(self, name: str) -> QComboBox | None:
        """The reason box of one absent person (for tests and focus)."""
        return next((c for n, _l, c in self.rows if n == name), None)

    def set_read_only(self, read_only):
        super().set_read_only(read_only)
        for _n, _l, combo in self.rows:
            lock_combo(combo, read_only)

    def focus_widgets(self):
        return [combo for _n, _l, combo in self.rows]
