"""The backup files in <data_dir>/backups: what each one is (from its name), which automatic ones
rotation keeps, and the newest one that is sound enough to offer.

Names say what made a copy: `yici-auto-…` (daily, rolling), `yici-manual-…`, `yici-before-m00x-…`
(before a schema step), `yici-before-restore-…` and `yici-before-import-…`. A file gets its name
only after the copy was verified (forms/store/copies.py), so every named file was sound when made.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from forms.i18n import tr_noop
from forms.store.cipher import sqlite3
from forms.store.errors import BadDatabaseFile, NewerSchema
from forms.store.verify import Identity, check_database_file, connect_readonly, identity_of

BACKUP_FOLDER = "backups"
AUTO_LABEL = "auto"
# Rotation of automatic backups: the newest of each of the last 14 days, 8 weeks and 12 months.
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 14, 8, 12
_NAME = re.compile(r"^yici-(?P<label>.+?)-(?P<day>\d{8})-(?P<time>\d{6})(?:-\d+)?\.db$")
KIND_TITLES = {
    "auto": tr_noop("自动备份"),
    "manual": tr_noop("手动备份"),
    "before-restore": tr_noop("恢复前备份"),
    "before-import": tr_noop("导入前备份"),
    "before-migration": tr_noop("升级前备份"),
    "other": tr_noop("备份"),
}


@dataclass
class BackupInfo:
    """One backup file: where, what made it, when (from its name), and its size."""

    path: Path
    kind: str  # auto, manual, before-restore, before-import, before-migration, other
    made_at: str  # 'YYYY-MM-DD HH:MM:SS'
    size: int

    @property
    def day(self) -> dt.date:
        """The day it was made."""
        return dt.date.fromisoformat(self.made_at[:10])


def backup_folder(data_dir: str | Path) -> Path:
    """<data_dir>/backups."""
    return Path(data_dir) / BACKUP_FOLDER


def _kind(label: str) -> str:
    if label in ("auto", "manual", "before-restore", "before-import"):
        return label
    if label.startswith("before-m"):
        return "before-migration"
    return "other"


def list_backups(data_dir: str | Path) -> list[BackupInfo]:
    """Backups in the data folder, newest first."""
    out = []
    folder = backup_folder(data_dir)
    for path in folder.glob("yici-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is None:
            continue
        day, time = match["day"], match["time"]
        try:
            size = path.stat().st_size
        except OSError:
            continue  # removed meanwhile
        made_at = f"{day[:4]}-{day[4:6]}-{day[6:]} {time[:2]}:{time[2:4]}:{time[4:]}"
        try:
            dt.date.fromisoformat(made_at[:10])
        except ValueError:
            continue  # not a name Yici gave
        out.append(BackupInfo(path, _kind(match["label"]), made_at, size))
    return sorted(out, key=lambda b: (b.made_at, b.path.name), reverse=True)


def rotation_leftovers(
    autos: list[BackupInfo], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY
) -> list[BackupInfo]:
    """The automatic backups rotation deletes: all but the newest of each of the last `daily`
    days, `weekly` ISO weeks and `monthly` months that have one. The newest is always kept."""
    newest_first = sorted(autos, key=lambda b: (b.made_at, b.path.name), reverse=True)
    keep: set[Path] = set(b.path for b in newest_first[:1])
    for count, bucket in (
        (daily, lambda b: b.day),
        (weekly, lambda b: b.day.isocalendar()[:2]),
        (monthly, lambda b: (b.day.year, b.day.month)),
    ):
        seen: list = []
        for backup in newest_first:
            key = bucket(backup)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(backup.path)
    return [b for b in newest_first if b.path not in keep]


def identity_of_file(path: Path, key: bytes | None) -> Identity | None:
    """A database file's identity, or None when it cannot be read as one with `key`."""
    try:
        conn = connect_readonly(path, key)
    except sqlite3.Error:
        return None
    try:
        return identity_of(conn)
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def folder_key(data_dir: Path) -> bytes | None:
    """The data folder's key, unlocked now if this process has not yet (None when it cannot be)."""
    from forms.store.errors import KeyProblem  # here: keys imports the keyring, listing does not
    from forms.store.keys import unlock, unlocked

    try:
        return unlocked(data_dir) or unlock(data_dir)
    except KeyProblem:
        return None


def backup_is_sound(backup: BackupInfo, identity: Identity | None = None, key: bytes | None = None) -> bool:
    """The backup passes the integrity check, is a database this Yici can open with the folder's
    `key` (by default the key of the folder whose backups/ holds it) and (when `identity` is
    given) is a copy of this folder's database."""
    if backup.size == 0:
        return False
    if key is None:
        key = folder_key(backup.path.parent.parent)
    if identity is not None:
        found = identity_of_file(backup.path, key)
        if found is None or found.differs_from(identity):
            return False
    try:
        check_database_file(backup.path, structure=False, key=key)
    except (BadDatabaseFile, NewerSchema):
        return False
    return True


def newest_sound_backup(data_dir: str | Path, identity: Identity | None = None) -> BackupInfo | None:
    """The newest backup of this folder's database that passes the integrity check and looks
    like Yici's (same identity when `identity` is given), or None. The folder's key is the one
    this process has unlocked (a backup it cannot read is not offered)."""
    key = folder_key(Path(data_dir))
    return next((b for b in list_backups(data_dir) if backup_is_sound(b, identity, key)), None)
