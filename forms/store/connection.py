"""The store's one connection: opening the file, its pragmas, schema steps, the one-writer lock.

Opening creates the data folder if needed, never replaces a database that was there (a missing,
emptied, foreign or damaged file is refused, forms/store/marker.py), refuses a file written by a
newer Yici, and backs the file up before any schema step. A backup counts only once the copy has
passed the integrity check. Every store method runs under `_lock` (one caller at a time on the one
connection) and every write is one short `_write` transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Self

from forms.atomic import write_atomically
from forms.i18n import tr
from forms.migrations import known_names, migration_set
from forms.store import cipher, keys, marker
from forms.store.backup_files import BACKUP_FOLDER
from forms.store.cipher import sqlite3
from forms.store.errors import (
    BadDatabaseFile,
    DataFolderProblem,
    NewerSchema,
    StoreError,
    translate,
    translating,
)
from forms.store.rows import Record
from forms.store.times import file_stamp
from forms.store.verify import check_database_file, steps_of

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

DB_NAME = "yici.db"
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024

Hook = Callable[["Database", Record], None]


def copy_database(source: sqlite3.Connection, dest: Path, key: bytes, source_key: bytes | None) -> None:
    """Write one consistent snapshot of `source` (opened with `source_key`) into the new file
    `dest`, encrypted with `key`, as one self-contained file: reading it later, even read-only,
    leaves no -wal or -shm beside it. SQLite's backup API copies pages, so only between the same
    key; otherwise (a plain backup being restored, an export's passphrase) it is exported."""
    if source_key != key:
        cipher.export_encrypted(source, dest, key)
        return
    out = cipher.connect(dest, key)
    try:
        source.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()


class Connection:
    """The open database of one data folder. `Store` adds its methods on top of this.

    `on_final_hooks`: callables `(db, record)` run inside the transaction that makes a record
    final or corrects it, so work they queue commits or rolls back with the record.
    `on_void_hooks`: the same, inside the transaction that voids a record.
    """

    def __init__(self, data_dir: str | Path, *, create: bool = True):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.on_final_hooks: list[Hook] = []
        self.on_void_hooks: list[Hook] = []
        self._lock = threading.RLock()
        self._db: Database | None = None
        # The recovery key while the person has not confirmed writing it down (a new folder, one
        # just upgraded to encryption): the shells show it at every start until they do.
        self.new_recovery_key: str | None = None
        self.key_made_now = False  # this opening made (or finished making) the folder's key
        try:
            found = keys.read_key_file(self.data_dir) if self.data_dir.is_dir() else None
            # Unlocked before anything else: even a refusal offers backups, which need the key.
            key: bytes | None = keys.unlock(self.data_dir) if found is not None else None
            fresh = marker.prepare_folder(self.data_dir, self.path, create=create)
            self.data_dir.mkdir(parents=True, exist_ok=True)
            plain = not fresh and cipher.is_plain(self.path)
            if plain:  # from before encryption: it must be this folder's, sound, before anything
                self._check_plain()
            if (key is None and fresh) or plain or (found is not None and found.plain_left):
                key = self._set_up_key(key, fresh)
                self.key_made_now = True
            elif key is None and marker.read_marker(self.data_dir) is None:
                what = tr(
                    "{db_path} 不是一次的数据库（不是 SQLite 数据库文件，旁边也没有一次的钥匙文件）。"
                    "一次不会使用或覆盖它。"
                ).format(db_path=self.path)
                raise marker.refusal(self.data_dir, "foreign", what)
            elif key is None:
                key = keys.unlock(self.data_dir)  # says the key file is missing
            self.key: bytes = key
            self.new_recovery_key = keys.unconfirmed_recovery_key(self.data_dir, key)
        except OSError as exc:
            raise DataFolderProblem(
                tr(
                    "无法创建或读取数据文件夹：{data_dir}（{strerror}）。"
                    "请换一个可以写入的位置，或检查文件夹权限。 / Cannot create or read the data folder."
                ).format(data_dir=self.data_dir, strerror=exc.strerror or exc)
            ) from exc
        # Never made here by accident: a file that should exist is opened without "create".
        mode = "rwc" if fresh else "rw"
        try:
            conn = cipher.connect(
                self.path, self.key, mode=mode, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise translate(exc, self.path) or StoreError(str(exc)) from exc
        self.conn = conn  # reads; writes go through `db`, schema steps through sqlite-utils
        try:
            remembered = None if fresh else marker.check_database(conn, self.data_dir, self.path)
            self._configure()
            self._migrate()
            marker.remember_database(self.data_dir, conn, remembered)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                mapped = translate(exc, self.path)
                if mapped is not None:
                    raise mapped from exc
            raise

    def _set_up_key(self, key: bytes | None, fresh: bool) -> bytes:
        """Make the folder's key (a new folder, one from before encryption) and encrypt what is
        still plain, holding the folder's key lock: another process opening the folder at the
        same moment waits, then finds the key file this one wrote and uses that key."""
        with keys.folder_lock(self.data_dir):
            found = keys.read_key_file(self.data_dir)  # read again: made meanwhile?
            if key is None and found is not None:
                key = keys.unlock(self.data_dir)
            plain = not fresh and cipher.is_plain(self.path)
            if key is None:
                key = keys.create(self.data_dir, plain_left=plain).key
                found = keys.read_key_file(self.data_dir)
            if plain or (found is not None and found.plain_left):
                from forms.store.encrypting import encrypt_folder  # only ever once per folder

                encrypt_folder(self.data_dir, key)
        return key

    def _check_plain(self) -> None:
        """A database still plain is checked as any opening checks it (marker.check_database)
        before it is encrypted: a stranger's file is refused, never encrypted in place."""
        try:
            plain = cipher.connect(self.path, None, mode="rw")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) or StoreError(str(exc)) from exc
        try:
            marker.check_database(plain, self.data_dir, self.path)
        finally:
            plain.close()

    @classmethod
    def open(cls, data_dir: str | Path, *, create: bool = True) -> Self:
        """Open the store in `data_dir`, bringing its schema up to date. A new folder gets a new
        database; without `create` (commands that only read) a folder with no data is refused."""
        return cls(data_dir, create=create)

    @property
    def db(self) -> Database:
        """The store's statements over the connection (store/sql.py: sqlite-utils's `execute`
        and `atomic`, without importing sqlite-utils, which the window would carry for nothing)."""
        if self._db is None:
            from forms.store.sql import Sql

            self._db = Sql(self.conn)
        return self._db

    @db.setter
    def db(self, db: Database) -> None:  # tests stand in a failing one
        self._db = db

    def _configure(self) -> None:
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")  # villages lose power
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # SQLCipher decrypts a page each time it enters SQLite's own cache (the system's file
        # cache holds only encrypted pages), so the cache is what keeps the records table's
        # counts and pages quick: 32 MiB instead of 8, filled only as pages are read.
        self.conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

    def _migrate(self) -> None:
        known = known_names()
        applied = steps_of(self.conn) or []
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise NewerSchema(
                tr(
                    "这个数据文件由更新版本的一次写入（包含本版本不认识的结构步骤：{unknown}），"
                    "为避免损坏数据，本版本不会打开它：{path}。请先升级一次到最新版本。"
                    " / This data file was written by a newer Yici; please upgrade Yici to open it."
                ).format(unknown=", ".join(unknown), path=self.path)
            )
        if set(known) <= set(applied):
            return  # the usual case, read without sqlite-utils
        from sqlite_utils import Database as SqliteUtils  # its migrations run the steps

        db = SqliteUtils(self.conn, execute_plugins=False)
        migrations = migration_set()
        pending = migrations.pending(db)
        if not pending:
            return
        if applied:  # a database with data: copied before it changes
            self._backup_to(f"yici-before-{pending[0].name}")
        migrations.apply(db)

    def _backup_to(self, stem: str) -> Path:
        """Copy the database to `<data_dir>/backups/<stem>-<time>.db` and return that path."""
        folder = self.data_dir / BACKUP_FOLDER
        folder.mkdir(exist_ok=True)
        stamp = file_stamp()
        target = folder / f"{stem}-{stamp}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{stamp}-{n}.db"

        def copy(partial: Path) -> None:
            # From a connection of its own: a reader in WAL mode, so a large file can be backed
            # up on another thread while this store goes on writing (no store lock held).
            source = self._reader()
            try:
                copy_database(source, partial, self.key, self.key)
            finally:
                source.close()
            self._verify_copy(partial)

        # A half-written or damaged backup never looks like a backup: the name appears only
        # when the copy is complete and has passed the integrity check.
        return write_atomically(target, copy, prefix=".backup-")

    def _reader(self) -> sqlite3.Connection:
        """A connection of its own to this database (a reader in WAL mode), opened with its key."""
        return cipher.connect(self.path, self.key, timeout=BUSY_TIMEOUT_MS / 1000)

    def _verify_copy(self, partial: Path, key: bytes | None = None) -> None:
        """Check a fresh copy of this database (encrypted with `key`, by default the folder's) as
        a backup must be (integrity check, the schema its steps make); damage found is remembered
        by the folder and refused."""
        try:
            check_database_file(partial, structure=False, key=key or self.key)
        except (BadDatabaseFile, NewerSchema) as exc:
            what = tr(
                "备份时发现数据库文件 {path} 已损坏或结构异常（{exc}）。这次没有备份，原有的备份都保留着。"
            ).format(path=self.path, exc=exc)
            raise marker.damaged(self.data_dir, what, [str(exc)]) from exc
        finally:
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{partial}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        """Close the database (after letting SQLite refresh its query statistics)."""
        with self._lock:
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass  # closing must not fail because statistics could not be saved
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """One short write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
        second process waits (busy timeout) instead of failing halfway through a step;
        inside an open transaction (e.g. a hook calling back in) it nests as a savepoint."""
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            with self.db.atomic():
                yield self.db
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """One write transaction around several store calls (they nest): all of them or none."""
        with self._lock, translating(self.path), self._write():
            yield self
