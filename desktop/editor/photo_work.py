"""Photo work off the main thread for what is on screen now: thumbnails, a large view, a phone
photo's hashes. One worker thread per owner, newest request first (the rows just scrolled into
view before those scrolled past), a bounded queue, a stop flag; results come back as a signal.

Qt cannot decode HEIC and some builds leave out its image plugins, so pictures are decoded by
forms/photos (Pillow, HEIC through pi-heif), which also stands them upright by their EXIF; the
JPEG it hands back becomes a QImage here, still on the worker (a QImage, unlike a QPixmap, may be
made on any thread). The main thread turns it into a pixmap when the signal arrives.

The worker touches no Qt object: it leaves each result in the plain queue they share, and a timer
of the main thread hands the results out while work is under way. Emitting from the worker
instead would race the window being closed: the owner can be destroyed on the main thread in the
middle of the worker's emit.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

log = logging.getLogger("yici.photos")

MAX_WAITING = 64  # older requests beyond this are dropped: their rows have long scrolled away
HAND_OUT_EVERY_MS = 15  # how often the main thread takes the results (only while work is under way)


def upright_image(source: str | Path | bytes, side: int) -> QImage:
    """The photo (a file, or its bytes) standing upright, its longer side at most `side` pixels
    (any thread)."""
    from forms.photos import thumbnail  # Pillow: only once a photo is shown

    image = QImage.fromData(thumbnail(source, side))
    if image.isNull():
        raise ValueError("thumbnail could not be read back")
    return image


def stored_image(store: Any, sha256: str, side: int) -> QImage:
    """A photo of the data folder, decrypted in memory, as `upright_image` (any thread: the
    sealed file is read through a connection of its own). No plain copy touches the disk."""
    return upright_image(store.attachment_bytes(sha256), side)


class _Queue:
    """What the worker and the main thread share: the jobs waiting, the key in hand, the results
    not yet handed out, the stop flag (a plain object, so the worker never needs the QObject,
    which may be going away)."""

    def __init__(self) -> None:
        self.waiting: OrderedDict[Hashable, Callable[[], Any]] = OrderedDict()
        self.busy: set[Hashable] = set()
        self.results: deque[tuple[bool, Hashable, Any]] = deque()  # (done?, key, result or message)
        self.wake = threading.Condition()
        self.stopped = False

    def stop(self, *_args) -> None:
        with self.wake:
            self.stopped = True
            self.waiting.clear()
            self.wake.notify_all()


class PhotoWork(QObject):
    """Runs `job()` for each `request(key, job)` on one thread, the newest first; `done(key,
    result)` or `failed(key, message)` arrive on the main thread. A key asked for again while it
    waits or runs is not done twice. The thread ends when its parent goes (or on `stop()`)."""

    done = Signal(object, object)
    failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._queue = _Queue()
        self._thread: threading.Thread | None = None
        self._hand_out = QTimer(self)
        self._hand_out.setInterval(HAND_OUT_EVERY_MS)
        self._hand_out.timeout.connect(self._give_results)
        self.destroyed.connect(self._queue.stop)

    def request(self, key: Hashable, job: Callable[[], Any]) -> None:
        """Do `job` soon (before everything asked for earlier)."""
        queue = self._queue
        with queue.wake:
            if queue.stopped or key in queue.busy:
                return
            queue.waiting.pop(key, None)
            queue.waiting[key] = job
            while len(queue.waiting) > MAX_WAITING:
                queue.waiting.popitem(last=False)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, args=(queue,), name="yici-photos", daemon=True
                )
                self._thread.start()
            queue.wake.notify()
        if not self._hand_out.isActive():  # start() again would put its next look off
            self._hand_out.start()

    def pending(self, key: Hashable) -> bool:
        """Whether `key` waits or is being worked on."""
        with self._queue.wake:
            return key in self._queue.waiting or key in self._queue.busy

    def clear(self) -> None:
        """Drop everything still waiting (a new folder, a closed list)."""
        with self._queue.wake:
            self._queue.waiting.clear()

    def stop(self) -> None:
        """Drop what waits and end the thread after the job in hand; nothing more is reported."""
        self._queue.stop()
        self._hand_out.stop()

    def _give_results(self) -> None:
        """On the main thread: emit what the worker finished; rest when nothing is under way."""
        queue = self._queue
        while queue.results and not queue.stopped:
            ok, key, value = queue.results.popleft()
            (self.done if ok else self.failed).emit(key, value)
        if queue.stopped:
            return  # stopped, or destroyed by what a result set off: its timer may be gone
        with queue.wake:
            idle = not (queue.waiting or queue.busy or queue.results)
        if idle:
            self._hand_out.stop()

    # -- the worker thread: only the plain queue, never a Qt object -----------------------------
    @staticmethod
    def _run(queue: _Queue) -> None:
        while True:
            with queue.wake:
                while not queue.waiting and not queue.stopped:
                    queue.wake.wait()
                if queue.stopped:
                    return
                key, job = queue.waiting.popitem(last=True)
                queue.busy.add(key)
            try:
                outcome = (True, key, job())
            except Exception as exc:  # a damaged photo, a card pulled out: that row says so
                log.info("照片处理失败 / photo work failed: %s", exc)
                outcome = (False, key, str(exc))
            with queue.wake:
                # Left before the key stops being busy, so the main thread never sees it idle
                # with a result still to come.
                queue.results.append(outcome)
                queue.busy.discard(key)
