"""支部与花名册: branches and members typed in Chinese, rosters imported with a preview."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.branches_dialog import BranchesDialog
from tests.desktop.conftest import type_chinese


@pytest.fixture
def dialog(session, qtbot):
    d = BranchesDialog(session)
    qtbot.addWidget(d)
    d.show()
    return d


def test_create_branch_and_roster_by_typing(dialog, session):
    assert dialog.branch_id is None  # no branches yet: the form is ready for a new one
    type_chinese(dialog.name_edit, "红星村党支部")
    type_chinese(dialog.code_edit, "HX001")
    assert dialog.save_branch()
    [branch] = session.store.branches()
    assert (branch.name, branch.code) == ("红星村党支部", "HX001")
    assert dialog.branch_id == branch.id

    for name, role, phone in (
        ("王建国", "书记", "13800138000"),
        ("李秀英", "委员", ""),
        ("赵明", "党员", ""),
    ):
        type_chinese(dialog.member_name, name)
        dialog.member_role.setCurrentText(role)
        if phone:
            type_chinese(dialog.member_phone, phone)
        dialog.add_member()
    members = session.store.members(branch.id)
    assert [(m.name, m.role) for m in members] == [("王建国", "书记"), ("李秀英", "委员"), ("赵明", "党员")]
    assert members[0].phone == "13800138000"
    assert dialog.members_table.rowCount() == 3

    # The secretary is chosen from the roster; edit a member in place.
    dialog.secretary_combo.setCurrentText("王建国")
    assert dialog.save_branch()
    assert session.store.branch(branch.id).secretary == "王建国"
    dialog.members_table.selectRow(2)
    assert dialog.member_name.text() == "赵明"
    dialog.member_role.setCurrentText("预备党员")
    dialog.update_member()
    assert session.store.members(branch.id)[2].role == "预备党员"


def test_duplicate_branch_name_is_refused_with_a_message(dialog, session, monkeypatch):
    session.store.add_branch("红星村党支部")
    dialog.reload()
    dialog.start_new_branch()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    type_chinese(dialog.name_edit, "红星村党支部")
    assert not dialog.save_branch()
    assert len(session.store.branches()) == 1
    assert "已经有名为" in shown[0]


def test_bad_phone_is_not_added(dialog, session, monkeypatch):
    type_chinese(dialog.name_edit, "青山村党支部")
    dialog.save_branch()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    type_chinese(dialog.member_name, "张三")
    type_chinese(dialog.member_phone, "12345")
    dialog.add_member()
    assert shown and session.store.members(dialog.branch_id) == []


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_roster_from_xlsx_with_preview(dialog, session, tmp_path):
    branch = session.store.add_branch("红星村党支部")
    dialog.reload(branch.id)
    path = _xlsx(
        tmp_path / "名册.xlsx",
        [
            ["红星村党支部党员名册"],
            ["姓名", "职务", "电话"],
            ["王建国", "支部书记", 13800138000],
            ["李秀英", "委员", None],
            ["赵明", "", None],
        ],
    )
    importer = dialog.roster_import_dialog(path)
    assert importer.preview.table.rowCount() == 3
    assert importer.preview.table.item(0, 2).text() == "书记"
    assert importer.import_button.isEnabled()
    importer.accept()
    assert [m.name for m in session.store.members(branch.id)] == ["王建国", "李秀英", "赵明"]
    assert dialog.members_table.rowCount() == 3


def test_roster_with_problems_imports_nothing(dialog, session, tmp_path):
    branch = session.store.add_branch("红星村党支部")
    dialog.reload(branch.id)
    path = tmp_path / "名册.csv"
    path.write_text(
        "姓名,职务,电话\n王建国,书记,13800138000\n李秀英,队长,\n赵明,党员,123\n", encoding="gb18030"
    )  # Chinese Excel saves CSV as GBK
    importer = dialog.roster_import_dialog(path)
    assert not importer.import_button.isEnabled()
    assert importer.preview.problems.isVisibleTo(importer)
    text = importer.preview.problems.text()
    assert "第3行" in text and "第4行" in text
    importer.accept()  # even if forced: nothing half-imported
    assert session.store.members(branch.id) == []


def test_enter_in_member_fields_adds_the_member_and_never_a_branch(dialog, session, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))

    type_chinese(dialog.name_edit, "红星村党支部")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter in the name: the branch is saved
    [branch] = session.store.branches()
    assert dialog.branch_id == branch.id and dialog.member_name.hasFocus()

    type_chinese(dialog.member_name, "阿卜杜热合曼·艾买提江")
    qtbot.keyClick(dialog.member_name, Qt.Key.Key_Return)
    type_chinese(dialog.member_name, "欧阳晓明")
    dialog.member_phone.setFocus()
    qtbot.keyClicks(dialog.member_phone, "13800138000")
    qtbot.keyClick(dialog.member_phone, Qt.Key.Key_Enter)
    dialog.member_role.setFocus()
    qtbot.keyClick(dialog.member_role, Qt.Key.Key_Return)  # nothing typed: asks for a name
    assert shown == ["请填写党员姓名。"]
    assert [b.name for b in session.store.branches()] == ["红星村党支部"]  # no new branch
    members = session.store.members(branch.id)
    assert [(m.name, m.phone) for m in members] == [
        ("阿卜杜热合曼·艾买提江", None),
        ("欧阳晓明", "13800138000"),
    ]
    assert dialog.branch_id == branch.id and dialog.member_name.text() == ""


def test_enter_on_a_selected_member_saves_its_changes(dialog, session, qtbot):
    from PySide6.QtCore import Qt

    branch = session.store.add_branch("红星村党支部")
    session.store.add_member(branch.id, "司马春花")
    dialog.reload(branch.id)
    dialog.members_table.selectRow(0)
    dialog.member_phone.setFocus()
    qtbot.keyClicks(dialog.member_phone, "13900139000")
    qtbot.keyClick(dialog.member_phone, Qt.Key.Key_Return)
    [member] = session.store.members(branch.id)
    assert (member.name, member.phone) == ("司马春花", "13900139000")
    assert len(session.store.branches()) == 1
