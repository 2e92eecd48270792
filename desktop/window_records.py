"""The main window's records side: the filters, the chosen branch's records table and its count.

A mixin of `MainWindow` (desktop/main_window.py), which builds it after the first paint; Qt's
enums and the records model are imported there, not before the window is on screen.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtWidgets import QMainWindow

    from desktop.branch_list import BranchList
    from desktop.due_view import DuePanel
    from desktop.session import Session

    class _Window(QMainWindow):
        """What MainWindow (main_window.py, window_editors.py) gives this side."""

        session: Session | None
        branch_list: BranchList
        due_panel: DuePanel
        count_label: QLabel

        def open_record(self, uuid: str) -> QWidget | None: ...

else:
    _Window = object


class _OnResize(QObject):
    """Calls `callback` whenever `widget` changes size."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        # A weak reference: the window owns this filter (through its table), and a strong one
        # back to the window's method would be a cycle the garbage collector may break at any
        # moment, deleting the window while Qt still uses it.
        self._callback = weakref.WeakMethod(callback)
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        callback = self._callback()
        if event.type() == QEvent.Type.Resize and callback is not None:
            callback()
        return False


SEARCH_DELAY_MS = 300  # wait for a pause in typing before asking the store
MONTHS_IN_FILTER = 24


class RecordCount(QObject):
    """'共 3 条记录' / '3 records' with the plural English needs. A class of its own: PySide's
    `tr` in a mixin looks under the window's class first and, for a count, stops there."""

    def words(self, rows: int) -> str:
        return self.tr("共 %Ln 条记录", "", rows)


class RecordsSideMixin(_Window):
    """Filters, records table, counts and selection of the main window."""

    def _build_records(self, new_button: QWidget) -> QWidget:
        """The due panel, the filters with `new_button`, the table and its empty-table hint."""
        import datetime as dt

        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QComboBox,
            QHBoxLayout,
            QHeaderView,
            QLineEdit,
            QTableView,
            QVBoxLayout,
        )

        from desktop.records_model import RecordsModel
        from desktop.summary_delegate import SummaryDelegate

        self.form_filter = QComboBox()
        self.form_filter.setAccessibleName(self.tr("表单"))
        self.form_filter.addItem(self.tr("全部表单"), None)
        self.month_filter = QComboBox()
        self.month_filter.setAccessibleName(self.tr("月份"))
        self.month_filter.addItem(self.tr("全部月份"), None)
        for month in recent_months(dt.date.today(), MONTHS_IN_FILTER):
            self.month_filter.addItem(
                self.tr("%1年%2月").replace("%1", month[:4]).replace("%2", str(int(month[5:]))), month
            )
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("状态"))
        for label, value in (
            (self.tr("全部状态"), None),
            (self.tr("草稿"), "draft"),
            (self.tr("已定稿"), "final"),
            (self.tr("已作废"), "void"),
        ):
            self.status_filter.addItem(label, value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索摘要和内容（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("搜索"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filters)
        for combo in (self.form_filter, self.month_filter, self.status_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        filters = QHBoxLayout()
        filters.addWidget(self.form_filter)
        filters.addWidget(self.month_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(new_button)

        self.model = RecordsModel(None, self)
        self.model.countKnown.connect(lambda _n: self._show_counts())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("记录"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never asks 100,000 rows for their size.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activated.connect(self._on_activated)  # double-click and Enter
        # A cut summary gives up the middle of its name, never the head count (summary_delegate.py);
        # the full text is its tooltip.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setItemDelegateForColumn(2, SummaryDelegate(self.table))
        _OnResize(self.table.viewport(), self._fit_columns)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.due_panel)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.empty_label)
        self._records_layout = right_layout  # the sync banner goes in above the table
        return right

    def _size_columns(self) -> None:
        """Column widths from the font and the column titles (English ones are longer), so 大字
        widens them; on a narrow table the least needed columns step aside for the summary."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QFontMetrics
        from PySide6.QtWidgets import QHeaderView

        metrics = QFontMetrics(self.table.font())
        pad = metrics.horizontalAdvance("  ") + 12
        samples = {
            0: "组织生活会会",
            1: "2026-11-05",
            3: "已定稿",
            4: "修订",
            5: "张晓梅梅",
            6: "2026-11-05 09:30",
        }
        header = self.table.horizontalHeader()
        title_metrics = QFontMetrics(header.font())
        self._column_widths = {}
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(metrics.horizontalAdvance(sample), title_metrics.horizontalAdvance(title)) + pad
            self._column_widths[column] = width
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide 更新时间, 修订 and 录入人 (in that order) while the summary would get fewer than
        twelve characters; show them again when the table is wide enough."""
        widths = getattr(self, "_column_widths", None)
        if not widths:
            return
        summary = self.table.fontMetrics().horizontalAdvance("中") * 12
        room = self.table.viewport().width()
        shown = dict(widths)
        for column in (6, 4, 5):
            if sum(shown.values()) + summary <= room:
                break
            del shown[column]
        for column in widths:
            self.table.setColumnHidden(column, column not in shown)

    def focus_search(self) -> None:
        """Ctrl+F: into the search box, its text selected."""
        from PySide6.QtCore import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- branch, filters, records --------------------------------------------------------
    def current_branch_id(self) -> int | None:
        """The chosen branch's id, or None when there is no branch."""
        return self.branch_list.current_branch_id()

    def _on_branch(self, branch_id: int) -> None:
        from forms.store import StoreError

        branch = None
        if self.session is not None and branch_id >= 0:
            try:
                branch = self.session.store.branch(branch_id)
            except StoreError:
                branch = None
        # Due items come from the branch list, which computes them after the window shows
        # (the chosen branch first); until then the panel says it is working on it.
        items = self.branch_list.due_items(branch.id) if branch is not None else None
        self.due_panel.show_branch(branch, items, pending=items is None)
        self.apply_filters()

    def _on_due_ready(self, branch_id: int) -> None:
        if branch_id == self.current_branch_id() and self.due_panel.branch is not None:
            self.due_panel.show_branch(self.due_panel.branch, self.branch_list.due_items(branch_id))

    def apply_filters(self) -> None:
        """Ask the store for the chosen branch's records matching the filters."""
        self._search_timer.stop()
        branch_id = self.current_branch_id()
        if self.session is None:
            return
        if branch_id is None:
            self.model.set_filters(branch_id=-1)  # no branch: an empty table, not all records
        else:
            self.model.set_filters(
                branch_id=branch_id,
                form_id=self.form_filter.currentData(),
                month=self.month_filter.currentData(),
                status=self.status_filter.currentData(),
                text=self.search.text().strip() or None,
            )
        self._show_counts()

    def _show_counts(self) -> None:
        rows = self.model.rowCount()
        if self.model.count_known:
            self.count_label.setText(RecordCount().words(rows))
        else:
            self.count_label.setText(self.tr("正在统计……"))
        no_branch = self.current_branch_id() is None
        self.empty_label.setVisible(rows == 0)
        if no_branch:
            self.empty_label.setText(self.tr("还没有支部。请点左下角“支部与花名册”添加支部和党员。"))
        elif any(self.model.filters.get(k) for k in ("form_id", "month", "status", "text")):
            self.empty_label.setText(self.tr("没有符合条件的记录。可以换个条件再找。"))
        else:
            self.empty_label.setText(self.tr("这个支部还没有记录。点“新建记录”（Ctrl+N）开始录入。"))

    def refresh(self) -> None:
        """F5: read branches, marks and records again, keeping the selected record."""
        selected, row = self.selected_uuid(), self.table.currentIndex().row()
        self.branch_list.reload()  # emits branchChanged -> filters applied
        if selected:
            self.select_uuid(selected, near=row)

    def selected_uuid(self) -> str | None:
        """The uuid of the selected record, or None."""
        index = self.table.currentIndex()
        return self.model.uuid_at(index.row()) if index.isValid() else None

    def select_uuid(self, uuid: str, near: int | None = None) -> bool:
        """Select the row of `uuid` (looked for around row `near` first)."""
        row = self.model.row_of(uuid, near=near)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _on_activated(self, index) -> None:
        uuid = self.model.uuid_at(index.row()) if index.isValid() else ""
        if uuid:
            self.open_record(uuid)


def recent_months(today: dt.date, count: int) -> list[str]:
    """'YYYY-MM' of this month and the `count - 1` before it, newest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months
