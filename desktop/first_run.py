"""First run: who is typing, and the first branch (typed, or with its roster from a spreadsheet).

Shown when the data folder has no operator yet. Nothing is written until 开始使用, and a
roster with problems is never half-imported: the person fixes the file or leaves it for later.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QMessageBox, QPushButton, QVBoxLayout,
)

from desktop.branches_dialog import RosterPreview, choose_roster_file
from desktop.due_view import STARTED_SETTING
from desktop.errors import show_error
from forms.store import StoreError


def needs_first_run(session) -> bool:
    """True until an operator name has been saved in this data folder."""
    return not session.operator


class FirstRunDialog(QDialog):
    """Asks the operator's name and offers to create the first branch (optionally importing
    its roster from an XLSX/CSV file)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.branch = None
        self.setWindowTitle(self.tr("欢迎使用 Yici"))
        title = QLabel(self.tr("欢迎使用 Yici（一次）"))
        title.setObjectName("title")
        intro = QLabel(self.tr("党支部的会议、走访等记录在这里录入一次，不联网也能用，"
                               "录入的内容随时自动保存。先做两件事："))
        intro.setWordWrap(True)

        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText(self.tr("例如：张晓梅"))
        self.operator_edit.setMaxLength(30)
        who = QGroupBox(self.tr("1. 您的姓名（录入人）"))
        who_layout = QFormLayout(who)
        who_layout.addRow(self.tr("姓名(&N)："), self.operator_edit)
        who_layout.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.operator_edit)

        self.branch_edit = QLineEdit()
        self.branch_edit.setPlaceholderText(self.tr("例如：红星村党支部（可以以后再添加）"))
        self.choose_button = QPushButton(self.tr("从表格导入花名册(&I)…"))
        self.choose_button.clicked.connect(self.choose_roster)
        self.clear_button = QPushButton(self.tr("不导入名册"))
        self.clear_button.clicked.connect(self.clear_roster)
        self.clear_button.hide()
        self.preview = RosterPreview()
        self.preview.hide()
        branch = QGroupBox(self.tr("2. 第一个支部"))
        branch_layout = QVBoxLayout(branch)
        branch_form = QFormLayout()
        branch_form.addRow(self.tr("支部名称(&B)："), self.branch_edit)
        branch_form.itemAt(0, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.branch_edit)
        branch_layout.addLayout(branch_form)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.choose_button)
        buttons_row.addWidget(self.clear_button)
        buttons_row.addStretch(1)
        branch_layout.addLayout(buttons_row)
        branch_layout.addWidget(self.preview, 1)
        hint = QLabel(self.tr("花名册表格的第一行写“姓名”“职务”“电话”，下面每行一位党员；"
                              "支持 Excel（.xlsx）和 CSV。更多支部可以以后在“支部与花名册”里添加。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        branch_layout.addWidget(hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton(self.tr("开始使用(&S)"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(who)
        layout.addWidget(branch, 1)
        layout.addWidget(self.buttons)
        self.resize(600, 460)
        self.operator_edit.setFocus()

    def choose_roster(self) -> None:
        path = choose_roster_file(self)
        if path is not None:
            self.load_roster(path)

    def load_roster(self, path: Path) -> None:
        """Preview a roster file for the first branch."""
        self.preview.load(path)
        self.preview.show()
        self.clear_button.show()
        if not self.branch_edit.text().strip():
            self.branch_edit.setFocus()

    def clear_roster(self) -> None:
        self.preview.result = None
        self.preview.path = None
        self.preview.hide()
        self.clear_button.hide()

    def accept(self) -> None:
        """Save the operator, create the branch and import its roster (all or nothing)."""
        operator = self.operator_edit.text().strip()
        branch_name = self.branch_edit.text().strip()
        if not operator:
            QMessageBox.warning(self, self.windowTitle(),
                                self.tr("请填写您的姓名。每条记录都会写明录入人。"))
            self.operator_edit.setFocus()
            return
        roster_chosen = self.preview.path is not None
        if roster_chosen and not self.preview.importable:
            QMessageBox.warning(self, self.windowTitle(), self.tr(
                "花名册里有问题，没有导入。请改正表格后重新选择，或点“不导入名册”以后再导入。"))
            return
        if roster_chosen and not branch_name:
            QMessageBox.warning(self, self.windowTitle(), self.tr("请填写花名册所属的支部名称。"))
            self.branch_edit.setFocus()
            return
        store = self.session.store
        try:
            if branch_name:
                self.branch = store.find_branch(branch_name) or store.add_branch(branch_name)
                if roster_chosen:
                    store.import_members(self.branch.id, self.preview.rows())
                    secretary = next((r["name"] for r in self.preview.rows()
                                      if r["role"] == "书记"), None)
                    if secretary and not self.branch.secretary:
                        self.branch = store.update_branch(self.branch.id, secretary=secretary)
            if not store.get_setting(STARTED_SETTING):
                store.set_setting(STARTED_SETTING, dt.date.today().isoformat())
            # The operator last: until it is saved, the next start asks again.
            self.session.operator = operator
        except StoreError as exc:
            show_error(self, exc)
            return
        super().accept()
