"""First run: operator name, first branch, optional roster from a spreadsheet."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.due_view import STARTED_SETTING
from desktop.first_run import FirstRunDialog, needs_first_run
from tests.desktop.conftest import type_chinese


@pytest.fixture
def dialog(bare_session, qtbot):
    d = FirstRunDialog(bare_session)
    qtbot.addWidget(d)
    d.show()
    return d


def test_fresh_folder_needs_first_run(bare_session):
    assert needs_first_run(bare_session)


def test_name_and_first_branch(dialog, bare_session):
    type_chinese(dialog.operator_edit, "张晓梅")
    type_chinese(dialog.branch_edit, "红星村党支部")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert bare_session.operator == "张晓梅"
    assert [b.name for b in bare_session.store.branches()] == ["红星村党支部"]
    assert bare_session.store.get_setting(STARTED_SETTING)
    assert not needs_first_run(bare_session)


def test_name_is_required(dialog, bare_session, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    type_chinese(dialog.branch_edit, "红星村党支部")
    dialog.accept()
    assert shown and "姓名" in shown[0]
    assert needs_first_run(bare_session)
    assert bare_session.store.branches() == []  # nothing written before the name is given


def test_branch_can_wait(dialog, bare_session):
    type_chinese(dialog.operator_edit, "张晓梅")
    dialog.accept()
    assert bare_session.operator == "张晓梅"
    assert bare_session.store.branches() == []


def test_import_roster_for_the_first_branch(dialog, bare_session, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,职务,手机号\n王建国,书记,13800138000\n李秀英,委员,\n", encoding="utf-8-sig")
    type_chinese(dialog.operator_edit, "张晓梅")
    dialog.load_roster(path)
    assert dialog.preview.importable
    type_chinese(dialog.branch_edit, "红星村党支部")
    dialog.accept()
    [branch] = bare_session.store.branches()
    assert branch.secretary == "王建国"
    assert [m.name for m in bare_session.store.members(branch.id)] == ["王建国", "李秀英"]


def test_roster_with_problems_blocks_until_cleared(dialog, bare_session, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    path = tmp_path / "名册.csv"
    path.write_text("姓名,职务\n王建国,队长\n", encoding="utf-8")
    type_chinese(dialog.operator_edit, "张晓梅")
    type_chinese(dialog.branch_edit, "红星村党支部")
    dialog.load_roster(path)
    dialog.accept()
    assert shown and "花名册" in shown[0]
    assert bare_session.store.branches() == [] and needs_first_run(bare_session)
    dialog.clear_roster()
    dialog.accept()
    assert [b.name for b in bare_session.store.branches()] == ["红星村党支部"]


def test_run_asks_first_then_opens_the_window(tmp_path, monkeypatch, qapp):
    """`run()` on a fresh folder shows the first-run dialog, then the main window."""
    from PySide6.QtWidgets import QDialog

    import desktop.app as app_module
    import desktop.errors as errors_module
    from desktop.session import Session

    seen = {}

    def fake_exec(self):
        type_chinese(self.operator_edit, "张晓梅")
        type_chinese(self.branch_edit, "红星村党支部")
        self.accept()
        seen["first_run"] = True
        return QDialog.DialogCode.Accepted

    def fake_app_exec():
        # The window shows first (an empty shell); the data folder opens from the event loop.
        window = next(w for w in qapp.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible())
        assert window.session is None
        for _ in range(100):
            qapp.processEvents()
            if window.session is not None:
                break
        seen["branches"] = window.branch_list.count()
        window.close()
        return 0

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    monkeypatch.setattr(qapp, "exec", fake_app_exec)
    try:
        assert app_module.run(tmp_path / "data") == 0
    finally:
        if errors_module._hook is not None:
            errors_module._hook.uninstall()
            errors_module._hook = None
    assert seen == {"first_run": True, "branches": 1}
    session = Session.open(tmp_path / "data")
    assert session.operator == "张晓梅"
    session.close()


# -- a deployment profile beside the program -------------------------------------------------


@pytest.fixture
def test_keyring(tmp_path, monkeypatch):
    """A keyring in a temporary file: never the developer's real keychain."""
    import keyring

    from tests.desktop.file_keyring import ENV, FileKeyring

    monkeypatch.setenv(ENV, str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def profile_file(tmp_path, monkeypatch, test_keyring):
    """A profile exported from another laptop (two branches with rosters, one REST target
    needing a token), offered through $YICI_PROFILE as if it lay beside yici.exe."""
    from desktop.session import Session
    from forms.profile import export_profile, write_profile

    county = Session.open(tmp_path / "county")
    red = county.store.add_branch("红星村党支部", secretary="王建国")
    county.store.import_members(
        red.id, [{"name": "王建国", "role": "书记"}, {"name": "李秀英", "role": "委员"}]
    )
    county.store.add_branch("青山村党支部")
    county.store.add_target(
        "县党建平台", "rest", url="https://example.org/api/records", options={"auth": "bearer"}
    )
    county.store.set_setting("font_size", "large")
    path = write_profile(
        tmp_path / "yici-profile.yaml", export_profile(county.store, county.catalog, with_rosters=True)
    )
    county.close()
    monkeypatch.setenv("YICI_PROFILE", str(path))
    return path


def test_profile_beside_the_program_is_offered_and_imported(bare_session, profile_file, qtbot, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    d = FirstRunDialog(bare_session)
    qtbot.addWidget(d)
    assert d.profile_check is not None and d.profile_check.isChecked()
    assert "yici-profile.yaml" in d.profile_check.text()
    type_chinese(d.operator_edit, "张晓梅")
    d.accept()
    assert d.result() == d.DialogCode.Accepted
    store = bare_session.store
    assert [b.name for b in store.branches()] == ["红星村党支部", "青山村党支部"]
    red = store.find_branch("红星村党支部")
    assert [m.name for m in store.members(red.id)] == ["王建国", "李秀英"]
    assert [t.name for t in store.targets()] == ["县党建平台"]
    assert store.get_setting("font_size") == "large"
    assert bare_session.operator == "张晓梅"
    # The person is told which secret to type in before anything can be sent.
    assert told and "县党建平台" in told[0] and "token" in told[0]


def test_profile_can_be_declined(bare_session, profile_file, qtbot):
    d = FirstRunDialog(bare_session)
    qtbot.addWidget(d)
    d.profile_check.setChecked(False)
    type_chinese(d.operator_edit, "张晓梅")
    d.accept()
    assert d.result() == d.DialogCode.Accepted
    assert bare_session.store.branches() == [] and bare_session.store.targets() == []


def test_profile_with_problems_keeps_the_dialog_open_and_writes_nothing(
    bare_session, profile_file, qtbot, monkeypatch
):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    text = profile_file.read_text(encoding="utf-8")
    profile_file.write_text(text.replace("kind: rest", "kind: carrier-pigeon"), encoding="utf-8")
    d = FirstRunDialog(bare_session)
    qtbot.addWidget(d)
    type_chinese(d.operator_edit, "张晓梅")
    type_chinese(d.branch_edit, "河湾社区党支部")
    d.accept()
    assert d.result() != d.DialogCode.Accepted
    assert shown and "yici-profile.yaml" in shown[0] and "什么都没有导入" in shown[0]
    assert bare_session.store.branches() == [] and needs_first_run(bare_session)


def test_no_profile_no_offer(bare_session, qtbot, monkeypatch):
    monkeypatch.delenv("YICI_PROFILE", raising=False)
    d = FirstRunDialog(bare_session)
    qtbot.addWidget(d)
    assert d.profile_check is None


def test_cancel_asks_before_quitting(dialog, bare_session, qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    import desktop.first_run as first_run

    answers, asked = [False, False, True], []

    def answer(_parent, _title, text):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(first_run, "ask", answer)
    finished = []
    dialog.finished.connect(finished.append)
    type_chinese(dialog.operator_edit, "张晓梅")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.isVisible() and finished == []  # "no": it stays
    assert dialog.operator_edit.text() == "张晓梅"  # what was typed is still there
    qtbot.keyClick(dialog.operator_edit, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible() and finished == [dialog.DialogCode.Rejected.value]
    assert len(asked) == 3 and "退出" in asked[0]
    assert needs_first_run(bare_session)


def test_the_app_quitting_closes_it_without_asking(dialog, monkeypatch):
    import desktop.first_run as first_run

    monkeypatch.setattr(first_run, "ask", lambda *_a: pytest.fail("asked while the app quits"))
    assert dialog.close()  # as QApplication.quit() closes windows (logout, SIGTERM)
    assert not dialog.isVisible()
