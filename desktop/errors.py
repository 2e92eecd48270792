"""The last line of defence: an unexpected error saves what is being typed, is logged, and shown.

`install(data_dir)` sets `sys.excepthook` and `threading.excepthook`. On an error it
1. saves every open record editor's draft (the record being typed is not lost),
2. writes the traceback to `<data_dir>/logs/yici.log` (rotating),
3. shows a dialog in plain Chinese with the details to copy for whoever helps.
It never recurses: an error while handling an error is only logged (or printed).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from pathlib import Path

# Not `Qt`: its first use builds ~100 enums; the hook is installed before the first paint.
from PySide6.QtCore import QCoreApplication, QLocale, QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from desktop import failures
from desktop.window_size import fit_window

log = logging.getLogger("yici")

_LOG_BYTES = 1_000_000
_LOG_BACKUPS = 5
_REPEAT_SECONDS = 5.0
# The file handler's name: a second install replaces it instead of doubling every line.
_HANDLER_NAME = "yici-log-file"


def setup_logging(data_dir: Path) -> Path:
    """Send the `yici` logger to a rotating file in `<data_dir>/logs/`; return the file path."""
    import logging.handlers  # here, not at the top: it pulls in socket (~15 ms before first paint)

    logs = Path(data_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / "yici.log"
    for handler in list(log.handlers):
        if handler.get_name() == _HANDLER_NAME:
            log.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=_LOG_BYTES, backupCount=_LOG_BACKUPS, encoding="utf-8"
    )
    handler.set_name(_HANDLER_NAME)
    from forms.secrecy import MaskingFormatter  # tokens inside URLs never reach a log

    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def user_message(exc: BaseException | None) -> str:
    """What went wrong, for the person at the laptop, in the UI language, with what to do next."""
    english = QLocale().language() == QLocale.Language.English
    return failures.user_message(
        exc, window=True, translate=QCoreApplication.translate, language="en" if english else "zh"
    ) or failures.unexpected_message(QCoreApplication.translate)


def _is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "database or disk is full" in text


class ErrorDialog(QDialog):
    """A plain message plus copyable details (the traceback and the log path)."""

    def __init__(self, message: str, details: str, parent=None):
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QDialogButtonBox,
            QLabel,
            QPlainTextEdit,
            QPushButton,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.setWindowTitle(self.tr("出错了"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        text = QLabel(message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(160)
        copy = QPushButton(self.tr("复制详细信息(&C)"))
        copy.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        fit_window(self, "error", 620, 380)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class _Bridge(QObject):
    """Carries an error from a worker thread to the main thread (widgets live there)."""

    report = Signal(object, object, object)


class ExceptionHook:
    """The installed hook; one per process. `handle` is safe to call from any thread."""

    def __init__(self, data_dir: Path, *, log_now: bool = True):
        self.data_dir = Path(data_dir)
        self.log_path = self.data_dir / "logs" / "yici.log"
        self._logging_ready = False
        if log_now:
            self.ensure_logging()
        self._handling = False
        self._last_details, self._last_time = "", 0.0
        self.last_dialog: ErrorDialog | None = None
        self._bridge = _Bridge()
        # Only worker threads emit it, so the automatic connection is a queued one.
        self._bridge.report.connect(self._report)
        self._previous = (sys.excepthook, threading.excepthook)

    def ensure_logging(self) -> Path:
        """Open the rotating log file (once). The app does it right after the first paint."""
        if not self._logging_ready:
            self.log_path = setup_logging(self.data_dir)
            self._logging_ready = True
        return self.log_path

    def install(self) -> ExceptionHook:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, exc_type, exc, tb) -> None:
        """Save open drafts, log, then show the dialog (drafts and dialog on the main thread)."""
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        app = QApplication.instance()
        if app is None or threading.current_thread() is not threading.main_thread():
            # Widgets (editors, dialogs) may only be touched on the main thread.
            self._log(exc_type, exc, tb)
            if app is not None:
                self._bridge.report.emit(exc_type, exc, details)  # queued to the main thread
            return
        self._report(exc_type, exc, details, tb=tb)

    def _report(self, exc_type, exc, details: str, tb=None) -> None:
        if self._handling:
            # The dialog or a draft save failed while we were handling an error: log only.
            self._log(exc_type, exc, None, note="（处理错误时又出错）")
            return
        now = time.monotonic()
        if details == self._last_details and now - self._last_time < _REPEAT_SECONDS:
            # The same error again at once (e.g. from a paint event): one dialog is enough.
            if tb is not None:
                self._log(exc_type, exc, tb, note="（重复）")
            return
        self._last_details, self._last_time = details, now
        self._handling = True
        try:
            saved = save_open_drafts()  # first: whatever else fails, the typing is kept
            if tb is not None:
                self._log(exc_type, exc, tb)
            self._show(exc, details, saved)
        except BaseException as second:  # noqa: BLE001 - must never escape the hook
            self._log(type(second), second, second.__traceback__, note="（错误对话框失败）")
        finally:
            self._handling = False

    def _show(self, exc, details: str, saved: int) -> None:
        from forms.secrecy import mask_url_secrets  # details get copied into chats: no tokens

        details = mask_url_secrets(details) + f"\n日志 / log: {self.log_path}\n"
        if saved:
            details += f"已保存草稿 / drafts saved: {saved}\n"
        message = user_message(exc)
        if isinstance(exc, Exception) and _is_disk_full(exc):
            message = user_message(OSError(28, "disk full"))
        dialog = ErrorDialog(message, details, QApplication.activeWindow())
        self.last_dialog = dialog
        dialog.exec()

    def _log(self, exc_type, exc, tb, note: str = "") -> None:
        try:
            self.ensure_logging()
            log.error("未处理的错误%s / unhandled error", note, exc_info=(exc_type, exc, tb))
        except Exception:  # logging itself failed (disk full): stderr is all that is left
            traceback.print_exception(exc_type, exc, tb)


def save_open_drafts() -> int:
    """Ask every open record editor to save now; return how many saved. Never raises."""
    try:
        from desktop.editor.record_editor import open_editors
    except Exception:  # the editor package is optional while it is being built
        return 0
    saved = 0
    try:
        editors = list(open_editors())
    except Exception:
        log.exception("列出打开的编辑窗口失败")
        return 0
    for editor in editors:
        try:
            editor.save_now()
            saved += 1
        except Exception:
            log.exception("保存草稿失败 / saving a draft failed")
    return saved


_hook: ExceptionHook | None = None


def install(data_dir: Path, *, log_now: bool = True) -> ExceptionHook:
    """Install the global exception hooks, logging to `<data_dir>/logs/` (opened at once, or
    with `log_now=False` at the first error or `ensure_logging()`)."""
    global _hook
    if _hook is not None:
        _hook.uninstall()
    _hook = ExceptionHook(data_dir, log_now=log_now).install()
    return _hook


def show_error(parent, exc: BaseException) -> None:
    """Show a handled error (e.g. a StoreError from a button) without a traceback dialog."""
    from PySide6.QtWidgets import QMessageBox

    log.warning("%s: %s", type(exc).__name__, exc)
    QMessageBox.warning(parent, QApplication.translate("errors", "无法完成"), user_message(exc))
