"""The store's one connection: opening the file, its pragmas, schema steps, the one-writer lock.

Opening creates the data folder if needed, refuses a file written by a newer Yici, and backs the
file up before any schema step. Every store method runs under `_lock` (one caller at a time on
the one connection) and every write is one short `_write` transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlite_utils import Database

from forms.atomic import write_atomically
from forms.migrations import known_names, migrations
from forms.store.errors import NewerSchema, StoreError, translate, translating
from forms.store.rows import Record
from forms.store.times import file_stamp

DB_NAME = "yici.db"
BUSY_TIMEOUT_MS = 5000
BACKUP_FOLDER = "backups"

Hook = Callable[[Database, Record], None]


def copy_database(source: sqlite3.Connection, dest: Path) -> None:
    """Write one consistent snapshot of `source` into the file `dest` (SQLite's backup API)."""
    out = sqlite3.connect(str(dest))
    try:
        source.backup(out)
    finally:
        out.close()


class Connection:
    """The open database of one data folder. `Store` adds its methods on top of this.

    `on_final_hooks`: callables `(db, record)` run inside the transaction that makes a record
    final or corrects it, so work they queue commits or rolls back with the record.
    `on_void_hooks`: the same, inside the transaction that voids a record.
    """

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.on_final_hooks: list[Hook] = []
        self.on_void_hooks: list[Hook] = []
        self._lock = threading.RLock()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"无法创建数据文件夹：{self.data_dir}（{exc.strerror}）。请换一个可以写入的位置。"
                f" / Cannot create the data folder."
            ) from exc
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            self.db = Database(conn, execute_plugins=False)
            self._configure()
            self._migrate()
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                mapped = translate(exc, self.path)
                if mapped is not None:
                    raise mapped from exc
            raise

    @classmethod
    def open(cls, data_dir: str | Path) -> Self:
        """Open (creating if needed) the store in `data_dir`, bringing its schema up to date."""
        return cls(data_dir)

    def _configure(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # villages lose power
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _migrate(self) -> None:
        known = set(known_names())
        unknown = [m.name for m in migrations.applied(self.db) if m.name not in known]
        if unknown:
            raise NewerSchema(
                f"这个数据文件由更新版本的一次写入（包含本版本不认识的结构步骤：{', '.join(unknown)}），"
                f"为避免损坏数据，本版本不会打开它：{self.path}。请先升级一次到最新版本。"
                " / This data file was written by a newer Yici; please upgrade Yici to open it."
            )
        pending = migrations.pending(self.db)
        if not pending:
            return
        has_tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if has_tables:
            self._backup_to(f"yici-before-{pending[0].name}")
        migrations.apply(self.db)

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
            source = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                copy_database(source, partial)
            finally:
                source.close()

        # A half-written backup never looks like a backup: the name appears only when complete.
        return write_atomically(target, copy, prefix=".backup-")

    def close(self) -> None:
        """Close the database (after letting SQLite refresh its query statistics)."""
        with self._lock:
            try:
                self.db.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass  # closing must not fail because statistics could not be saved
            self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """One short write transaction. BEGIN IMMEDIATE takes the write lock up front, so a
        second process waits (busy timeout) instead of failing halfway through a step;
        inside an open transaction (e.g. a hook calling back in) it nests as a savepoint."""
        conn = self.db.conn
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
