"""Background operations: work off the main thread, the outcome back on it, a clean shutdown."""

from __future__ import annotations

import threading
import time
import weakref

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QPushButton, QWidget

import desktop.errors as errors
from desktop import operations
from desktop.operations import run_in_background


@pytest.fixture(autouse=True)
def _nothing_left_running():
    yield
    operations.shutdown(wait_ms=2000)


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_the_result_arrives_on_the_main_thread(qapp, qtbot, window):
    seen = {}

    def work(n):
        seen["worker"] = QThread.currentThread() is not qapp.thread()
        return n * 2

    def success(result):
        seen["result"] = result
        seen["main"] = QThread.currentThread() is qapp.thread()

    run_in_background(window, work, 21, success=success)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen == {"worker": True, "result": 42, "main": True}


def test_an_error_reaches_the_failure_callback_on_the_main_thread(qapp, qtbot, window):
    seen = []

    def work():
        raise ValueError("坏了")

    run_in_background(
        window,
        work,
        success=lambda r: seen.append(("success", r)),
        failure=lambda exc: seen.append((type(exc), str(exc), QThread.currentThread() is qapp.thread())),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(ValueError, "坏了", True)]


def test_without_a_failure_callback_the_error_goes_to_the_error_dialog(qtbot, window, monkeypatch):
    from forms.store import StoreError

    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc: shown.append((parent, exc)))

    def work():
        raise StoreError("磁盘已满 / disk full")

    run_in_background(window, work)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    parent, exc = shown[0]
    assert parent is window and isinstance(exc, StoreError)


def test_the_store_is_shared_and_the_data_is_copied(qtbot, window, session):
    data = {"names": ["李明"]}
    may_read = threading.Event()
    seen = {}

    def work(store, given):
        may_read.wait(5)
        return store is session.store, given

    operation = run_in_background(
        window, work, data, store=session.store, success=lambda r: seen.setdefault("result", r)
    )
    data["names"].append("王芳")  # the window goes on changing its own copy
    may_read.set()
    assert operation.wait(5000)
    assert seen["result"] == (True, {"names": ["李明"]})


def test_slow_work_does_not_block_the_event_loop(qtbot, window):
    release = threading.Event()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    operation = run_in_background(window, lambda: release.wait(10))
    try:
        qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=3000)  # the window keeps painting
        assert operation.running
    finally:
        release.set()
        timer.stop()
    assert operation.wait(5000) and not operation.running


def test_progress_shows_only_for_slow_work_and_closes_when_done(qtbot, window, monkeypatch):
    monkeypatch.setattr(operations, "PROGRESS_DELAY_MS", 200)
    quick = run_in_background(window, lambda: 1, progress="正在测试…")
    assert quick.wait(5000)
    qtbot.wait(300)
    assert quick.progress_dialog is None

    release = threading.Event()
    slow = run_in_background(window, lambda: release.wait(10), progress="正在测试…")
    qtbot.wait(50)
    assert slow.progress_dialog is None  # not at once: a flash is worse than nothing
    qtbot.waitUntil(lambda: slow.progress_dialog is not None, timeout=3000)
    assert slow.progress_dialog.labelText() == "正在测试…"
    release.set()
    qtbot.waitUntil(lambda: slow.progress_dialog is None, timeout=5000)


def test_cancelling_the_progress_drops_the_outcome(qtbot, window, monkeypatch):
    monkeypatch.setattr(operations, "PROGRESS_DELAY_MS", 50)
    release = threading.Event()
    seen = []
    slow = run_in_background(window, lambda: release.wait(10), progress="正在确认…", success=seen.append)
    qtbot.waitUntil(lambda: slow.progress_dialog is not None, timeout=3000)
    cancel = slow.progress_dialog.findChild(QPushButton)
    assert cancel.text() == "取消"
    cancel.click()  # the window comes back at once
    assert slow.progress_dialog is None and slow.running
    release.set()
    assert slow.wait(5000)
    qtbot.wait(50)
    assert seen == [] and slow.progress_dialog is None


def test_closing_the_window_during_work_drops_its_callbacks(qtbot):
    release = threading.Event()
    seen = []
    widget = QWidget()
    operation = run_in_background(
        widget, lambda: release.wait(10) and "done", success=seen.append, failure=seen.append
    )
    widget.close()
    widget.deleteLater()
    qtbot.wait(50)  # the window is gone, its work still runs
    release.set()
    assert operation.wait(5000)
    qtbot.wait(50)
    assert seen == []


def test_shutdown_waits_then_abandons_what_still_runs(qtbot, window):
    quick_seen, slow_seen = [], []
    release = threading.Event()
    quick = run_in_background(window, lambda: time.sleep(0.1) or "quick", success=quick_seen.append)
    slow = run_in_background(window, lambda: release.wait(10), success=slow_seen.append)
    other = QWidget()
    qtbot.addWidget(other)
    elsewhere = run_in_background(other, lambda: release.wait(10))
    started = time.monotonic()
    assert operations.shutdown(owner=window, wait_ms=500) is False
    assert time.monotonic() - started < 3
    assert not quick.running and slow.running
    assert operations.running_operations() == [elsewhere]  # another window's work goes on
    release.set()
    assert slow.wait(5000) and elsewhere.wait(5000)
    qtbot.wait(50)
    assert slow_seen == []  # abandoned: nobody is told
    assert operations.running_operations() == []


def test_the_main_window_waits_for_its_work_before_the_store_closes(qtbot, session):
    from desktop.main_window import MainWindow

    session.store.add_branch("红星村党支部")
    window = MainWindow(session)
    qtbot.addWidget(window)
    release = threading.Event()
    operation = run_in_background(
        window, lambda store: release.wait(10) and store.branches(), store=session.store
    )
    threading.Timer(0.2, release.set).start()  # the event loop is blocked while closing
    assert window.shutdown()
    assert not operation.running


def test_a_failure_in_one_line_for_the_window():
    from forms.store import StoreError

    class Refused(Exception):
        message = "平台拒收"

    assert operations.failure_line(StoreError("磁盘已满 / disk full")) == "StoreError: 磁盘已满"
    assert operations.failure_line(Refused("details")) == "平台拒收"
    assert operations.failure_line(ValueError("x" * 400)) == ("ValueError: " + "x" * 400)[:300]


def test_an_operation_is_let_go_on_the_main_thread(qtbot, window):
    # Freed by its worker, an operation (and the widgets its callbacks hold) would be destroyed on
    # the wrong thread: a crash now and then. Many quick ones make the race likely.
    freed_on = []
    for _ in range(20):
        operation = run_in_background(window, lambda: None, success=lambda _r: window.isVisible())
        weakref.finalize(operation, lambda: freed_on.append(threading.current_thread()))
        operation.wait(5000)  # the outcome is in before the worker has returned
        del operation
    qtbot.waitUntil(lambda: len(freed_on) == 20, timeout=5000)
    assert set(freed_on) == {threading.main_thread()}
