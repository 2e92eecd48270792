"""What is due: marks in the branch list, the due panel, per-branch cadence overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.branch_list import BranchList
from desktop.due_view import STARTED_SETTING, CadenceDialog, DuePanel, branch_due
from desktop.main_window import MainWindow


def _meeting(session, branch_id, meeting, **values):
    data = {
        "meeting_type": meeting,
        "title": f"{meeting}会议",
        "topics": "学习",
        "content": "会议内容",
        **values,
    }
    record, _ = session.records.new("sanhui-yike", branch_id, data, session.operator, final=True)
    return record


@pytest.fixture
def branch(session):
    b = session.store.add_branch("红星村党支部", secretary="王建国")
    session.store.import_members(b.id, [{"name": "王建国", "role": "书记"}])
    return b


def _current(items, label):
    """The item for `label` in the period containing today."""
    today = dt.date.today().isoformat()
    return next(i for i in items if i.label == label and i.period_start <= today <= i.period_end)


def test_due_items_follow_the_records(session, branch):
    items = branch_due(session, branch)
    assert _current(items, "支部委员会").state == "due"
    _meeting(session, branch.id, "支部委员会")
    items = branch_due(session, branch)
    assert _current(items, "支部委员会").state == "done"
    assert _current(items, "党课").state == "due"


def test_nothing_overdue_before_yici_was_started(session, branch):
    session.store.set_setting(STARTED_SETTING, dt.date.today().isoformat())
    states = {i.state for i in branch_due(session, branch)}
    assert "overdue" not in states
    session.store.set_setting(STARTED_SETTING, "2020-01-01")
    states = {i.state for i in branch_due(session, branch)}
    assert "overdue" in states  # last month's 支部委员会 was never held


def test_marks_appear_in_the_branch_list(session, branch, qtbot):
    quiet = session.store.add_branch("青山村党支部")
    session.store.set_setting(STARTED_SETTING, "2020-01-01")
    branches = BranchList(session)
    qtbot.addWidget(branches)
    branches.reload()
    with qtbot.waitSignal(branches.marksUpdated, timeout=5000):
        pass
    assert branches.state_of(branch.id) == "overdue"
    assert branches.state_of(quiet.id) == "overdue"
    row = [branches.item(r).data(256) for r in range(branches.count())].index(branch.id)
    assert "有逾期" in branches.item(row).toolTip()


def test_due_panel_shows_chips(session, branch, qtbot):
    _meeting(session, branch.id, "支部委员会")
    panel = DuePanel(session)
    qtbot.addWidget(panel)
    panel.show_branch(session.store.branch(branch.id))
    texts = [panel.flow.itemAt(i).widget().text() for i in range(panel.flow.count())]
    assert any(t.startswith("支部委员会") and t.endswith("已完成") for t in texts)
    assert any(t.startswith("党课") and t.endswith("待办") for t in texts)
    chip = next(
        panel.flow.itemAt(i).widget()
        for i in range(panel.flow.count())
        if panel.flow.itemAt(i).widget().text().endswith("已完成")
    )
    assert chip.property("dueState") == "done"


def test_cadence_override_党课_twice_a_year(session, branch, qtbot):
    dialog = CadenceDialog(session, session.store.branch(branch.id))
    qtbot.addWidget(dialog)
    dialog.set_period("sanhui-yike:党课", "half-year")
    dialog.set_period("ruhu-zoufang", "month")  # make household visits monthly here
    dialog.accept()
    stored = session.store.branch(branch.id).cadence
    assert stored == {"sanhui-yike:党课": "half-year", "ruhu-zoufang": "month"}
    items = branch_due(session, session.store.branch(branch.id))
    assert _current(items, "党课").every == "half-year"
    assert _current(items, "入户走访").every == "month"
    # Back to the default removes the override.
    dialog = CadenceDialog(session, session.store.branch(branch.id))
    qtbot.addWidget(dialog)
    dialog.set_period("sanhui-yike:党课", None)
    dialog.accept()
    assert session.store.branch(branch.id).cadence == {"ruhu-zoufang": "month"}


def test_main_window_shows_due_panel_for_chosen_branch(session, branch, qtbot):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    w.branch_list.compute_all_now()
    assert w.due_panel.branch.id == branch.id
    assert any(key.startswith("支部委员会") for key in w.due_panel.states())
    assert w.branch_list.state_of(branch.id) in ("due", "overdue")


def _chips(panel):
    return [panel.flow.itemAt(i).widget() for i in range(panel.flow.count())]


def test_every_missed_month_is_a_chip_and_a_click_starts_that_record(session, branch, qtbot):
    from PySide6.QtCore import Qt

    from desktop.editor.record_editor import RecordEditor

    today = dt.date.today()
    started = today.replace(day=1)
    for _ in range(3):
        started = (started - dt.timedelta(days=1)).replace(day=1)
    started += dt.timedelta(days=20)  # late in the month three months ago
    session.store.set_setting(STARTED_SETTING, started.isoformat())
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.branch_list.compute_all_now()
    missed = [c for c in _chips(w.due_panel) if c.item.label == "支部委员会" and c.item.state == "overdue"]
    assert len(missed) == 3  # the month it started, the one after and last month: not only the latest
    assert len({c.text() for c in missed}) == 3  # each reads differently
    oldest = missed[0]
    assert oldest.item.period_start[:7] == started.isoformat()[:7]

    qtbot.mouseClick(oldest, Qt.MouseButton.LeftButton)
    [editor] = w._new_editors
    assert isinstance(editor, RecordEditor) and editor.form.id == "sanhui-yike"
    assert editor.branch_id == branch.id
    assert editor.panel.widget("meeting_type").value() == "支部委员会"
    assert not editor.panel.widget("held_at").value()  # the day it was held: the person says
    editor.close()

    current = next(c for c in _chips(w.due_panel) if c.item.label == "党课" and c.item.state == "due")
    current.setFocus()
    qtbot.keyClick(current, Qt.Key.Key_Return)
    editor = w._new_editors[-1]
    assert editor.panel.widget("meeting_type").value() == "党课"
    assert editor.panel.widget("held_at").value()  # this period: now, as any new record
