"""The roster in the window: importing an unchanged roster says nothing changed and imports
nothing; a roster with a second 书记 (typed or imported) shows a warning naming both."""

from __future__ import annotations

import pytest

from desktop.branches_dialog import BranchesDialog
from tests.desktop.conftest import type_chinese

ROSTER = "姓名,职务,电话\n王建国,书记,13800138000\n李秀英,委员,\n赵明,党员,\n"


@pytest.fixture
def dialog(session, qtbot):
    d = BranchesDialog(session)
    qtbot.addWidget(d)
    d.show()
    return d


@pytest.fixture
def branch(session, dialog):
    branch = session.store.add_branch("红星村党支部")
    dialog.reload(branch.id)
    return branch


def test_an_unchanged_roster_is_not_imported_again(dialog, session, branch, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text(ROSTER, encoding="utf-8")
    first = dialog.roster_import_dialog(path)
    assert first.import_button.isEnabled()
    assert first.summary.text() == "导入后：新增 3 人，更新 0 人，0 人没有变化。"
    first.accept()
    again = dialog.roster_import_dialog(path)
    assert not again.import_button.isEnabled()
    assert again.summary.isVisibleTo(again)
    assert again.summary.text() == "名册没有变化：文件中的 3 人都已在名册上，信息相同，不需要导入。"
    assert not again.warning.isVisibleTo(again)
    path.write_text(ROSTER.replace("赵明,党员,", "赵明,委员,"), encoding="utf-8")
    changed = dialog.roster_import_dialog(path)
    assert changed.import_button.isEnabled()
    assert "更新 1 人" in changed.summary.text() and "赵明（职务 党员→委员）" in changed.summary.text()


def test_an_import_giving_a_second_secretary_warns_naming_both(dialog, session, branch, tmp_path):
    session.store.add_member(branch.id, "周海", role="书记")
    dialog.reload(branch.id)
    assert not dialog.roster_warning.isVisibleTo(dialog)
    path = tmp_path / "名册.csv"
    path.write_text(ROSTER, encoding="utf-8")
    importer = dialog.roster_import_dialog(path)
    assert importer.warning.isVisibleTo(importer)
    assert "名册上有 2 位书记：周海、王建国" in importer.warning.text()
    assert importer.import_button.isEnabled()  # a warning, not a refusal
    importer.accept()
    assert dialog.roster_warning.isVisibleTo(dialog)
    assert "周海、王建国" in dialog.roster_warning.text()


def test_typing_a_second_secretary_shows_the_warning_until_fixed(dialog, session, branch):
    session.store.add_member(branch.id, "王建国", role="书记")
    dialog.reload(branch.id)
    type_chinese(dialog.member_name, "李秀英")
    dialog.member_role.setCurrentText("书记")
    dialog.add_member()
    assert dialog.roster_warning.isVisibleTo(dialog)
    assert "名册上有 2 位书记：王建国、李秀英" in dialog.roster_warning.text()
    dialog.members_table.selectRow(0)
    dialog.member_role.setCurrentText("党员")
    dialog.update_member()
    assert not dialog.roster_warning.isVisibleTo(dialog)
