"""Branches and their rosters: add and edit branches, add/edit/remove members, import a roster.

The roster import (a preview first, then all rows or none) is in roster_import.py.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.branch_position import BranchPosition
from desktop.due_view import FlowLayout
from desktop.errors import show_error
from desktop.roster_import import RosterImportDialog
from desktop.window_size import fit_window
from forms.roster_file import ROLES
from forms.store import StoreError


class BranchesDialog(QDialog):
    """支部与花名册: the branch list on the left, the chosen branch and its roster on the right."""

    branchesChanged = Signal()

    def __init__(self, session, parent=None, select_id: int | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("支部与花名册"))
        self.branch_id: int | None = None
        self._member_ids: list[int] = []

        # Left: branches.
        self.branch_list = QListWidget()
        self.branch_list.setAccessibleName(self.tr("支部"))
        self.branch_list.currentItemChanged.connect(self._on_branch)
        new_branch = QPushButton(self.tr("新建支部(&A)"))
        new_branch.clicked.connect(self.start_new_branch)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("支部")))
        left_layout.addWidget(self.branch_list, 1)
        left_layout.addWidget(new_branch)

        # Right top: the branch itself.
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("例如：红星村党支部"))
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("可不填；平台上的支部编号"))
        self.secretary_combo = QComboBox()
        self.secretary_combo.setEditable(True)
        self.position = BranchPosition()
        self.save_branch_button = QPushButton(self.tr("保存支部信息(&S)"))
        self.save_branch_button.clicked.connect(self.save_branch)
        branch_box = QGroupBox(self.tr("支部信息"))
        branch_form = QFormLayout(branch_box)
        # addRow(text, widget) makes the widget its label's buddy, so Alt+N jumps to the name.
        branch_form.addRow(self.tr("支部名称(&N)："), self.name_edit)
        branch_form.addRow(self.tr("支部编号："), self.code_edit)
        branch_form.addRow(self.tr("支部书记："), self.secretary_combo)
        branch_form.addRow(self.tr("村里位置："), self.position)
        branch_form.addRow("", self.save_branch_button)

        # Right bottom: the roster.
        self.members_table = QTableWidget(0, 3)
        self.members_table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("角色"), self.tr("电话")])
        self.members_table.verticalHeader().setVisible(False)
        self.members_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        members_header = self.members_table.horizontalHeader()
        members_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Names in full on one line (阿卜杜热合曼·艾买提江 at 特大); role and phone share the rest.
        members_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.members_table.setWordWrap(False)
        self.members_table.itemSelectionChanged.connect(self._on_member)
        self.member_name = QLineEdit()
        self.member_name.setPlaceholderText(self.tr("姓名"))
        self.member_role = QComboBox()
        self.member_role.addItems(list(ROLES))
        self.member_role.setCurrentText("党员")
        self.member_phone = QLineEdit()
        self.member_phone.setPlaceholderText(self.tr("手机号（可不填）"))
        self.add_member_button = QPushButton(self.tr("添加党员(&M)"))
        self.add_member_button.clicked.connect(self.add_member)
        self.update_member_button = QPushButton(self.tr("保存修改"))
        self.update_member_button.clicked.connect(self.update_member)
        self.remove_member_button = QPushButton(self.tr("移出名册"))
        self.remove_member_button.clicked.connect(self.remove_member)
        self.import_button = QPushButton(self.tr("从表格导入花名册(&I)…"))
        self.import_button.clicked.connect(self.import_roster)
        member_row = QHBoxLayout()
        member_row.addWidget(self.member_name, 2)
        member_row.addWidget(self.member_role, 1)
        member_row.addWidget(self.member_phone, 2)
        # Wraps to a second line when 特大 or English make the buttons wider than the dialog.
        member_buttons = FlowLayout()
        for button in (
            self.add_member_button,
            self.update_member_button,
            self.remove_member_button,
            self.import_button,
        ):
            member_buttons.addWidget(button)
        self.roster_warning = QLabel()  # e.g. two 书记 on one roster
        self.roster_warning.setObjectName("warning")
        self.roster_warning.setWordWrap(True)
        self.roster_warning.hide()
        self.roster_box = QGroupBox(self.tr("花名册"))
        roster_layout = QVBoxLayout(self.roster_box)
        roster_layout.addWidget(self.members_table, 1)
        roster_layout.addWidget(self.roster_warning)
        roster_layout.addLayout(member_row)
        roster_layout.addLayout(member_buttons)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(branch_box)
        right_layout.addWidget(self.roster_box, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 560])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        # Enter never presses a button the person is not looking at (QDialog would make the first
        # one, 新建支部, the default): keyPressEvent gives Enter the meaning of the field it is in.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._branch_fields = (self.name_edit, self.code_edit, self.secretary_combo, self.position)
        self._member_fields_widgets = (self.member_name, self.member_role, self.member_phone)
        fit_window(self, "branches", 820, 560)
        self.reload(select_id)

    def keyPressEvent(self, event) -> None:
        """Enter in a member's fields adds the person (or saves the selected one's changes);
        Enter in the branch's fields saves the branch. Elsewhere Enter does nothing."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier
        ):
            focus = self.focusWidget()
            if self._within(focus, self._member_fields_widgets):
                if self._selected_member_id() is not None:
                    self.update_member()
                else:
                    self.add_member()
                event.accept()
                return
            if self._within(focus, self._branch_fields):
                new = self.branch_id is None
                if self.save_branch() and new:
                    self.member_name.setFocus()  # a new branch: its roster comes next
                event.accept()
                return
        super().keyPressEvent(event)

    @staticmethod
    def _within(widget, owners) -> bool:
        # The editable combo's line edit has the focus, not the combo itself.
        return widget is not None and any(widget is w or w.isAncestorOf(widget) for w in owners)

    # -- branches ------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Read the branches again and show `select_id` (else the first, else a new one)."""
        self.branch_list.blockSignals(True)
        self.branch_list.clear()
        chosen = None
        for branch in self.session.store.branches():
            item = QListWidgetItem(branch.name)
            item.setData(Qt.ItemDataRole.UserRole, branch.id)
            self.branch_list.addItem(item)
            if branch.id == select_id:
                chosen = item
        self.branch_list.blockSignals(False)
        # As wide as the longest branch name: no side scroll bar, no cut name.
        widest = self.branch_list.sizeHintForColumn(0)
        scroll = self.branch_list.verticalScrollBar().sizeHint().width()
        self.branch_list.setMinimumWidth(widest + 2 * self.branch_list.frameWidth() + scroll + 4)
        if chosen is None and self.branch_list.count():
            chosen = self.branch_list.item(0)
        if chosen is not None:
            self.branch_list.setCurrentItem(chosen)
            self._show_branch(chosen.data(Qt.ItemDataRole.UserRole))
        else:
            self.start_new_branch()

    def _on_branch(self, current, _previous) -> None:
        if current is not None:
            self._show_branch(current.data(Qt.ItemDataRole.UserRole))

    def _show_branch(self, branch_id: int) -> None:
        branch = self.session.store.branch(branch_id)
        self.branch_id = branch.id
        self.name_edit.setText(branch.name)
        self.code_edit.setText(branch.code or "")
        self.position.show_position(branch.latitude, branch.longitude)
        self._fill_members()
        self.secretary_combo.setCurrentText(branch.secretary or "")
        self.roster_box.setEnabled(True)
        self.roster_box.setTitle(self.tr("花名册 · %1").replace("%1", branch.name))

    def start_new_branch(self) -> None:
        """Clear the form for a new branch; 保存 creates it."""
        self.branch_id = None
        self.branch_list.clearSelection()
        self.branch_list.setCurrentRow(-1)  # no current branch
        for edit in (self.name_edit, self.code_edit):
            edit.clear()
        self.secretary_combo.clear()
        self.position.show_position(None, None)
        self.members_table.setRowCount(0)
        self.roster_box.setEnabled(False)
        self.roster_box.setTitle(self.tr("花名册（先保存支部）"))
        self.name_edit.setFocus()

    def save_branch(self) -> bool:
        """Create the branch (new) or save its changes; False (with a message) if refused."""
        name = self.name_edit.text().strip()
        code = self.code_edit.text().strip() or None
        secretary = self.secretary_combo.currentText().strip() or None
        if not name:
            QMessageBox.warning(self, self.tr("支部与花名册"), self.tr("请填写支部名称。"))
            self.name_edit.setFocus()
            return False
        position = self.position.checked()
        if position is None:
            return False
        store = self.session.store
        try:
            if self.branch_id is None:
                branch = store.add_branch(name, code=code, secretary=secretary)
            else:
                branch = store.update_branch(self.branch_id, name=name, code=code, secretary=secretary)
            store.set_branch_position(branch.id, *position)
        except StoreError as exc:
            show_error(self, exc)
            return False
        self.reload(branch.id)
        self.branchesChanged.emit()
        return True

    # -- members -------------------------------------------------------------------------
    def _fill_members(self) -> None:
        members = self.session.store.members(self.branch_id) if self.branch_id else []
        self._member_ids = [m.id for m in members]
        self.members_table.setRowCount(len(members))
        for row, member in enumerate(members):
            for col, value in enumerate((member.name, member.role, member.phone or "")):
                self.members_table.setItem(row, col, QTableWidgetItem(value))
        secretary = self.secretary_combo.currentText()
        self.secretary_combo.clear()
        self.secretary_combo.addItems(
            [m.name for m in members if m.role in ("书记", "副书记")]
            + [m.name for m in members if m.role not in ("书记", "副书记")]
        )
        self.secretary_combo.setCurrentText(secretary)
        warnings = self.session.store.roster_warnings(self.branch_id) if self.branch_id else []
        self.roster_warning.setText("\n".join(warnings))
        self.roster_warning.setVisible(bool(warnings))
        self._on_member()

    def _selected_member_id(self) -> int | None:
        rows = self.members_table.selectionModel().selectedRows()
        return self._member_ids[rows[0].row()] if rows else None

    def _on_member(self) -> None:
        member_id = self._selected_member_id()
        self.update_member_button.setEnabled(member_id is not None)
        self.remove_member_button.setEnabled(member_id is not None)
        if member_id is not None:
            row = self.members_table.selectionModel().selectedRows()[0].row()
            self.member_name.setText(self._member_cell(row, 0))
            self.member_role.setCurrentText(self._member_cell(row, 1))
            self.member_phone.setText(self._member_cell(row, 2))

    def _member_cell(self, row: int, column: int) -> str:
        item = self.members_table.item(row, column)
        return item.text() if item is not None else ""

    def _member_fields(self) -> tuple[str, str, str | None] | None:
        name = self.member_name.text().strip()
        if not name:
            QMessageBox.warning(self, self.tr("花名册"), self.tr("请填写党员姓名。"))
            self.member_name.setFocus()
            return None
        phone = self.member_phone.text().strip() or None
        if phone is not None:
            from forms.identity import phone_problem

            problem = phone_problem(phone)
            if problem:
                QMessageBox.warning(self, self.tr("花名册"), problem)
                self.member_phone.setFocus()
                return None
        return name, self.member_role.currentText(), phone

    def add_member(self) -> None:
        """Add the typed person to the chosen branch's roster, ready for the next one."""
        if self.branch_id is None:
            return
        fields = self._member_fields()
        if fields is None:
            return
        name, role, phone = fields
        try:
            self.session.store.add_member(self.branch_id, name, role=role, phone=phone)
        except StoreError as exc:
            show_error(self, exc)
            return
        self._fill_members()
        self.members_table.clearSelection()
        for edit in (self.member_name, self.member_phone):
            edit.clear()
        self.member_role.setCurrentText("党员")
        self.member_name.setFocus()  # ready for the next person: rosters are typed in a row
        self.branchesChanged.emit()

    def update_member(self) -> None:
        """Save the changes typed for the selected member."""
        member_id = self._selected_member_id()
        fields = self._member_fields() if member_id is not None else None
        if fields is None:
            return
        name, role, phone = fields
        try:
            self.session.store.update_member(member_id, name=name, role=role, phone=phone)
        except StoreError as exc:
            show_error(self, exc)
            return
        self._roster_changed()

    def remove_member(self) -> None:
        """Take the selected member off the roster after asking."""
        member_id = self._selected_member_id()
        if member_id is None:
            return
        name = self.member_name.text()
        answer = QMessageBox.question(
            self,
            self.tr("移出名册"),
            self.tr("把“%1”移出花名册？已有记录里的名字不受影响。").replace("%1", name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.session.store.remove_member(member_id)
        except StoreError as exc:
            show_error(self, exc)
            return
        self._roster_changed()

    def import_roster(self) -> None:
        """Choose a roster file and preview it for the chosen branch."""
        dialog = self.roster_import_dialog()
        if dialog is not None:
            dialog.open()
            dialog.choose_file()

    def roster_import_dialog(self, path: Path | None = None) -> RosterImportDialog | None:
        """The import preview for the chosen branch (with `path` read if given), not shown."""
        if self.branch_id is None:
            return None
        branch = self.session.store.branch(self.branch_id)
        dialog = RosterImportDialog(self.session, branch, path, self)
        dialog.finished.connect(lambda _result: self._roster_changed())
        return dialog

    def _roster_changed(self) -> None:
        self._fill_members()
        self.branchesChanged.emit()
