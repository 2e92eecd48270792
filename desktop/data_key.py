"""The window's side of the data key (forms/store/keys.py): the passphrase asked at start where
there is no keyring, the recovery key shown at setup (and at each start until the person confirms
it is written down), and opening a folder with the recovery key when this computer's keyring has
no key for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget


def passphrase_asker(parent: QWidget | None):
    """forms/store/keys.py's asker for the window: a passphrase typed in a dialog (twice for a new
    one); None when the person cancels."""

    def ask(purpose: str, data_dir: Path) -> str | None:
        if purpose == "new":
            prompt = QCoreApplication.translate(
                "data_key",
                "这台电脑没有系统钥匙串。请为数据设置一个口令（至少 8 个字符），以后每次打开时输入：",
            )
        else:
            prompt = QCoreApplication.translate("data_key", "请输入这个数据文件夹的口令：")
        text, ok = QInputDialog.getText(
            parent, QCoreApplication.translate("data_key", "数据口令"), prompt, QLineEdit.EchoMode.Password
        )
        if not ok or not text:
            return None
        if purpose == "new":
            again, ok = QInputDialog.getText(
                parent,
                QCoreApplication.translate("data_key", "数据口令"),
                QCoreApplication.translate("data_key", "请再输入一次口令："),
                QLineEdit.EchoMode.Password,
            )
            if not ok or again != text:
                QMessageBox.warning(
                    parent,
                    QCoreApplication.translate("data_key", "数据口令"),
                    QCoreApplication.translate("data_key", "两次输入的口令不一样，请重新设置。"),
                )
                return None
        return text

    return ask


def show_recovery_key(parent: QWidget | None, recovery_key: str, data_dir: Path) -> QMessageBox:
    """The recovery key, for printing or writing down (selectable, in a fixed-width font). Opened
    beside the window, not waited for: the window goes on loading behind it. Shown at every
    start until the person presses 我已抄写好 (the key file then stops asking for it)."""
    from forms.store.keys import confirm_recovery_key

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("data_key", "恢复密钥"))
    box.setText(
        QCoreApplication.translate(
            "data_key", "数据已加密。这是这个数据文件夹的恢复密钥，请打印或抄写下来，放在安全的地方："
        )
    )
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setWeight(QFont.Weight.Bold)
    # Two lines of four groups, never broken inside a group: a key wrapped at a hyphen is copied
    # wrong. (Typing it back ignores spaces, line breaks and hyphens.)
    groups = recovery_key.split("-")
    half = (len(groups) + 1) // 2
    lines = "<br>".join("-".join(part) for part in (groups[:half], groups[half:]) if part)
    box.setInformativeText(
        f'<p style="font-family:{font.family()}; font-size:{int(font.pointSizeF())}pt;'
        f' white-space:nowrap">{lines}</p>'
        + QCoreApplication.translate(
            "data_key",
            "<p>换电脑或系统钥匙串丢失时，凭它打开数据。不要和电脑放在一起，不要发到群里。"
            "以后可在命令行用 yici key recovery 再次查看。</p>"
            "<p>抄好或打印好以后请按“我已抄写好”；在那之前，每次打开一次都会再显示它。</p>",
        )
    )
    confirm = box.addButton(
        QCoreApplication.translate("data_key", "我已抄写好"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(QCoreApplication.translate("data_key", "稍后再抄"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(confirm)

    def clicked(button) -> None:
        if button is confirm:
            confirm_recovery_key(data_dir)

    box.buttonClicked.connect(clicked)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.confirm_button = confirm  # type: ignore[attr-defined]  # for tests
    box.open()
    return box


def ask_recovery_key(parent: QWidget | None, problem: str, data_dir: Path) -> bool:
    """The keyring has no key for this folder: tell why and take the recovery key. True once the
    folder was unlocked (and its key kept for this computer); False when the person quits."""
    from forms.store.errors import KeyProblem
    from forms.store.keys import keyring_usable, unlock_with_recovery

    while True:
        text = ask_for_key(
            parent,
            QCoreApplication.translate("data_key", "用恢复密钥打开"),
            [
                problem,
                QCoreApplication.translate("data_key", "请输入打印的恢复密钥（8 组，每组 4 个字母或数字）："),
            ],
        )
        if text is None:
            return False
        passphrase = None
        if not keyring_usable():
            passphrase = passphrase_asker(parent)("new", data_dir)
            if passphrase is None:
                continue
        try:
            unlock_with_recovery(data_dir, text, passphrase)
            return True
        except KeyProblem as exc:
            problem = str(exc)


def ask_for_key(parent: QWidget | None, title: str, paragraphs: list[str]) -> str | None:
    """A recovery key typed in answer to `paragraphs` (why, then what to type); None when the
    person cancels or types nothing. Not QInputDialog.getText: its question is one line as wide
    as its longest sentence, past a small screen; here it wraps at a readable width."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText("\n\n".join(paragraphs))
    for label in dialog.findChildren(QLabel):
        label.setWordWrap(True)
        label.setMinimumWidth(label.fontMetrics().averageCharWidth() * 60)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.textValue().strip()
    dialog.deleteLater()
    return text if accepted and text else None


def wrong_key(parent: QWidget | None, message: str, *, can_retry: bool) -> bool:
    """A passphrase did not fit: say so, and offer to type it again (when it was typed) or to
    quit. True when the person wants to try again."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("data_key", "数据口令"))
    box.setText(message)
    retry = None
    if can_retry:
        retry = box.addButton(
            QCoreApplication.translate("data_key", "重新输入口令"), QMessageBox.ButtonRole.AcceptRole
        )
    box.addButton(QCoreApplication.translate("data_key", "退出"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return retry is not None and box.clickedButton() is retry


def handover_passphrase(parent: QWidget | None, *, new: bool) -> str | None:
    """A handover file's passphrase: chosen now (twice) for an export, asked for an import; None
    when the person cancels or the two differ."""
    prompt = (
        QCoreApplication.translate(
            "data_key", "交接文件要用口令加密。请设置一个口令（至少 8 个字符），导入时要输入它："
        )
        if new
        else QCoreApplication.translate("data_key", "请输入导出这个交接文件时设置的口令：")
    )
    title = QCoreApplication.translate("data_key", "交接文件口令")
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Password)
    if not ok or not text:
        return None
    if new:
        again, ok = QInputDialog.getText(
            parent,
            title,
            QCoreApplication.translate("data_key", "请再输入一次口令："),
            QLineEdit.EchoMode.Password,
        )
        if not ok or again != text:
            QMessageBox.warning(
                parent, title, QCoreApplication.translate("data_key", "两次输入的口令不一样，没有导出。")
            )
            return None
    return text
