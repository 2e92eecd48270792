"""An exclusive lock on a file, across processes: fcntl.flock on POSIX, msvcrt.locking on Windows.

The operating system releases it when the holding process ends, however it ends, so a killed
process never leaves a lock behind. Two holders in one process also exclude each other (each
takes the lock on its own open file). Used for a data folder's sync lock (sync/lock.py), for
making a folder's data key and encrypting it (forms/store/connection.py), and for the private
temporary folders of photo copies (forms/store/attachments.py).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

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


class FileLock:
    """A held lock; `release()` (or leaving the `with`) lets the next holder have it."""

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

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        try:
            self.release()
        except Exception:
            pass


def try_lock_file(path: str | os.PathLike) -> FileLock | None:
    """The lock of the file `path` (made if missing) if nobody holds it now, else None."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Nothing is ever written to the file; it only has to exist. Python's descriptors are not
    # inherited, so a child process does not keep it.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if _try(fd):
            return FileLock(path, fd)
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def lock_file(path: str | os.PathLike, *, timeout: float, poll: float = 0.05) -> FileLock | None:
    """The lock of `path`, waiting up to `timeout` seconds for another holder; None if it did not
    come free in that time."""
    deadline = time.monotonic() + max(0.0, timeout)
    while True:
        held = try_lock_file(path)
        if held is not None or time.monotonic() >= deadline:
            return held
        time.sleep(poll)
