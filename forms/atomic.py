"""The one way Yici replaces a file: after a power cut there is the old file or the whole new one.

Villages lose power; a half-written form, Excel import file, export or backup must never be
mistaken for a good one. Every file Yici writes in place goes through `write_atomically`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

Content = bytes | str | Callable[[Path], None]


def fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    fd = os.open(str(folder), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(dest: Path | str, content: Content, *, prefix: str = ".yici-") -> Path:
    """Write `content` to `dest` through a temporary file in the same folder and a rename.

    `content` is bytes, text (UTF-8, newlines kept as given) or a function that writes the
    temporary file at the path it is given (openpyxl, zipfile, sqlite3 backups). The temporary
    file is flushed to disk before the rename and removed if anything fails.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=dest.suffix + ".tmp", dir=dest.parent)
    tmp = Path(name)
    try:
        if callable(content):
            os.close(fd)
            fd = -1
            content(tmp)
            fd = os.open(str(tmp), os.O_RDWR)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, dest)
        fsync_folder(dest.parent)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return dest
