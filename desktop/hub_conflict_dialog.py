"""A record corrected on two laptops: both versions side by side, and the person's choice.

The township hub refused this laptop's correction because another laptop had corrected the same
record first (docs/HUB.md, "Conflicts"). Nothing is overwritten until a person chooses here: keep
this laptop's version, take the hub's, or tick, field by field, which value to keep and merge.
Every choice is a new revision, audited and delivered like a correction
(`Records.resolve_hub_conflict`). With several open conflicts the dialog goes through them one
after another.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.delivery_details import short_time
from desktop.errors import show_error
from desktop.window_size import fit_window
from forms.conflict_fields import FieldDifference, differing_fields

MINE, THEIRS = 1, 2  # the table's columns holding each version


def shown_value(value: Any) -> str:
    """A stored value as a person reads it: lists joined, a person's absence with its reason,
    a file by its name, nothing as a dash."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if "name" in value:
            reason = value.get("reason")
            return f"{value['name']}（{reason}）" if reason else str(value["name"])
        if "place" in value or "lat" in value:
            return str(value.get("place") or f"{value.get('lat')}, {value.get('lon')}")
        return "；".join(f"{k}：{shown_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "name" not in v for v in value):
            return "\n".join(f"{n}. {shown_value(v)}" for n, v in enumerate(value, 1))  # repeat rows
        return "、".join(shown_value(v) for v in value)
    return str(value).replace("T", " ") if _is_datetime(value) else str(value)


def _is_datetime(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] == "T"


class HubConflictDialog(QDialog):
    """One open conflict at a time, until none is left or the person puts it off."""

    def __init__(self, session, parent: QWidget | None = None, *, first: str | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("与乡镇平台的冲突"))
        self.resolved: list[str] = []  # record uuids resolved here, in order
        self.conflict = None
        self.differences: list[FieldDifference] = []

        self.position = QLabel(self)
        self.position.setObjectName("hint")
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("项目"), self.tr("本机的版本"), self.tr("乡镇平台上的版本")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(THEIRS, QHeaderView.ResizeMode.Stretch)
        # Wrapped values are as tall as their column is narrow: rows follow the columns' widths.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._ticked)
        self.table.setAccessibleName(self.tr("两个版本不同的项目"))

        self.mine_button = QPushButton(self.tr("保留本机的版本(&M)"), self)
        self.theirs_button = QPushButton(self.tr("采用平台上的版本(&T)"), self)
        self.merge_button = QPushButton(self.tr("按勾选合并(&G)"), self)
        self.later_button = QPushButton(self.tr("以后再说"), self)
        self.mine_button.setToolTip(self.tr("以本机的内容为准，作为一次更正发给乡镇平台和其他平台"))
        self.theirs_button.setToolTip(self.tr("以另一台电脑的更正为准，本机的记录改成平台上的内容"))
        self.merge_button.setToolTip(self.tr("每一项按表里勾选的那一边保留，合并成一个新版本"))
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.merge_button.clicked.connect(lambda: self.resolve("merged"))
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.mine_button, self.theirs_button, self.merge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)

        box = QVBoxLayout(self)
        box.addWidget(self.position)
        box.addWidget(self.heading)
        box.addWidget(self.explain)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        self.show_next(first)
        fit_window(self, "hub-conflict", 760, 460)

    # -- what is shown ---------------------------------------------------------------------------
    def open_conflicts(self) -> list:
        return self.session.store.hub_conflicts()

    def show_next(self, uuid: str | None = None) -> bool:
        """Show the conflict of `uuid` (else the oldest open one); False when none is left."""
        found = self.open_conflicts()
        if not found:
            self.conflict = None
            return False
        chosen = next((c for c in found if c.record_uuid == uuid), found[0])
        self.conflict = chosen
        index = found.index(chosen) + 1
        self.position.setText(
            self.tr("第 {n} 条，共 {total} 条待处理").format(n=index, total=len(found))
            if len(found) > 1
            else ""
        )
        self.position.setVisible(len(found) > 1)
        theirs = chosen.theirs
        self.heading.setText(chosen.summary or chosen.record_uuid[:8])
        void = theirs.get("status") == "void"
        who = theirs.get("operator") or self.tr("另一台电脑")
        when = short_time(theirs.get("finalized_at"))
        if void:
            self.explain.setText(
                self.tr(
                    "这条记录在乡镇平台上已被 {who} 作废（原因：{reason}）。本机的更正没有被接收。"
                    "只能采用平台上的版本：本机的记录也会作废。"
                ).format(who=who, reason=theirs.get("void_reason") or "—")
            )
        else:
            self.explain.setText(
                self.tr(
                    "这条记录在另一台电脑上也被更正过（{who}，{when}），所以本机的更正没有被乡镇平台接收。"
                    "下面是两个版本不同的地方。请选择保留哪一版，或在每一行勾选要保留的一边后点“按勾选合并”。"
                    "不论选哪一种，都会作为一次新的更正保存，并发给各个平台。"
                ).format(who=who, when=when or "—")
            )
        self.differences = self._differences(chosen)
        self._fill(self.differences)
        self.mine_button.setEnabled(not void)
        self.merge_button.setEnabled(not void and bool(self.differences))
        return True

    def _differences(self, conflict) -> list[FieldDifference]:
        data = conflict.theirs.get("data")
        theirs: dict = data if isinstance(data, dict) else {}
        try:
            form = self.session.records.form(conflict.form_id, conflict.form_version)
        except Exception:  # noqa: BLE001 - a form that cannot be read still shows the keys
            form = None
        return differing_fields(form, conflict.local, theirs)

    def _fill(self, differences: list[FieldDifference]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(differences))
        for row, d in enumerate(differences):
            label = QTableWidgetItem(d.label)
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, label)
            for column, value in ((MINE, d.mine), (THEIRS, d.theirs)):
                item = QTableWidgetItem(shown_value(value))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if column == MINE else Qt.CheckState.Unchecked)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)

    def _ticked(self, item: QTableWidgetItem) -> None:
        """One side per row: ticking a value unticks the other; unticking the only one keeps it."""
        if item.column() not in (MINE, THEIRS):
            return
        other = self.table.item(item.row(), THEIRS if item.column() == MINE else MINE)
        if other is None:
            return
        self.table.blockSignals(True)
        ticked = item.checkState() == Qt.CheckState.Checked
        other.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
        self.table.blockSignals(False)

    def choose(self, row: int, side: int) -> None:
        """Tick `side` (MINE or THEIRS) in `row`, as a click on its box does."""
        item = self.table.item(row, side)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked)

    def merged_values(self) -> dict:
        """This laptop's values with every row ticked on the hub's side taken from the hub."""
        assert self.conflict is not None
        values = dict(self.conflict.local)
        for row, d in enumerate(self.differences):
            item = self.table.item(row, THEIRS)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                if d.theirs is None:
                    values.pop(d.key, None)
                else:
                    values[d.key] = d.theirs
        return values

    # -- the choice -----------------------------------------------------------------------------
    def resolve(self, keep: str) -> bool:
        """Save the person's choice as a new revision; then the next conflict, or close."""
        if self.conflict is None:
            return False
        uuid = self.conflict.record_uuid
        values = self.merged_values() if keep == "merged" else None
        try:
            self.session.records.resolve_hub_conflict(uuid, keep, self.session.operator, values=values)
        except Exception as exc:  # noqa: BLE001 - every failure is said, nothing is lost
            show_error(self, exc)
            return False
        self.resolved.append(uuid)
        if not self.show_next():
            self.accept()
        return True
