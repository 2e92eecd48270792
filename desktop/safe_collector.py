"""Python's cyclic garbage collector, run only where Qt is not in the middle of something.

Left to itself the collector runs whenever Python allocates enough, also inside a Qt call that
is walking widgets (a stylesheet change, a dialog being built) and calling back into Python.
If it then frees a cycle holding a closed window (a lambda connected to its own button is
enough), Qt is left holding a deleted widget and the process crashes. So, as Anki does, the
window turns automatic collection off and collects from a timer of the event loop, where no Qt
call is under way.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

COLLECT_EVERY_MS = 10_000


class SafeCollector(QObject):
    """Turns automatic collection off and collects every COLLECT_EVERY_MS from the event loop."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(COLLECT_EVERY_MS)

    def collect(self) -> int:
        """Collect now (the event loop calls this; so do tests between cases)."""
        return gc.collect()

    def stop(self) -> None:
        """Automatic collection back on (when the window has gone)."""
        self._timer.stop()
        gc.enable()
