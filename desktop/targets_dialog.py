"""The targets page: every platform records go to, whether it is working, and what to do about it.

Add and change targets, test one (the platform's own answer is shown), enter its secrets into the
system keyring, remove it, and for Excel import files confirm that the file was uploaded.
Tests and upload confirmations run as background operations: a slow platform never freezes the
window.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
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

from desktop.appearance import resize_for_font
from desktop.delivery_panel import ask
from desktop.operations import failure_line, run_in_background
from desktop.secret_dialog import SecretDialog
from desktop.sync_worker import active_controller
from desktop.target_form import TargetForm
from desktop.target_options import ERROR_COLOR, OK_COLOR, secret_label, secret_names_for
from desktop.words import kind_title, state_title
from sync import secrets as keyring_secrets
from sync.kinds import KINDS

log = logging.getLogger(__name__)


def test_target(store, target_id: int):
    """In the background: the engine sends the kind's harmless test message (secrets scrubbed)."""
    from sync.engine import Deliverer
    from sync.http import Http

    http = Http()
    try:
        return Deliverer(store, http=http).test(target_id)
    finally:
        http.close()


def confirm_batch(store, target_id: int, operator: str, path):
    """In the background (it may wait for a running sync): close the batch, mark its rows."""
    from sync.engine import Deliverer

    return Deliverer(store, http=_NoHttp()).confirm_upload(target_id, operator, path)


class _NoHttp:
    """Confirming an upload talks to no platform: no HTTP session needed."""

    def close(self) -> None:
        pass


def upload_batches(target, awaiting_keys: set[str]) -> list[tuple[object, int]]:
    """(batch file, rows in it still awaiting upload) for batches with something to confirm."""
    from sync import xlsx

    found = []
    try:
        for path, _closed in xlsx.batches(target.config()):
            waiting = len(awaiting_keys & set(xlsx.batch_keys(path)))
            if waiting:
                found.append((path, waiting))
    except OSError:
        log.exception("reading the export folder failed")
    return found


def choose_batch(parent, batches) -> object | None:
    """Which batch file was uploaded, when there is more than one (tests replace this)."""
    from PySide6.QtWidgets import QInputDialog

    labels = [f"{path.name}（{n} 条）" for path, n in batches]
    # Literal strings under this module's dialog context, so lupdate files them correctly.
    label, ok = QInputDialog.getItem(
        parent,
        QCoreApplication.translate("TargetsDialog", "确认已上传"),
        QCoreApplication.translate("TargetsDialog", "上传了哪个导入文件？"),
        labels,
        len(labels) - 1,
        False,
    )
    return batches[labels.index(label)][0] if ok else None


class TargetsDialog(QDialog):
    """List of targets with state and counts, and the buttons to look after them."""

    targets_changed = Signal()

    def __init__(self, session, controller=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.controller = controller or active_controller()
        self.setWindowTitle(self.tr("推送平台"))
        self._targets: list = []
        self._testing: set[int] = set()
        self.form = None

        headers = [
            self.tr("名称"),
            self.tr("类型"),
            self.tr("状态"),
            self.tr("待发送"),
            self.tr("已送达"),
            self.tr("待确认"),
            self.tr("失败"),
        ]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for i in range(len(headers)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_selected())

        self.add_button = QPushButton(self.tr("添加…"), self)
        self.edit_button = QPushButton(self.tr("修改…"), self)
        self.secret_button = QPushButton(self.tr("填写密钥…"), self)
        self.test_button = QPushButton(self.tr("测试"), self)
        self.upload_button = QPushButton(self.tr("确认已上传"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        self.upload_button.setToolTip(
            self.tr("已把 Excel 导入文件上传到平台后点这里，其中的记录标记为已送达")
        )
        self.test_button.setToolTip(self.tr("发一条测试消息，看平台怎么回复"))
        self.add_button.clicked.connect(self.add_target)
        self.edit_button.clicked.connect(self.edit_selected)
        self.secret_button.clicked.connect(self.enter_secret)
        self.test_button.clicked.connect(self.test_selected)
        self.upload_button.clicked.connect(self.confirm_upload)
        self.remove_button.clicked.connect(self.remove_selected)
        side = QVBoxLayout()
        buttons = (
            self.add_button,
            self.edit_button,
            self.secret_button,
            self.test_button,
            self.upload_button,
            self.remove_button,
        )
        # The styled buttons' size hint leaves no room to spare: "填写密钥…" lost its "…".
        width = max(b.sizeHint().width() for b in buttons) + self.fontMetrics().horizontalAdvance("一")
        for b in buttons:
            b.setMinimumWidth(width)
            side.addWidget(b)
        side.addStretch(1)

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

        top = QHBoxLayout()
        top.addWidget(self.table, 1)
        top.addLayout(side)
        box = QVBoxLayout(self)
        box.addLayout(top, 1)
        box.addWidget(self.detail)
        box.addWidget(self.result)
        box.addWidget(self.keyring_line)
        box.addWidget(buttons)

        if self.controller is not None:
            self.controller.deliveries_changed.connect(self.refresh)
        self.refresh()
        resize_for_font(self, 900, 460)

    # -- the list ---------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # a wider state column needs fewer lines

    def refresh(self) -> None:
        """Re-read targets and counts, keeping the selection."""
        current = self.selected()
        store = self.session.store
        self._targets = store.targets()
        counts = store.delivery_counts()
        self.table.setRowCount(len(self._targets))
        for r, t in enumerate(self._targets):
            c = counts.get(t.name, {})
            if not t.enabled:
                state, color = self.tr("已停用"), "#8a8a8a"
            elif t.attention:
                state, color = self.tr("需要处理：{why}").format(why=t.attention), ERROR_COLOR
            else:
                state, color = self.tr("正常"), OK_COLOR
            waiting = c.get("uncertain", 0) + c.get("awaiting_upload", 0)
            cells = [
                t.name,
                kind_title(t.kind),
                state,
                str(c.get("pending", 0) + c.get("sending", 0)),
                str(c.get("delivered", 0)),
                str(waiting),
                str(c.get("failed", 0)),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setForeground(QColor(color))
                    item.setToolTip(t.attention or "")
                if col >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()
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

    def selected(self):
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
        self.secret_button.setVisible(t is None or bool(KINDS[t.kind].secret_names))
        if t is None:
            self.detail.setText(
                self.tr("还没有推送平台。点“添加…”配置第一个平台。") if not self._targets else ""
            )
            return
        lines = [self.tr("类型：{kind}").format(kind=kind_title(t.kind))]
        if t.url:
            lines.append(self.tr("接口地址：{url}").format(url=t.url))
        titles = {f.id: f.title for f in self.session.catalog.all()}
        forms = "、".join(titles.get(form_id, form_id) for form_id in t.forms)
        lines.append(self.tr("表单：{forms}").format(forms=forms or self.tr("全部")))
        lines.append(self.tr("支部：{branches}").format(branches="、".join(t.branches) or self.tr("全部")))
        if t.attention:
            lines.append(self.tr("需要处理：{why}").format(why=t.attention))
        self.detail.setText("\n".join(lines))

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
        self.form = TargetForm(self.session, None, self)
        self.form.accepted.connect(lambda: self._form_saved(self.form))
        self.form.open()
        return self.form

    def edit_selected(self) -> TargetForm | None:
        """Open the form on the selected target (non-modal)."""
        t = self.selected()
        if t is None:
            return None
        self.form = TargetForm(self.session, t, self)
        self.form.accepted.connect(lambda: self._form_saved(self.form))
        self.form.open()
        return self.form

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

    @staticmethod
    def _has_secrets(target, names) -> bool:
        try:
            return bool(keyring_secrets.secrets_for(target.id, names))
        except keyring_secrets.NoKeyring:
            return False

    def enter_secret(self) -> SecretDialog | None:
        """Secrets into the keyring (the dialog refuses plainly when there is none)."""
        t = self.selected()
        if t is None:
            return None
        dialog = SecretDialog(t, self)
        dialog.accepted.connect(lambda: self._secret_saved(t))
        dialog.open()
        self.secret_dialog = dialog
        return dialog

    def _secret_saved(self, target) -> None:
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

    def _tested(self, target, attempt) -> None:
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

    def _test_broke(self, target, message: str) -> None:
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

    def _confirmed(self, target, confirmed) -> None:
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
        try:
            keyring_secrets.delete_secrets(t.id, KINDS[t.kind].secret_names)
        except keyring_secrets.NoKeyring:
            pass  # nothing could have been stored there
        self.result.setText(self.tr("已删除“{name}”。").format(name=t.name))
        self._changed()
        return True
