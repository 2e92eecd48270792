"""The targets page: every platform records go to, whether it is working, and what to do about it.

Add and change targets, test one (the platform's own answer is shown), enter its secrets into the
system keyring, remove it, and for Excel import files confirm that the file was uploaded.
Tests and upload confirmations run as background operations: a slow platform never freezes the
window.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.browser_run_dialog import BrowserRunButton
from desktop.due_view import FlowLayout
from desktop.operations import failure_line, run_in_background
from desktop.questions import ask
from desktop.recipe_test_dialog import RecipeTestDialog
from desktop.secret_dialog import SecretDialog
from desktop.sync_worker import active_controller
from desktop.target_form import TargetForm
from desktop.target_options import ERROR_COLOR, OK_COLOR, secret_label, secret_names_for
from desktop.target_work import choose_batch, confirm_batch, test_target, tidy_keyring, upload_batches
from desktop.targets_table import TargetsTable
from desktop.window_size import fit_window
from desktop.words import state_title
from forms.store import Target
from sync import secrets as keyring_secrets
from sync.kinds import KINDS

if TYPE_CHECKING:
    from sync.kind import Attempt
    from sync.report import Confirmed

# Importers of the targets page find these here too.
__all__ = ["TargetsDialog", "choose_batch", "confirm_batch", "test_target", "upload_batches"]


class TargetsDialog(QDialog):
    """List of targets with state and counts, and the buttons to look after them."""

    targets_changed = Signal()
    # Shadows QDialog.result(), which nothing calls on this page (it is opened, never exec'd):
    # the line under the list has always been `page.result`.
    result: QLabel  # type: ignore[assignment]

    def __init__(self, session, controller=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.controller = controller or active_controller()
        self.setWindowTitle(self.tr("推送平台"))
        self._targets: list[Target] = []
        self._testing: set[int] = set()
        self.form: TargetForm | None = None

        self.table = TargetsTable(self)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())

        self.add_button = QPushButton(self.tr("添加…"), self)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.secret_button = QPushButton(self.tr("填写密钥…"), self)
        self.test_button = QPushButton(self.tr("测试"), self)
        self.upload_button = QPushButton(self.tr("确认已上传"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        self.browser_button = BrowserRunButton(session, self.controller, self)
        self.browser_button.ran.connect(self.refresh)
        self.open_browser = None  # tests: a headless browser for runs and recipe tests
        self.upload_button.setToolTip(
            self.tr("已把 Excel 导入文件上传到平台后点这里，其中的记录标记为已送达")
        )
        self.add_button.clicked.connect(self.add_target)
        self.edit_button.clicked.connect(self.edit_selected)
        self.secret_button.clicked.connect(self.enter_secret)
        self.test_button.clicked.connect(self.test_selected)
        self.upload_button.clicked.connect(self.confirm_upload)
        self.remove_button.clicked.connect(self.remove_selected)
        # Under the table, wrapping when they do not fit in one row: beside it they took the room
        # the platform's state needs at 特大.
        side = FlowLayout()
        side_buttons = (
            self.add_button,
            self.edit_button,
            self.secret_button,
            self.test_button,
            self.upload_button,
            self.browser_button,
            self.remove_button,
        )
        # The styled buttons' size hint leaves no room to spare: "填写密钥…" lost its "…".
        width = max(b.sizeHint().width() for b in side_buttons) + self.fontMetrics().horizontalAdvance("一")
        for b in side_buttons:
            b.setMinimumWidth(width)
            side.addWidget(b)

        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_line = QLabel(self)
        self.keyring_line.setObjectName("hint")
        self.keyring_line.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addLayout(side)
        box.addWidget(self.detail)
        box.addWidget(self.result)
        box.addWidget(self.keyring_line)
        box.addWidget(buttons)

        if self.controller is not None:
            self.controller.deliveries_changed.connect(self.refresh)
        self.refresh()
        fit_window(self, "targets", 900, 460)

    # -- the list ---------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # a wider state column needs fewer lines

    def refresh(self) -> None:
        """Re-read targets and counts, keeping the selection."""
        current = self.selected()
        store = self.session.store
        self._targets = store.targets()
        self.table.show_targets(self._targets, store.delivery_counts())
        if self._targets:
            row = next(
                (r for r, t in enumerate(self._targets) if current is not None and t.id == current.id), 0
            )
            self.table.selectRow(row)
        usable, where = keyring_secrets.keyring_status()
        self.keyring_line.setText(
            where if usable else f'<span style="color:{ERROR_COLOR}">{html.escape(where)}</span>'
        )
        self._update_buttons()

    def selected(self) -> Target | None:
        """The selected Target, or None."""
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self._targets):
            return None
        return self._targets[rows[0].row()]

    def select(self, name: str) -> bool:
        """Select the target called `name`; False if there is none."""
        for r, t in enumerate(self._targets):
            if t.name == name:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        t = self.selected()
        for b in (self.edit_button, self.secret_button, self.remove_button):
            b.setEnabled(t is not None)
        self.test_button.setEnabled(t is not None and t.id not in self._testing)
        self.upload_button.setVisible(t is not None and t.kind == "xlsx")
        self.browser_button.open_browser = self.open_browser
        self.browser_button.show_for([t.id] if t is not None and t.kind == "browser" else [])
        self.test_button.setToolTip(
            self.tr("用样例记录在浏览器中试填表单，不会提交")
            if t is not None and t.kind == "browser"
            else self.tr("发一条测试消息，看平台怎么回复")
        )
        self.secret_button.setVisible(t is None or bool(KINDS[t.kind].secret_names))
        if t is None:
            self.detail.setText(
                self.tr("还没有推送平台。点“添加…”配置第一个平台。") if not self._targets else ""
            )
            return
        titles = {f.id: f.title for f in self.session.catalog.all()}
        self.detail.setText(self.table.details(t, titles))

    def _changed(self, sync: bool = False) -> None:
        self.refresh()
        self.targets_changed.emit()
        if self.controller is not None:
            self.controller.refresh()
            if sync:
                self.controller.sync_now()

    # -- actions ------------------------------------------------------------------------------------
    def add_target(self) -> TargetForm:
        """Open the form for a new target (non-modal; saved targets show up in the list)."""
        return self._open_form(None)

    def edit_selected(self) -> TargetForm | None:
        """Open the form on the selected target (non-modal)."""
        t = self.selected()
        if t is None:
            return None
        return self._open_form(t)

    def _open_form(self, target: Target | None) -> TargetForm:
        form = self.form = TargetForm(self.session, target, self)
        form.accepted.connect(lambda: self._form_saved(form))
        form.open()
        return form

    def _form_saved(self, form: TargetForm) -> None:
        saved = form.saved_target
        self._changed(sync=True)
        if saved is not None:
            self.select(saved.name)
            names = secret_names_for(saved.kind, saved.options)
            if names and not self._has_secrets(saved, names):
                self.result.setText(
                    self.tr("已保存“{name}”。下一步：点“填写密钥…”填写{what}。").format(
                        name=saved.name, what="、".join(secret_label(n) for n in names)
                    )
                )
            else:
                self.result.setText(
                    self.tr("已保存“{name}”。可以点“测试”看看平台是否回复。").format(name=saved.name)
                )

    def _has_secrets(self, target: Target, names: tuple[str, ...]) -> bool:
        try:
            return bool(keyring_secrets.secrets_for(self.session.store, target, names))
        except keyring_secrets.NoKeyring:
            return False

    def enter_secret(self) -> SecretDialog | None:
        """Secrets into the keyring (the dialog refuses plainly when there is none)."""
        t = self.selected()
        if t is None:
            return None
        dialog = SecretDialog(self.session.store, t, self)
        dialog.accepted.connect(lambda: self._secret_saved(t))
        dialog.open()
        self.secret_dialog = dialog
        return dialog

    def _secret_saved(self, target: Target) -> None:
        self.result.setText(self.tr("“{name}”的密钥已保存到系统钥匙串。").format(name=target.name))
        if target.attention:
            # A new secret may be the fix: let the target run again.
            self.session.store.set_target_attention(target.id, None)
        self._changed(sync=True)

    def test_selected(self) -> bool:
        """Send a test message in the background; the answer appears under the list."""
        t = self.selected()
        if t is None or t.id in self._testing:
            return False
        if t.kind == "browser":  # the recipe tester, in the browser, with the person watching
            dialog = self.trial = RecipeTestDialog(self.session, t.id, self, open_browser=self.open_browser)
            dialog.open()
            return dialog.start()
        self._testing.add(t.id)
        self._update_buttons()
        self.result.setText(self.tr("正在测试“{name}”…").format(name=t.name))
        run_in_background(
            self,
            test_target,
            t.id,
            store=self.session.store,
            name="target-test",
            success=lambda attempt: self._tested(t, attempt),
            failure=lambda exc: self._test_broke(t, failure_line(exc)),
        )
        return True

    def _tested(self, target: Target, attempt: Attempt) -> None:
        from sync.kind import DELIVERED

        self._testing.discard(target.id)
        message = attempt.message or ""
        if attempt.outcome == DELIVERED:
            text = self.tr("✔ “{name}”测试成功。平台回复：{message}").format(
                name=target.name, message=message or self.tr("（无）")
            )
            color = OK_COLOR
        else:
            text = self.tr("✖ “{name}”测试没有通过：{message}").format(name=target.name, message=message)
            color = ERROR_COLOR
        self.result.setText(f'<span style="color:{color}">{html.escape(text)}</span>')
        self.last_test = attempt
        self._update_buttons()

    def _test_broke(self, target: Target, message: str) -> None:
        self._testing.discard(target.id)
        self.result.setText(
            f'<span style="color:{ERROR_COLOR}">'
            + html.escape(self.tr("✖ 测试时出错：{message}").format(message=message))
            + "</span>"
        )
        self._update_buttons()

    def confirm_upload(self) -> bool:
        """Excel import files: the operator uploaded a batch; exactly its rows become delivered."""
        t = self.selected()
        if t is None or t.kind != "xlsx":
            return False
        store = self.session.store
        keys = {
            f"{d.record_uuid}:{d.revision}:{d.target_id}"
            for d in store.deliveries(target_id=t.id, state="awaiting_upload")
        }
        batches = upload_batches(t, keys)
        if not batches:
            self.result.setText(self.tr("“{name}”没有待上传的导入文件。").format(name=t.name))
            return False
        path, waiting = batches[0] if len(batches) == 1 else (choose_batch(self, batches), 0)
        if path is None:
            return False
        waiting = waiting or dict(batches).get(path, 0)
        if not ask(
            self,
            self.tr("确认已上传"),
            self.tr(
                "确认已把导入文件“{file}”上传到“{name}”了吗？其中 {n} 条记录将标记为已送达，"
                "之后的记录会写进新的导入文件。"
            ).format(file=path.name, name=t.name, n=waiting),
        ):
            return False
        operator = self.session.operator_or_login()
        self.upload_button.setEnabled(False)
        self.result.setText(self.tr("正在确认…"))
        run_in_background(
            self,
            confirm_batch,
            t.id,
            operator,
            path,
            store=store,
            name="confirm-upload",
            success=lambda confirmed: self._confirmed(t, confirmed),
            failure=lambda exc: self._confirm_broke(failure_line(exc)),
        )
        return True

    def _confirmed(self, target: Target, confirmed: Confirmed) -> None:
        self.result.setText(
            self.tr("已确认“{file}”已上传：{n} 条记录标记为{state}。").format(
                file=confirmed.path.name if confirmed.path else "",
                n=confirmed.delivered,
                state=state_title("delivered"),
            )
        )
        self.upload_button.setEnabled(True)
        self._changed()

    def _confirm_broke(self, message: str) -> None:
        self.result.setText(
            f'<span style="color:{ERROR_COLOR}">'
            + html.escape(self.tr("确认没有完成：{error}").format(error=message))
            + "</span>"
        )
        self.upload_button.setEnabled(True)
        self._changed()

    def remove_selected(self) -> bool:
        """Remove the target after asking; its secrets leave the keyring too."""
        t = self.selected()
        if t is None:
            return False
        if not ask(
            self,
            self.tr("删除推送平台"),
            self.tr(
                "确定删除“{name}”吗？还没发出的推送将取消，已送达的记录不受影响；它的密钥也会从钥匙串中删除。"
            ).format(name=t.name),
        ):
            return False
        self.session.store.remove_target(t.id, self.session.operator_or_login())
        tidy_keyring(self.session.store)  # only its own entries: this folder's, this target's
        self.result.setText(self.tr("已删除“{name}”。").format(name=t.name))
        self._changed()
        return True
