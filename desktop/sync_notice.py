"""What the operator sees of delivery: a status-bar line and a banner when a person must act.

`SyncStatusWidget` sits at the right of the status bar: a coloured dot, one line of text and
"立即同步". `SyncNotice` is a yellow banner above the records table, shown only while a target
needs attention or deliveries are uncertain, failed or waiting for an Excel upload; its "查看"
opens the targets page or the list of deliveries to confirm.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.sync_state import ATTENTION, BUSY, OFFLINE, OK, UNSET

GREY = "#8a8a8a"
LEVEL_COLORS = {OK: "#2e9d4c", OFFLINE: GREY, ATTENTION: "#d4242b", BUSY: "#1e6fd9", UNSET: GREY}
MESSAGE_CHARS = 80  # of a platform's message in the banner; the targets page shows all of it


class SyncStatusWidget(QWidget):
    """Dot, status text and "立即同步", following a SyncController."""

    details_requested = Signal()  # the text was clicked: show the targets page

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.dot = QLabel("●", self)
        self.text = QLabel(self)
        self.text.setObjectName("syncStatus")
        self.button = QPushButton(self.tr("立即同步"), self)
        self.button.setToolTip(self.tr("马上把待发送的记录发出去（网络刚恢复时也可以点）"))
        self.button.clicked.connect(controller.sync_now)
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(6)
        box.addWidget(self.dot)
        box.addWidget(self.text)
        box.addWidget(self.button)
        controller.status_changed.connect(self.show_status)
        text, level = controller.status
        self.show_status(text or self.tr("未配置推送平台"), level if text else UNSET)

    def show_status(self, text: str, level: str) -> None:
        self.color = LEVEL_COLORS.get(level, GREY)
        self.dot.setStyleSheet(f"color: {self.color};")
        self.text.setText(text)
        self.level = level
        state = self.controller.state
        tips = [f"{name}：{why}" for name, why in state.attention]
        if state.offline:
            tips.append(self.tr("网络恢复后会自动发送；也可以点“立即同步”。"))
        hub = getattr(self.controller.last_summary, "hub", None)
        if hub:  # what the last pull from the township hub brought, or why it failed
            tips.append(hub)
        self.setToolTip("\n".join(tips))

    def mouseReleaseEvent(self, event) -> None:  # clicking the text opens the details
        self.details_requested.emit()
        super().mouseReleaseEvent(event)


class SyncNotice(QFrame):
    """Yellow banner: which targets need attention, how many deliveries need a decision."""

    view_requested = Signal()  # "查看" was clicked (the banner opens a dialog itself too)
    record_requested = Signal(str)  # from the deliveries list: open this record

    def __init__(self, controller, session, parent: QWidget | None = None, *, open_dialogs: bool = True):
        super().__init__(parent)
        self.controller = controller
        self.session = session
        self.open_dialogs = open_dialogs
        self.dialog: QDialog | None = None  # the last page opened from the notice
        self.setObjectName("syncNotice")
        self.setStyleSheet(
            "#syncNotice { background: #fff4c2; border: 1px solid #e5c100;"
            " border-radius: 4px; } #syncNotice QLabel { color: #5a4500; }"
        )
        self.icon = QLabel("⚠", self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.button = QPushButton(self.tr("查看"), self)
        self.button.clicked.connect(self.view)
        box = QHBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.icon)
        box.addWidget(self.text, 1)
        box.addWidget(self.button)
        controller.status_changed.connect(self.update_notice)
        self.update_notice()

    def lines(self) -> list[str]:
        """The banner's sentences for the controller's current state."""
        state = self.controller.state
        lines = []
        if state.error:
            lines.append(
                self.tr("同步出错：{error}。请点“立即同步”重试；如果一直出错，请把日志发给技术人员。").format(
                    error=state.error
                )
            )
        for name, why in state.attention:
            why = why if len(why) <= MESSAGE_CHARS else why[:MESSAGE_CHARS] + "…"
            lines.append(self.tr("推送平台“{name}”已暂停，需要处理：{why}").format(name=name, why=why))
        if state.conflicts:
            lines.append(
                self.tr(
                    "{n} 条记录在另一台电脑上也被更正过，乡镇平台没有接收本机的更正：请选择保留哪一版。"
                ).format(n=state.conflicts)
            )
        if state.uncertain:
            lines.append(self.tr("{n} 条推送可能已经发出，请确认是否送达。").format(n=state.uncertain))
        if state.other_failures:
            lines.append(self.tr("{n} 条推送被平台拒收，请查看原因。").format(n=state.other_failures))
        if state.awaiting_upload:
            lines.append(
                self.tr("{n} 条记录已写入 Excel 导入文件，上传到平台后请点“确认已上传”。").format(
                    n=state.awaiting_upload
                )
            )
        if state.awaiting_entry:
            lines.append(
                self.tr("{n} 条记录等待在平台上手工录入：点“查看”逐项复制，录好后点“已录入”。").format(
                    n=state.awaiting_entry
                )
            )
        return lines

    def wants_entries(self) -> bool:
        """Only typing by hand is left to do: "查看" opens what waits to be entered."""
        state = self.controller.state
        return bool(state.awaiting_entry) and not (
            self.wants_targets() or state.uncertain or state.failed or state.conflicts
        )

    def update_notice(self, *_args) -> None:
        lines = self.lines()
        self.text.setText("<br>".join(html.escape(line) for line in lines))
        self.setVisible(bool(lines))

    def wants_targets(self) -> bool:
        state = self.controller.state
        return bool(
            state.attention
            or state.error
            or (state.awaiting_upload and not (state.uncertain or state.failed))
        )

    def view(self) -> QWidget | None:
        """Open the targets page (targets to fix, uploads to confirm) or the deliveries to decide."""
        self.view_requested.emit()
        if not self.open_dialogs:
            return None
        if self.controller.state.conflicts and not self.wants_targets():
            from desktop.hub_conflict_dialog import HubConflictDialog

            conflicts = HubConflictDialog(self.session, self.window())
            conflicts.finished.connect(lambda _result: self.controller.refresh())
            dialog: QDialog = conflicts
        elif self.wants_entries():
            from desktop.copy_panel import EntriesDialog  # here for start-up speed

            dialog = EntriesDialog(self.session, self.controller, self.window())
        elif self.wants_targets():
            from desktop.targets_dialog import TargetsDialog

            dialog = TargetsDialog(self.session, self.controller, self.window())
        else:
            from desktop.delivery_panel import DeliveriesDialog

            deliveries = DeliveriesDialog(self.session, self.controller, self.window())
            deliveries.record_requested.connect(self.record_requested)
            dialog = deliveries
        self.dialog = dialog
        dialog.open()
        return dialog
