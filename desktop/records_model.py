"""The records table's model: a count, and rows fetched from the store when a cell is painted.

A filter first reads one page (the rows on screen) and shows it; the count of all matching
records follows from the event loop a moment later (`countKnown`) and the table grows to it.
Rows are loaded a page at a time (LIMIT/OFFSET in the store's list order, which its indices
serve without sorting) and a few pages are cached: the model never holds more than
CACHED_PAGES * PAGE_SIZE rows, whatever the store holds.

Measured at 100,000 records of one branch: a page at offset 0 ~1 ms, at 99,900 ~8 ms; the count
7-40 ms depending on the filter; listing all 100,000 uuids ~120 ms (so the model holds none).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

PAGE_SIZE = 100
CACHED_PAGES = 8  # a screenful is ~30 rows; 8 pages cover scrolling back and forth cheaply

STATUS_COLORS = {"draft": QColor("#8a5300"), "void": QColor("#8b9199")}
_TOP = QModelIndex()  # the invalid index: the table itself, which has the rows


class Row(NamedTuple):
    """What the table shows of one record (display strings, not the record's data)."""

    uuid: str
    form_id: str
    occurred_on: str
    summary: str
    status: str
    revision: int
    operator: str
    updated_at: str


def _minute(timestamp: str | None) -> str:
    """'2026-11-05T09:30:12...' -> '2026-11-05 09:30'."""
    return (timestamp or "").replace("T", " ")[:16]


class RecordsModel(QAbstractTableModel):
    """Records of the store matching the filters, newest first, loaded on demand."""

    countKnown = Signal(int)  # the number of matching records, once counted

    FILTER_KEYS = ("branch_id", "form_id", "status", "month", "text")

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._filters: dict = {}
        self._count = 0
        self._count_known = True
        self._generation = 0  # a count queued for old filters must not land on new ones
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._titles: dict[str, str] = {}
        self._early_titles: set[str] = set()  # titles read from the store before the catalog
        self._headers = (
            self.tr("表单"),
            self.tr("日期"),
            self.tr("摘要"),
            self.tr("状态"),
            self.tr("修订"),
            self.tr("录入人"),
            self.tr("更新时间"),
        )
        self._status_names = {"draft": self.tr("草稿"), "final": self.tr("已定稿"), "void": self.tr("已作废")}

    # -- filters -------------------------------------------------------------------------
    @property
    def filters(self) -> dict:
        return dict(self._filters)

    def set_filters(self, **filters) -> None:
        """Replace the filters (branch_id, form_id, status, month 'YYYY-MM', text) and reload."""
        unknown = set(filters) - set(self.FILTER_KEYS)
        if unknown:
            raise TypeError(f"unknown filters: {sorted(unknown)}")
        self._filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.refresh()

    def update_filters(self, **changes) -> None:
        """Change some filters, keep the others."""
        merged = {**self._filters, **changes}
        self.set_filters(**merged)

    def refresh(self) -> None:
        """Ask the store again (after a save, or F5): the first page now, the count next."""
        self._generation += 1
        self.beginResetModel()
        self._pages.clear()
        self._count = 0
        self._count_known = True
        if self.session is not None:
            first = self._fetch(0)
            self._pages[0] = first
            self._count = len(first)
            self._count_known = len(first) < PAGE_SIZE  # a short first page is all there is
        self.endResetModel()
        if self._count_known:
            self.countKnown.emit(self._count)
        else:
            generation = self._generation
            QTimer.singleShot(0, lambda: self._count_now(generation))

    @property
    def count_known(self) -> bool:
        return self._count_known

    def ensure_count(self) -> int:
        """Count now if the count is still pending; the number of matching records."""
        if not self._count_known:
            self._count_now(self._generation)
        return self._count

    def _count_now(self, generation: int) -> None:
        if generation != self._generation or self._count_known or self.session is None:
            return
        total = self.session.store.count_records(**self._filters)
        self._count_known = True
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < self._count:  # records went away between the page and the count
            self.beginResetModel()
            self._pages.clear()
            self._count = total
            self.endResetModel()
        self.countKnown.emit(self._count)

    # -- lookups -------------------------------------------------------------------------
    def uuid_at(self, row: int) -> str:
        return self.row(row).uuid

    def row_of(self, uuid: str, near: int | None = None) -> int | None:
        """The row showing `uuid`, or None. Looks in cached pages and around `near` first; only
        then asks the store for the whole uuid list (slow-ish at 100,000 records)."""
        for page_no, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.uuid == uuid:
                    return page_no * PAGE_SIZE + offset
        self.ensure_count()
        if near is not None and 0 <= near < self._count:
            page_no = near // PAGE_SIZE
            for candidate in (page_no, page_no - 1, page_no + 1):
                if 0 <= candidate * PAGE_SIZE < self._count and candidate not in self._pages:
                    for offset, row in enumerate(self._load_page(candidate)):
                        if row.uuid == uuid:
                            return candidate * PAGE_SIZE + offset
        try:
            return self.session.store.record_uuids(**self._filters).index(uuid)
        except ValueError:
            return None

    def row(self, row: int) -> Row:
        """The display row at `row`, loading its page if needed."""
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[offset]

    def cached_rows(self) -> int:
        """How many rows are held in memory now (for tests and benchmarks)."""
        return sum(len(p) for p in self._pages.values())

    def _fetch(self, page_no: int) -> list[Row]:
        records = self.session.store.records(**self._filters, limit=PAGE_SIZE, offset=page_no * PAGE_SIZE)
        return [self._row_from(record) for record in records]

    def _load_page(self, page_no: int) -> list[Row]:
        start = page_no * PAGE_SIZE
        page = self._fetch(page_no)
        wanted = min(PAGE_SIZE, self._count - start)
        # Records deleted since the count (a draft removed elsewhere) leave blank rows until
        # the next refresh rather than shifting what the view already painted.
        page += [Row("", "", "", "", "", 0, "", "")] * max(0, wanted - len(page))
        self._pages[page_no] = page
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    @staticmethod
    def _row_from(record) -> Row:
        return Row(
            record.uuid,
            record.form_id,
            record.occurred_on or "",
            record.summary or "",
            record.status,
            record.revision or 0,
            record.operator or "",
            _minute(record.updated_at),
        )

    def form_title(self, form_id: str) -> str:
        title = self._titles.get(form_id)
        if title is None:
            if not self.session.catalog_read:  # the first rows come before the catalog is read
                title = self.session.store.remembered_title(form_id) or form_id
                self._early_titles.add(form_id)
            else:
                title = self._catalog_title(form_id)
            self._titles[form_id] = title
        return title

    def _catalog_title(self, form_id: str) -> str:
        try:
            return self.session.catalog.get(form_id).title
        except Exception:  # a form no longer installed: its id still says what it was
            return form_id

    def forget_titles(self) -> None:
        """Once the catalog was read: form names from it (those shown so far came from the store)."""
        if self._early_titles:
            self._titles.clear()
            self._early_titles.clear()
            if self._count:
                self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, 0))

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _TOP) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _TOP) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._count:
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.TextAlignmentRole,
            Qt.ItemDataRole.UserRole,
        ):
            return None  # decoration, size hints...: no store access for roles we never show
        row = self.row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return row.uuid
        if role == Qt.ItemDataRole.ForegroundRole:
            color = STATUS_COLORS.get(row.status)
            return QBrush(color) if color is not None else None
        if role == Qt.ItemDataRole.FontRole:
            if row.status == "void":
                font = QFont()
                font.setStrikeOut(column == 2)
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 4:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Every cell's tooltip is its text: a cell cut by a narrow column still reads in full.
        return self._display(row, column)

    def _display(self, row: Row, column: int):
        if column == 0:
            return self.form_title(row.form_id) if row.form_id else ""
        if column == 1:
            return row.occurred_on
        if column == 2:
            # The day has its own column: said again in the summary it only takes the room
            # that tells records apart (a cut summary keeps its full text as the tooltip).
            if row.occurred_on and f" · {row.occurred_on}" in row.summary:
                return row.summary.replace(f" · {row.occurred_on}", "", 1)
            return row.summary
        if column == 3:
            return self._status_names.get(row.status, row.status)
        if column == 4:
            return str(row.revision) if row.status != "draft" else "—"
        if column == 5:
            return row.operator
        return row.updated_at
