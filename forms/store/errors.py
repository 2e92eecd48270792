"""The store's errors, and the one translation of SQLite errors into them.

Everything the store raises for a reason a user can act on is a `StoreError` whose message says,
in Chinese first and English after, what happened and what to do next. `guarded` wraps every
public store method: one caller at a time, and SQLite's errors come out as StoreErrors.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from forms.i18n import tr
from forms.store.cipher import sqlite3


class StoreError(Exception):
    """A problem with the local data, told in Chinese (English after) with what to do next."""


class NewerSchema(StoreError):
    """The data file was written by a newer Yici: this version must not touch it."""


class StoreLocked(StoreError):
    """Another process holds the database for longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The file is not a SQLite database, or it is damaged."""


class StoreFull(StoreError):
    """The disk is full; the write did not happen."""


class NotFound(StoreError):
    """No such record, branch, member or attachment."""


class NotAllowed(StoreError):
    """The step is not allowed for this record or value (e.g. deleting a final record)."""


class DataFolderProblem(StoreError):
    """The data folder cannot be used: it is a file, unreadable, a system folder, or (for a
    command that only reads) not there at all. Nothing was created or changed."""


class DatabaseRefused(StoreError):
    """Where this data folder's database was, there is none (`kind` "missing"), an empty file
    ("empty"), another database ("foreign") or a damaged one ("damaged"). It is never replaced
    silently: `backup` is the newest backup of this folder that passes the integrity check (None
    when there is none) and `backup_time` when it was made."""

    needs_attention = True  # the command line exits 4

    def __init__(
        self,
        message: str,
        *,
        kind: str = "foreign",
        database: Path | None = None,
        backup: Path | None = None,
        backup_time: str = "",
    ):
        super().__init__(message)
        self.kind = kind  # missing, empty, foreign, damaged
        self.database = database
        self.backup = backup
        self.backup_time = backup_time


class DatabaseDamaged(DatabaseRefused, StoreCorrupt):
    """The integrity check found damage inside the database: no backup is made from it."""


class KeyProblem(StoreError):
    """The data folder's key cannot be had here, or does not fit: nothing was opened or changed.
    The message says what opens it (the keyring, the passphrase, the recovery key)."""

    needs_attention = True  # the command line exits 4


class KeyNeeded(KeyProblem):
    """Nothing on this computer opens the folder yet: the recovery key (or passphrase) is needed."""


class WrongKey(KeyProblem):
    """A key, passphrase or recovery key was given and does not fit this data folder. `source`:
    "keyring" (this computer's keyring entry), "passphrase-file" (the file YICI_PASSPHRASE_FILE
    names), "typed" (a passphrase a person typed) or "" (a recovery key)."""

    def __init__(self, message: str, source: str = ""):
        super().__init__(message)
        self.source = source


class BackupKeyNeeded(KeyNeeded):
    """A backup copied from another laptop (or folder) needs that folder's recovery key."""


class BackupKeyWrong(WrongKey):
    """The recovery key given does not fit the backup being restored."""


class BadDatabaseFile(StoreError):
    """A file offered as a Yici database (a backup, a restore, an export's snapshot) is not a
    sound one; `reason` says why in a short Chinese phrase."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DamagedFile(BadDatabaseFile):
    """The file is a SQLite database that fails the integrity check."""


def translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """A StoreError for errors users can act on; None for programming errors (re-raised)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    backups = path.parent / "backups"
    if code in (5, 6) or "locked" in text or "busy" in text:
        return StoreLocked(
            tr(
                "数据库被占用：另一个一次程序或同步任务正在写入。请稍等几秒再试；如果一直如此，"
                "请关闭其他打开同一数据文件夹的一次窗口或命令。"
                " / The database is locked by another Yici process; wait a moment and try again."
            )
        )
    if code == 13 or "disk is full" in text:
        return StoreFull(
            tr(
                "磁盘空间已满，这一步没有保存。请清理磁盘（或换一个数据文件夹）后再试。"
                " / The disk is full; nothing was saved. Free some space and try again."
            )
        )
    if code in (11, 26) or "not a database" in text or "malformed" in text:
        return StoreCorrupt(
            tr(
                "数据文件已损坏或不是一次的数据库：{path}。请不要继续使用它：从 {backups} "
                "中的备份恢复，或联系技术人员。"
                " / The data file is damaged or not a Yici database: {path}. Restore a backup."
            ).format(path=path, backups=backups)
        )
    if code == 8 or "readonly" in text or "read-only" in text:
        return StoreError(
            tr(
                "数据文件是只读的，无法保存：{path}。请检查文件夹权限，或U盘是否设置了写保护。"
                " / The data file is read-only; check folder permissions."
            ).format(path=path)
        )
    if code == 14 or "unable to open" in text:
        return StoreError(
            tr(
                "无法打开数据文件：{path}。请检查数据文件夹是否存在、是否可以写入。"
                " / Cannot open the data file; check the data folder."
            ).format(path=path)
        )
    if code == 10 or "disk i/o" in text:
        return StoreError(
            tr(
                "读写数据文件出错：{path}。如果数据在U盘上，请确认U盘没有被拔出，然后重新打开一次。"
                " / Disk I/O error; check the drive and reopen Yici."
            ).format(path=path)
        )
    return None


@contextmanager
def translating(path: Path) -> Iterator[None]:
    """Inside: a SQLite error users can act on leaves as the matching StoreError."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = translate(exc, path)
        if mapped is None:
            raise
        raise mapped from exc


class _Guardable(Protocol):
    path: Path
    _lock: threading.RLock


Method = TypeVar("Method", bound=Callable)


def guarded(method: Method) -> Method:
    """Serialise calls (one connection, one writer) and turn sqlite errors into StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: _Guardable, *args, **kwargs):
        # `translating` spelt out: this runs on every store call, and a generator-based
        # context manager would cost more than many of the queries it wraps.
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                mapped = translate(exc, self.path)
                if mapped is None:
                    raise
                raise mapped from exc

    return wrapper  # type: ignore[return-value]
