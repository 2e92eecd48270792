"""Delivering in the background: one worker thread runs the engine; the window hears signals.

`SyncController` is what the main window holds. It owns a `SyncWorker` living in its own QThread,
starts a run when a record becomes final, every couple of minutes, when the network comes back
and when someone clicks "立即同步", and turns the store's counts into one line of status
(sync_state.py says what that line reads).
One run at a time: a trigger during a run is remembered and runs once more afterwards.
No widget is touched from the worker; results travel back as signals. The worker is a service
that lives as long as the window, not a one-shot job, so it keeps a thread of its own instead of
going through desktop/operations.py: the engine and its HTTP connections stay in it between runs.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from desktop import qt_bool_fix
from desktop.network_watch import NetworkWatch
from desktop.sync_state import UNSET, SyncState, read_state, status_of

if TYPE_CHECKING:
    from sync.engine import Deliverer

log = logging.getLogger(__name__)

AUTO_INTERVAL_MS = 2 * 60 * 1000  # automatic retry timer (backoff still decides what goes)
KICK_DELAY_MS = 1500  # after a record becomes final: gather a burst of finalizations
MIN_DUE_WAIT_MS = 5000  # never wake up for a due delivery sooner than this
STOP_WAIT_MS = 8000  # closing the app waits this long for a request in flight

_active: weakref.ref[SyncController] | None = None


def active_controller() -> SyncController | None:
    """The running controller of this app, so record editors can listen without wiring."""
    controller = _active() if _active is not None else None
    return controller


class SyncWorker(QObject):
    """Runs `Deliverer.run` in the worker thread; reports through signals only."""

    started = Signal(int)  # 1 when a person asked (bool across threads trips a PySide refcount bug)
    finished = Signal(object)  # sync.engine.Summary
    failed = Signal(str)  # a message for the operator (details are in the log)

    def __init__(self, store, stop: threading.Event, deliverer_factory: Callable | None = None):
        super().__init__()
        self.store = store
        self._stop = stop
        self._factory = deliverer_factory
        self._deliverer: Deliverer | None = None

    def _make(self):
        if self._factory is not None:
            return self._factory(self.store)
        from sync.engine import Deliverer  # requests, truststore: loaded off the main thread

        return Deliverer(self.store)

    @Slot(int)
    def run(self, manual: int) -> None:
        """One run of the engine; never raises."""
        self.started.emit(manual)
        try:
            if self._deliverer is None and self._factory is None and not self.store.targets():
                # No platform set up: nothing to deliver, so the engine's modules (HTTP, TLS,
                # keyring: ~20 MB) stay unloaded until a platform is added.
                from sync.report import Summary

                self.finished.emit(Summary())
                return
            if self._deliverer is None:
                self._deliverer = self._make()
            # The engine recovers interrupted `sending` deliveries itself, under the data
            # folder's sync lock, so a `yici sync` running beside the window is never disturbed.
            summary = self._deliverer.run(manual=bool(manual), stop=self._stop)
        except Exception as exc:  # noqa: BLE001 - anything at all becomes a message, never a crash
            log.exception("sync run failed")
            self.failed.emit(f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        self.finished.emit(summary)

    @Slot()
    def close(self) -> None:
        """Close the engine's HTTP connections (in the worker thread that used them)."""
        http = getattr(self._deliverer, "http", None)
        try:
            if http is not None and hasattr(http, "close"):
                http.close()
        except Exception:  # noqa: BLE001 - closing sockets at exit is best effort
            log.exception("closing HTTP connections failed")


class SyncController(QObject):
    """Background delivery for the main window: start(), stop(), sync_now(), two signals."""

    status_changed = Signal(str, str)  # text, level (ok / offline / attention / busy)
    deliveries_changed = Signal()  # a run ended or a person changed a delivery
    run_failed = Signal(str)  # the worker broke; shown in the status line too
    township_changed = Signal()  # the hub's pull brought forms or branches: read them again

    _run = Signal(int)  # to the worker: manual (int, see SyncWorker.started)
    _kicked = Signal()  # from the store's finalize hook, queued

    def __init__(
        self,
        session,
        parent: QObject | None = None,
        *,
        deliverer_factory: Callable | None = None,
        watch: NetworkWatch | None = None,
        interval_ms: int = AUTO_INTERVAL_MS,
    ):
        super().__init__(parent)
        qt_bool_fix.apply()  # this class emits on every run, for as long as the app is open
        self.session = session
        self.store = session.store
        self._stop = threading.Event()
        self._factory = deliverer_factory
        self._watch = watch
        self._interval_ms = interval_ms
        self._thread: QThread | None = None
        self._worker: SyncWorker | None = None
        self._running = False
        self._again: bool | None = None  # None: nothing queued; else `manual` of the run to come
        self._unreachable = False
        self._other_process = False
        self._error: str | None = None
        self._started = False
        self.last_summary = None
        self.runs = 0  # finished runs (tests and diagnostics)
        self._timer = QTimer(self)
        self._timer.timeout.connect(lambda: self.request(manual=False))
        self._kick_timer = QTimer(self, singleShot=True, interval=KICK_DELAY_MS)
        self._kick_timer.timeout.connect(lambda: self.request(manual=False))
        self._kicked.connect(self._on_kicked, Qt.ConnectionType.QueuedConnection)
        # When the engine says the next delivery falls due before the timer, wake up then.
        self._due_timer = QTimer(self, singleShot=True)
        self._due_timer.timeout.connect(lambda: self.request(manual=False))
        self.state = SyncState()
        self.status = ("", UNSET)

    # -- life -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread, the timer and the network watch; run once now."""
        global _active
        if self._started:
            return
        self._started = True
        self._stop.clear()
        self._thread = QThread()
        self._thread.setObjectName("yici-sync")
        self._worker = SyncWorker(self.store, self._stop, self._factory)
        self._worker.moveToThread(self._thread)
        self._run.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        # `finished` is emitted by the ending thread itself: close its HTTP sockets there.
        self._thread.finished.connect(self._worker.close, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()
        if self._watch is None:
            self._watch = NetworkWatch(self)
        self._watch.regained.connect(self._on_network_back)
        self._watch.changed.connect(self.refresh)
        if self._interval_ms > 0:
            self._timer.start(self._interval_ms)
        self.store.on_final_hooks.append(self._on_final)
        _active = weakref.ref(self)
        self.refresh()
        self.request(manual=False)

    def stop(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Stop triggers, ask a run in progress to finish, and join the thread. True if joined."""
        global _active
        if not self._started:
            return True
        self._started = False
        self._stop.set()
        self._timer.stop()
        self._kick_timer.stop()
        self._due_timer.stop()
        self._again = None
        if self._on_final in self.store.on_final_hooks:
            self.store.on_final_hooks.remove(self._on_final)
        if self._watch is not None:  # start() connects them again
            for signal, slot in (
                (self._watch.regained, self._on_network_back),
                (self._watch.changed, self.refresh),
            ):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        if _active is not None and _active() is self:
            _active = None
        thread, self._thread = self._thread, None
        if thread is None:
            return True
        thread.quit()
        joined = thread.wait(wait_ms)
        if not joined:
            # A request is still in flight (its timeout has not come). Keep the thread object
            # alive: destroying a running QThread aborts the process. Next start's recovery
            # settles whatever was `sending`.
            log.warning("sync thread still busy after %d ms; leaving it to finish", wait_ms)
            _LINGERING.append(thread)
        return joined

    @property
    def running(self) -> bool:
        """A run is in progress now."""
        return self._running

    @property
    def watch(self) -> NetworkWatch | None:
        """The network watch that restarts delivery when the network comes back."""
        return self._watch

    # -- triggers -------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """ "立即同步": try everything pending now, ignoring backoff from network failures."""
        if self._started and self._error:
            self._error = None
        self.request(manual=True)

    def request(self, manual: bool) -> None:
        """Start a run, or remember one for when the current run ends."""
        if not self._started or self._thread is None:
            return
        if self._running:
            self._again = bool(manual or self._again)
            return
        self._running = True
        self.refresh(emit_changed=False)
        self._run.emit(1 if manual else 0)

    def _on_network_back(self) -> None:
        # The network may be back: backoff left from network failures no longer means anything.
        self._unreachable = False
        self.request(manual=True)

    def _on_final(self, db, record) -> None:
        # Inside the store's finalize transaction: only schedule, never touch the store here.
        self._kicked.emit()

    def _on_kicked(self) -> None:
        self.refresh()
        self._kick_timer.start()

    # -- results --------------------------------------------------------------------------------
    def _on_finished(self, summary) -> None:
        self._running = False
        self.runs += 1
        self.last_summary = summary
        self._error = None
        self._other_process = bool(getattr(summary, "busy", False))
        reports = list(getattr(summary, "targets", {}).values())
        answered = sum(r.delivered + r.failed + r.written for r in reports)
        retrying = sum(r.retrying for r in reports)
        if answered or retrying:
            # Only a run that tried something tells us about the network.
            self._unreachable = retrying > 0 and answered == 0
        pulled = getattr(summary, "pulled", None)
        if pulled is not None and (pulled.forms or pulled.branches or pulled.reset):
            if pulled.forms and self.session.catalog_read:
                self.session.catalog.reload()  # the forms the township published, installed
            self.township_changed.emit()
        self._schedule(getattr(summary, "next_due_at", None))
        self._after_run()

    def _schedule(self, next_due_at: float | None) -> None:
        if next_due_at is None or not self._started:
            return
        wait_ms = int(max(MIN_DUE_WAIT_MS, (next_due_at - time.time()) * 1000))
        if self._interval_ms <= 0 or wait_ms < self._interval_ms:
            self._due_timer.start(min(wait_ms, 24 * 3600 * 1000))

    def _on_failed(self, message: str) -> None:
        self._running = False
        self.runs += 1
        self._error = message
        self.run_failed.emit(message)
        self._after_run()

    def _after_run(self) -> None:
        if not self._started:
            return  # stopped while the run finished: the store may be closing, leave it be
        self.refresh()
        if self._again is not None and self._started:
            manual, self._again = self._again, None
            self.request(manual)

    def refresh(self, emit_changed: bool = True) -> None:
        """Re-read the counts, emit the status, and (by default) tell views deliveries changed."""
        try:
            state = read_state(self.store)
        except Exception:  # noqa: BLE001 - a closed or locked store must not break the window
            log.exception("reading delivery counts failed")
            state = SyncState(targets=self.state.targets)
        state.running = self._running
        state.error = self._error
        state.other_process = self._other_process
        online = self._watch.online if self._watch is not None else None
        state.offline = online is False or self._unreachable
        self.state = state
        self.status = status_of(state)
        self.status_changed.emit(*self.status)
        if emit_changed:
            self.deliveries_changed.emit()


# Threads that were still finishing a request when the app stopped them (see stop()).
_LINGERING: list[QThread] = []
