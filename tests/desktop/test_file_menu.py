"""The 文件 menu's data actions, driven as a person does: menu action, file dialog answer, question
answered by clicking, the result read from the box shown. Real data folders, real backup files,
a real handover zip made by the export code, a real deployment profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox, QPushButton

from desktop.main_window import MainWindow
from desktop.session import Session
from forms.handover import export_all
from forms.store import DB_NAME, list_backups
from forms.store.cipher import sqlite3
from tests.helpers import HANDOVER_PASSPHRASE as PASS
from tests.helpers import open_database

PROFILE = (
    "yici_profile: 1\n"
    "branches:\n"
    "  - name: 青山村党支部\n"
    "    members:\n"
    "      - {name: 司马春花, role: 书记}\n"
    "targets:\n"
    "  - name: 县平台\n"
    "    kind: rest\n"
    "    url: {url}\n"
    "    options: {auth: bearer}\n"
)


def _meeting(session, branch_id, title="支部委员会会议"):
    data = {"meeting_type": "支部委员会", "title": title, "topics": "学习", "content": "会议内容"}
    record, _ = session.records.new("sanhui-yike", branch_id, data, session.operator, final=False)
    return record


@pytest.fixture
def red(session):
    branch = session.store.add_branch("红星村党支部", secretary="欧阳晓明")
    session.store.add_member(branch.id, "欧阳晓明", role="书记")
    _meeting(session, branch.id)
    _meeting(session, branch.id, "党员大会")
    return branch


@pytest.fixture
def window(session, red, qtbot, qapp, memory_keyring):
    from desktop.i18n import install_language

    install_language(qapp, "zh_CN")  # Chinese, whatever an earlier test left as the default locale
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def answer(qtbot, button_text: str) -> list[str]:
    """Click `button_text` in the next question box that opens; returns what the box said."""
    said: list[str] = []

    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        said.append(box.text() + "\n" + box.informativeText())
        button = next(b for b in box.findChildren(QPushButton) if b.text() == button_text)
        button.click()

    QTimer.singleShot(0, click)
    return said


def result_of(window, qtbot) -> str:
    """The text of the result or refusal the menu shows once its work is done."""
    menu = window.file_menu
    qtbot.waitUntil(lambda: menu.shown is not None and menu.shown.isVisible(), timeout=20000)
    text = menu.shown.text()
    menu.shown.close()
    return text


def choose(monkeypatch, path: Path | None, save: bool = False) -> None:
    """The file dialog answers with `path` (None: the person cancelled); it is made, sized and
    asked as for a person (desktop/file_chooser.py), only its event loop is skipped."""

    def answer(dialog):
        wanted = QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
        assert dialog.acceptMode() == wanted
        return QDialog.DialogCode.Accepted if path else QDialog.DialogCode.Rejected

    monkeypatch.setattr(QFileDialog, "exec", answer)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda dialog: [str(path)] if path else [])
    # The handover file's passphrase, typed (twice for an export) in the dialog that asks for it.
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: (PASS, True))


# -- 备份 --------------------------------------------------------------------------------------


def test_backup_makes_a_file_and_says_where(window, session, qtbot):
    window.file_menu.backup_action.trigger()
    text = result_of(window, qtbot)
    made = [b for b in list_backups(session.data_dir) if b.kind == "manual"]
    assert len(made) == 1 and made[0].path.is_file()
    assert made[0].path.name in text and str(made[0].path.parent) in text and "KB" in text


def test_a_backup_that_cannot_be_written_is_told_plainly(window, session, qtbot):
    (session.data_dir / "backups").write_text("not a folder")  # the backups folder cannot be made
    window.file_menu.backup_action.trigger()
    text = result_of(window, qtbot)
    assert window.file_menu.shown.icon() == QMessageBox.Icon.Warning
    assert "backups" in text or "请" in text
    assert "Traceback" not in text


# -- 导出交接文件 / 导入交接文件 --------------------------------------------------------------------


def test_export_writes_the_zip_and_counts_it(window, tmp_path, monkeypatch, qtbot):
    choose(monkeypatch, tmp_path / "交接", save=True)  # the suffix is added
    window.file_menu.export_action.trigger()
    text = result_of(window, qtbot)
    assert (tmp_path / "交接.zip").is_file()
    assert "交接.zip" in text and str(tmp_path) in text
    assert "支部 1 个" in text and "记录 2 条" in text


def test_export_into_a_missing_folder_is_refused(window, tmp_path, monkeypatch, qtbot):
    choose(monkeypatch, tmp_path / "没有这个文件夹" / "x.zip", save=True)
    window.file_menu.export_action.trigger()
    text = result_of(window, qtbot)
    assert window.file_menu.shown.icon() == QMessageBox.Icon.Warning
    assert "没有这个文件夹" in text
    assert not (tmp_path / "没有这个文件夹").exists()


@pytest.fixture
def handover(tmp_path):
    """A handover file made by the export code on another laptop: a branch with a long name list."""
    other = Session.open(tmp_path / "old-laptop")
    other.operator = "上官婉儿"
    branch = other.store.add_branch("青山村党支部")
    for name in ("阿卜杜热合曼·艾买提江", "诸葛明亮"):
        other.store.add_member(branch.id, name)
    _meeting(other, branch.id, "青山村支委会")
    path = export_all(other.store, tmp_path / "handover.zip", PASS).path
    other.close()
    return path


def test_import_shows_what_the_file_holds_then_merges_it(window, session, handover, monkeypatch, qtbot):
    choose(monkeypatch, handover)
    said = answer(qtbot, "导入")
    window.file_menu.import_action.trigger()
    text = result_of(window, qtbot)
    assert "handover.zip" in said[0] and "支部 1 个" in said[0] and "记录 1 条" in said[0]
    assert "先自动备份" in said[0]
    assert "新增" in text and "支部 1" in text and "记录 1" in text
    names = [window.branch_list.item(r).text() for r in range(window.branch_list.count())]
    assert "青山村党支部" in names  # the window shows the merged data at once
    assert any(b.kind == "before-import" for b in list_backups(session.data_dir))


def test_import_cancelled_at_the_question_changes_nothing(window, session, handover, monkeypatch, qtbot):
    choose(monkeypatch, handover)
    said = answer(qtbot, "取消")
    window.file_menu.import_action.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=20000)
    qtbot.wait(50)
    assert [b.name for b in session.store.branches()] == ["红星村党支部"]
    assert window.file_menu.shown is None


def test_a_file_that_is_not_a_handover_is_refused_before_any_question(
    window, session, tmp_path, monkeypatch, qtbot
):
    bogus = tmp_path / "photo.zip"
    bogus.write_bytes(b"PK not really a zip")
    choose(monkeypatch, bogus)
    window.file_menu.import_action.trigger()
    text = result_of(window, qtbot)
    assert "不是一次的导出文件" in text and "Not a" not in text  # one language
    assert [b.name for b in session.store.branches()] == ["红星村党支部"]


# -- 导入部署配置 ------------------------------------------------------------------------------


def _profile(tmp_path, url="https://county.example/api") -> Path:
    path = tmp_path / "county.yaml"
    path.write_text(PROFILE.replace("{url}", url), encoding="utf-8")
    return path


def test_profile_import_adds_branches_and_platforms_and_names_the_secrets(
    window, session, tmp_path, monkeypatch, qtbot
):
    choose(monkeypatch, _profile(tmp_path))
    said = answer(qtbot, "导入")
    window.file_menu.profile_action.trigger()
    text = result_of(window, qtbot)
    assert "支部 1 个，推送平台 1 个" in said[0]
    assert "新增" in text and "县平台" in text and "token" in text  # the secret still to enter
    assert session.store.target("县平台").url == "https://county.example/api"
    names = [window.branch_list.item(r).text() for r in range(window.branch_list.count())]
    assert "青山村党支部" in names


def test_profile_changing_a_platform_asks_and_lists_the_change(window, session, tmp_path, monkeypatch, qtbot):
    session.store.add_target("县平台", "rest", url="https://old.example/api", options={"auth": "bearer"})
    choose(monkeypatch, _profile(tmp_path))
    said = answer(qtbot, "取消")
    window.file_menu.profile_action.trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=20000)
    qtbot.wait(50)
    assert "接口地址" in said[0] and "https://old.example/api" in said[0]
    assert session.store.target("县平台").url == "https://old.example/api"  # 取消 changed nothing
    assert session.store.find_branch("青山村党支部") is None

    said = answer(qtbot, "修改并导入")
    window.file_menu.profile_action.trigger()
    text = result_of(window, qtbot)
    assert "更新" in text
    assert session.store.target("县平台").url == "https://county.example/api"


def test_a_bad_profile_is_refused_with_its_line(window, session, tmp_path, monkeypatch, qtbot):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "yici_profile: 1\nbranches:\n  - name: 青山村党支部\n    cadence: {sanhui-yike: weekly}\n"
    )
    choose(monkeypatch, path)
    window.file_menu.profile_action.trigger()
    text = result_of(window, qtbot)
    assert f"{path}:4" in text and "weekly" in text
    assert session.store.find_branch("青山村党支部") is None


# -- 从备份恢复 --------------------------------------------------------------------------------


def _open_restore(window, qtbot):
    window.file_menu.restore_action.trigger()
    dialog = window.file_menu.restore_dialog
    qtbot.waitUntil(lambda: dialog.checked, timeout=20000)
    return dialog


def test_restore_lists_backups_checked_and_reloads_the_window(window, session, red, qtbot):
    kept = session.store.backup("manual")  # two records in it
    _meeting(session, red.id, "后来加的会议")
    window.refresh()
    assert window.model.rowCount() == 3
    damaged = kept.parent / "yici-manual-20200101-080000.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)

    dialog = _open_restore(window, qtbot)
    rows = [
        [dialog.tree.topLevelItem(r).text(c) for c in range(4)]
        for r in range(dialog.tree.topLevelItemCount())
    ]
    assert rows[0][1] == "手动备份" and rows[0][2] == "完好"
    assert rows[-1][0].startswith("2020-01-01") and rows[-1][2].startswith("没有通过检查")
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(len(rows) - 1))
    assert not dialog.restore_button.isEnabled()  # a damaged one cannot be chosen
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    said = answer(qtbot, "恢复")
    dialog.restore_button.click()
    text = result_of(window, qtbot)

    assert "先自动备份" in said[0] and kept.name in said[0]
    assert kept.name in text and "记录 2 条" in text and "yici-before-restore-" in text
    assert window.isEnabled() and window.model.rowCount() == 2  # no restart: the data is back
    assert session.store.count_records() == 2
    assert any(b.kind == "before-restore" for b in list_backups(session.data_dir))


def test_restore_refused_while_another_yici_holds_the_folder(window, session, red, qtbot):
    session.store.backup("manual")
    _meeting(session, red.id, "后来加的会议")
    other = open_database(session.data_dir / DB_NAME)  # another Yici program has it open
    other.execute("SELECT count(*) FROM records").fetchone()
    try:
        dialog = _open_restore(window, qtbot)
        answer(qtbot, "恢复")
        dialog.restore_button.click()
        text = result_of(window, qtbot)
    finally:
        other.close()
    assert "另一个一次程序正在使用这个数据文件夹" in text and "没有任何改动" in text
    assert window.isEnabled()
    window.refresh()
    assert window.model.rowCount() == 3 and session.store.count_records() == 3


def test_restore_from_a_chosen_file_that_is_not_a_backup(window, session, tmp_path, monkeypatch, qtbot):
    junk = tmp_path / "notes.db"
    junk.write_text("hello")
    dialog = _open_restore(window, qtbot)
    choose(monkeypatch, junk)
    answer(qtbot, "恢复")
    dialog.choose_button.click()
    text = result_of(window, qtbot)
    assert "不能从这个文件恢复" in text and "notes.db" in text
    assert window.isEnabled() and window.model.rowCount() == 2


def test_restore_of_another_laptops_backup_asks_for_that_folders_recovery_key(
    window, session, tmp_path, monkeypatch, qtbot, memory_keyring
):
    """A backup made with `yici backup --to` on another laptop (its key file beside it): the
    window asks for that folder's recovery key, says when it does not fit, and restores."""
    from forms.store import Store, keys, manual_backup

    unlocked, entries = dict(keys._unlocked), dict(memory_keyring.entries)
    stick = tmp_path / "stick"
    stick.mkdir()
    with Store.open(tmp_path / "other-laptop") as other:
        recovery = other.new_recovery_key
        other.add_branch("青山村党支部")
        backup = manual_backup(other, stick)
    keys._unlocked.clear()  # this laptop knows its own key only
    keys._unlocked.update(unlocked)
    memory_keyring.entries = entries

    dialog = _open_restore(window, qtbot)
    choose(monkeypatch, backup)
    typo = recovery[:-1] + ("0" if recovery[-1] != "0" else "1")
    typed, asked = [typo, recovery], []

    def type_key(dialog):  # the person reads the question and types the key
        asked.append(dialog.labelText())
        dialog.setTextValue(typed.pop(0))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QInputDialog, "exec", type_key)
    answer(qtbot, "恢复")
    dialog.choose_button.click()
    text = result_of(window, qtbot)

    assert "另一台电脑" in asked[0] and backup.name in asked[0]
    assert "不符" in asked[1] and not typed  # asked again after the typo, data untouched
    assert "支部 1 个" in text and window.isEnabled()
    assert [b.name for b in session.store.branches()] == ["青山村党支部"]


# -- 使用指南 and Qt's file dialog -------------------------------------------------------------


def test_f1_opens_the_illustrated_guide(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    from desktop.guide import _open

    guide = next(d for d in _open if d.isVisible())
    text = guide.browser.toPlainText()
    for section in (
        "首次使用",
        "新建记录与定稿",
        "点名与缺席",
        "推送到平台与同步状态",
        "备份与交接",
        "常见问题",
    ):
        assert section in text
    assert len(guide.image_names()) >= 4
    assert guide.missing_images() == []
    guide.close()


def test_qt_file_dialog_speaks_chinese(qapp, qtbot):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from desktop.i18n import install_language

    install_language(qapp, "zh_CN")
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [
        w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton) if w.isVisible()
    ]
    texts = [t for t in texts if t]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts and "取消" in texts
    english = [
        t
        for t in texts
        if any(
            "a" <= ch.lower() <= "z"
            for ch in t.replace("&", "")
            .replace("(L)", "")
            .replace("(N)", "")
            .replace("(T)", "")
            .replace("(O)", "")
        )
    ]
    assert english == []
    dialog.close()


def test_the_guide_is_small_and_every_picture_it_names_is_there():
    from desktop.guide import GUIDE_DIR, GUIDE_PAGE

    page = GUIDE_PAGE.read_text(encoding="utf-8")
    pictures = sorted(GUIDE_DIR.glob("*.png"))
    assert pictures and all(f'src="{p.name}"' in page for p in pictures)
    assert sum(p.stat().st_size for p in GUIDE_DIR.iterdir()) < 400 * 1024


def test_menu_items_are_not_cut_at_the_largest_text_size(window, qapp, qtbot):
    from PySide6.QtGui import QKeySequence

    from desktop.appearance import apply_appearance
    from desktop.file_results import MENU_ROOM_EM

    apply_appearance(qapp, "xlarge")
    menu = window.menuBar().actions()[0].menu()
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    qtbot.waitUntil(menu.isVisible)
    metrics = menu.fontMetrics()
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert window.file_menu.export_action in actions and window.file_menu.profile_action in actions
    text = max(metrics.horizontalAdvance(a.text().replace("&", "")) for a in actions)
    key = max(
        metrics.horizontalAdvance(a.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
        for a in actions
    )
    # What Qt needs to draw them uncut (measured under X at 特大: 300 px cut "导出交接文件(X)…").
    assert menu.width() >= text + key + MENU_ROOM_EM * metrics.horizontalAdvance("汉")
    menu.close()


def test_the_export_time_is_shown_on_this_laptops_clock():
    import datetime as dt

    from desktop.file_results import local_time

    stamp = "2026-12-06T19:57:11+00:00"
    expected = dt.datetime(2026, 12, 6, 19, 57, 11, tzinfo=dt.UTC).astimezone()
    assert local_time(stamp) == expected.strftime("%Y-%m-%d %H:%M")
    assert local_time(None) == "?"


def test_the_file_dialog_grows_with_the_text(qapp, qtbot, monkeypatch, tmp_path):
    """Qt's own file dialog at 特大 is as roomy as the text needs, and within the screen."""
    from desktop.appearance import apply_appearance, keep_window_places_in
    from desktop.file_chooser import open_file
    from desktop.i18n import install_language
    from desktop.window_size import screen_room

    keep_window_places_in(tmp_path)
    sizes = {}

    def look(dialog):
        dialog.show()
        sizes[qapp.font().pointSizeF()] = dialog.size()
        dialog.close()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QFileDialog, "exec", look)
    install_language(qapp, "zh_CN")
    try:
        for size in ("standard", "xlarge"):
            apply_appearance(qapp, size)
            assert open_file(None, "选择备份文件", tmp_path, "一次备份 (*.db)") is None
            (tmp_path / "ui.json").unlink(missing_ok=True)  # each size opens as the first time
    finally:
        apply_appearance(qapp, "standard")
        keep_window_places_in(None)
    small, big = (sizes[k] for k in sorted(sizes))
    room = screen_room(QFileDialog())
    assert big.width() > small.width() and big.height() > small.height()
    assert big.width() <= room.width() and big.height() <= room.height()
