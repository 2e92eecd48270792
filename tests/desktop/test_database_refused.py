"""The window on a data folder whose database was emptied, lost or damaged: never the first-run
questions, never a new empty database; the newest sound backup is offered and restored."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

import desktop.app as app_module
import desktop.first_run as first_run_module
from desktop.session import Session
from forms.store import Store, list_backups


@pytest.fixture
def used(tmp_path):
    """A data folder in use: an operator, a branch, one backup."""
    folder = tmp_path / "data"
    s = Session.open(folder)
    s.operator = "张晓梅"
    s.store.add_branch("红星村党支部")
    s.store.backup("auto")
    s.close()
    return folder


@pytest.fixture(autouse=True)
def no_exit(qapp, monkeypatch):
    """Starter.finish leaves the application's event loop; these tests run none of their own."""
    monkeypatch.setattr(qapp, "exit", lambda code: None)


@pytest.fixture
def no_first_run(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the first-run questions must not be asked")

    monkeypatch.setattr(first_run_module.FirstRunDialog, "__init__", never)


def answer(monkeypatch, words: str, shown: list[str]) -> None:
    """The person clicks the button whose text contains `words` in every such message box."""

    def exec_(box):
        shown.append(box.informativeText())
        next(b for b in box.buttons() if words in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))


def test_an_emptied_database_offers_the_backup_and_opens_it(used, qapp, qtbot, monkeypatch, no_first_run):
    (used / "yici.db").write_bytes(b"")
    shown: list[str] = []
    answer(monkeypatch, "从最近的完好备份恢复", shown)
    starter = app_module.Starter(qapp, used)
    try:
        qtbot.waitUntil(lambda: starter.window.session is not None, timeout=10_000)
        assert "0 字节" in shown[0] and list_backups(used)[-1].path.name in shown[0]
        assert [b.name for b in starter.window.session.store.branches()] == ["红星村党支部"]
    finally:
        starter.close()


def test_quitting_leaves_everything_as_it_was(used, qapp, qtbot, monkeypatch, no_first_run):
    (used / "yici.db").unlink()
    shown: list[str] = []
    answer(monkeypatch, "退出", shown)
    backups = sorted(p.name for p in (used / "backups").iterdir())
    starter = app_module.Starter(qapp, used)
    try:
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        qtbot.waitUntil(lambda: starter.exit_code == 1, timeout=5_000)
        assert "不见了" in shown[0]
        assert not (used / "yici.db").exists()
        assert sorted(p.name for p in (used / "backups").iterdir()) == backups
    finally:
        starter.close()


def test_damage_found_beside_the_window_is_told_and_not_backed_up(used, qapp, qtbot, monkeypatch):
    from forms.store import marker as marker_module

    monkeypatch.setattr(marker_module, "QUICK_CHECK_AT_OPEN_BYTES", 0)  # as for a large file
    with Store.open(used) as store:
        for i in range(300):
            store.add_member(store.branches()[0].id, f"成员{i:04d}" + "名字很长" * 6)
    data = bytearray((used / "yici.db").read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 : page * 4096 + 40] = b"\xde\xad\xbe\xef" * 10
    (used / "yici.db").write_bytes(bytes(data))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    backups = sorted(p.name for p in (used / "backups").iterdir())
    starter = app_module.Starter(qapp, used)
    try:
        qtbot.waitUntil(lambda: bool(told), timeout=15_000)
        assert "已损坏" in told[0]
        assert sorted(p.name for p in (used / "backups").iterdir()) == backups
        assert marker_module.read_marker(used).damage  # the next start checks and refuses
    finally:
        starter.close()


def test_a_file_where_the_data_folder_should_be_gets_a_plain_message(tmp_path, qapp, qtbot, monkeypatch):
    file = tmp_path / "data"
    file.write_text("not a folder")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: told.append(text))
    starter = app_module.Starter(qapp, file)
    try:
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
        assert "是一个文件" in told[0] and "内部错误" not in told[0]
        assert file.read_text() == "not a folder"
    finally:
        starter.close()
