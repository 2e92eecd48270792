"""The person at the laptop while Yici works in a platform's web form, answered by a dialog.

`DialogPerson` is the `Person` a run or the recipe tester talks to (sync/browser/session.py). It is
called on the worker thread: what it says and the pauses it asks for travel to the window as
queued signals, and a pause blocks the worker on an Event until the person presses 继续 or 停止.
`BrowserWorkDialog` is what the run and the tester dialogs share: the latest step in large text,
every line below it, a pause in a coloured panel with a big 继续, 停止, and a question before
closing in the middle of the work (which then stops cleanly before the dialog goes). While the
work runs the dialog is a bar at the bottom of the screen, above every window: the person works
in the browser, and the step and a pause's 继续 stay in sight without covering the top of the
page, where forms and captchas are.
"""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import errors
from desktop.failures import unexpected_message
from desktop.operations import Operation, failure_line, run_in_background
from desktop.questions import ask
from desktop.target_options import ERROR_COLOR, OK_COLOR
from desktop.window_size import FRAME_HEIGHT, FRAME_WIDTH, kept_under, screen_room

log = logging.getLogger(__name__)


class DialogPerson(QObject):
    """The run's Person: `say`, `pause` and `stopped` are called on the worker thread;
    `resume` and `stop` on the main thread, by the dialog's buttons."""

    said = Signal(str)
    paused = Signal(str)

    def __init__(self) -> None:
        super().__init__()  # no parent: the worker may still hold it when the dialog is gone
        self._stop = threading.Event()
        self._answer = threading.Event()
        self._lock = threading.Lock()  # a stop never falls between a pause's check and its wait

    # -- the worker thread's side ----------------------------------------------------------------
    def say(self, text: str) -> None:
        self.said.emit(text)

    def pause(self, text: str) -> bool:
        """Wait until the person pressed 继续 (True) or 停止 (False)."""
        with self._lock:
            if self._stop.is_set():
                return False
            self._answer.clear()
        self.paused.emit(text)
        self._answer.wait()
        return not self._stop.is_set()

    def stopped(self) -> bool:
        return self._stop.is_set()

    # -- the main thread's side ------------------------------------------------------------------
    def resume(self) -> None:
        self._answer.set()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            self._answer.set()


def coloured(text: str, ok: bool | None) -> str:
    """`text` as rich text in the pages' colour for good or bad news (None: neither)."""
    if ok is None:
        return html.escape(text).replace("\n", "<br>")
    color = OK_COLOR if ok else ERROR_COLOR
    return f'<span style="color:{color}">{html.escape(text)}</span>'.replace("\n", "<br>")


class BrowserWorkDialog(QDialog):
    """Work in the browser on a thread of its own, with a person answering; subclasses say what
    the work is (`work`, on the worker thread) and show what it found (`show_result`)."""

    work_ended = Signal()  # the work ended, however: lists showing deliveries may re-read

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.person: DialogPerson | None = None
        self.operation: Operation | None = None
        self._close_when_stopped = False
        self._working = False
        self._whole: QByteArray | None = None  # the dialog's place while it is a bar
        self._kept_as = ""
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.now = QLabel(self)
        self.now.setObjectName("browserNow")
        self.now.setWordWrap(True)
        self.now.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.now.hide()

        self.pause_panel = QFrame(self)
        self.pause_panel.setObjectName("pausePanel")
        self.pause_text = QLabel(self.pause_panel)
        self.pause_text.setObjectName("pauseText")
        self.pause_text.setWordWrap(True)
        self.continue_button = QPushButton(self.tr("继续"), self.pause_panel)
        self.continue_button.setObjectName("bigPrimary")
        self.continue_button.clicked.connect(self.resume)
        pause_box = QHBoxLayout(self.pause_panel)
        pause_box.addWidget(self.pause_text, 1)
        pause_box.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.pause_panel.hide()

        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.results = QVBoxLayout()  # what a subclass shows at the end

        self.start_button = QPushButton(self)
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("停止"), self)
        self.stop_button.setToolTip(self.tr("不再继续：还没提交的记录留待下次录入"))
        self.stop_button.clicked.connect(self.stop)
        self.close_button = QPushButton(self.tr("关闭"), self)
        self.close_button.clicked.connect(self.reject)
        for button in (self.start_button, self.stop_button, self.close_button):
            button.setAutoDefault(False)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        for button in (self.start_button, self.stop_button, self.close_button):
            self.buttons.addWidget(button)

        self.box = box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.now)
        box.addWidget(self.pause_panel)
        box.addWidget(self.log, 1)
        box.addWidget(self.outcome)
        box.addLayout(self.results, 2)
        box.addLayout(self.buttons)
        self._update_buttons()

    # -- what a subclass says ----------------------------------------------------------------------
    def make_work(self) -> Callable[[Any, DialogPerson], Any]:
        """The work as a function of the store and the person, run on the worker thread: it holds
        plain data only, never this dialog (no widget may be touched there)."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        """What the work found, on the main thread."""
        raise NotImplementedError

    # -- running -------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """From start until what the work found is shown (its thread ends a moment before)."""
        return self._working

    @property
    def stopping(self) -> bool:
        return self.running and self.person is not None and self.person.stopped()

    def start(self) -> bool:
        """Start the work on its own thread (not while it runs)."""
        if self.running:
            return False
        person = self.person = DialogPerson()
        person.said.connect(self._said, Qt.ConnectionType.QueuedConnection)
        person.paused.connect(self._paused, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:  # quitting stops the work: its browser closes, its ledger is kept
            app.aboutToQuit.connect(person.stop)
        self._working = True
        self.outcome.hide()
        self.log.appendPlainText("—" * 12)
        self.as_bar(True)
        self.say_now(self.tr("正在打开浏览器…"))
        work, store = self.make_work(), self.session.store
        self.operation = run_in_background(
            self,
            lambda: work(store, person),
            name="browser",
            success=self._ended,
            failure=self._broke,
        )
        self._update_buttons()
        return True

    def stop(self) -> None:
        """Ask the work to stop: a pause is answered 停止, a form waiting for submit is left."""
        if self.person is None or not self.running:
            return
        self.person.stop()
        self.pause_panel.hide()
        self.say_now(self.tr("正在停止，请稍候：当前这一步做完后关闭浏览器…"))
        self._update_buttons()
        self._dock()

    def resume(self) -> None:
        """The person did what the pause asked: the work goes on."""
        if self.person is not None:
            self.pause_panel.hide()
            self.log.appendPlainText(self.tr("（已继续）"))
            self.person.resume()
            self._dock()

    def say_now(self, text: str) -> None:
        """The step the work is at, large above the lines (none: the line is gone)."""
        self.now.setText(text)
        self.now.setVisible(bool(text))
        self._dock()

    def as_bar(self, bar: bool) -> None:
        """While the work runs (`bar`): only the step, a pause and 停止, at the bottom of the
        screen above every window; afterwards the whole dialog where it was."""
        if bar == (self._whole is not None):
            return
        if bar:  # the bar's place is never the one kept for next time
            self._whole, self._kept_as = self.saveGeometry(), kept_under(self)
            kept_under(self, "")
        else:
            self.restoreGeometry(self._whole or QByteArray())
            self._whole = None
            kept_under(self, self._kept_as)
        self.intro.setVisible(not bar)
        self.log.setVisible(not bar)
        shown = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, bar)
        if shown:
            self.show()
        self._dock()

    def _dock(self) -> None:
        """As a bar: as tall as it needs, most of the screen wide, at its bottom."""
        if self._whole is None:
            return
        room = screen_room(self)
        layout = self.box
        layout.activate()
        width = min(room.width() - FRAME_WIDTH, max(layout.minimumSize().width(), room.width() * 4 // 5))
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(width, height)
        self.move(room.left() + (room.width() - width) // 2, room.bottom() + 1 - height - FRAME_HEIGHT)

    @Slot(str)
    def _said(self, text: str) -> None:
        if not self.stopping:
            self.say_now(text)
        self.log.appendPlainText(text)

    @Slot(str)
    def _paused(self, text: str) -> None:
        if self.person is None or self.person.stopped():
            return
        self.pause_text.setText(text)
        self.pause_panel.show()
        self.say_now(self.tr("请按下面的提示在浏览器中操作"))
        self.log.appendPlainText(self.tr("等待您：{text}").format(text=text))
        # In sight above the browser, without taking the keys from it: the person may be about
        # to type a captcha there. The taskbar entry flashes.
        self.raise_()
        QApplication.alert(self)

    def _ended(self, result: Any) -> None:
        self._finish()
        self.show_result(result)
        self._after()

    def _broke(self, exc: BaseException) -> None:
        self._finish()
        # RunBusy, a browser that cannot start, a full disk: written for people already.
        message = getattr(exc, "message", None) or errors.user_message(exc)
        if message == unexpected_message(QCoreApplication.translate):
            message = self.tr(
                "出了意外的错误（{error}），详细情况已写入日志。请关闭这个窗口再试一次；"
                "如果反复出现，请联系技术人员。"
            ).format(error=failure_line(exc))
        self.say_outcome(str(message), ok=False)
        self._after()

    def _finish(self) -> None:
        self._working = False
        if self.person is not None:
            app = QCoreApplication.instance()
            if app is not None:
                try:
                    app.aboutToQuit.disconnect(self.person.stop)
                except (RuntimeError, TypeError):
                    pass
        self.pause_panel.hide()
        self.say_now("")
        self.as_bar(False)

    def _after(self) -> None:
        self._update_buttons()
        self.work_ended.emit()
        if self._close_when_stopped:
            self._close_when_stopped = False
            super().reject()

    def say_outcome(self, text: str, ok: bool | None) -> None:
        """The work's last word, large, in good or bad colours."""
        self.outcome.setText(coloured(text, ok))
        self.outcome.show()

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setVisible(not running and self.can_start())
        self.stop_button.setVisible(running)
        self.stop_button.setEnabled(running and not self.stopping)

    def can_start(self) -> bool:
        """Whether there is work to start now (a subclass may say no)."""
        return True

    # -- closing ---------------------------------------------------------------------------------
    def reject(self) -> None:
        """Close; in the middle of the work, ask first, stop it and close once it stopped."""
        if not self.running:
            super().reject()
            return
        if self.stopping or ask(
            self,
            self.windowTitle(),
            self.tr("浏览器中的工作还没有结束。要停止并关闭吗？还没提交的记录会留待下次录入。"),
        ):
            self._close_when_stopped = True
            self.stop()
