"""The branches on the left, each with a coloured mark: red 逾期, amber 待办, green 完成.

Marks are computed after the window is shown (one branch per event-loop turn), so a cadre with
many branches sees the window at once and the marks fill in a moment later.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

MARK_COLORS = {"overdue": "#d4242b", "due": "#e5a00d", "done": "#2e9d4c", None: "#c4c8cf"}
BRANCH_ID = Qt.ItemDataRole.UserRole
STATE = Qt.ItemDataRole.UserRole + 1


def mark_icon(state: str | None, size: int = 24) -> QIcon:
    """A filled dot in the state's colour."""
    pixmap = QPixmap(size, size)  # drawn large: Qt scales it down to the icon size cleanly
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(MARK_COLORS.get(state, MARK_COLORS[None])))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    icon = QIcon()
    # The same dot when the row is selected: the default selected mode tints it and the
    # colour is the whole point.
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


def state_label(state: str | None) -> str:
    labels: dict[str | None, str] = {
        "overdue": QCoreApplication.translate("BranchList", "有逾期"),
        "due": QCoreApplication.translate("BranchList", "有待办"),
        "done": QCoreApplication.translate("BranchList", "已完成"),
    }
    return labels.get(state, QCoreApplication.translate("BranchList", "计算中…"))


class BranchList(QListWidget):
    """Branches with due marks; emits `branchChanged(id)` (or -1 when none is chosen)."""

    branchChanged = Signal(int)
    dueReady = Signal(int)  # due items of this branch were (re)computed
    marksUpdated = Signal()  # every pending mark is computed

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("branchList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setIconSize(QSize(12, 12))
        self.setAccessibleName(self.tr("支部列表"))
        self._icons = {state: mark_icon(state) for state in MARK_COLORS}
        self._pending: list[int] = []
        self._due: dict[int, list] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._compute_next)
        self.currentItemChanged.connect(self._on_current)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            side = max(10, round(self.fontMetrics().height() * 0.55))
            self.setIconSize(QSize(side, side))  # the dots grow with 大字 / 特大
            self.updateGeometry()

    def wanted_width(self) -> int:
        """Wide enough for the longest branch name with its mark (and a scroll bar, when there
        are more branches than a laptop screen shows at once)."""
        widest = max(
            (self.sizeHintForIndex(self.model().index(r, 0)).width() for r in range(self.count())), default=0
        )
        em = self.fontMetrics().horizontalAdvance("中")
        scroll = self.verticalScrollBar().sizeHint().width() if self.count() > 12 else 0
        return max(widest, em * 8) + 2 * self.frameWidth() + scroll + 4

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.wanted_width(), hint.height())

    def reload(self, select_id: int | None = None) -> None:
        """Read the branches again; keep (or set) the chosen one; recompute marks."""
        if self.session is None:
            return
        keep = select_id if select_id is not None else self.current_branch_id()
        self.blockSignals(True)
        self.clear()
        chosen = None
        for branch in self.session.store.branches():
            item = QListWidgetItem(self._icons[None], branch.name)
            item.setData(BRANCH_ID, branch.id)
            item.setData(STATE, None)
            item.setToolTip(branch.name)
            self.addItem(item)
            if branch.id == keep:
                chosen = item
        if chosen is None and self.count():
            chosen = self.item(0)
        if chosen is not None:
            self.setCurrentItem(chosen)
        self.blockSignals(False)
        self.updateGeometry()  # a longer name widens the side it is on
        self.branchChanged.emit(self.current_branch_id() if chosen is not None else -1)
        self.refresh_marks()

    def current_branch_id(self) -> int | None:
        item = self.currentItem()
        return item.data(BRANCH_ID) if item is not None else None

    def select_branch(self, branch_id: int) -> None:
        for row in range(self.count()):
            if self.item(row).data(BRANCH_ID) == branch_id:
                self.setCurrentRow(row)
                return

    def refresh_marks(self, branch_ids: list[int] | None = None) -> None:
        """Recompute marks (all branches, or the given ones) in the background of the loop."""
        if branch_ids is None:
            branch_ids = [self.item(r).data(BRANCH_ID) for r in range(self.count())]
        # The chosen branch first: its panel waits for it.
        current = self.current_branch_id()
        ordered = sorted(set(branch_ids) | set(self._pending), key=lambda b: b != current)
        self._pending = ordered
        if self._pending:
            self._timer.start()

    def stop(self) -> None:
        """Forget pending marks (the window is closing; the store may close next)."""
        self._pending = []
        self._timer.stop()

    def compute_all_now(self) -> None:
        """Compute every pending mark at once (tests, screenshots)."""
        while self._pending:
            self._compute_next()

    def due_items(self, branch_id: int) -> list | None:
        """The last computed due items for a branch, or None if not computed yet."""
        return self._due.get(branch_id)

    def state_of(self, branch_id: int) -> str | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(BRANCH_ID) == branch_id:
                return item.data(STATE)
        return None

    def _compute_next(self) -> None:
        if not self._pending:
            self._timer.stop()
            self.marksUpdated.emit()
            return
        branch_id = self._pending.pop(0)
        from desktop.due_view import branch_due  # imported late: keeps first paint quick
        from forms.cadence import branch_state

        try:
            branch = self.session.store.branch(branch_id)
        except Exception:  # removed meanwhile
            return
        items = branch_due(self.session, branch)
        self._due[branch_id] = items
        state = branch_state(items) if items else None
        for row in range(self.count()):
            item = self.item(row)
            if item.data(BRANCH_ID) == branch_id:
                item.setData(STATE, state)
                item.setIcon(self._icons.get(state, self._icons[None]))
                text = f"{branch.name}（{state_label(state)}）" if state else branch.name
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self.dueReady.emit(branch_id)
        if not self._pending:
            self._timer.stop()
            self.marksUpdated.emit()

    def _on_current(self, current, _previous) -> None:
        self.branchChanged.emit(current.data(BRANCH_ID) if current is not None else -1)
