"""Start the window: `yici` with no command calls `run()`.

The window appears first and the data folder opens a moment later: importing the store and the
form engine takes longer than showing a window, and people judge a program by when its window
appears. Order: the exception hook and log (nothing fails silently), language and font from the
small ui.json hint, the window's shell, then (in the event loop) the store, the rest of the
window, the first-run questions if needed and the data in the window; once the records are
painted, today's automatic backup, background delivery and the branches' due marks. Nothing
before the first paint imports forms/, sync/ or Qt's `Qt` enums; nothing before the records
are painted imports the delivery code (requests, keyring) or starts a thread.
"""

from __future__ import annotations

import signal
import sys
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

# isort: split
from desktop import errors, qt_bool_fix
from desktop.appearance import (
    DEFAULT_FONT_SIZE,
    apply_appearance,
    keep_window_places_in,
    read_ui_cache,
    write_ui_cache,
)
from desktop.i18n import DEFAULT_LANGUAGE, install_language
from desktop.safe_collector import SafeCollector
from desktop.single_instance import SingleInstance, bring_forward

if TYPE_CHECKING:
    from desktop.operations import Operation
    from desktop.session import Session

APP_NAME = "Yici"
# What title bars and the taskbar call the app. X11 and Windows add " — DISPLAY_NAME" to every
# window title that does not already end with it, so titles that name the app end with it.
DISPLAY_NAME = "Yici 一次"


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (created if needed) with Yici's names set."""
    qt_bool_fix.apply()  # before the first signal is emitted (harmless when not needed)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # High-DPI scale factors are not rounded: Qt 6's default (PassThrough), so not set here.
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("yici")  # Wayland/X11 match the window to yici.desktop and its icon
    return app


# The handlers replaced for SIGTERM/SIGINT, and the timer that lets them run.
Previous = list[tuple[signal.Signals, Any] | QTimer]


def _quit_on_termination(app: QApplication) -> Previous:
    """SIGTERM/SIGINT (logout, `kill`, Ctrl+C) leave the event loop, so the window closes and
    the store is closed normally. Returns the previous handlers, for `_restore_signals`."""
    previous: Previous = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous.append((sig, signal.getsignal(sig)))
        signal.signal(sig, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes; while Qt waits in C++ for events
    # none run. A do-nothing timer wakes the interpreter four times a second.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
    previous.append(timer)
    return previous


def _restore_signals(previous: Previous) -> None:
    for item in previous:
        if isinstance(item, QTimer):
            item.stop()
            item.deleteLater()
        else:
            signal.signal(*item)


def _apply(app: QApplication, language: str | None, font_size: str | None) -> None:
    install_language(app, language or DEFAULT_LANGUAGE)
    apply_appearance(app, font_size or DEFAULT_FONT_SIZE)
    if app.windowIcon().isNull():
        from desktop.main_window import app_icon

        app.setWindowIcon(app_icon())  # every window (dialogs too) takes it from here


def prepare(app: QApplication, session) -> None:
    """Apply this data folder's language and font size to the application."""
    store = session.store
    _apply(
        app,
        store.get_setting("language", DEFAULT_LANGUAGE),
        store.get_setting("font_size", DEFAULT_FONT_SIZE),
    )


def build_main_window(session):
    """The main window over `session` (not shown)."""
    from desktop.main_window import MainWindow

    return MainWindow(session)


class _AfterFirstPaint(QObject):
    """Calls `callback` once, right after `widget`'s first paint (or after a short wait)."""

    def __init__(self, widget, callback, wait_ms: int = 500):
        super().__init__(widget)
        # Weak: the widget owns this filter; a strong reference back to its owner's method would
        # be a cycle the garbage collector may break at any moment, deleting widgets under Qt.
        self._callback = weakref.WeakMethod(callback)
        self._done = False
        widget.installEventFilter(self)
        QTimer.singleShot(wait_ms, self._fire)  # a window that never paints (minimised) still opens

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self._done:
            QTimer.singleShot(0, self._fire)
        return False

    def cancel(self) -> None:
        self._done = True

    def _fire(self):
        callback = self._callback()
        if not self._done and callback is not None:
            self._done = True
            callback()


class Starter:
    """Shows the window shell, then opens the data folder from the event loop."""

    def __init__(self, app: QApplication, data_dir: Path, hook=None):
        from desktop.main_window import MainWindow

        self.app = app
        self.hook = hook
        self.data_dir = Path(data_dir)
        self.session: Session | None = None
        self.exit_code = 0
        self.recovery_box: QMessageBox | None = None  # the recovery key, until confirmed
        self.backup: Operation | None = None  # today's backup, once started
        self.hint = read_ui_cache(self.data_dir)
        keep_window_places_in(self.data_dir)  # windows open where they were left (ui.json)
        _apply(app, self.hint.get("language"), self.hint.get("font_size"))
        self.window = MainWindow()
        self.window.show()
        self._waiter = _AfterFirstPaint(self.window, self.open_data)
        self._background: _AfterFirstPaint | None = None

    def open_data(self) -> None:
        """Open the store, ask first-run questions if needed, fill in the window; once its records
        are painted, back the folder up and start delivering (`start_background`)."""
        from desktop.database_refused import ui_language
        from desktop.failures import one_language
        from forms.datafolder import folder_problem
        from forms.store import StoreError
        from sync.kinds import install as install_target_kinds  # after the first paint

        install_target_kinds()  # forms/ learns the target kinds (forms/target_kinds.py)
        problem = folder_problem(self.data_dir)  # a file, a system folder: nothing written there
        if problem:
            QMessageBox.critical(self.window, DISPLAY_NAME, one_language(problem, ui_language()))
            self.finish(1)
            return
        if self.hook is not None:
            try:
                self.hook.ensure_logging()
            except OSError as exc:
                QMessageBox.critical(
                    self.window,
                    DISPLAY_NAME,
                    QCoreApplication.translate(
                        "app", "无法在数据文件夹里写入日志：%1\n请检查文件夹是否可以写入（U盘是否写保护）。"
                    ).replace("%1", f"{self.data_dir}（{exc.strerror or exc}）"),
                )
                self.finish(1)
                return
        try:
            session = self._open_session()
        except StoreError as exc:
            errors.log.error("打开数据文件夹失败: %s", exc)
            QMessageBox.critical(self.window, DISPLAY_NAME, errors.user_message(exc) + "\n\n" + str(exc))
            self.finish(1)
            return
        if session is None:  # the database was refused and the person chose to quit
            self.finish(1)
            return
        self.session = session
        if session.store.new_recovery_key:  # not yet confirmed as written down: shown each start
            from desktop.data_key import show_recovery_key

            self.recovery_box = show_recovery_key(self.window, session.store.new_recovery_key, self.data_dir)
            session.store.new_recovery_key = None
        shown = self._follow_settings(session, self.hint.get("language"), self.hint.get("font_size"))
        self.window.build()  # the rest of the window, behind the first-run questions
        # The first-run dialog's module is heavy (rosters, platforms): imported only when needed.
        if not session.operator:
            from desktop.first_run import FirstRunDialog, needs_first_run

            if needs_first_run(session):
                # Today's backup first, as before any other change to the folder.
                self._start_daily_backup(session)
                if FirstRunDialog(session, self.window).exec() != QDialog.DialogCode.Accepted:
                    self.finish(0)
                    return
                self._follow_settings(session, *shown)  # a deployment profile may have set them
        self.window.attach(session, background=False)
        self._background = _AfterFirstPaint(self.window.table.viewport(), self.start_background)

    def start_background(self) -> None:
        """After the records are painted: today's backup, delivery and the branches' due marks
        (their imports and threads would otherwise hold up the first rows). Once."""
        if self._background is not None:
            self._background.cancel()
        if self.session is None or self.window.sync is not None:
            return
        if self.backup is None:
            self._start_daily_backup(self.session)
        self.window.start_background()

    def _open_session(self) -> Session | None:
        """The session, or None: a database that was refused (missing, emptied, another folder's,
        damaged) is never started again empty: the person may restore a backup, or quit."""
        from desktop.data_key import ask_recovery_key, passphrase_asker, wrong_key
        from desktop.database_refused import ask_to_restore
        from desktop.session import Session
        from forms.store import DatabaseRefused
        from forms.store.errors import KeyNeeded, WrongKey
        from forms.store.keys import key_file_path, set_asker

        set_asker(passphrase_asker(self.window))  # without a keyring, the data's passphrase
        while True:
            try:
                return Session.open(self.data_dir)
            except DatabaseRefused as exc:
                errors.log.error("数据文件被拒绝 / database refused: %s", exc)
                if not ask_to_restore(self.window, exc, self.data_dir):
                    return None
            except WrongKey as exc:  # nothing changed; never the same refusal over and over
                if exc.source == "keyring":  # this keyring's entry does not fit: the recovery key
                    if not ask_recovery_key(self.window, str(exc), self.data_dir):
                        return None
                elif not wrong_key(self.window, str(exc), can_retry=exc.source == "typed"):
                    return None  # a wrong passphrase file asks nothing: retrying cannot help
            except KeyNeeded as exc:
                if not key_file_path(self.data_dir).is_file():  # a new folder: no passphrase set
                    QMessageBox.critical(self.window, DISPLAY_NAME, str(exc))
                    return None
                if not ask_recovery_key(self.window, str(exc), self.data_dir):
                    return None

    def _start_daily_backup(self, session: Session) -> None:
        """Today's rolling copy, as a background operation: copying a large file takes seconds and
        the window must not freeze for it. The store copies through a connection of its own."""
        from desktop.operations import run_in_background
        from forms.store import check_and_back_up

        # No window as its parent: a language change replaces the window while the copy runs.
        # The quick check first: damage is told at once and never copied over good backups.
        self.backup = run_in_background(
            None, check_and_back_up, store=session.store, name="daily-backup", failure=_backup_failed
        )

    def _follow_settings(
        self, session: Session, language: str | None, font_size: str | None
    ) -> tuple[str, str]:
        """Apply the store's language and font size if they differ from those shown (from the
        ui.json hint); remember them for the next start. Returns them."""
        from desktop.main_window import MainWindow

        store = session.store
        wanted_language = store.get_setting("language", DEFAULT_LANGUAGE)
        wanted_size = store.get_setting("font_size", DEFAULT_FONT_SIZE)
        if wanted_language != (language or DEFAULT_LANGUAGE):
            # Widgets translate when built: a different language means a new window.
            _apply(self.app, wanted_language, wanted_size)
            old, self.window = self.window, MainWindow()
            self.window.restoreGeometry(old.saveGeometry())
            self.window.show()
            old.close()
            old.deleteLater()
        elif wanted_size != (font_size or DEFAULT_FONT_SIZE):
            apply_appearance(self.app, wanted_size)
        write_ui_cache(self.data_dir, wanted_size, wanted_language)
        return wanted_language, wanted_size

    def finish(self, code: int) -> None:
        """Close the window and leave the event loop with exit code `code`."""
        self.exit_code = code
        self.window.close()
        self.app.exit(code)

    def close(self) -> None:
        """Close the window, stop background work, then close the data folder."""
        if self._background is not None:
            self._background.cancel()  # nothing starts once closing has begun
        self.window.close()
        # Also when the window was closed before the data was in it (closing it again sends
        # no close event): editors saved, sync thread joined, timers stopped, background work
        # (today's backup) waited for a moment, then the store.
        self.window.shutdown()
        if self.session is not None:
            from desktop import operations

            operations.shutdown()
            self.session.close()


def _backup_failed(exc: BaseException) -> None:
    from forms.store import DatabaseDamaged, StoreError

    if isinstance(exc, DatabaseDamaged):
        from desktop.database_refused import tell_damage

        tell_damage(exc)
    elif isinstance(exc, (StoreError, OSError)):
        # A backup that cannot be made (full disk, read-only stick) must not stop the work.
        errors.log.warning("今天的自动备份没有做成 / daily backup failed: %s", exc)
    else:
        errors.show_error(None, exc)


def run(data_dir: Path | None = None) -> int:
    """Open the window on `data_dir` (default: forms.datafolder.resolve_data_dir); exit code."""
    qt_bool_fix.apply()  # first of all: PySide6 6.12 on Python 3.11 breaks on signal emits
    from forms.datafolder import resolve_data_dir

    app = application()
    data_dir = resolve_data_dir(data_dir)
    instance = SingleInstance(data_dir)
    if not instance.claim():  # another Yici has this folder: its window came forward instead
        return 0
    # The hooks first; the log file itself opens right after the first paint (Starter).
    hook = errors.install(data_dir, log_now=False)
    previous = _quit_on_termination(app)
    collector = SafeCollector(app)  # the collector never runs inside a Qt call
    starter = Starter(app, data_dir, hook)
    instance.activated.connect(lambda: bring_forward(starter.window))
    QTimer.singleShot(0, instance.listen)  # in the event loop: the window comes first
    try:
        code = app.exec()
        return code or starter.exit_code
    finally:
        starter.close()
        collector.stop()
        instance.release()
        _restore_signals(previous)
