"""First run: who is typing, and the first branch (typed, or with its roster from a spreadsheet).

Shown when the data folder has no operator yet. Nothing is written until 开始使用, and a
roster with problems is never half-imported: the person fixes the file or leaves it for later.
When IT staff put a deployment profile (`yici-profile.yaml`) beside the program, the dialog
offers to import it (branches, rosters, targets without secrets, form versions, defaults).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from desktop.delivery_panel import ask
from desktop.due_view import STARTED_SETTING
from desktop.errors import show_error
from desktop.roster_import import RosterPreview, choose_roster_file
from desktop.target_work import tidy_keyring
from desktop.window_size import fit_window
from forms.store import StoreError


def needs_first_run(session) -> bool:
    """True until an operator name has been saved in this data folder."""
    return not session.operator


class FirstRunDialog(QDialog):
    """Asks the operator's name and offers to create the first branch (optionally importing
    its roster from an XLSX/CSV file)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        from forms.profile import find_beside_executable

        self.session = session
        self.branch = None
        self.profile_path: Path | None = find_beside_executable()
        self.profile_report = None  # forms.profile.ProfileReport once imported
        from desktop.app import DISPLAY_NAME

        welcome = self.tr("欢迎使用")
        self.setWindowTitle(f"{welcome} {DISPLAY_NAME}")  # ends with the app's name: named once
        title = QLabel(self.tr("欢迎使用 Yici（一次）"))
        title.setObjectName("title")
        intro = QLabel(
            self.tr(
                "党支部的会议、走访等记录在这里录入一次，不联网也能用，录入的内容随时自动保存。先做两件事："
            )
        )
        intro.setWordWrap(True)

        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText(self.tr("例如：张晓梅"))
        self.operator_edit.setMaxLength(30)
        who = QGroupBox(self.tr("1. 您的姓名（录入人）"))
        who_layout = QFormLayout(who)
        # addRow(text, widget) makes the widget its label's buddy, so Alt+N jumps to it.
        who_layout.addRow(self.tr("姓名(&N)："), self.operator_edit)

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
        branch_layout.addLayout(branch_form)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.choose_button)
        buttons_row.addWidget(self.clear_button)
        buttons_row.addStretch(1)
        branch_layout.addLayout(buttons_row)
        branch_layout.addWidget(self.preview, 1)
        hint = QLabel(
            self.tr(
                "花名册表格的第一行写“姓名”“职务”“电话”，下面每行一位党员；"
                "支持 Excel（.xlsx）和 CSV。更多支部可以以后在“支部与花名册”里添加。"
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        branch_layout.addWidget(hint)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton(
            self.tr("开始使用(&S)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        self.profile_check = None
        if self.profile_path is not None:
            layout.addWidget(self._profile_box(self.profile_path))
        layout.addWidget(who)
        layout.addWidget(branch, 1)
        layout.addWidget(self.buttons)
        fit_window(self, "first-run", 600, 520 if self.profile_check is not None else 460)
        self.operator_edit.setFocus()

    def _profile_box(self, path: Path) -> QGroupBox:
        """The offer to import the deployment profile found beside the program (checked)."""
        box = QGroupBox(self.tr("部署配置"))
        box_layout = QVBoxLayout(box)
        self.profile_check = QCheckBox(self.tr("发现部署配置文件 %1，是否导入？").replace("%1", path.name))
        self.profile_check.setChecked(True)
        self.profile_check.setToolTip(str(path))
        where = QLabel(
            self.tr(
                "位置：%1\n导入支部、花名册和推送平台等设置；密钥需要以后在“设置 → 推送平台”里录入。"
            ).replace("%1", str(path))
        )
        where.setObjectName("hint")
        where.setWordWrap(True)
        box_layout.addWidget(self.profile_check)
        box_layout.addWidget(where)
        try:  # a default operator name in the profile fills the name box (still editable)
            from forms.profile import ProfileProblem, read_profile

            operator = read_profile(path).settings.get("operator")
        except (ProfileProblem, OSError):
            operator = None  # problems are reported when importing, with their line numbers
        if operator:
            self.operator_edit.setText(str(operator))
        return box

    def import_profile(self) -> bool:
        """Import the offered profile if ticked (all or nothing); False if it has problems, or
        would change platforms this laptop already has and the person said no."""
        if self.profile_check is None or not self.profile_check.isChecked():
            return True
        from forms.profile import ProfileChanges, ProfileProblem, import_profile

        store, catalog = self.session.store, self.session.catalog
        try:
            try:
                self.profile_report = import_profile(store, catalog, self.profile_path)
            except ProfileChanges as changes:  # never silently: the person reads them first
                if not ask(
                    self,
                    self.tr("部署配置会修改已有的平台"),
                    self.tr("%1\n\n要按部署配置修改这些平台吗？选“否”则什么都不导入。").replace(
                        "%1", str(changes).rsplit("\n", 1)[0]
                    ),
                ):
                    return False
                self.profile_report = import_profile(store, catalog, self.profile_path, accept_changes=True)
        except ProfileProblem as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        tidy_keyring(store)  # secrets made for an address the profile changed
        return True

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
            QMessageBox.warning(self, self.windowTitle(), self.tr("请填写您的姓名。每条记录都会写明录入人。"))
            self.operator_edit.setFocus()
            return
        roster_chosen = self.preview.path is not None
        if roster_chosen and not self.preview.importable:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("花名册里有问题，没有导入。请改正表格后重新选择，或点“不导入名册”以后再导入。"),
            )
            return
        if roster_chosen and not branch_name:
            QMessageBox.warning(self, self.windowTitle(), self.tr("请填写花名册所属的支部名称。"))
            self.branch_edit.setFocus()
            return
        store = self.session.store
        try:
            # The profile first, in its own transaction: if it has problems nothing at all is
            # written and the person stays here (to untick it, or to have the file fixed).
            if not self.import_profile():
                return
            if branch_name:
                self.branch = store.find_branch(branch_name) or store.add_branch(branch_name)
                if roster_chosen:
                    store.import_members(self.branch.id, self.preview.rows())
                    secretary = next((r["name"] for r in self.preview.rows() if r["role"] == "书记"), None)
                    if secretary and not self.branch.secretary:
                        self.branch = store.update_branch(self.branch.id, secretary=secretary)
            if not store.get_setting(STARTED_SETTING):
                store.set_setting(STARTED_SETTING, dt.date.today().isoformat())
            # The operator last: until it is saved, the next start asks again.
            self.session.operator = operator
        except StoreError as exc:
            show_error(self, exc)
            return
        self._tell_missing_secrets()
        super().accept()

    def closeEvent(self, event) -> None:
        # The window's ✕ asks (below); the app quitting (logout, SIGTERM) closes it unasked.
        self._ask_to_quit = event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._ask_to_quit = True

    def reject(self) -> None:
        """取消, Esc or the window's ✕: this quits Yici, so ask first (a slip of the hand must not
        close the program a new user has just opened)."""
        if not getattr(self, "_ask_to_quit", True) or ask(
            self,
            self.windowTitle(),
            self.tr("还没有填写完。现在取消会退出 Yici，下次打开时再填写。确定退出吗？"),
        ):
            super().reject()

    def _tell_missing_secrets(self) -> None:
        """After a profile import: which platforms still need their secrets typed in here."""
        missing = self.profile_report.secrets if self.profile_report is not None else []
        if not missing:
            return
        lines = "\n".join(f"· {target}：{'、'.join(names)}" for target, names in missing)
        QMessageBox.information(
            self,
            self.windowTitle(),
            self.tr(
                "部署配置已导入。下面的推送平台还需要录入密钥，录入前记录会保存在本机等待发送：\n%1\n\n"
                "请在“设置 → 推送平台”里选中平台，点“填写密钥…”。"
            ).replace("%1", lines),
        )
