"""Starting and stopping the app: shell first, daily backup, background delivery, SIGTERM."""

from __future__ import annotations

import os
import signal

import pytest

import desktop.app as app_module
from desktop.session import Session


@pytest.fixture
def data_dir(tmp_path):
    """A data folder past first run (an operator and one branch)."""
    folder = tmp_path / "data"
    s = Session.open(folder)
    s.operator = "张晓梅"
    s.store.add_branch("红星村党支部")
    s.close()
    return folder


@pytest.fixture
def clean_hook():
    yield
    import desktop.errors as errors_module

    if errors_module._hook is not None:
        errors_module._hook.uninstall()
        errors_module._hook = None


def _wait_for_data(qapp, window, qtbot):
    """Until the data is in the window and the work that follows its first rows has started."""
    qtbot.waitUntil(lambda: window.session is not None and window.sync is not None, timeout=5000)


def test_shell_first_then_data_backup_and_delivery(data_dir, qapp, qtbot):
    from forms.store import list_backups

    starter = app_module.Starter(qapp, data_dir)
    window = starter.window
    try:
        assert window.isVisible() and window.session is None
        assert not window._built  # nothing heavy before the first paint
        _wait_for_data(qapp, window, qtbot)
        assert window._built and window.branch_list.count() == 1
        assert window.sync is not None and window.sync._thread is not None
        starter.backup.wait(30_000)  # the copy runs beside the window
        assert [b.kind for b in list_backups(data_dir)].count("auto") == 1
        assert app_module.application() is qapp and qapp.desktopFileName() == "yici"
    finally:
        starter.close()
    assert window.sync._thread is None  # joined before the store closed


def test_records_first_then_backup_delivery_and_marks(data_dir, qapp, qtbot):
    starter = app_module.Starter(qapp, data_dir)
    starter._waiter.cancel()  # open the data here, not from the event loop
    window = starter.window
    try:
        starter.open_data()
        # The records are in the window; nothing that would hold up their first paint has begun.
        assert window.session is not None and window.model.count_known
        assert window.sync is None and starter.backup is None
        qtbot.waitUntil(lambda: window.sync is not None, timeout=5000)  # after the table painted
        assert window.sync._thread is not None and starter.backup is not None
        starter.start_background()  # once only
        assert starter.backup.wait(30_000)
    finally:
        starter.close()


def test_records_named_before_the_form_catalog_is_read(data_dir, qapp, qtbot):
    """The first rows need no form catalog (YAML, expressions, templates): the form column reads
    the title records were entered with; the catalog, the form filter and 新建记录 follow."""
    from desktop.main_window import MainWindow

    session = Session.open(data_dir)
    branch_id = session.store.branches()[0].id
    session.records.new("sanhui-yike", branch_id, {"meeting_type": "支部委员会", "title": "十一月"}, "张晓梅")
    session.close()
    session = Session.open(data_dir)
    window = MainWindow()
    qtbot.addWidget(window)
    try:
        window.attach(session, background=False)  # as the start does
        assert not session.catalog_read
        assert window.model.data(window.model.index(0, 0)) == "三会一课"
        assert window.new_menu.isEmpty()
        window.start_background()  # once the rows are painted
        assert session.catalog_read
        assert "sanhui-yike" in [a.data() for a in window.new_menu.actions()]
        assert window.form_filter.findData("sanhui-yike") > 0
        assert window.model.data(window.model.index(0, 0)) == "三会一课"
    finally:
        window.shutdown()
        session.close()


def test_closing_before_the_records_painted_starts_nothing_after(data_dir, qapp, qtbot):
    starter = app_module.Starter(qapp, data_dir)
    starter._waiter.cancel()
    starter.open_data()
    starter.close()
    qtbot.wait(700)  # past the wait for a paint that never comes
    assert starter.window.sync is None and starter.backup is None


def test_window_closed_before_the_data_opened_still_stops_cleanly(data_dir, qapp, qtbot):
    starter = app_module.Starter(qapp, data_dir)
    window = starter.window
    window.close()  # the person closed it at once
    _wait_for_data(qapp, window, qtbot)  # the data still opens (from the event loop)
    thread = window.sync._thread
    assert thread is not None and thread.isRunning()
    starter.close()
    assert window.sync._thread is None and thread.isFinished()


def test_a_failed_backup_does_not_stop_the_start(data_dir, qapp, qtbot, monkeypatch, caplog):
    import forms.store
    from forms.store import StoreError

    def broken(store, keep_days=None):
        raise StoreError("磁盘已满 / disk full")

    monkeypatch.setattr(forms.store, "check_and_back_up", broken)
    starter = app_module.Starter(qapp, data_dir)
    try:
        _wait_for_data(qapp, starter.window, qtbot)
        starter.backup.wait(30_000)
        assert any("daily backup failed" in r.getMessage() for r in caplog.records)
    finally:
        starter.close()


def test_sigterm_leaves_the_event_loop_and_closes_the_store(data_dir, qapp, monkeypatch, clean_hook):
    seen = {}
    before = signal.getsignal(signal.SIGTERM)

    def fake_exec():
        window = next(w for w in qapp.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible())
        for _ in range(200):
            qapp.processEvents()
            if window.session is not None:
                break
        seen["session"] = window.session
        quits = []
        monkeypatch.setattr(qapp, "quit", lambda: quits.append(True))
        os.kill(os.getpid(), signal.SIGTERM)  # the Python handler runs at the next bytecode
        seen["quit"] = quits == [True]
        return 0

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert app_module.run(data_dir) == 0
    assert seen["quit"]
    assert signal.getsignal(signal.SIGTERM) is before  # handlers given back
    # The store was closed normally: another process can open it at once.
    again = Session.open(data_dir)
    again.close()


def test_nothing_heavy_is_loaded_before_the_first_paint():
    """The shell window appears before the store, the form engine and delivery are imported
    (tests/benchmarks/bench_desktop.py measures the time; this keeps the imports from creeping)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "import desktop.app as a\n"
        "app = a.application()\n"
        "starter = a.Starter(app, sys.argv[1])\n"  # builds and shows the shell, no event loop
        "heavy = ('forms', 'sync', 'yaml', 'jinja2', 'requests', 'sqlite_utils', 'openpyxl',\n"
        "         'desktop.records_model', 'desktop.branch_list', 'desktop.due_view',\n"
        "         'desktop.sync_worker', 'PySide6.QtNetwork')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
        "print(starter.window._built)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code, str(root / "no-such-folder")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    loaded, built = result.stdout.splitlines()[-2:]
    assert loaded == "[]" and built == "False", result.stdout
