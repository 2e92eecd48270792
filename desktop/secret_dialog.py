"""Entering a target's secrets: they go to the system keyring and nowhere else.

Without a usable keyring the dialog says so plainly and keeps nothing: a secret is never written
to the data folder as a fallback.
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
from forms.secrecy import masked
from sync import secrets as keyring_secrets


class SecretDialog(QDialog):
    """Enter a target's secrets; they go to the system keyring and nowhere else."""

    def __init__(self, target, parent: QWidget | None = None):
        super().__init__(parent)
        self.target = target
        self.setWindowTitle(self.tr("填写密钥 — {name}").format(name=target.name))
        usable, where = keyring_secrets.keyring_status()
        self.usable = usable
        intro = QLabel(
            self.tr("密钥只保存在本机的系统钥匙串里，不会写进数据文件、导出文件或日志。留空表示不修改。")
        )
        intro.setWordWrap(True)
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
        box.addWidget(none)
        box.addLayout(form)
        box.addWidget(self.show_text)
        box.addWidget(self.where)
        box.addWidget(self.error)
        box.addWidget(buttons)

    def _current(self, name: str) -> str:
        try:
            value = keyring_secrets.get_secret(self.target.id, name)
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
                keyring_secrets.set_secret(self.target.id, name, value)
        except keyring_secrets.NoKeyring as exc:
            return self._refuse(exc.message)
        for edit in self.fields.values():
            edit.clear()
        self.saved = sorted(values)
        self.accept()
        return True
