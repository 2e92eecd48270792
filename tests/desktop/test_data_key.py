"""The window and the data key: the recovery key shown at each start until the person confirms it
is written down, and a key that does not fit never loops (the recovery key is asked for, or the
person may quit)."""

from __future__ import annotations

import pytest

import desktop.app as app_module
from desktop.session import Session
from forms.store import keys


@pytest.fixture(autouse=True)
def no_exit(qapp, monkeypatch):
    """Starter.finish leaves the application's event loop; these tests run none of their own."""
    monkeypatch.setattr(qapp, "exit", lambda code: None)


@pytest.fixture
def folder(tmp_path):
    """A new data folder with an operator (no first-run questions); its key just made."""
    folder = tmp_path / "data"
    s = Session.open(folder)
    s.operator = "张晓梅"
    s.close()
    return folder


def opened(qapp, qtbot, folder):
    starter = app_module.Starter(qapp, folder)
    qtbot.waitUntil(lambda: starter.session is not None, timeout=10_000)
    return starter


def test_the_recovery_key_is_shown_at_each_start_until_confirmed(folder, qapp, qtbot):
    recovery = keys.recovery_key(folder)
    starter = opened(qapp, qtbot, folder)
    try:
        box = starter.recovery_box
        groups = recovery.split("-")
        # Two lines of four groups, never wrapped inside one (a key broken at a hyphen is copied wrong).
        shown = "-".join(groups[:4]) + "<br>" + "-".join(groups[4:])
        assert shown in box.informativeText() and "white-space:nowrap" in box.informativeText()
        next(b for b in box.buttons() if "稍后" in b.text()).click()
    finally:
        starter.close()
    assert keys.read_key_file(folder).unconfirmed  # closed without confirming: asked again
    starter = opened(qapp, qtbot, folder)
    try:
        box = starter.recovery_box
        assert shown in box.informativeText()
        box.confirm_button.click()
    finally:
        starter.close()
    assert not keys.read_key_file(folder).unconfirmed
    starter = opened(qapp, qtbot, folder)
    try:
        assert starter.recovery_box is None
    finally:
        starter.close()


def test_a_keyring_key_that_does_not_fit_asks_for_the_recovery_key(folder, qapp, qtbot, monkeypatch):
    import os

    import keyring
    from PySide6.QtWidgets import QDialog, QInputDialog

    recovery = keys.recovery_key(folder)
    keys.confirm_recovery_key(folder)
    key_id = keys.read_key_file(folder).key_id
    keys._unlocked.clear()
    keyring.get_keyring().set_password("yici", f"data-key/{key_id}", os.urandom(32).hex())
    asked: list[str] = []

    def type_key(dialog):  # the person reads the question and types the printed key
        asked.append(dialog.labelText())
        dialog.setTextValue(recovery)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QInputDialog, "exec", type_key)
    starter = opened(qapp, qtbot, folder)
    try:
        assert len(asked) == 1 and "不符" in asked[0]
    finally:
        starter.close()
    keys._unlocked.clear()
    assert keys.unlock(folder)  # the keyring holds the right key again


def test_a_wrong_passphrase_file_offers_to_quit_and_never_loops(folder, qapp, qtbot, monkeypatch, tmp_path):
    import keyring
    from PySide6.QtWidgets import QMessageBox

    from tests.sync.fake_keyring import MemoryKeyring

    keys._unlocked.clear()
    keyring.set_keyring(MemoryKeyring())  # no entry here: the passphrase opens it
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("不是这个口令啊\n", encoding="utf-8")
    monkeypatch.setenv(keys.PASSPHRASE_ENV, str(wrong))
    shown: list[list[str]] = []

    def exec_(box):
        shown.append([b.text() for b in box.buttons()])
        assert len(shown) < 3, "the same refusal was shown again and again"
        next(b for b in box.buttons() if "退出" in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: exec_(QMessageBox()))
    starter = app_module.Starter(qapp, folder)
    try:
        qtbot.waitUntil(lambda: starter.exit_code == 1, timeout=10_000)
        assert starter.session is None and len(shown) == 1
        assert not any("重新输入" in text for text in shown[0])  # the file would say the same again
    finally:
        starter.close()
