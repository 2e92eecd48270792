"""Copies of the open database: rolling backups, a consistent copy to any file, and the
integrity check. Listing and restoring backups is forms/store/backups.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from forms.atomic import write_atomically
from forms.store.connection import BACKUP_FOLDER, Connection, copy_database
from forms.store.errors import guarded, translating


class CopiesMixin(Connection):
    """Store methods that copy or check the database file."""

    def backup(self, label: str = "manual", keep: int | None = None) -> Path:
        """Copy the database to `<data_dir>/backups/yici-<label>-<time>.db`; with `keep`,
        delete older backups of the same label beyond the newest `keep`. Safe from any thread."""
        # Not `guarded`: the copy reads through a connection of its own, so it must not wait
        # for (or hold up) the store's lock; SQLite's errors are still translated.
        with translating(self.path):
            target = self._backup_to(f"yici-{label}")
        if keep is not None:
            same = sorted(
                (self.data_dir / BACKUP_FOLDER).glob(f"yici-{label}-*.db"),
                key=lambda p: p.stat().st_mtime,
                reverse=True,
            )
            for old in same[max(keep, 1) :]:
                old.unlink(missing_ok=True)
        return target

    @guarded
    def copy_to(self, path: str | Path) -> Path:
        """Write a consistent copy of the database to `path` (online backup API), atomically."""
        return write_atomically(
            Path(path), lambda partial: copy_database(self.db.conn, partial), prefix=".copy-"
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
