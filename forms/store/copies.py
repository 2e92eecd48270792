"""Copies of the open database and its checks: backups into <data_dir>/backups, a consistent copy
to any file, the quick check that finds damage, and the full check. Every copy is verified (the
integrity check and the schema its steps make) before it gets its name, so a damaged database is
never copied over good backups. Listing, rotating and restoring backups is forms/store/backups.py.
"""

from __future__ import annotations

from pathlib import Path

from forms.atomic import write_atomically
from forms.i18n import tr
from forms.store import marker
from forms.store.cipher import sqlite3
from forms.store.connection import DB_NAME, Connection, copy_database
from forms.store.errors import StoreError, guarded, translating
from forms.store.keys import KEY_FILE
from forms.store.verify import integrity_problems


def folder_must_exist(path: Path, data_dir: Path | None = None) -> None:
    """A file a person names (a backup, an export) goes into a folder that is already there:
    a typing mistake must not quietly make new folders. Nor may it replace the database, its
    journal files or the folder's marker in `data_dir`."""
    if not path.parent.is_dir():
        raise StoreError(
            tr(
                "文件夹不存在：{parent}。请先建好这个文件夹（或换一个已有的文件夹）后再试；"
                "一次不会自动新建它。 / The folder does not exist; nothing was written."
            ).format(parent=path.parent)
        )
    if data_dir is None:
        return
    own = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", marker.MARKER, KEY_FILE}
    resolved = path.resolve()
    if resolved.parent == Path(data_dir).resolve() and resolved.name.lower() in own:
        raise StoreError(
            tr(
                "不能写到数据文件夹自己的文件上：{path}（那是一次正在使用的数据）。"
                "请换一个文件名，或放到别的文件夹（例如 U 盘）。"
                " / That is one of the data folder's own files; nothing was written."
            ).format(path=path)
        )


class CopiesMixin(Connection):
    """Store methods that copy or check the database file."""

    def backup(self, label: str = "manual") -> Path:
        """Copy the database to `<data_dir>/backups/yici-<label>-<time>.db`, verified; raises
        DatabaseDamaged (and makes no file) when the copy fails the integrity check. Safe from
        any thread."""
        # Not `guarded`: the copy reads through a connection of its own, so it must not wait
        # for (or hold up) the store's lock; SQLite's errors are still translated.
        with translating(self.path):
            return self._backup_to(f"yici-{label}")

    @guarded
    def copy_to(self, path: str | Path, key: bytes | None = None) -> Path:
        """Write a consistent, verified copy of the database to `path`, atomically, encrypted
        with the folder's key (or `key`: an export's, from its passphrase). The folder must
        exist: a copy never creates folders a person did not make."""
        path = Path(path)
        folder_must_exist(path, self.data_dir)

        def copy(partial: Path) -> None:
            copy_database(self.db.conn, partial, key or self.key, self.key)
            self._verify_copy(partial, key)

        return write_atomically(path, copy, prefix=".copy-")

    def quick_check(self) -> None:
        """SQLite's quick check through a connection of its own (the store goes on working);
        raises DatabaseDamaged, remembered by the folder, when it finds damage. About 0.3 s at
        100,000 records."""
        conn = self._reader()
        try:
            problems = integrity_problems(conn, quick=True)
        finally:
            conn.close()
        if problems:
            raise marker.damaged(
                self.data_dir,
                tr("检查发现数据库文件 {path} 已损坏（{problems}）。").format(
                    path=self.path, problems="; ".join(problems[:3])
                ),
                problems,
            )

    @guarded
    def check(self) -> list[str]:
        """SQLite's integrity check plus the search index's: ['ok'] when the file is sound."""
        problems = [row[0] for row in self.db.execute("PRAGMA integrity_check")]
        try:
            self.db.execute("INSERT INTO records_fts(records_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems = [p for p in problems if p != "ok"] + [f"search index: {exc}"]
        return problems
