"""One sync at a time per data folder, across processes: an OS file lock.

The desktop app and `yici sync` may run on the same data folder. Only the holder of this lock
drains deliveries, and only the holder may call crash recovery (`sending` found while holding
the lock can only be left over from a process that died). The lock is an advisory lock on
`<data_dir>/.yici-sync.lock` (forms/file_lock.py: fcntl.flock on POSIX, msvcrt.locking on
Windows); the operating system releases it when the holding process ends, however it ends, so
a killed sync never leaves the folder locked. Two holders in one process also exclude each
other (each takes the lock on its own open file), so two threads cannot drain at once either.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from forms.file_lock import FileLock, try_lock_file
from forms.i18n import tr, tr_noop

LOCK_NAME = ".yici-sync.lock"

BUSY_MESSAGE = tr_noop(
    "另一个一次程序（桌面窗口或 `yici sync`）正在同步这个数据文件夹，请稍后再试。"
    " / Another Yici process is syncing this data folder; try again shortly."
)


class SyncBusy(Exception):
    """Another process (or thread) holds the sync lock of this data folder."""

    def __init__(self, message: str | None = None):
        message = message or tr(BUSY_MESSAGE)
        super().__init__(message)
        self.message = message


SyncLock = FileLock  # a held sync lock; `release()` (or leaving the `with`) lets the next process sync


def lock_path(data_dir: str | os.PathLike, name: str = LOCK_NAME) -> Path:
    """The lock file of a data folder (`name`: another lock of it, such as the browser's)."""
    return Path(data_dir) / name


def try_lock(data_dir: str | os.PathLike, name: str = LOCK_NAME) -> SyncLock | None:
    """The sync lock of `data_dir` (or its lock `name`) if nobody holds it now, else None
    (never waits)."""
    return try_lock_file(lock_path(data_dir, name))


@contextmanager
def sync_lock(data_dir: str | os.PathLike, *, timeout: float = 0.0, poll: float = 0.05) -> Iterator[SyncLock]:
    """Hold the sync lock of `data_dir` for the `with` block; waits up to `timeout` seconds,
    then raises SyncBusy (with a Chinese message) if another process still holds it."""
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        held = try_lock(data_dir)
        if held is not None:
            break
        if time.monotonic() >= deadline:
            raise SyncBusy()
        time.sleep(poll)
    try:
        yield held
    finally:
        held.release()
