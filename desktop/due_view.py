"""What is due for a branch: this month's and this quarter's meetings as done / due / overdue.

The rules come from the forms' cadence (forms/cadence.py); a branch may change a rule's period
(e.g. 党课 twice a year) in `CadenceDialog`, stored in `Branch.cadence` via store.update_branch.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QCoreApplication,
    QLocale,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import QT_TRANSLATE_NOOP
from desktop.window_size import fit_window
from forms.model import CADENCE_PERIODS

# forms.cadence (and the Jinja2 it brings) is imported where it is used, after the window is
# on screen: a quick start matters more than a tidy import list.
OFF = "off"  # forms.OFF: a rule turned off for a branch

STARTED_SETTING = "started_on"  # the day Yici was first used here: nothing earlier is "overdue"


def branch_due(session, branch, today: dt.date | None = None) -> list:
    """The due items (forms.cadence.DueItem) for one branch today."""
    from forms import cadence

    today = today or dt.date.today()
    forms = session.catalog.all()
    overrides = dict(getattr(branch, "cadence", None) or {})
    since = session.store.get_setting(STARTED_SETTING)
    # Only the records that can matter today: from the start of the earliest period a rule looks at.
    since = since or None
    records = session.store.records_for_cadence(branch.id, cadence.window(forms, overrides, today, since))
    return cadence.due_items(forms, overrides, records, today, since=since)


def state_name(state: str) -> str:
    """逾期 / 待办 / 已完成 for a state."""
    names = {
        "overdue": QCoreApplication.translate("DuePanel", "逾期"),
        "due": QCoreApplication.translate("DuePanel", "待办"),
        "done": QCoreApplication.translate("DuePanel", "已完成"),
    }
    return names.get(state, state)


class FlowLayout(QLayout):
    """Lays chips left to right, wrapping to the next line (Qt's flow layout example)."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        space = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line_height > 0:
                x, y = rect.x(), y + line_height + space
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + space
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class DueChip(QLabel):
    """One due item; clicked (or Enter/Space with the focus on it) it asks to start that record."""

    clicked = Signal(object)  # the DueItem

    def __init__(self, item, text: str, parent=None):
        super().__init__(text, parent)
        self.item = item
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.item)
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.item)
            return
        super().keyPressEvent(event)


class DuePanel(QFrame):
    """The due items of the chosen branch, as coloured chips, with a button to adjust cadence."""

    cadenceChanged = Signal(int)  # branch id whose overrides changed
    recordRequested = Signal(str, object)  # a chip was clicked: form id, values to start with

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("duePanel")
        self.branch = None
        self.pending = False
        self.items: list = []
        self.today = dt.date.today()
        self.title = QLabel(self.tr("应办事项"))
        self.title.setObjectName("dueTitle")
        self.title.setWordWrap(True)  # a long branch name wraps rather than widen the window
        self.adjust_button = QPushButton(self.tr("调整频次(&C)…"))
        self.adjust_button.setToolTip(self.tr("按本支部的规定调整各项会议的召开频次"))
        self.adjust_button.clicked.connect(self.edit_cadence)
        self.adjust_button.setEnabled(False)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.adjust_button)
        self.chips = QWidget()
        self.flow = FlowLayout(self.chips)
        self.empty = QLabel(self.tr("请先在左侧选择一个支部。"))
        self.empty.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.empty)
        layout.addWidget(self.chips)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_branch(
        self, branch, items: list | None = None, today: dt.date | None = None, pending: bool = False
    ) -> None:
        """Show `branch`'s due items (computed now unless given, or later when `pending`)."""
        self.branch = branch
        self.today = today or dt.date.today()
        self.pending = pending and branch is not None and items is None
        self.adjust_button.setEnabled(branch is not None)
        if branch is None:
            self.items = []
            self.title.setText(self.tr("应办事项"))
        else:
            if items is None and not self.pending:
                items = branch_due(self.session, branch, today)
            self.items = items or []
            self.title.setText(self.tr("应办事项 · %1").replace("%1", branch.name))
        self._fill()

    def _fill(self) -> None:
        while self.flow.count():
            item = self.flow.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.empty.setVisible(not self.items)
        if self.pending:
            self.empty.setText(self.tr("正在计算……"))
        elif self.branch is not None and not self.items:
            self.empty.setText(self.tr("本支部没有需要定期召开的会议。"))
        elif self.branch is None:
            self.empty.setText(self.tr("请先在左侧选择一个支部。"))
        for item in self.items:
            chip = DueChip(
                item, f"{item.label} · {_short_period(item, self.today)} · {state_name(item.state)}"
            )
            chip.clicked.connect(self.start_record)
            chip.setProperty("dueState", item.state)
            chip.setObjectName(f"due-{item.state}")
            tip = (
                self.tr("%1：%2 至 %3")
                .replace("%1", period_words(item.every, item.period_start))
                .replace("%2", item.period_start)
                .replace("%3", item.period_end)
            )
            if item.last_done:
                tip += "\n" + self.tr("最近一次：%1").replace("%1", item.last_done)
            if item.state != "done":
                tip += "\n" + self.tr("点击开始填写这条记录")
            chip.setToolTip(tip)
            chip.setAccessibleName(chip.text())
            self.flow.addWidget(chip)
        self.chips.updateGeometry()

    def start_record(self, item) -> None:
        """Ask for a new record that counts for `item` (its form, the rule's values, and for a
        missed period an empty date to fill in)."""
        from forms.cadence import start_values

        try:
            form = self.session.catalog.get(item.form_id)
        except Exception:  # noqa: BLE001 - a form no longer installed: open it plainly
            self.recordRequested.emit(item.form_id, {})
            return
        self.recordRequested.emit(item.form_id, start_values(form, item))

    def edit_cadence(self) -> None:
        if self.branch is None:
            return
        dialog = CadenceDialog(self.session, self.branch, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.branch = self.session.store.branch(self.branch.id)
            self.show_branch(self.branch)
            self.cadenceChanged.emit(self.branch.id)

    def states(self) -> dict[str, str]:
        """Item label -> state of the current period (for tests and screen readers)."""
        return {f"{i.label}@{i.period_label}": i.state for i in self.items}


def _short_period(item, today: dt.date | None = None) -> str:
    """'11月' / 'Nov', '第4季度' / 'Q4', '上半年' / 'H1' in this year (the year is obvious on
    screen); a missed period of last year keeps its year, so two chips never read the same."""
    this_year = str((today or dt.date.today()).year)
    return period_words(item.every, item.period_start, short=item.period_start[:4] == this_year)


def period_words(every: str, start: str, short: bool = False) -> str:
    """A period in the window's language from its kind and first day ('YYYY-MM-DD'):
    '2026年11月' / 'November 2026', '2026年第4季度' / 'Q4 2026', '2026年上半年' / 'first half of 2026',
    '2026年' / '2026'."""
    year, month = start[:4], int(start[5:7])
    translate = QCoreApplication.translate
    if every == "month":
        locale = QLocale()
        english = locale.language() == QLocale.Language.English
        form = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
        name = locale.standaloneMonthName(month, form) if english else str(month)
        if short:
            return translate("DuePanel", "%1月").replace("%1", name)
        return translate("DuePanel", "%1年%2月").replace("%1", year).replace("%2", name)
    if every == "quarter":
        quarter = str((month - 1) // 3 + 1)
        if short:
            return translate("DuePanel", "第%1季度").replace("%1", quarter)
        return translate("DuePanel", "%1年第%2季度").replace("%1", year).replace("%2", quarter)
    if every == "half-year":
        first = month <= 6
        if short:
            return translate("DuePanel", "上半年") if first else translate("DuePanel", "下半年")
        whole = translate("DuePanel", "%1年上半年") if first else translate("DuePanel", "%1年下半年")
        return whole.replace("%1", year)
    return translate("DuePanel", "%1年").replace("%1", year)


PERIOD_NAMES = {
    "month": QT_TRANSLATE_NOOP("CadenceDialog", "每月"),
    "quarter": QT_TRANSLATE_NOOP("CadenceDialog", "每季度"),
    "half-year": QT_TRANSLATE_NOOP("CadenceDialog", "每半年"),
    "year": QT_TRANSLATE_NOOP("CadenceDialog", "每年"),
    OFF: QT_TRANSLATE_NOOP("CadenceDialog", "不要求"),
}


class CadenceDialog(QDialog):
    """Per-branch cadence: for each rule of each form, the branch's period or the default."""

    def __init__(self, session, branch, parent=None):
        super().__init__(parent)
        self.session = session
        self.branch = branch
        self.setWindowTitle(self.tr("调整会议频次 · %1").replace("%1", branch.name))
        overrides = dict(branch.cadence or {})
        self.rows: list[tuple[str, str, QComboBox]] = []  # (override key, default, combo)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("事项"), self.tr("默认"), self.tr("本支部")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for form in session.catalog.all():
            rules = [(f"{form.id}:{r.label}", r.label, r.every) for r in form.cadence]
            if not rules:  # a form without cadence may be made regular by a branch (入户走访)
                rules = [(form.id, form.title, OFF)]
            for key, label, default in rules:
                self._add_row(key, label, default, overrides.get(key))
        note = QLabel(self.tr("各地规定不同：例如党课可改为“每半年”。选“默认”则按表单的规定。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        fit_window(self, "cadence", 560, 420)

    def _add_row(self, key: str, label: str, default: str, current: str | None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(label)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, 0, name)
        default_item = QTableWidgetItem(self._period_name(default))
        default_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, 1, default_item)
        combo = QComboBox()
        combo.addItem(self.tr("默认"), None)
        for period in (*CADENCE_PERIODS, OFF):
            combo.addItem(self._period_name(period), period)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
        combo.setAccessibleName(label)
        self.table.setCellWidget(row, 2, combo)
        self.rows.append((key, default, combo))

    def _period_name(self, period: str) -> str:
        return QCoreApplication.translate("CadenceDialog", PERIOD_NAMES.get(period, period))

    def set_period(self, key: str, period: str | None) -> None:
        """Choose `period` (or None for the default) for the rule `key` (used by tests)."""
        for row_key, _, combo in self.rows:
            if row_key == key:
                combo.setCurrentIndex(max(combo.findData(period) if period else 0, 0))
                return
        raise KeyError(key)

    def overrides(self) -> dict[str, str]:
        """The branch's overrides as chosen: only rules that differ from their default."""
        chosen = {}
        for key, default, combo in self.rows:
            value = combo.currentData()
            if value and value != default:
                chosen[key] = value
        # Keep overrides for rules this catalog no longer lists (a form removed for now).
        known = {key for key, _, _ in self.rows}
        for key, value in (self.branch.cadence or {}).items():
            if key not in known:
                chosen[key] = value
        return chosen

    def accept(self) -> None:
        self.session.store.update_branch(self.branch.id, cadence=self.overrides())
        super().accept()
