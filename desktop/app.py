"""Start the window: `yici` with no command calls `run()`.

The window appears first and the data folder opens a moment later: importing the store and the
form engine takes longer than showing a window, and people judge a program by when its window
appears. Order: the exception hook and log (nothing fails silently), language and font from the
small ui.json hint, the empty window, then (in the event loop) the store, the first-run
questions if needed, and the data in the window.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop import errors
from desktop.i18n import DEFAULT_LANGUAGE, install_language
from desktop.settings_dialog import (
    DEFAULT_FONT_SIZE, apply_appearance, read_ui_cache, write_ui_cache,
)

APP_NAME = "Yici"


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (created if needed) with Yici's names set."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Yici 一次")
    app.setOrganizationName(APP_NAME)
    return app


def _apply(app: QApplication, language: str | None, font_size: str | None) -> None:
    install_language(app, language or DEFAULT_LANGUAGE)
    apply_appearance(app, font_size or DEFAULT_FONT_SIZE)
    from desktop.main_window import app_icon
    app.setWindowIcon(app_icon())


def prepare(app: QApplication, session) -> None:
    """Apply this data folder's language and font size to the application."""
    store = session.store
    _apply(app, store.get_setting("language", DEFAULT_LANGUAGE),
           store.get_setting("font_size", DEFAULT_FONT_SIZE))


def build_main_window(session):
    """The main window over `session` (not shown)."""
    from desktop.main_window import MainWindow
    return MainWindow(session)


class _AfterFirstPaint(QObject):
    """Calls `callback` once, right after the window's first paint (or after a short wait)."""

    def __init__(self, window, callback):
        super().__init__(window)
        self._callback = callback
        self._done = False
        window.installEventFilter(self)
        QTimer.singleShot(500, self._fire)  # a window that never paints (minimised) still opens

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self._done:
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self):
        if not self._done:
            self._done = True
            self._callback()


class Starter:
    """Shows the window shell, then opens the data folder from the event loop."""

    def __init__(self, app: QApplication, data_dir: Path, hook=None):
        from desktop.main_window import MainWindow
        self.app = app
        self.hook = hook
        self.data_dir = Path(data_dir)
        self.session = None
        self.exit_code = 0
        self.hint = read_ui_cache(self.data_dir)
        _apply(app, self.hint.get("language"), self.hint.get("font_size"))
        self.window = MainWindow()
        self.window.show()
        self._waiter = _AfterFirstPaint(self.window, self.open_data)

    def open_data(self) -> None:
        """Open the store; first run if needed; put the data in the window."""
        from desktop.first_run import FirstRunDialog, needs_first_run
        from desktop.main_window import MainWindow
        from desktop.session import Session
        from forms.store import StoreError
        if self.hook is not None:
            try:
                self.hook.ensure_logging()
            except OSError as exc:
                QMessageBox.critical(self.window, APP_NAME, QCoreApplication.translate(
                    "app", "无法在数据文件夹里写入日志：%1\n请检查文件夹是否可以写入（U盘是否写保护）。")
                    .replace("%1", f"{self.data_dir}（{exc.strerror or exc}）"))
                self.finish(1)
                return
        try:
            self.session = Session.open(self.data_dir)
        except StoreError as exc:
            errors.log.error("打开数据文件夹失败: %s", exc)
            QMessageBox.critical(self.window, APP_NAME, errors.user_message(exc) + "\n\n" + str(exc))
            self.finish(1)
            return
        store = self.session.store
        language = store.get_setting("language", DEFAULT_LANGUAGE)
        font_size = store.get_setting("font_size", DEFAULT_FONT_SIZE)
        if language != (self.hint.get("language") or DEFAULT_LANGUAGE):
            # Widgets translate when built: a different language means a new window.
            _apply(self.app, language, font_size)
            old, self.window = self.window, MainWindow()
            self.window.setGeometry(old.geometry())
            self.window.show()
            old.close()
            old.deleteLater()
        elif font_size != (self.hint.get("font_size") or DEFAULT_FONT_SIZE):
            apply_appearance(self.app, font_size)
        write_ui_cache(self.data_dir, font_size, language)
        if needs_first_run(self.session):
            if FirstRunDialog(self.session, self.window).exec() != QDialog.DialogCode.Accepted:
                self.finish(0)
                return
        self.window.attach(self.session)

    def finish(self, code: int) -> None:
        self.exit_code = code
        self.window.close()
        self.app.exit(code)

    def close(self) -> None:
        self.window.close()  # stops its timers before the store closes
        if self.session is not None:
            self.session.close()


def run(data_dir: Path | None = None) -> int:
    """Open the window on `data_dir` (default: forms.datafolder.resolve_data_dir); exit code."""
    from forms.datafolder import resolve_data_dir

    app = application()
    data_dir = resolve_data_dir(data_dir)
    # The hooks first; the log file itself opens right after the first paint (Starter).
    hook = errors.install(data_dir, log_now=False)
    starter = Starter(app, data_dir, hook)
    try:
        code = app.exec()
        return code or starter.exit_code
    finally:
        starter.close()
