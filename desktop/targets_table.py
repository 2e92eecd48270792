"""How targets read on the targets page: a row each in the table, and the chosen one's details.

A row says a platform's state and how many deliveries are where: a target that needs a person
reads red with the reason, a stopped one grey. The page (targets_dialog.py) fills the table from
the store and keeps the selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from desktop.target_options import ERROR_COLOR, OK_COLOR
from desktop.words import kind_title
from sync.secret_binding import plain_http_warning

if TYPE_CHECKING:
    from forms.store import Target

STATE_COLUMN = 2  # stretches; the counts after it are centred


class TargetsTable(QTableWidget):
    """Name, kind, state and the delivery counts (to send, delivered, to confirm, failed)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        headers = [
            self.tr("名称"),
            self.tr("类型"),
            self.tr("状态"),
            self.tr("待发送"),
            self.tr("已送达"),
            self.tr("待确认"),
            self.tr("失败"),
        ]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        for i in range(len(headers)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE_COLUMN, QHeaderView.ResizeMode.Stretch)
        # The state wraps in its column: a column that changes width changes the lines it needs.
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def show_targets(self, targets: list[Target], counts: dict[str, dict[str, int]]) -> None:
        """One row per target; `counts` is the store's {target name: {state: count}}."""
        self.setRowCount(len(targets))
        for r, t in enumerate(targets):
            c = counts.get(t.name, {})
            warning = plain_http_warning(t)
            if not t.enabled:
                state, color = self.tr("已停用"), "#8a8a8a"
            elif t.attention:
                state, color = self.tr("需要处理：{why}").format(why=t.attention), ERROR_COLOR
            elif warning:
                state, color = self.tr("正常（⚠ 明文 http）"), ERROR_COLOR
            else:
                state, color = self.tr("正常"), OK_COLOR
            waiting = c.get("uncertain", 0) + c.get("awaiting_upload", 0)
            cells = [
                t.name,
                kind_title(t.kind),
                state,
                # Waiting for a person to enter it (copy, web form) is waiting to go out too.
                str(c.get("pending", 0) + c.get("sending", 0) + c.get("awaiting_entry", 0)),
                str(c.get("delivered", 0)),
                str(waiting),
                str(c.get("failed", 0)),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == STATE_COLUMN:
                    item.setForeground(QColor(color))
                    item.setToolTip("\n".join(filter(None, [t.attention, warning])))
                if col > STATE_COLUMN:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(r, col, item)
        self._cap_columns()
        self.resizeRowsToContents()

    def _cap_columns(self) -> None:
        """Name and kind as wide as they need, but at most eight characters each, so the state
        keeps room at 特大 in English; a capped cell keeps its full text as tooltip."""
        header = self.horizontalHeader()
        cap = self.fontMetrics().horizontalAdvance("中") * 8
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(
                column, min(max(self.sizeHintForColumn(column), header.sectionSizeHint(column)), cap)
            )
            for row in range(self.rowCount()):
                item = self.item(row, column)
                if item is not None:
                    item.setToolTip(item.text())

    def details(self, t: Target, form_titles: dict[str, str]) -> str:
        """The lines under the table for target `t`: kind, address, forms, branches, trouble."""
        lines = [self.tr("类型：{kind}").format(kind=kind_title(t.kind))]
        if t.url:
            lines.append(self.tr("接口地址：{url}").format(url=t.url))
        forms = "、".join(form_titles.get(form_id, form_id) for form_id in t.forms)
        lines.append(self.tr("表单：{forms}").format(forms=forms or self.tr("全部")))
        lines.append(self.tr("支部：{branches}").format(branches="、".join(t.branches) or self.tr("全部")))
        if t.secret_origin:
            lines.append(self.tr("密钥只发往：{where}").format(where=t.secret_origin))
        warning = plain_http_warning(t)
        if warning:
            lines.append(f"⚠ {warning}")
        if t.attention:
            lines.append(self.tr("需要处理：{why}").format(why=t.attention))
        return "\n".join(lines)
