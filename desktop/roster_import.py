"""Importing a roster from a spreadsheet: choose the file, see what it holds, import all or nothing.

A roster file (XLSX/CSV, read by forms/roster_file.read_roster) is shown in a preview first;
if any row has a problem nothing is imported, and the problems say which line to fix. The
import itself is one transaction (store.import_members): all rows or none.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import show_error
from desktop.file_chooser import open_file
from desktop.window_size import fit_window
from forms.roster_file import RosterRead, read_roster
from forms.store import StoreError


def choose_roster_file(parent) -> Path | None:
    """Ask for a roster file; None if cancelled."""
    return open_file(
        parent,
        QCoreApplication.translate("RosterImportDialog", "选择花名册文件"),
        Path.home(),
        QCoreApplication.translate("RosterImportDialog", "花名册 (*.xlsx *.csv)"),
    )


class RosterPreview(QWidget):
    """Shows what a roster file holds (rows and problems) before anything is imported."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.path: Path | None = None
        self.result: RosterRead | None = None
        self.file_label = QLabel(self.tr("尚未选择文件。表头需要“姓名”列，可选“职务”“电话”。"))
        self.file_label.setObjectName("hint")
        self.file_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("行"), self.tr("姓名"), self.tr("角色"), self.tr("电话")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.problems = QLabel()
        self.problems.setObjectName("error")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.file_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)

    def load(self, path: Path) -> None:
        """Read `path` and show its rows and problems."""
        self.path = Path(path)
        self.result = read_roster(self.path)
        rows = self.result.rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((row.get("line"), row["name"], row["role"], row.get("phone"))):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.file_label.setText(
            self.tr("文件：%1 —— 可导入 %n 人", "", len(rows)).replace("%1", self.path.name)
        )
        if self.result.problems:
            shown = self.result.problems[:12]
            more = len(self.result.problems) - len(shown)
            text = self.tr(
                "发现 %n 处问题，整个名册暂不导入。请在表格里改正后重新选择文件：",
                "",
                len(self.result.problems),
            )
            text += "\n" + "\n".join(shown)
            if more > 0:
                text += "\n" + self.tr("……另有 %1 处").replace("%1", str(more))
            self.problems.setText(text)
            self.problems.show()
        else:
            self.problems.hide()
        self.changed.emit()

    @property
    def importable(self) -> bool:
        """A file was read, it has rows and no problems."""
        return bool(self.result and self.result.rows and not self.result.problems)

    def rows(self) -> list[dict]:
        """Rows for store.import_members (name, role, phone)."""
        if self.result is None or not self.importable:
            return []
        return [{"name": r["name"], "role": r["role"], "phone": r.get("phone")} for r in self.result.rows]


class RosterImportDialog(QDialog):
    """Choose a roster file, look at the preview, import it into one branch."""

    def __init__(self, session, branch, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.branch = branch
        self.imported: list = []
        self.plan = None
        self.setWindowTitle(self.tr("导入花名册 · %1").replace("%1", branch.name))
        self.preview = RosterPreview()
        self.preview.changed.connect(self._update)
        # What the import would change, and what to watch out for (a second 书记).
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        choose = QPushButton(self.tr("选择文件(&O)…"))
        choose.clicked.connect(self.choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            self.tr("导入(&I)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        fit_window(self, "roster-import", 620, 460)
        if path is not None:
            self.preview.load(path)

    def choose_file(self) -> None:
        """Ask for a roster file and preview it."""
        path = choose_roster_file(self)
        if path is not None:
            self.preview.load(path)

    def _update(self) -> None:
        self.plan = None
        if self.preview.importable:
            try:
                self.plan = self.session.store.plan_roster(self.branch.id, self.preview.rows())
            except StoreError as exc:
                show_error(self, exc)
        plan = self.plan
        self.import_button.setEnabled(plan is not None and not plan.changes_nothing)
        if plan is None:
            summary = ""
        elif plan.changes_nothing:
            summary = self.tr(
                "名册没有变化：文件中的 %n 人都已在名册上，信息相同，不需要导入。", "", len(plan.unchanged)
            )
        else:
            summary = (
                self.tr("导入后：新增 %1 人，更新 %2 人，%3 人没有变化。")
                .replace("%1", str(len(plan.added)))
                .replace("%2", str(len(plan.changed)))
                .replace("%3", str(len(plan.unchanged)))
            )
            if plan.changed:
                summary += "\n" + self.tr("更新：") + "；".join(plan.changed)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        warnings = "\n".join(plan.warnings) if plan is not None else ""
        self.warning.setText(warnings)
        self.warning.setVisible(bool(warnings))

    def accept(self) -> None:
        """Import every previewed row in one transaction, or nothing."""
        if not self.preview.importable or self.plan is None or self.plan.changes_nothing:
            return
        try:
            self.imported = self.session.store.import_members(self.branch.id, self.preview.rows())
        except StoreError as exc:
            show_error(self, exc)
            return
        super().accept()
