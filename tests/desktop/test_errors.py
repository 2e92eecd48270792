"""The global exception hook: saves drafts, logs, shows a copyable dialog, never recurses."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QApplication

import desktop.errors as errors
from forms.store import StoreCorrupt, StoreFull, StoreLocked


@pytest.fixture
def hook(tmp_path, monkeypatch):
    shown = []

    def fake_exec(dialog):
        shown.append(dialog)
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", fake_exec)
    h = errors.install(tmp_path / "data")
    h.shown = shown
    yield h
    h.uninstall()
    errors._hook = None


def _raise(exc):
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


def test_hook_writes_the_log_and_shows_the_dialog(hook, tmp_path):
    assert sys.excepthook == hook.excepthook
    sys.excepthook(*_raise(ValueError("坏了 boom")))
    log = (tmp_path / "data" / "logs" / "yici.log").read_text(encoding="utf-8")
    assert "ValueError: 坏了 boom" in log and "Traceback" in log
    [dialog] = hook.shown
    assert "ValueError: 坏了 boom" in dialog.details.toPlainText()
    assert str(tmp_path / "data" / "logs") in dialog.details.toPlainText()
    dialog.copy_details()
    assert "坏了 boom" in QApplication.clipboard().text()


def test_open_drafts_are_saved_first(hook, monkeypatch):
    order = []

    class Editor:
        def save_now(self):
            order.append("saved")

    class Broken:
        def save_now(self):
            raise OSError("disk")

    import desktop.editor.record_editor as record_editor

    monkeypatch.setattr(record_editor, "open_editors", lambda: [Editor(), Broken(), Editor()])
    monkeypatch.setattr(errors, "log", _Recorder(order, errors.log))
    sys.excepthook(*_raise(RuntimeError("x")))
    assert order[:2] == ["saved", "saved"]  # both good editors saved, the broken one skipped
    assert hook.shown


class _Recorder:
    """Wraps the logger to note when the traceback is logged."""

    def __init__(self, order, log):
        self.order, self.log = order, log

    def error(self, *args, **kwargs):
        self.order.append("logged")
        self.log.error(*args, **kwargs)

    def exception(self, *args, **kwargs):
        self.log.exception(*args, **kwargs)


def test_a_failing_dialog_does_not_recurse(tmp_path, monkeypatch):
    calls = []

    def failing_exec(dialog):
        calls.append(1)
        raise RuntimeError("the dialog itself broke")

    monkeypatch.setattr(errors.ErrorDialog, "exec", failing_exec)
    h = errors.install(tmp_path / "data")
    try:
        sys.excepthook(*_raise(ValueError("first")))
    finally:
        h.uninstall()
        errors._hook = None
    assert calls == [1]
    log = (tmp_path / "data" / "logs" / "yici.log").read_text(encoding="utf-8")
    assert "first" in log and "the dialog itself broke" in log


def test_same_error_repeating_shows_one_dialog(hook):
    exc_info = _raise(ValueError("again"))
    sys.excepthook(*exc_info)
    sys.excepthook(*exc_info)
    assert len(hook.shown) == 1


def test_worker_thread_errors_reach_the_main_thread(hook, qtbot, tmp_path):
    def work():
        raise KeyError("in a worker")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(hook.shown) == 1, timeout=2000)
    assert "in a worker" in hook.shown[0].details.toPlainText()


def test_store_errors_have_clear_chinese_messages():
    assert "占用" in errors.user_message(StoreLocked("locked"))
    assert "损坏" in errors.user_message(StoreCorrupt("bad"))
    assert "磁盘空间已满" in errors.user_message(StoreFull("full"))
    assert "意外" in errors.user_message(ValueError("x"))
