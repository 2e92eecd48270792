"""Where a record went: one row per target with state, time and the platform's answer.

Embedded in the record editor for final records, and (with `states=`) as the list of uncertain
and failed deliveries the notice banner opens. A person can send again, confirm an uncertain
robot message arrived, or look at exactly what was sent.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.copy_panel import EntryDialog
from desktop.delivery_details import PayloadDialog, delivery_time, record_note
from desktop.questions import ask
from desktop.sync_worker import active_controller
from desktop.window_size import fit_window
from desktop.words import state_title
from forms.store import (
    AWAITING_ENTRY,
    AWAITING_UPLOAD,
    CANCELLED,
    DELIVERED,
    FAILED,
    PENDING,
    SUPERSEDED,
    UNCERTAIN,
    never_sent,
)

log = logging.getLogger(__name__)

STATE_COLORS = {
    DELIVERED: "#2e9d4c",
    FAILED: "#d4242b",
    UNCERTAIN: "#c77700",
    AWAITING_UPLOAD: "#c77700",
    AWAITING_ENTRY: "#c77700",
    SUPERSEDED: "#8a8a8a",
    CANCELLED: "#8a8a8a",
}
RESENDABLE = (FAILED, UNCERTAIN, PENDING)
CONFIRMABLE = (UNCERTAIN, FAILED, AWAITING_UPLOAD, PENDING)
PROBLEM_STATES = (UNCERTAIN, FAILED)
LIST_LIMIT = 500


def ask_reason(parent: QWidget, title: str, text: str) -> str | None:
    """A reason typed by the person, None if cancelled (tests replace this too)."""
    reason, accepted = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Normal)
    return reason if accepted else None


class DeliveryPanel(QWidget):
    """Deliveries of one record (`record_uuid`) or of every record in some `states`."""

    changed = Signal()  # a person resent or confirmed a delivery
    record_requested = Signal(str)  # list mode: open this record

    def __init__(
        self,
        session,
        record_uuid: str | None = None,
        *,
        states=None,
        controller=None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.record_uuid = record_uuid
        self.states = tuple(states) if states else None
        self.controller = controller or active_controller()
        self._rows: list = []
        self._forms: dict = {}

        headers = [self.tr("平台"), self.tr("版本"), self.tr("状态"), self.tr("时间"), self.tr("平台回复")]
        if self.states:
            headers.insert(0, self.tr("记录"))
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for i in range(len(headers) - 1):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # The last column stretches into what is left, but is never narrower than its title.
        metric = header.style().PixelMetric.PM_HeaderMargin
        margin = 2 * header.style().pixelMetric(metric, None, header) + 8
        self._last_wanted = header.fontMetrics().horizontalAdvance(headers[-1]) + margin
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(self._double_clicked)

        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("hint")
        self.resend_button = QPushButton(self.tr("重新发送"), self)
        self.confirm_button = QPushButton(self.tr("标记为已送达"), self)
        self.view_button = QPushButton(self.tr("查看内容"), self)
        self.enter_button = QPushButton(self.tr("录入…"), self)
        self.enter_button.setToolTip(self.tr("逐项复制这条记录的内容，到平台上手工录入"))
        self.enter_button.clicked.connect(self.enter_selected)
        self.resend_button.setToolTip(self.tr("马上再发一次（失败或不确定是否送达的推送）"))
        self.confirm_button.setToolTip(self.tr("已在平台或群里看到这条消息时，标记为已送达"))
        self.resend_button.clicked.connect(self.resend_selected)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.view_button.clicked.connect(self.view_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.enter_button, self.resend_button, self.confirm_button, self.view_button):
            buttons.addWidget(b)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table, 1)
        # The note on a row of its own, the panel's whole width: beside the buttons it was squeezed
        # into a narrow column many lines tall, and cut at 大字.
        box.addWidget(self.empty)
        box.addLayout(buttons)

        if self.controller is not None:
            self.controller.deliveries_changed.connect(self.refresh)
        self.refresh()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_last_column()

    def _fit_last_column(self) -> None:
        """Stretch the last column (the platform's reply) while there is room; else keep it as
        wide as its title and let the table scroll sideways."""
        header = self.table.horizontalHeader()
        last = header.count() - 1
        others = sum(header.sectionSize(i) for i in range(last) if not header.isSectionHidden(i))
        room = self.table.viewport().width() - others
        header.setStretchLastSection(room >= self._last_wanted)
        if room < self._last_wanted:
            header.resizeSection(last, self._last_wanted)

    # -- reading ----------------------------------------------------------------------------------
    def set_record(self, record_uuid: str | None) -> None:
        self.record_uuid = record_uuid
        self.refresh()

    def deliveries(self) -> list:
        store = self.session.store
        if self.states:
            found = [d for s in self.states for d in store.deliveries(state=s, limit=LIST_LIMIT)]
            return sorted(found, key=lambda d: d.id, reverse=True)
        if self.record_uuid is None:
            return []
        return store.deliveries(record_uuid=self.record_uuid)

    def refresh(self) -> None:
        """Re-read the deliveries, keeping the selected one selected."""
        selected = self.selected()
        try:
            rows = self.deliveries()
        except Exception:  # noqa: BLE001 - a closed store while the window closes
            log.exception("reading deliveries failed")
            rows = []
        self._rows = rows
        several_revisions = len({d.revision for d in rows}) > 1
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            cells = [
                d.target_name,
                self.tr("第 {n} 版").format(n=d.revision),
                state_title(d.state),
                delivery_time(d),
                " ".join((d.message or "").split()),
            ]
            if self.states:
                cells.insert(0, self._record_title(d.record_uuid))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(d.message if c == len(cells) - 1 and d.message else text)
                color = STATE_COLORS.get(d.state)
                if color and (c == len(cells) - 3 or d.state in (SUPERSEDED, CANCELLED)):
                    item.setForeground(QColor(color))
                self.table.setItem(r, c, item)
        self.table.setColumnHidden(len(self._headers()) - 4, not (several_revisions or self.states))
        self._fit_last_column()
        self.table.setVisible(bool(rows))
        if self.states:
            self.empty.setText("" if rows else self.tr("没有需要处理的推送。"))
        else:
            self.empty.setText(record_note(self.session.store, self.record_uuid, rows))
        if selected is not None:
            for r, d in enumerate(rows):
                if d.id == selected.id:
                    self.table.selectRow(r)
        elif rows and not self.states:
            self.table.selectRow(0)
        self._update_buttons()

    def _headers(self) -> list[str]:
        items = (self.table.horizontalHeaderItem(i) for i in range(self.table.columnCount()))
        return [item.text() if item is not None else "" for item in items]

    def _record_title(self, uuid: str) -> str:
        store = self.session.store
        try:
            record = store.record(uuid)
            title = self._forms.get(record.form_id)
            if title is None:
                try:
                    title = self.session.records.form(record.form_id, record.form_version).title
                except Exception:  # noqa: BLE001 - a form no longer installed: show its id
                    title = record.form_id
                self._forms[record.form_id] = title
            branch = store.branch(record.branch_id).name
            return " · ".join(p for p in (branch, title, record.occurred_on or "", record.summary) if p)
        except Exception:  # noqa: BLE001
            return uuid[:8]

    def selected(self):
        """The selected Delivery, or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def select_target(self, name: str) -> bool:
        """Select the newest delivery to the target `name` (tests, links from messages)."""
        for r, d in enumerate(self._rows):
            if d.target_name == name:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        d = self.selected()
        self.resend_button.setEnabled(d is not None and d.state in RESENDABLE)
        self.confirm_button.setEnabled(d is not None and d.state in CONFIRMABLE)
        self.view_button.setEnabled(d is not None)
        for b in (self.resend_button, self.confirm_button, self.view_button):
            b.setVisible(bool(self._rows))
        self.enter_button.setVisible(d is not None and d.state == AWAITING_ENTRY)

    # -- a person's decisions ---------------------------------------------------------------------
    def resend_selected(self) -> bool:
        """Send the selected delivery again now."""
        d = self.selected()
        if d is None or d.state not in RESENDABLE:
            return False
        if d.state == UNCERTAIN and not ask(
            self,
            self.tr("重新发送"),
            self.tr(
                "这条推送可能已经发到“{target}”了。重新发送可能会让群里出现两条相同的消息。确定重新发送吗？"
            ).format(target=d.target_name),
        ):
            return False
        return self._decide(self.session.store.resend, d, sync=True)

    def confirm_selected(self) -> bool:
        """The operator saw it arrive: mark the selected delivery delivered."""
        d = self.selected()
        if d is None or d.state not in CONFIRMABLE:
            return False
        if never_sent(d):
            return self._confirm_never_sent(d)
        text = {
            UNCERTAIN: self.tr("请先在“{target}”里确认这条消息确实已经收到，再标记为已送达。确定标记吗？"),
            AWAITING_UPLOAD: self.tr(
                "请确认这条记录所在的导入文件已经上传到“{target}”。确定标记为已送达吗？"
            ),
            FAILED: self.tr(
                "这条推送发送失败了。只有在“{target}”上确实已有这条记录时，才标记为已送达。确定标记吗？"
            ),
            PENDING: self.tr(
                "这条推送正在等待重试。只有在“{target}”上确实已有这条记录时，才标记为已送达。确定标记吗？"
            ),
        }[d.state].format(target=d.target_name)
        if not ask(self, self.tr("标记为已送达"), text):
            return False
        return self._decide(self.session.store.mark_delivered, d, sync=False)

    def _confirm_never_sent(self, d) -> bool:
        # Nothing ever left for this platform: a person's reason goes into the audit.
        reason = ask_reason(
            self,
            self.tr("标记为已送达"),
            self.tr(
                "这条推送还从未发送到“{target}”。标记为已送达表示您已用别的办法（例如在平台网页上"
                "手工录入）把这条记录报给了平台，标记后不会再自动发送它。\n请写明原因（会记入操作记录）："
            ).format(target=d.target_name),
        )
        if reason is None:
            return False
        if not reason.strip():
            QMessageBox.information(self, self.tr("标记为已送达"), self.tr("没有标记：需要写明原因。"))
            return False
        return self._decide(
            lambda id, operator: self.session.store.mark_delivered(id, operator, reason=reason), d, sync=False
        )

    def _decide(self, step, d, *, sync: bool) -> bool:
        try:
            step(d.id, self.session.operator_or_login())
        except Exception as exc:  # noqa: BLE001 - e.g. the state changed under us: say so
            QMessageBox.warning(self, self.tr("没有成功"), str(exc).split(" / ")[0])
            self.refresh()
            return False
        self.changed.emit()
        if self.controller is not None:
            self.controller.refresh()  # status line, banner and every open panel
            if sync:
                self.controller.sync_now()
        else:
            self.refresh()
        return True

    def view_selected(self) -> PayloadDialog | None:
        d = self.selected()
        if d is None:
            return None
        dialog = PayloadDialog(d, self, self.session.store)
        dialog.open()
        return dialog

    def enter_selected(self) -> EntryDialog | None:
        """Open the selected delivery's values to copy into its platform by hand."""
        d = self.selected()
        if d is None or d.state != AWAITING_ENTRY:
            return None
        dialog = EntryDialog(self.session, d.id, self, self.controller)
        dialog.decided.connect(self.refresh)
        dialog.open()
        return dialog

    def _double_clicked(self, _item) -> None:
        d = self.selected()
        if d is not None and d.state == AWAITING_ENTRY:
            self.enter_selected()
        elif d is not None and self.states:
            self.record_requested.emit(d.record_uuid)
        else:
            self.view_selected()


class DeliveriesDialog(QDialog):
    """Uncertain and failed deliveries of every record, for the notice banner's "查看"."""

    record_requested = Signal(str)

    def __init__(self, session, controller=None, parent: QWidget | None = None, states=PROBLEM_STATES):
        super().__init__(parent)
        self.setWindowTitle(self.tr("需要确认的推送"))
        hint = QLabel(
            self.tr(
                "“可能已发送”：程序在发送时中断，请到群里或平台上看一看：已收到就点“标记为已送达”，"
                "没收到就点“重新发送”。双击一行可打开记录。"
            ),
            self,
        )
        hint.setWordWrap(True)
        self.panel = DeliveryPanel(session, states=states, controller=controller, parent=self)
        self.panel.record_requested.connect(self.record_requested)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(hint)
        box.addWidget(self.panel, 1)
        box.addWidget(buttons)
        fit_window(self, "deliveries", 900, 420)
