"""Putting a backup back: check the file first (a sound Yici database, forms/store/verify.py), keep
what it replaces, and swap it in atomically, so a power cut leaves the old database or the new one.

What was there is backed up first (`yici-before-restore-…`); a file that was refused where the
database should be (missing, emptied, foreign, damaged) is moved aside into <data_dir>/replaced,
never deleted. The folder then remembers the restored database as its own. The records inside are
checked like typed input by forms/recovery.py, which passes that check in here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from forms.atomic import write_atomically
from forms.datafolder import folder_problem
from forms.i18n import tr
from forms.store import cipher, keys, marker
from forms.store.cipher import sqlite3
from forms.store.connection import DB_NAME, copy_database
from forms.store.core import Store
from forms.store.errors import BadDatabaseFile, DatabaseRefused, DataFolderProblem, StoreError
from forms.store.times import file_stamp, timestamp
from forms.store.verify import Identity, check_database_file, connect_readonly, identity_of

REPLACED_FOLDER = "replaced"


class RestoreRefused(StoreError):
    """The file cannot be restored (not a Yici database, damaged, newer, or the data is in use)."""


@dataclass
class DatabaseSummary:
    """What a database file holds, as told before and after a restore."""

    path: Path
    steps: list[str]
    branches: int
    records: int
    final: int


@dataclass
class RestoreResult:
    """What a restore did: the file restored, what the database now holds, the copy of what it
    replaced (None when there was no sound database), and where a refused file was moved."""

    source: Path
    contents: DatabaseSummary
    previous_backup: Path | None
    set_aside: Path | None = None
    recovery_key: str | None = None  # not yet confirmed as written down (a folder's first key)


def inspect_database(path: str | Path, key: bytes | None) -> DatabaseSummary:
    """Check that `path` is a sound Yici database this version can open with `key` (or a plain
    one from before encryption), and say what it holds. Raises RestoreRefused (or NewerSchema)
    with a Chinese message otherwise."""
    path = Path(path)
    try:
        facts = check_database_file(path, key=key)
    except BadDatabaseFile as exc:
        hint = tr("可用 `yici backup --list` 查看已有备份") if not path.is_file() else tr("请换一个备份文件")
        raise RestoreRefused(
            tr(
                "不能从这个文件恢复：{reason}：{path}。{hint}（通常在数据文件夹的 backups 中）。"
                " / Cannot restore from this file: not a sound Yici database."
            ).format(reason=exc.reason, path=path, hint=hint)
        ) from exc
    conn = connect_readonly(path, key)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

        def count(sql: str) -> int:
            return conn.execute(sql).fetchone()[0] if sql.split()[3] in tables else 0

        return DatabaseSummary(
            path,
            facts.steps,
            count("SELECT count(*) FROM branches"),
            count("SELECT count(*) FROM records"),
            count("SELECT count(*) FROM records WHERE status = 'final'"),
        )
    finally:
        conn.close()


def database_in_use(db_path: str | Path, key: bytes | None) -> bool:
    """True when another connection (another Yici window or command) has the database open.

    An exclusive lock in exclusive locking mode cannot be had while any other connection to a
    WAL database is open, even an idle one, so this finds idle windows too."""
    db_path = Path(db_path)
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return False
    conn = cipher.connect_file(db_path, key, mode="rw", timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
        return False
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return True
        raise
    except sqlite3.DatabaseError:
        return False  # not a database at all: nobody can have it open as one
    finally:
        conn.close()


def _set_aside(db_path: Path) -> Path | None:
    """Move a refused file (and its -wal/-shm) into <data_dir>/replaced; an empty one is removed."""
    if not db_path.exists():
        return None
    if db_path.stat().st_size == 0:
        db_path.unlink()
        return None
    folder = db_path.parent / REPLACED_FOLDER
    folder.mkdir(exist_ok=True)
    dest = folder / f"yici-{file_stamp()}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"yici-{file_stamp()}-{n}.db"
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{dest}{suffix}"))
    os.replace(db_path, dest)
    return dest


def _folder_id_of(data_dir: Path, db_path: Path, key: bytes) -> str | None:
    """This data folder's id, as its marker or (without one) its database knows it."""
    known = marker.read_marker(data_dir)
    if known is not None and known.identity.folder_id:
        return known.identity.folder_id
    try:
        conn = connect_readonly(db_path, key)
    except (OSError, sqlite3.DatabaseError):
        return None
    try:
        return identity_of(conn).folder_id
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def _keep_folder_id(copy: Path, folder_id: str | None, key: bytes) -> None:
    """The restored copy keeps this folder's id: keyring entries belong to a data folder, so a
    backup of another folder (or one made before folders had ids) must not bring that folder's
    secrets along, nor let a removal here delete them."""
    if not folder_id:
        return
    conn = cipher.connect(copy, key)
    try:
        with conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES ('data_folder_id', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [json.dumps(folder_id)],
            )
    finally:
        conn.close()


def restore(
    data_dir: str | Path,
    source: str | Path,
    *,
    check: Callable[[Path, bytes | None], None] | None = None,
    recovery_key: str | None = None,
) -> RestoreResult:
    """Replace the data folder's database with the backup `source`, after checking it (and
    calling `check(source, key)`, which raises to refuse) and backing up the current one. Refuses
    while the database is open elsewhere; a refusal changes nothing. The backup is one of this
    folder's (encrypted with its key) or a plain one from before encryption: it is encrypted
    on the way in. A backup copied elsewhere (`yici backup --to`) is opened by the key file beside
    it, with this keyring's entry or its folder's `recovery_key`, and re-encrypted with this
    folder's key."""
    data_dir = Path(data_dir)
    source = Path(source).expanduser()
    problem = folder_problem(data_dir)
    if problem:
        raise DataFolderProblem(problem)
    # A folder without a key gets one only once the backup has passed every check: a refused
    # restore leaves no key file behind (and no recovery key nobody saw).
    key = keys.unlock(data_dir) if keys.key_file_path(data_dir).is_file() else None
    source_key = keys.key_for_file(source, key, recovery_key)
    inspect_database(source, source_key)  # raises RestoreRefused when it is not a sound Yici database
    db_path = data_dir / DB_NAME
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise RestoreRefused(
            tr("不能用数据文件本身来恢复。请选择 backups 中的备份文件。 / That is the live database itself.")
        )
    if check is not None:
        check(source, source_key)
    if database_in_use(db_path, key):
        raise RestoreRefused(
            tr(
                "数据文件正在被使用：{db_path}。请先关闭一次的窗口和其他正在运行的 yici 命令"
                "（例如 `yici sync --watch`），然后再恢复。 / The database is in use; close Yici first."
            ).format(db_path=db_path)
        )
    if key is None:
        key = _make_key(data_dir)
    previous: Path | None = None
    set_aside: Path | None = None
    data_dir.mkdir(parents=True, exist_ok=True)
    if db_path.exists() and db_path.stat().st_size > 0:
        try:
            # Through the store, so the copy includes what still sits in the -wal file; closing
            # the last connection then checkpoints and removes the -wal.
            with Store.open(data_dir) as current:
                previous = current.backup("before-restore")
                current.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseRefused:
            previous = None  # missing, emptied, foreign or damaged: kept aside below, never lost

    own_folder_id = _folder_id_of(data_dir, db_path, key)

    def copy_in(partial: Path) -> None:
        nonlocal set_aside
        src = connect_readonly(source, source_key)
        try:
            copy_database(src, partial, key, source_key)
        finally:
            src.close()
        _keep_folder_id(partial, own_folder_id, key)
        check_database_file(partial, structure=False, key=key)
        # Checked again with the copy made, just before it replaces the file.
        if database_in_use(db_path, key):
            raise RestoreRefused(
                tr(
                    "恢复过程中数据文件被其他一次程序打开了，恢复已取消，数据没有改动。"
                    "请关闭其他一次程序后再试。 / The database was opened meanwhile; nothing changed."
                )
            )
        if previous is None:
            set_aside = _set_aside(db_path)
        # Stale -wal/-shm beside the new file would be replayed into it: remove them first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        # The folder remembers the restored database as its own before it is opened.
        conn = connect_readonly(partial, key)
        try:
            found = identity_of(conn)
        finally:
            conn.close()
        # Both databases are accepted until the swap is done: a power cut on either side of it
        # leaves a database the folder knows.
        before = marker.read_marker(data_dir)
        if before is None or before.identity == Identity():
            marker.write_marker(data_dir, marker.Marker(found, timestamp()))
        else:
            before.restoring = found
            marker.write_marker(data_dir, before)

    write_atomically(db_path, copy_in, prefix=".restore-")
    done = marker.read_marker(data_dir)
    if done is not None and done.restoring is not None:
        done.identity, done.restoring, done.damage, done.damage_found_at = done.restoring, None, [], ""
        marker.write_marker(data_dir, done)
    # Opening brings an older backup up to date (with its own pre-migration backup).
    Store.open(data_dir).close()
    return RestoreResult(
        source,
        inspect_database(db_path, key),
        previous,
        set_aside,
        keys.unconfirmed_recovery_key(data_dir, key),
    )


def _make_key(data_dir: Path) -> bytes:
    """The key of a folder restored into for the first time, made under the folder's key lock
    (or the one another process made meanwhile)."""
    with keys.folder_lock(data_dir):
        if keys.key_file_path(data_dir).is_file():
            return keys.unlock(data_dir)
        return keys.create(data_dir).key
