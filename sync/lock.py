"""One sync at a time per data folder, across processes: an OS file lock.

The desktop app and `yici sync` may run on the same data folder. Only the holder of this lock
drains deliveries, and only the holder may call crash recovery (`sending` found while holding
the lock can only be left over from a process that died). The lock is an advisory lock on
`<data_dir>/.yici-sync.lock` (fcntl.flock on POSIX, msvcrt.locking on Windows); the operating
system releases it when the holding process ends, however it ends, so a killed sync never
leaves the folder locked. Two holders in one process also exclude each other (each takes the
lock on its own open file), so two threads cannot drain at once either.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


# sys.platform rather than os.name: the same test, and one the type checker understands.
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte at offset 0 is the lock
        except OSError:
            return False
        return True

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class SyncLock:
    """A held sync lock; `release()` (or leaving the `with`) lets the next process sync."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _release(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> SyncLock:
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        try:
            self.release()
        except Exception:
            pass


def lock_path(data_dir: str | os.PathLike, name: str = LOCK_NAME) -> Path:
    """The lock file of a data folder (`name`: another lock of it, such as the browser's)."""
    return Path(data_dir) / name


def try_lock(data_dir: str | os.PathLike, name: str = LOCK_NAME) -> SyncLock | None:
    """The sync lock of `data_dir` (or its lock `name`) if nobody holds it now, else None
    (never waits)."""
    path = lock_path(data_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Nothing is ever written to the file; it only has to exist. O_NOINHERIT-like behaviour
    # comes from Python's non-inheritable descriptors: a child process does not keep it.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if _try(fd):
            return SyncLock(path, fd)
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


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
