"""A dialog nobody answers must fail its test, never hang the run.

Under offscreen Qt a modal dialog (`exec()`, `QMessageBox.question`, a popup menu) waits for a
click that never comes, and the whole test run stands still until CI gives up on it, with nothing
said. While a test runs, a timer on the main thread looks at the modal widget every second (timers
fire inside a dialog's own event loop too); one still open after STUCK_AFTER seconds is named and
closed, and the test fails with its title and text. Tests that answer their dialogs (a zero-delay
timer, a monkeypatched `exec`) never come near that long.
"""

from __future__ import annotations

import sys
import time

STUCK_AFTER = 45.0


class ModalWatch:
    """Started around one test phase; `stop()` returns what had to be closed, in words."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.closed: list[str] = []
        self._seen: tuple[int, float] | None = None  # (id of the widget, since when)
        self._timer = QTimer()
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    @classmethod
    def start(cls) -> ModalWatch | None:
        """A watch when this process has a QApplication (tests without Qt get none)."""
        widgets = sys.modules.get("PySide6.QtWidgets")
        has_app = widgets is not None and widgets.QApplication.instance() is not None
        return cls() if has_app else None

    def stop(self) -> list[str]:
        self._timer.stop()
        self._timer.deleteLater()
        return self.closed

    def _look(self) -> None:
        from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

        widget = QApplication.activeModalWidget() or QApplication.activePopupWidget()
        if widget is None:
            self._seen = None
            return
        now = time.monotonic()
        if self._seen is None or self._seen[0] != id(widget):
            self._seen = (id(widget), now)
            return
        if now - self._seen[1] < STUCK_AFTER:
            return
        words = f"{type(widget).__name__} “{widget.windowTitle()}”"
        if isinstance(widget, QMessageBox):
            words += f": {widget.text()} {widget.informativeText()}".rstrip()
        self.closed.append(words)
        self._seen = None
        if isinstance(widget, QDialog):
            widget.done(int(QDialog.DialogCode.Rejected))
        else:
            widget.close()
