"""Background work for the window: run one piece of work off the main thread, hear back on it.

In the spirit of Anki's `QueryOp`: `run_in_background(parent, work, *data, store=..., success=...,
failure=...)` runs `work(store, *data)` on a thread of its own and then calls `success(result)` or
`failure(error)` on the main thread, where widgets live. Without a `failure` callback the error goes
to the error dialog (`errors.show_error`). The data is deep-copied before the thread sees it, so the
window may go on changing its own; the store is the one object shared as it is (it locks).
With `progress=` a small progress dialog appears only if the work takes longer than
PROGRESS_DELAY_MS. `shutdown()` waits a little for running work, then abandons it: its callbacks
never run and its thread ends on its own.

Work runs on a daemon Python thread, not a QThread: a QThread destroyed while it runs aborts the
process, and a thread pool waits for every task when it is destroyed, so one hanging request would
hold up quitting. A daemon thread left running is simply dropped when the program exits.
Short reads for the screen (branch marks, record counts) stay on the main thread in slices
between events, like most database work: only work that may take seconds comes here. Delivery has
its own long-lived worker (sync_worker.py).
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop import errors

log = logging.getLogger("yici.operations")

PROGRESS_DELAY_MS = 600  # quick work shows no progress at all: a flash is worse than nothing
SHUTDOWN_WAIT_MS = 3000  # closing waits this long for running work, then abandons it

# Operations whose outcome has not been delivered yet (found by shutdown()).
_running: set[Operation] = set()
# Every operation until its thread has ended and said so on the main thread. The last reference to
# a QObject must go on its own thread: freed by the worker, it (and the widgets its callbacks hold)
# would be destroyed on the wrong thread.
_alive: set[Operation] = set()


class Operation(QObject):
    """One piece of work on its own thread; `success` or `failure` is called on the main thread."""

    _ended = Signal()  # emitted by the worker thread, delivered queued on the main thread

    def __init__(
        self,
        parent: QWidget | None,
        work: Callable[..., Any],
        *data: Any,
        store: Any = None,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        progress: str | None = None,
        name: str = "work",
    ):
        # No Qt parent: the operation outlives a closed window until its thread has ended.
        super().__init__()
        self.parent_widget: QWidget | None = parent
        self.name = name
        self._work = work
        self._args = (store, *copy.deepcopy(data)) if store is not None else copy.deepcopy(data)
        self._success = success
        self._failure = failure
        self._progress_label = progress
        self._progress: QProgressDialog | None = None
        self._progress_timer: QTimer | None = None
        self._thread: threading.Thread | None = None
        self._ended_event = threading.Event()
        self._delivered = False
        self._abandoned = False
        self.result: Any = None
        self.error: BaseException | None = None
        self._ended.connect(self._on_ended)

    # -- the main thread's side ---------------------------------------------------------------
    def start(self) -> Operation:
        """Start the work on its thread (once); returns the operation."""
        if self._thread is not None:
            return self
        _running.add(self)
        _alive.add(self)
        self._thread = threading.Thread(target=self._run, name=f"yici-{self.name}", daemon=True)
        self._thread.start()
        if self._progress_label is not None:
            self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
            self._progress_timer.timeout.connect(self._show_progress)
            self._progress_timer.start()
        return self

    @property
    def running(self) -> bool:
        """The work has started and not ended yet."""
        return self._thread is not None and not self._ended_event.is_set()

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The progress dialog while it is shown, else None."""
        return self._progress

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Block until the work ended (at most `timeout_ms`), then run its callback now.
        True if it ended. Call on the main thread only: the callbacks run here."""
        timeout = None if timeout_ms is None else max(0.0, timeout_ms / 1000)
        if not self._ended_event.wait(timeout):
            return False
        self._deliver()
        return True

    def abandon(self) -> None:
        """Never call back (the window is closing); the work still runs to its end."""
        self._abandoned = True
        self._close_progress()
        _running.discard(self)
        self.parent_widget = self._success = self._failure = None

    @Slot()
    def _on_ended(self) -> None:
        self._deliver()
        # After its last signal the thread only returns; once it has, no reference to this
        # operation is left on it and the main thread may let it go.
        if self._thread is not None:
            self._thread.join()
        _alive.discard(self)

    def _deliver(self) -> None:
        if self._delivered or not self._ended_event.is_set():
            return
        self._delivered = True
        _running.discard(self)
        self._close_progress()
        parent, success, failure = self.parent_widget, self._success, self._failure
        # Hold no window past this point, whatever keeps the operation itself.
        self.parent_widget = self._success = self._failure = None
        if self._abandoned or (parent is not None and not shiboken6.isValid(parent)):
            return  # its window is gone: nothing left to tell
        if self.error is None:
            if success is not None:
                success(self.result)
        elif failure is not None:
            failure(self.error)
        else:
            errors.show_error(parent, self.error)

    def _show_progress(self) -> None:
        parent, label = self.parent_widget, self._progress_label
        if not self.running or self._abandoned or (parent is not None and not shiboken6.isValid(parent)):
            return
        if label is None:  # the timer runs only for work started with a progress label
            return
        dialog = QProgressDialog(label, self.tr("取消"), 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        # Cancelling gives the window back; the work cannot be stopped, its outcome is dropped.
        dialog.canceled.connect(self.abandon)
        dialog.show()
        self._progress = dialog

    def _close_progress(self) -> None:
        if self._progress_timer is not None and shiboken6.isValid(self._progress_timer):
            self._progress_timer.stop()
        dialog, self._progress = self._progress, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.canceled.disconnect(self.abandon)
            dialog.close()
            dialog.deleteLater()

    # -- the worker thread's side: touches no widget, only its own result and error -----------
    def _run(self) -> None:
        try:
            self.result = self._work(*self._args)
        except BaseException as exc:  # noqa: BLE001 - anything at all comes back as a failure
            log.warning("后台操作失败 / background work %s failed", self.name, exc_info=True)
            # Keep the work's frames but not this one: it holds `self`, and a reference cycle
            # through it would be freed by whichever thread next collects garbage.
            self.error = exc.with_traceback(exc.__traceback__.tb_next if exc.__traceback__ else None)
        finally:
            self._ended_event.set()
            try:
                self._ended.emit()
            except RuntimeError:
                pass  # the Qt side is gone (the program is quitting): nobody is listening


def run_in_background(
    parent: QWidget | None,
    work: Callable[..., Any],
    *data: Any,
    store: Any = None,
    success: Callable[[Any], None] | None = None,
    failure: Callable[[BaseException], None] | None = None,
    progress: str | None = None,
    name: str = "work",
) -> Operation:
    """Start `work(store, *copies of data)` on its own thread; see the module docstring."""
    return Operation(
        parent, work, *data, store=store, success=success, failure=failure, progress=progress, name=name
    ).start()


def running_operations(owner: QObject | None = None) -> list[Operation]:
    """Operations not delivered yet (all, or those whose parent is `owner` or inside it)."""
    found = []
    for operation in list(_running):
        if owner is None or _inside(operation.parent_widget, owner):
            found.append(operation)
    return found


def shutdown(owner: QObject | None = None, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
    """Wait up to `wait_ms` for running work (all, or `owner`'s), then abandon whatever still
    runs. True if every one had ended. Safe to call again."""
    operations = running_operations(owner)
    deadline = time.monotonic() + wait_ms / 1000
    for operation in operations:
        operation._ended_event.wait(max(0.0, deadline - time.monotonic()))
    ended = all(operation._ended_event.is_set() for operation in operations)
    for operation in operations:
        if not operation._ended_event.is_set():
            log.warning("后台操作 %s 仍在进行，放弃等待 / abandoned while still running", operation.name)
        operation.abandon()
    return ended


def failure_line(exc: BaseException) -> str:
    """One line saying why background work broke, for a status line beside the button."""
    # Our own errors carry a message written for people; others get their type too.
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    return str(message).split(" / ")[0][:300]


def _inside(widget: QObject | None, owner: QObject) -> bool:
    while widget is not None and shiboken6.isValid(widget):
        if widget is owner:
            return True
        widget = widget.parent()
    return False
