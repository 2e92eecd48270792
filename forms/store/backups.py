"""Copies of the database in <data_dir>/backups: one automatic copy a day, manual ones, restore.

Names say what made a copy: `yici-auto-…` (daily, rolling), `yici-manual-…`, `yici-before-m00x-…`
(before a schema step, made by the store) and `yici-before-restore-…`. Only automatic copies are
ever pruned. A restore checks the file first, backs up what it replaces, and swaps the file in
atomically so a power cut leaves either the old database or the new one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from forms.atomic import write_atomically
from forms.migrations import MIGRATION_SET, known_names
from forms.store.connection import BACKUP_FOLDER, DB_NAME, copy_database
from forms.store.core import Store
from forms.store.errors import NewerSchema, StoreError
from forms.store.times import file_stamp

AUTO_LABEL = "auto"
KEEP_SETTING = "backup_keep_days"
DEFAULT_KEEP_DAYS = 14
_NAME = re.compile(r"^yici-(?P<label>.+?)-(?P<day>\d{8})-(?P<time>\d{6})(?:-\d+)?\.db$")
KIND_TITLES = {
    "auto": "自动备份",
    "manual": "手动备份",
    "before-restore": "恢复前备份",
    "before-migration": "升级前备份",
    "other": "备份",
}


class RestoreRefused(StoreError):
    """The file cannot be restored (not a Yici database, damaged, newer, or the data is in use)."""


@dataclass
class BackupInfo:
    """One backup file: where, what made it, when (from its name), and its size."""

    path: Path
    kind: str  # auto, manual, before-restore, before-migration, other
    made_at: str  # 'YYYY-MM-DD HH:MM:SS'
    size: int


@dataclass
class DatabaseSummary:
    """What a database file holds, as told before and after a restore."""

    path: Path
    steps: list[str]
    branches: int
    records: int
    final: int


def backup_folder(data_dir: str | Path) -> Path:
    """<data_dir>/backups."""
    return Path(data_dir) / BACKUP_FOLDER


def _kind(label: str) -> str:
    if label in ("auto", "manual", "before-restore"):
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
        out.append(
            BackupInfo(
                path,
                _kind(match["label"]),
                f"{day[:4]}-{day[4:6]}-{day[6:]} {time[:2]}:{time[2:4]}:{time[4:]}",
                path.stat().st_size,
            )
        )
    return sorted(out, key=lambda b: (b.made_at, b.path.name), reverse=True)


def ensure_daily_backup(store: Store, keep_days: int | None = None) -> Path | None:
    """Make today's automatic backup unless there is one; keep the newest `keep_days` automatic
    ones (default: setting `backup_keep_days`, else 14). Returns the new file, or None."""
    if keep_days is None:
        try:
            keep_days = int(store.get_setting(KEEP_SETTING, DEFAULT_KEEP_DAYS))
        except (TypeError, ValueError):
            keep_days = DEFAULT_KEEP_DAYS
    keep_days = max(1, keep_days)
    today = file_stamp()[:8]
    autos = [b for b in list_backups(store.data_dir) if b.kind == "auto"]
    made = None
    if not any(b.path.name.startswith(f"yici-{AUTO_LABEL}-{today}-") for b in autos):
        made = store.backup(AUTO_LABEL)
        autos = [b for b in list_backups(store.data_dir) if b.kind == "auto"]
    for old in autos[keep_days:]:
        old.path.unlink(missing_ok=True)
    return made


def manual_backup(store: Store, to: str | Path | None = None) -> Path:
    """A backup made by a person: into the backups folder, or to the file `to`."""
    if to is None:
        return store.backup("manual")
    target = Path(to).expanduser()
    if target.is_dir():
        target = target / f"yici-manual-{file_stamp()}.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    return store.copy_to(target)


def inspect_database(path: str | Path) -> DatabaseSummary:
    """Check that `path` is a sound Yici database this version can open, and say what it holds.
    Raises RestoreRefused (or NewerSchema) with a Chinese message otherwise."""
    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(
            f"找不到备份文件：{path}。请检查路径；可用 `yici backup --list` 查看已有备份。"
            " / Backup file not found."
        )
    try:
        conn = sqlite3.connect(f"file:{path.resolve().as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise RestoreRefused(f"无法打开备份文件：{path}（{exc}）。 / Cannot open the file.") from exc
    try:
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise RestoreRefused(
                f"这个文件不是一次的数据库，或者已经损坏：{path}。请换一个备份文件。"
                " / Not a Yici database, or damaged."
            ) from exc
        if problems != ["ok"]:
            raise RestoreRefused(
                f"备份文件已损坏（完整性检查未通过：{'; '.join(problems[:3])}）：{path}。"
                "请换一个更早的备份。 / The backup is damaged."
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables:
            raise RestoreRefused(
                f"这个文件不是一次的数据库（没有结构版本表）：{path}。请选择一次的备份文件"
                "（通常在数据文件夹的 backups 中）。 / Not a Yici database."
            )
        steps = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
            )
        ]
        if not steps:
            raise RestoreRefused(f"这个文件不是一次的数据库：{path}。 / Not a Yici database.")
        unknown = [s for s in steps if s not in known_names()]
        if unknown:
            raise NewerSchema(
                f"这个备份由更新版本的一次制作（包含本版本不认识的结构步骤：{', '.join(unknown)}），"
                f"本版本不能恢复它：{path}。请先升级一次到最新版本。"
                " / The backup was made by a newer Yici; upgrade first."
            )

        def count(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        records = count("SELECT count(*) FROM records") if "records" in tables else 0
        final = count("SELECT count(*) FROM records WHERE status = 'final'") if "records" in tables else 0
        return DatabaseSummary(path, steps, count("SELECT count(*) FROM branches"), records, final)
    finally:
        conn.close()


def database_in_use(db_path: str | Path) -> bool:
    """True when another connection (another Yici window or command) has the database open.

    An exclusive lock in exclusive locking mode cannot be had while any other connection to a
    WAL database is open, even an idle one, so this finds idle windows too."""
    db_path = Path(db_path)
    if not db_path.exists():
        return False
    conn = sqlite3.connect(str(db_path), timeout=0, isolation_level=None)
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
    finally:
        conn.close()


@dataclass
class RestoreResult:
    """What a restore did: the file restored, what the database now holds, and the copy of
    what it replaced (None when there was no database yet)."""

    source: Path
    contents: DatabaseSummary
    previous_backup: Path | None


def restore(data_dir: str | Path, source: str | Path) -> RestoreResult:
    """Replace the data folder's database with the backup `source`, after checking it and
    backing up the current one. Refuses while the database is open elsewhere."""
    data_dir = Path(data_dir)
    source = Path(source).expanduser()
    inspect_database(source)  # raises RestoreRefused when it is not a Yici database
    db_path = data_dir / DB_NAME
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise RestoreRefused(
            "不能用数据文件本身来恢复。请选择 backups 中的备份文件。 / That is the live database itself."
        )
    if database_in_use(db_path):
        raise RestoreRefused(
            f"数据文件正在被使用：{db_path}。请先关闭一次的窗口和其他正在运行的 yici 命令"
            "（例如 `yici sync --watch`），然后再恢复。 / The database is in use; close Yici first."
        )
    previous = None
    data_dir.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        # Through the store, so the copy includes what still sits in the -wal file; closing the
        # last connection then checkpoints and removes the -wal.
        with Store.open(data_dir) as current:
            previous = current.backup("before-restore")
            current.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy_in(partial: Path) -> None:
        src = sqlite3.connect(f"file:{source.resolve().as_posix()}?mode=ro", uri=True)
        try:
            copy_database(src, partial)
        finally:
            src.close()
        # Checked again with the copy made, just before it replaces the file.
        if database_in_use(db_path):
            raise RestoreRefused(
                "恢复过程中数据文件被其他一次程序打开了，恢复已取消，数据没有改动。"
                "请关闭其他一次程序后再试。 / The database was opened meanwhile; nothing changed."
            )
        # Stale -wal/-shm beside the new file would be replayed into it: remove them first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    write_atomically(db_path, copy_in, prefix=".restore-")
    # Opening brings an older backup up to date (with its own pre-migration backup).
    Store.open(data_dir).close()
    return RestoreResult(source, inspect_database(db_path), previous)
