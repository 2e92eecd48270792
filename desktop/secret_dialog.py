"""Entering a target's secrets: they go to the system keyring and nowhere else.

Without a usable keyring the dialog says so plainly and keeps nothing: a secret is never written
to the data folder as a fallback. The dialog says where the secrets will be sent: they are bound
to that address (sync/secrets.py) and never go anywhere else.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.target_options import ERROR_COLOR, secret_label, secret_names_for
from desktop.window_size import fit_window
from forms.secrecy import masked
from forms.store.target_guards import origins_of
from sync import secrets as keyring_secrets
from sync.secret_binding import plain_http_warning


class SecretDialog(QDialog):
    """Enter a target's secrets; they go to the system keyring and nowhere else."""

    def __init__(self, store, target, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.target = target
        self.setWindowTitle(self.tr("填写密钥 — {name}").format(name=target.name))
        usable, where = keyring_secrets.keyring_status()
        self.usable = usable
        intro = QLabel(
            self.tr("密钥只保存在本机的系统钥匙串里，不会写进数据文件、导出文件或日志。留空表示不修改。")
        )
        intro.setWordWrap(True)
        origins = origins_of(target.config())
        self.bound = QLabel(
            self.tr("这些密钥只会发往：{where}（平台地址改变后需要重新填写）").format(where=origins)
            if origins
            else self.tr("群机器人的密钥只会发往填写的 Webhook 地址所在的主机。")
        )
        self.bound.setObjectName("hint")
        self.bound.setWordWrap(True)
        warning = plain_http_warning(target)
        self.plain_http = QLabel(f"⚠ {warning}" if warning else "")
        self.plain_http.setWordWrap(True)
        self.plain_http.setStyleSheet(f"color: {ERROR_COLOR};")
        self.plain_http.setVisible(bool(warning))
        self.where = QLabel(where if usable else "")
        self.where.setObjectName("hint")
        self.where.setWordWrap(True)
        self.error = QLabel(where if not usable else "")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setVisible(not usable)

        self.names = secret_names_for(target.kind, target.options)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in self.names:
            edit = QLineEdit()
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setEnabled(usable)
            edit.setPlaceholderText(self._current(name) if usable else "")
            edit.setMinimumWidth(360)
            self.fields[name] = edit
            form.addRow(secret_label(name), edit)
        self.show_text = QCheckBox(self.tr("显示输入的内容"))
        self.show_text.toggled.connect(self._toggle_echo)
        self.show_text.setEnabled(usable)
        none = QLabel(self.tr("这个平台（按当前的认证方式）不需要密钥。"))
        none.setVisible(not self.names)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存到钥匙串"))
        self.save_button.setEnabled(usable and bool(self.names))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.bound)
        box.addWidget(self.plain_http)
        box.addWidget(none)
        box.addLayout(form)
        box.addWidget(self.show_text)
        box.addWidget(self.where)
        box.addWidget(self.error)
        box.addWidget(buttons)
        fit_window(self, "secrets", 480, 0)

    def _current(self, name: str) -> str:
        try:
            value = keyring_secrets.get_secret(self.store, self.target, name)
        except keyring_secrets.NoKeyring:
            return ""
        return self.tr("已保存：{masked}").format(masked=masked(value)) if value else self.tr("未填写")

    def _toggle_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self.fields.values():
            edit.setEchoMode(mode)

    def _refuse(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False

    def save(self) -> bool:
        """Put the typed secrets in the keyring; without a keyring refuse and keep nothing."""
        values = {name: edit.text().strip() for name, edit in self.fields.items() if edit.text().strip()}
        usable, message = keyring_secrets.keyring_status()
        if not usable:
            return self._refuse(message)
        if not values:
            return self._refuse(self.tr("没有填写任何密钥。"))
        try:
            for name, value in values.items():
                keyring_secrets.set_secret(self.store, self.target, name, value)
        except keyring_secrets.NoKeyring as exc:
            return self._refuse(exc.message)
        for edit in self.fields.values():
            edit.clear()
        self.saved = sorted(values)
        self.accept()
        return True
