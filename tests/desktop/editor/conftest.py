"""Fixtures for the record editor: offscreen Qt, a real Session on tmp_path with a roster."""

from __future__ import annotations

import os

# Before any Qt import: no display needed, and UTF-8 everywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import pytest  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.session import Session  # noqa: E402

ROSTER = [("李明", "书记"), ("王芳", "副书记"), ("张伟", "委员"), ("刘洋", "党员"), ("陈静", "党员")]


def type_chinese(widget, text: str) -> None:
    """Type `text` into `widget` as an input method would (qtbot.keyClicks aborts on non-ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def session(tmp_path):
    """A fresh data folder with one branch (五星村党支部) and five members, operator set."""
    s = Session.open(tmp_path / "data")
    s.operator = "测试录入员"
    branch = s.store.add_branch("五星村党支部")
    for name, role in ROSTER:
        s.store.add_member(branch.id, name, role)
    s.branch_id = branch.id  # handy for tests; Session is a plain dataclass
    yield s
    s.close()


@pytest.fixture
def new_editor(qtbot, session):
    """A factory opening a RecordEditor for a new record of `form_id` in the test branch."""
    from desktop.editor.record_editor import RecordEditor

    def make(form_id: str = "sanhui-yike", **kwargs) -> RecordEditor:
        editor = RecordEditor(session, form_id=form_id, branch_id=session.branch_id, **kwargs)
        qtbot.addWidget(editor)
        editor.show()
        return editor

    return make
