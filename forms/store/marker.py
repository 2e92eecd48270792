"""The data folder's memory of its database, and what opening decides from it.

`yici-folder.json` beside the database says that a database was made here, whose it is (its
identity, forms/store/verify.py) and whether damage was found in it. It lives outside the
database on purpose: when the database goes missing, is emptied to 0 bytes or replaced by
another file, the folder still knows. Opening then refuses (DatabaseRefused) and offers the newest
backup that passes the integrity check, instead of starting again empty. A folder with no memory,
no database, no backups and no attachments is new and starts fresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from forms.atomic import write_atomically
from forms.datafolder import folder_problem
from forms.i18n import tr
from forms.store.backup_files import BACKUP_FOLDER, list_backups, newest_sound_backup
from forms.store.cipher import sqlite3
from forms.store.errors import DatabaseDamaged, DatabaseRefused, DataFolderProblem
from forms.store.times import timestamp
from forms.store.verify import (
    MIGRATIONS_TABLE,
    Identity,
    identity_of,
    integrity_problems,
    steps_of,
)

MARKER = "yici-folder.json"
MARKER_FORMAT = 1
# At or below this size the database is checked (PRAGMA quick_check) every time it is opened:
# about 25 ms at 32 MB (10,000 records). Larger files are checked in the background when the
# window starts and before every backup.
QUICK_CHECK_AT_OPEN_BYTES = 32 * 1024 * 1024


@dataclass
class Marker:
    """What the folder remembers of its database."""

    identity: Identity = field(default_factory=Identity)
    created_at: str = ""
    damage: list[str] = field(default_factory=list)  # what the last check found; [] when sound
    damage_found_at: str = ""
    # While a restore swaps the file in: the restored database's identity, accepted as well, so a
    # power cut before or after the swap leaves a database the folder knows.
    restoring: Identity | None = None

    def as_json(self) -> str:
        return json.dumps(
            {
                "yici_data_folder": MARKER_FORMAT,
                "database": "yici.db",
                "folder_id": self.identity.folder_id,
                "born_at": self.identity.born_at,
                "created_at": self.created_at,
                "damage": self.damage,
                "damage_found_at": self.damage_found_at,
                "restoring": (
                    {"folder_id": self.restoring.folder_id, "born_at": self.restoring.born_at}
                    if self.restoring
                    else None
                ),
            },
            ensure_ascii=False,
            indent=2,
        )


def read_marker(data_dir: Path) -> Marker | None:
    """The folder's memory; None when it has none. A marker that cannot be read still says that
    a database was here (its identity unknown)."""
    path = Path(data_dir) / MARKER
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return Marker()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        return Marker()
    if not isinstance(raw, dict):
        return Marker()

    def text_or_none(key: str) -> str | None:
        value = raw.get(key)
        return str(value) if isinstance(value, (str, int)) and str(value) else None

    damage = raw.get("damage")
    restoring = raw.get("restoring")
    return Marker(
        Identity(text_or_none("born_at"), text_or_none("folder_id")),
        text_or_none("created_at") or "",
        [str(d) for d in damage] if isinstance(damage, list) else [],
        text_or_none("damage_found_at") or "",
        Identity(str(restoring.get("born_at") or "") or None, str(restoring.get("folder_id") or "") or None)
        if isinstance(restoring, dict)
        else None,
    )


def write_marker(data_dir: Path, marker: Marker) -> None:
    """Replace the folder's memory (atomically: a power cut leaves the old one or the new one)."""
    write_atomically(Path(data_dir) / MARKER, marker.as_json() + "\n", prefix=".marker-")


def _try_write(data_dir: Path, marker: Marker) -> None:
    try:
        write_marker(data_dir, marker)
    except OSError:
        pass  # a write-protected stick: the database opens; the memory is written next time


def _had_data(data_dir: Path) -> bool:
    """Backups or attachments prove a database was here, even without the marker."""
    attachments = data_dir / "attachments"
    return bool(list_backups(data_dir)) or (
        attachments.is_dir() and any(p.is_file() for p in attachments.rglob("*"))
    )


def refusal(data_dir: Path, kind: str, what: str, identity: Identity | None = None) -> DatabaseRefused:
    """The refusal for a database that is missing, empty, foreign or damaged, offering the newest
    sound backup of this folder (`what` says what was found, in Chinese)."""
    best = newest_sound_backup(
        data_dir, identity if identity and (identity.born_at or identity.folder_id) else None
    )
    if best is not None:
        offer = tr(
            "最近一份完好的备份是 {name}（{made_at} 备份）。"
            '恢复它：运行 yici --data-dir "{data_dir}" restore "{path}"，'
            "或打开一次窗口，在提示中选择“从备份恢复”。"
        ).format(name=best.path.name, made_at=best.made_at, data_dir=data_dir, path=best.path)
    else:
        offer = tr(
            "数据文件夹的 {backup_folder} 里没有完好的备份。请先不要在这个文件夹里录入，联系技术人员；"
            "如果别处（例如U盘）有备份文件，可以运行 yici restore 备份文件 恢复。"
        ).format(backup_folder=BACKUP_FOLDER)
    english = {
        "missing": "The database that was here is missing",
        "empty": "The database was emptied to 0 bytes",
        "foreign": "The file where the database was is not this folder's database",
        "damaged": "The database is damaged",
    }[kind]
    message = f"{what}{offer} / {english}; Yici will not start over empty. Restore a backup."
    cls = DatabaseDamaged if kind == "damaged" else DatabaseRefused
    return cls(
        message,
        kind=kind,
        database=data_dir / "yici.db",
        backup=best.path if best else None,
        backup_time=best.made_at if best else "",
    )


def prepare_folder(data_dir: Path, db_path: Path, *, create: bool) -> bool:
    """Before the database is opened: True when a new database is to be made here. Raises
    DataFolderProblem for a folder that cannot be one (or, without `create`, one with no data),
    and DatabaseRefused when the database that was here is missing or empty."""
    problem = folder_problem(data_dir)
    if problem:
        raise DataFolderProblem(problem)
    if not data_dir.exists():
        if not create:
            raise DataFolderProblem(
                tr(
                    "数据文件夹不存在：{data_dir}。请检查 --data-dir（或环境变量 YICI_DATA_DIR）是否写对了；"
                    "这个命令只读取数据，不会新建文件夹。"
                    " / The data folder does not exist; nothing was created."
                ).format(data_dir=data_dir)
            )
        return True
    size = db_path.stat().st_size if db_path.is_file() else None
    if size:
        return False
    marker = read_marker(data_dir)
    if marker is not None or _had_data(data_dir):
        if size is None:
            what = tr(
                "数据文件夹 {data_dir} 里原来有一次的数据库（yici.db），现在它不见了。"
                "一次不会新建一个空的来代替它。"
            ).format(data_dir=data_dir)
            raise refusal(data_dir, "missing", what, marker.identity if marker else None)
        what = tr(
            "数据库文件 {db_path} 变成了空文件（0 字节），原有的记录都不在里面了。一次不会把它当作新的开始。"
        ).format(db_path=db_path)
        raise refusal(data_dir, "empty", what, marker.identity if marker else None)
    if not create:
        raise DataFolderProblem(
            tr(
                "数据文件夹里还没有一次的数据：{data_dir}。请检查 --data-dir 是否写对了；"
                "这个命令只读取数据，不会新建数据库。 / There is no Yici data in this folder yet."
            ).format(data_dir=data_dir)
        )
    return True


def require_existing_data(data_dir: str | Path) -> None:
    """For commands that only read: refuse (DataFolderProblem, DatabaseRefused) a folder that is
    not there, holds no data, cannot be a data folder, or lost its database; create nothing."""
    data_dir = Path(data_dir)
    prepare_folder(data_dir, data_dir / "yici.db", create=False)


def check_database(conn: sqlite3.Connection, data_dir: Path, db_path: Path) -> Marker | None:
    """With the existing file open (nothing written yet): refuse a file that is not this folder's
    Yici database or that is damaged. Returns the folder's marker (None when it has none)."""
    marker = read_marker(data_dir)
    known = marker.identity if marker else None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        # With the folder's key, page 1 does not decrypt: another file, another folder's database,
        # or the first page destroyed; which of them, nobody can tell without the key it had.
        what = tr(
            "{db_path} 不是一次的数据库（不是这个数据文件夹的加密数据库，可能被别的文件覆盖了）。"
            "一次不会使用或覆盖它。"
        ).format(db_path=db_path)
        raise refusal(data_dir, "foreign", what, known) from exc
    try:
        steps = steps_of(conn)
        has_tables = (
            conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name != ?",
                [MIGRATIONS_TABLE],
            ).fetchone()[0]
            > 0
        )
    except sqlite3.DatabaseError as exc:
        what = tr("数据库文件 {db_path} 已损坏，无法读取（{exc}）。").format(db_path=db_path, exc=exc)
        raise damaged(data_dir, what, [str(exc)], marker) from exc
    if not steps:
        if not has_tables and marker is None and not _had_data(data_dir):
            return None  # a new database whose first step never ran (e.g. a power cut): start it
        what = tr(
            "{db_path} 不是一次的数据库（是别的程序的 SQLite 文件，或没有任何内容）。一次不会使用或覆盖它。"
        ).format(db_path=db_path)
        raise refusal(data_dir, "foreign", what, known)
    found = identity_of(conn)
    if marker is not None and marker.restoring is not None and not found.differs_from(marker.restoring):
        # A restore was cut short after its file was swapped in: that one is the folder's now.
        marker.identity, marker.restoring, known = marker.restoring, None, marker.restoring
        _try_write(data_dir, marker)
    if known is not None and found.differs_from(known):
        what = tr(
            "{db_path} 是另一个一次数据文件夹的数据库，不是这个文件夹原来的。一次不会使用或覆盖它。"
        ).format(db_path=db_path)
        raise refusal(data_dir, "foreign", what, known)
    if marker is not None and marker.restoring is not None:  # a restore cut short before its swap
        marker.restoring = None
        _try_write(data_dir, marker)
    if (marker is not None and marker.damage) or db_path.stat().st_size <= QUICK_CHECK_AT_OPEN_BYTES:
        problems = integrity_problems(conn, quick=True)
        if problems:
            what = tr("数据库文件 {db_path} 已损坏（完整性检查：{problems}）。").format(
                db_path=db_path, problems="; ".join(problems[:3])
            )
            raise damaged(data_dir, what, problems, marker)
        if marker is not None and marker.damage:
            marker.damage, marker.damage_found_at = [], ""
            write_marker(data_dir, marker)
    return marker


def damaged(data_dir: Path, what: str, problems: list[str], marker: Marker | None = None) -> DatabaseRefused:
    """The refusal for damage found (`what` says where), remembered by the folder first."""
    marker = marker or read_marker(data_dir)
    remember_damage(data_dir, problems, marker)
    return refusal(
        data_dir,
        "damaged",
        what + tr("为免覆盖完好的备份，一次不会再用它备份，也不会继续在里面写入。"),
        marker.identity if marker else None,
    )


def remember_damage(data_dir: Path, problems: list[str], marker: Marker | None = None) -> None:
    """Note in the folder's memory that damage was found, so the next start checks again (even a
    large file) and refuses while it is there."""
    marker = marker or read_marker(data_dir) or Marker()
    marker.damage, marker.damage_found_at = [p[:200] for p in problems[:5]], timestamp()
    try:
        write_marker(data_dir, marker)
    except OSError:
        pass  # a read-only folder: the refusal itself still says it


def remember_database(data_dir: Path, conn: sqlite3.Connection, marker: Marker | None) -> None:
    """After opening: write the folder's memory when it has none or the identity it holds grew
    (a data folder id appeared); nothing is written when nothing changed."""
    found = identity_of(conn)
    if marker is not None and marker.identity == found:
        return
    if marker is None:
        marker = Marker(found, timestamp())
    else:
        marker.identity = Identity(
            found.born_at or marker.identity.born_at, found.folder_id or marker.identity.folder_id
        )
        marker.created_at = marker.created_at or timestamp()
    try:
        write_marker(data_dir, marker)
    except OSError:
        pass  # a write-protected stick: the database opens; the memory is written next time
