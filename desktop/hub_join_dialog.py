"""Joining the township hub from the window: its address, the one-time code the township gave,
this laptop's name, and a CA file when the township signs its own certificates.

The same join as `yici hub join` (sync/hub_join.py): the token goes into the keyring, the hub
becomes a delivery target limited to this laptop's branches, and a first pull brings the
township's rosters, forms and settings. The network part runs in the background
(desktop/operations.py); what went wrong is said in the dialog, with the fields kept as typed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.file_chooser import open_file
from desktop.operations import Operation, run_in_background
from desktop.window_size import fit_window


def join_work(store, url: str, code: str, name: str, ca_file: str, plain: bool, operator: str):
    """The join itself, on the operation's thread."""
    from sync.hub_join import join

    return join(
        store,
        url,
        code,
        device_name=name or None,
        ca_file=ca_file or None,
        allow_plain_http=plain,
        operator=operator,
    )


def hub_line(store) -> str:
    """One line for the settings window: which hub this laptop joined, as which device; or that
    it joined none."""
    from sync.hub_pull import hub_state

    target = store.hub_target()
    if target is None:
        return QCoreApplication.translate("HubJoinDialog", "未加入")
    state = hub_state(store, target)
    device = state.get("device")
    line = (
        QCoreApplication.translate("HubJoinDialog", "已加入 {url}（{device}）").format(
            url=target.url, device=device
        )
        if device
        else QCoreApplication.translate("HubJoinDialog", "已加入 {url}").format(url=target.url)
    )
    if target.attention:
        line += QCoreApplication.translate("HubJoinDialog", "，需要处理：{why}").format(why=target.attention)
    return line


class HubJoinDialog(QDialog):
    """Address, code, name, CA file; "加入" joins in the background and reports here."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.joined = None  # sync.hub_join.Joined once joined
        self.operation: Operation | None = None
        self.setWindowTitle(self.tr("加入乡镇平台"))
        intro = QLabel(
            self.tr(
                "乡镇管理员会给您乡镇平台的地址和一个一次性的登记码。加入后，本机负责的支部的记录会自动"
                "汇总到乡镇平台，乡镇发布的花名册、表单和平台设置也会自动下载到本机。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(self.tr("例如：https://10.1.2.3:8470"))
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText(self.tr("例如：K7QX-4MCT-HW9A-R3PD"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(60)
        operator = (session.operator or "").strip()
        self.name_edit.setText(self.tr("{name}的电脑").format(name=operator) if operator else "")
        self.name_edit.setPlaceholderText(self.tr("让乡镇管理员认得出这台电脑，例如：张三的电脑"))
        self.ca_edit = QLineEdit(self)
        self.ca_edit.setPlaceholderText(self.tr("可不填；乡镇使用自己签发的证书时才需要"))
        choose = QPushButton(self.tr("选择…"), self)
        choose.clicked.connect(self.choose_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(choose)
        self.plain_box = QCheckBox(self.tr("允许明文 http（仅限县内网，登记码和令牌不加密）"), self)
        self.plain_box.setVisible(False)
        self.url_edit.textChanged.connect(self._url_changed)

        form = QFormLayout()
        form.addRow(self.tr("平台地址(&U)："), self.url_edit)
        form.addRow(self.tr("登记码(&C)："), self.code_edit)
        form.addRow(self.tr("本机名称(&N)："), self.name_edit)
        form.addRow(self.tr("CA 证书(&A)："), ca_row)
        form.addRow("", self.plain_box)

        self.answer = QLabel(self)
        self.answer.setWordWrap(True)
        self.answer.setVisible(False)
        self.buttons = QDialogButtonBox(self)
        self.join_button = self.buttons.addButton(self.tr("加入"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.join_button.clicked.connect(self.start_join)
        self.close_button.clicked.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.answer)
        box.addStretch(1)
        box.addWidget(self.buttons)
        fit_window(self, "hub-join", 560, 0)

    def _url_changed(self, text: str) -> None:
        self.plain_box.setVisible(text.strip().lower().startswith("http://"))

    def choose_ca_file(self) -> None:
        path = open_file(
            self,
            self.tr("选择 CA 证书"),
            self.ca_edit.text().strip(),
            self.tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"),
        )
        if path is not None:
            self.ca_edit.setText(str(path))

    def say(self, text: str, *, problem: bool) -> None:
        self.answer.setStyleSheet("color: #b3261e;" if problem else "color: #1f6f3a;")
        self.answer.setText(text)
        self.answer.setVisible(True)

    def start_join(self) -> None:
        """Check what was typed, then join in the background."""
        url, code = self.url_edit.text().strip(), self.code_edit.text().strip()
        if not url:
            self.say(self.tr("请填写乡镇平台的地址。"), problem=True)
            self.url_edit.setFocus()
            return
        if not code:
            self.say(self.tr("请填写乡镇管理员给的登记码。"), problem=True)
            self.code_edit.setFocus()
            return
        self.join_button.setEnabled(False)
        self.say(self.tr("正在加入…"), problem=False)
        self.operation = run_in_background(
            self,
            join_work,
            url,
            code,
            self.name_edit.text().strip(),
            self.ca_edit.text().strip(),
            self.plain_box.isVisible() and self.plain_box.isChecked(),
            self.session.operator or "-",
            store=self.session.store,
            success=self.joined_hub,
            failure=self.join_failed,
            progress=self.tr("正在加入乡镇平台…"),
            name="hub-join",
        )

    def joined_hub(self, joined) -> None:
        self.joined = joined
        lines = [
            self.tr("已加入乡镇平台。本机负责的支部：{branches}。").format(
                branches="、".join(joined.branches) or self.tr("（乡镇还没有分配）")
            )
        ]
        if joined.queued:
            lines.append(self.tr("{n} 条已定稿的记录会在同步时汇总到乡镇平台。").format(n=joined.queued))
        if joined.pulled is not None and joined.pulled.line():
            lines.append(joined.pulled.line())
        lines += joined.warnings
        self.say("\n".join(lines), problem=False)
        self.join_button.setVisible(False)
        self.close_button.setText(self.tr("完成"))
        self.close_button.clicked.disconnect()
        self.close_button.clicked.connect(self.accept)

    def join_failed(self, exc: BaseException) -> None:
        from desktop.errors import user_message

        self.join_button.setEnabled(True)
        self.say(getattr(exc, "message", None) or user_message(exc), problem=True)
