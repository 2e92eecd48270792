"""Typing survives a killed process: the autosaved draft is in the store with what was typed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from desktop.session import Session
from tests.desktop.editor.conftest import ROSTER

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent("""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, sys.argv[2])
    from PySide6.QtWidgets import QApplication
    from PySide6.QtGui import QInputMethodEvent
    app = QApplication([])
    from desktop.session import Session
    from desktop.editor.record_editor import RecordEditor

    def type_chinese(widget, text):
        widget.setFocus()
        ev = QInputMethodEvent()
        ev.setCommitString(text)
        QApplication.sendEvent(widget, ev)

    def wait_for(condition, seconds=10):
        end = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > end:
                print("TIMEOUT", flush=True)
                sys.exit(1)
            app.processEvents()
            time.sleep(0.02)

    session = Session.open(sys.argv[1])
    branch = session.store.branches()[0]
    editor = RecordEditor(session, form_id="sanhui-yike", branch_id=branch.id)
    editor.show()
    saves = []
    editor.saved.connect(saves.append)
    type_chinese(editor.panel.widget("title").edit, "断电前的支部委员会")
    started = time.monotonic()
    wait_for(lambda: len(saves) == 1)
    print("FIRST", round(time.monotonic() - started, 2), flush=True)
    type_chinese(editor.panel.widget("content").edit, "会议记录写到一半")
    editor.panel.widget("attendees").set_checked("刘洋", False)
    wait_for(lambda: len(saves) == 2)
    print("SAVED", editor.uuid, flush=True)
    type_chinese(editor.panel.widget("place").edit, "这句还没保存")
    while True:  # keep running until killed, like a window left open
        app.processEvents()
        time.sleep(0.02)
""")


@pytest.mark.slow
def test_autosaved_draft_survives_sigkill(tmp_path):
    data = tmp_path / "data"
    with closing(Session.open(data)) as s:
        branch = s.store.add_branch("五星村党支部")
        for name, role in ROSTER:
            s.store.add_member(branch.id, name, role)
    script = tmp_path / "type_and_wait.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data), str(ROOT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        first = proc.stdout.readline().split()
        assert first and first[0] == "FIRST", first
        assert 2.5 <= float(first[1]) <= 6  # ~3 s after the last keystroke
        line = proc.stdout.readline().split()
        assert line and line[0] == "SAVED", line
        uuid = line[1]
        time.sleep(0.5)  # typing in progress, not yet autosaved
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    s = Session.open(data)
    try:
        record = s.store.record(uuid)
        assert record.status == "draft"
        assert record.data["title"] == "断电前的支部委员会"
        assert record.data["content"] == "会议记录写到一半"
        assert "刘洋" not in record.data["attendees"]
        assert record.data["absences"] == [{"name": "刘洋", "reason": ""}]
    finally:
        s.close()
