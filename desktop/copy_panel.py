"""Typing a record into a platform by hand: its values in the platform's order, one click or key
to copy each, its photos exported for upload, then "已录入" or "有问题".

`EntryDialog` shows one delivery of a `copy` target (sync/copy.py): Ctrl+1…9 copy a row, Enter
copies the current row and moves down, ↑/↓ move. The values are large enough to read from
across the desk, for a platform that only exists on a phone. For a web-form platform (kind
`browser`) "在浏览器中录入…" lets Yici type the record in itself (desktop/browser_run_dialog.py).
`EntriesDialog` lists what waits to be typed in, across records.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.browser_run_dialog import BrowserRunButton, BrowserRunDialog
from desktop.delivery_details import delivery_time
from desktop.file_chooser import choose_folder
from desktop.sync_worker import active_controller
from desktop.window_size import fit_window
from desktop.words import state_title
from sync.copy import entry, shown_text
from sync.copy_photos import attached, export_photos

log = logging.getLogger(__name__)
SHORTCUT_ROWS = 9  # Ctrl+1 … Ctrl+9


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question, No by default (tests replace this)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_words(parent: QWidget, title: str, text: str) -> str | None:
    """What went wrong, in the person's words; None if cancelled (tests replace this)."""
    words, accepted = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Normal)
    return words if accepted else None


def ask_folder(parent: QWidget, title: str, folder: str) -> str | None:
    """The folder photos go to; None if cancelled (tests replace this)."""
    chosen = choose_folder(parent, title, folder)
    return str(chosen) if chosen else None


class EntryDialog(QDialog):
    """One record's values for one platform, to copy field by field."""

    decided = Signal()  # marked entered or a problem reported

    def __init__(self, session, delivery_id: int, parent: QWidget | None = None, controller=None):
        super().__init__(parent)
        self.session = session
        self.controller = controller or active_controller()
        store = session.store
        self.delivery = store.delivery(delivery_id)
        self.entry = entry(store, self.delivery)
        self.record = store.record(self.delivery.record_uuid)
        self.current = 0
        self.setWindowTitle(self.tr("录入到“{target}”").format(target=self.delivery.target_name))

        title = QLabel(
            " · ".join(
                p for p in (self.entry.title, self.record.occurred_on or "", self.record.summary) if p
            ),
            self,
        )
        title.setObjectName("title")
        title.setWordWrap(True)
        hint = QLabel(
            self.tr(
                "按平台上的顺序逐项复制：点“复制”或按 Ctrl+数字；回车复制当前一项并移到下一项。"
                "全部录好后点“已录入”。"
            ),
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.rows: list[tuple[QLabel, QLabel, QPushButton]] = []
        grid_widget = QWidget(self)
        grid = QGridLayout(grid_widget)
        grid.setColumnStretch(2, 1)
        for i, value in enumerate(self.entry.values):
            number = QLabel(str(i + 1) if i < SHORTCUT_ROWS else "", grid_widget)
            label = QLabel(value.label, grid_widget)
            label.setWordWrap(True)
            label.setObjectName("copyLabel")
            shown = QLabel(value.problem or value.text or self.tr("（空）"), grid_widget)
            shown.setObjectName("copyProblem" if value.problem else "copyValue")
            shown.setWordWrap(True)
            shown.setTextFormat(Qt.TextFormat.PlainText)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("复制"), grid_widget)
            button.setAutoDefault(False)
            button.setEnabled(not value.problem)
            if i < SHORTCUT_ROWS:
                button.setToolTip(f"Ctrl+{i + 1}")
            button.clicked.connect(lambda _=False, row=i: self.copy(row))
            grid.addWidget(number, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, i, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(shown, i, 2)
            grid.addWidget(button, i, 3, Qt.AlignmentFlag.AlignTop)
            self.rows.append((label, shown, button))
        self.values_area = QScrollArea(self)
        self.values_area.setWidgetResizable(True)
        self.values_area.setWidget(grid_widget)

        self.problem = QLabel(self.entry.problem, self)
        self.problem.setObjectName("copyProblem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(self.entry.problem))
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)

        photos = len(attached(self.entry.item))
        self.photos_button = QPushButton(self.tr("导出照片（{n} 个文件）…").format(n=photos), self)
        self.photos_button.setVisible(photos > 0)
        self.problem_button = QPushButton(self.tr("有问题…"), self)
        self.problem_button.setToolTip(self.tr("平台上录不进去：写明原因，记入操作记录"))
        self.entered_button = QPushButton(self.tr("已录入"), self)
        self.entered_button.setObjectName("primary")
        self.entered_button.setToolTip(self.tr("已在平台上录入并保存：标记为已送达，记下谁、何时"))
        # A web form's record: Yici can type it in itself, in the browser.
        self.browser_button = QPushButton(self.tr("在浏览器中录入…"), self)
        self.browser_button.setToolTip(self.tr("让 Yici 在浏览器中把这条记录填进平台的表单"))
        self.browser_button.setVisible(self.entry.target.kind == "browser")
        self.browser_button.setEnabled(self.delivery.state == "awaiting_entry")
        self.browser_button.clicked.connect(self.enter_in_browser)
        self.open_browser = None  # tests: a headless browser
        close = QPushButton(self.tr("关闭"), self)
        choices = (self.photos_button, self.browser_button, self.problem_button, self.entered_button, close)
        for button in choices:
            button.setAutoDefault(False)
        self.photos_button.clicked.connect(self.export_photos)
        self.problem_button.clicked.connect(self.report_problem)
        self.entered_button.clicked.connect(self.mark_entered)
        close.clicked.connect(self.reject)
        waiting = self.delivery.state in ("awaiting_entry", "failed")
        self.entered_button.setEnabled(waiting and not self.entry.problem)
        self.problem_button.setEnabled(self.delivery.state == "awaiting_entry")

        buttons = QHBoxLayout()
        buttons.addWidget(self.photos_button)
        buttons.addStretch(1)
        for button in (self.browser_button, self.problem_button, self.entered_button, close):
            buttons.addWidget(button)
        box = QVBoxLayout(self)
        for widget in (title, hint, self.problem):
            box.addWidget(widget)
        box.addWidget(self.values_area, 1)
        box.addWidget(self.status)
        box.addLayout(buttons)

        for i in range(min(SHORTCUT_ROWS, len(self.rows))):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, lambda row=i: self.copy(row))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self.copy_and_next)
        QShortcut(QKeySequence(Qt.Key.Key_Down), self, lambda: self.move_to(self.current + 1))
        QShortcut(QKeySequence(Qt.Key.Key_Up), self, lambda: self.move_to(self.current - 1))
        self.move_to(0)
        fit_window(self, "copy_entry", 760, 520)

    # -- copying ----------------------------------------------------------------------------------
    def move_to(self, row: int) -> None:
        """Make `row` the current one: marked, and scrolled into view."""
        if not self.rows:
            return
        self.current = max(0, min(row, len(self.rows) - 1))
        for i, (label, shown, _button) in enumerate(self.rows):
            for widget in (label, shown):
                widget.setProperty("current", i == self.current)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        if self.current == 0:  # the top, whole: before layout the row's place is not known yet
            self.values_area.verticalScrollBar().setValue(0)
        else:
            self.values_area.ensureWidgetVisible(self.rows[self.current][1])

    def copy(self, row: int) -> bool:
        """Put row `row`'s value on the clipboard (not one whose expression failed)."""
        if not 0 <= row < len(self.entry.values):
            return False
        value = self.entry.values[row]
        self.move_to(row)
        if value.problem:
            self.status.setText(value.problem)
            return False
        QGuiApplication.clipboard().setText(value.text)
        self.status.setText(
            self.tr("已复制第 {n} 项“{label}”，可以粘贴了。").format(n=row + 1, label=value.label)
        )
        return True

    def copy_and_next(self) -> None:
        """Enter: copy the current row, then move to the next."""
        copied = self.copy(self.current)
        if copied and self.current + 1 < len(self.rows):
            self.move_to(self.current + 1)

    # -- photos and decisions ---------------------------------------------------------------------
    def export_photos(self) -> list:
        """Copy the record's photos to a folder the person chooses (the target's, at first)."""
        start = (self.entry.target.options or {}).get("folder") or str(self.session.data_dir.parent)
        folder = ask_folder(self, self.tr("把照片导出到哪个文件夹"), start)
        if not folder:
            return []
        try:
            paths = export_photos(self.entry.item, Path(folder), self.record.occurred_on)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("导出照片"), self.tr("无法导出照片：{error}").format(error=exc))
            return []
        where = paths[0].parent if paths else folder
        self.status.setText(self.tr("已导出 {n} 个文件到 {folder}").format(n=len(paths), folder=where))
        return paths

    def mark_entered(self) -> bool:
        """The person typed it all in: delivered, with who and when in the audit."""
        if not confirm(
            self,
            self.tr("已录入"),
            self.tr("确认已把这条记录录入“{target}”并保存了吗？").format(target=self.delivery.target_name),
        ):
            return False
        shown = shown_text(self.entry.values)
        return self._decide(lambda id, operator: self.session.store.mark_entered(id, operator, shown=shown))

    def report_problem(self) -> bool:
        """The person could not type it in: failed, with their words."""
        words = ask_words(
            self,
            self.tr("录入遇到问题"),
            self.tr("请写明在“{target}”上遇到了什么问题（会记入操作记录）：").format(
                target=self.delivery.target_name
            ),
        )
        if words is None or not words.strip():
            return False
        return self._decide(lambda id, operator: self.session.store.report_entry_problem(id, operator, words))

    def enter_in_browser(self) -> BrowserRunDialog:
        """Yici types this one record into the platform's web form, the person watching."""
        dialog = self.run_dialog = BrowserRunDialog(
            self.session,
            self.delivery.target_id,
            self,
            self.controller,
            only={self.delivery.record_uuid},
            open_browser=self.open_browser,
        )
        dialog.work_ended.connect(self._ran)
        dialog.open()
        return dialog

    def _ran(self) -> None:
        self.delivery = self.session.store.delivery(self.delivery.id)
        if self.delivery.state != "awaiting_entry":  # entered, found or refused: decided
            for button in (self.browser_button, self.problem_button, self.entered_button):
                button.setEnabled(False)
            self.status.setText(
                self.tr("已在浏览器中处理：{state}").format(state=state_title(self.delivery.state))
            )
            self.decided.emit()

    def _decide(self, step) -> bool:
        try:
            step(self.delivery.id, self.session.operator_or_login())
        except Exception as exc:  # noqa: BLE001 - e.g. decided meanwhile elsewhere: say so
            QMessageBox.warning(self, self.tr("没有成功"), str(exc).split(" / ")[0])
            return False
        self.decided.emit()
        if self.controller is not None:
            self.controller.refresh()
        self.accept()
        return True


class EntriesDialog(QDialog):
    """Every delivery waiting to be typed into its platform, oldest first."""

    def __init__(self, session, controller=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.controller = controller or active_controller()
        self.setWindowTitle(self.tr("待录入"))
        self.hint = hint = QLabel(self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        headers = [self.tr("平台"), self.tr("等待自"), self.tr("记录")]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # Whole texts, the table scrolling sideways when they are long: records alike but for
        # their last words stay apart.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.empty = QLabel(self.tr("没有待录入的记录。"), self)
        self.open_button = QPushButton(self.tr("录入…"), self)
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_selected)
        close = QPushButton(self.tr("关闭"), self)
        close.clicked.connect(self.reject)
        # Web-form platforms: Yici types the waiting records in itself, in the browser.
        self.browser_button = BrowserRunButton(session, self.controller, self)
        self.browser_button.ran.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty)
        buttons.addStretch(1)
        buttons.addWidget(self.browser_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(hint)
        box.addWidget(self.table, 1)
        box.addLayout(buttons)
        self.entry_dialog: EntryDialog | None = None
        self.refresh()
        fit_window(self, "copy_entries", 760, 420)

    def refresh(self) -> None:
        """Re-read what waits."""
        store = self.session.store
        self._rows = store.entries_waiting(limit=500)
        self.table.setRowCount(len(self._rows))
        for r, d in enumerate(self._rows):
            try:
                record = store.record(d.record_uuid)
                branch = store.branch(record.branch_id).name
                title = " · ".join(p for p in (branch, record.summary or record.occurred_on or "") if p)
            except Exception:  # noqa: BLE001 - a record gone from this laptop: its id
                log.exception("reading a waiting record failed")
                title = d.record_uuid[:8]
            for c, text in enumerate((d.target_name, delivery_time(d), title)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        if self._rows:
            self.table.selectRow(0)
        self.table.setVisible(bool(self._rows))
        self.empty.setVisible(not self._rows)
        self.open_button.setEnabled(bool(self._rows))
        self.browser_button.show_for(None)
        self.hint.setText(
            self.tr(
                "这些记录还要在平台上录入。双击一行或点“录入…”逐项复制；网页表单的平台可以点"
                "“在浏览器中录入…”，由 Yici 在浏览器中填写。"
            )
            if self.browser_button.isEnabled()
            else self.tr("这些记录还要在平台上手工录入。双击一行或点“录入…”逐项复制。")
        )

    def open_selected(self) -> EntryDialog | None:
        """Open the selected delivery's values to copy."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        dialog = EntryDialog(self.session, self._rows[rows[0].row()].id, self, self.controller)
        dialog.decided.connect(self.refresh)
        self.entry_dialog = dialog
        dialog.open()
        return dialog
