"""Whether a file is a sound Yici database: SQLite, undamaged, exactly the schema its steps make,
no broken links, records whose revision histories have no gaps, and whose database it is.

Used before a backup counts, before a restore and before an export's snapshot is read. Nothing
here writes; files are opened read-only with `trusted_schema` off, so a hostile file's views and
triggers cannot call anything.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from forms.i18n import tr
from forms.migrations import MIGRATION_SET, known_names, migration_set
from forms.store import cipher
from forms.store.cipher import sqlite3
from forms.store.errors import BadDatabaseFile, DamagedFile, NewerSchema
from forms.store.states import DELIVERY_STATES

MIGRATIONS_TABLE = "_sqlite_migrations"
_SHOWN = 3  # problems named in one message


@dataclass(frozen=True)
class Identity:
    """Which data folder's database a file is. `born_at` is when its first schema step ran (to
    the microsecond: set once, copied with every backup); `folder_id` is the data folder id kept
    in its settings, when it has one."""

    born_at: str | None = None
    folder_id: str | None = None

    def differs_from(self, other: Identity) -> bool:
        """True when a fact both know disagrees: then it is another folder's database."""
        return bool(
            (self.folder_id and other.folder_id and self.folder_id != other.folder_id)
            or (self.born_at and other.born_at and self.born_at != other.born_at)
        )


@dataclass
class FileFacts:
    """What a checked file is: its schema steps and its identity."""

    path: Path
    steps: list[str]
    identity: Identity


def connect_readonly(path: Path, key: bytes | None) -> sqlite3.Connection:
    """A read-only connection with the data key (none for a file still plain) that runs nothing
    the file's schema asks for."""
    conn = cipher.connect_file(path, key, mode="ro")
    conn.execute("PRAGMA trusted_schema=OFF")
    return conn


def steps_of(conn: sqlite3.Connection) -> list[str] | None:
    """The Yici schema steps recorded in the file, in order; None without a steps table."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone():
        return None
    return [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
        )
    ]


def identity_of(conn: sqlite3.Connection) -> Identity:
    """The identity of the database on `conn` (unknown parts None)."""
    born = folder = None
    try:
        row = conn.execute(
            f"SELECT applied_at FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id LIMIT 1",
            [MIGRATION_SET],
        ).fetchone()
        born = str(row[0]) if row and row[0] else None
    except sqlite3.DatabaseError:
        pass
    try:
        # Read defensively: the data folder id is a setting a later schema step adds.
        row = conn.execute("SELECT value FROM settings WHERE key = 'data_folder_id'").fetchone()
        folder = str(row[0]).strip('"') if row and row[0] else None
    except sqlite3.DatabaseError:
        pass
    return Identity(born, folder)


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's integrity check (or the quicker one): [] when sound, else what it found."""
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _normal(sql: str | None) -> str | None:
    return " ".join(sql.split()) if sql else sql


def _schema(conn: sqlite3.Connection) -> dict[tuple[str, str], str | None]:
    """{(type, name): what must match}: the SQL of Yici's own objects; for the tables SQLite or
    sqlite-utils make themselves (full-text shadow tables, the steps table) only their names."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    virtual = [
        name
        for kind, name, _, sql in rows
        if kind == "table" and sql and sql.lstrip().upper().startswith("CREATE VIRTUAL TABLE")
    ]
    out: dict[tuple[str, str], str | None] = {}
    for kind, name, table, sql in rows:
        if name.startswith("sqlite_"):
            continue  # SQLite's own: sqlite_sequence, sqlite_stat1, automatic indices
        if table == MIGRATIONS_TABLE or (kind == "table" and any(name.startswith(v + "_") for v in virtual)):
            out[(kind, name)] = "(made by SQLite)"
        else:
            out[(kind, name)] = _normal(sql)
    return out


@functools.cache
def _reference(steps: tuple[str, ...]) -> tuple[dict[tuple[str, str], str | None], int]:
    """The schema and user_version a database made by these steps has (built in memory once)."""
    from sqlite_utils import Database

    db = Database(memory=True)
    known = known_names()
    migration_set().apply(db, stop_before=known[len(steps)] if len(steps) < len(known) else None)
    try:
        return _schema(db.conn), db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def schema_problems(conn: sqlite3.Connection, steps: list[str]) -> list[str]:
    """How the file's tables, columns, indices and triggers differ from what its steps make."""
    known = known_names()
    if steps != known[: len(steps)]:
        return [tr("结构步骤不完整或顺序不对（{steps}）").format(steps=", ".join(steps) or tr("无"))]
    expected, user_version = _reference(tuple(steps))
    actual = _schema(conn)
    problems = [tr("缺少 {name}").format(name=name) for (_, name) in sorted(set(expected) - set(actual))]
    problems += [tr("多出 {name}").format(name=name) for (_, name) in sorted(set(actual) - set(expected))]
    problems += [
        tr("{key} 的结构不同").format(key=key[1])
        for key in sorted(set(expected) & set(actual))
        if expected[key] != actual[key]
    ]
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found != user_version:
        problems.append(
            tr("user_version 是 {found}，应为 {user_version}").format(found=found, user_version=user_version)
        )
    return problems


def _uuids(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [str(r[0]) for r in conn.execute(sql + f" LIMIT {_SHOWN}")]


def structure_problems(conn: sqlite3.Connection) -> list[str]:
    """Broken links, values that are not JSON objects, unknown states, and revision histories with
    gaps or a last revision that is not the record (a hand-made jump over a final record)."""
    problems = []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    broken = conn.execute("PRAGMA foreign_key_check").fetchmany(_SHOWN)
    if broken:
        problems.append(
            tr("有指向不存在的行的数据（")
            + "；".join(tr("{r} 第 {r2} 行").format(r=r[0], r2=r[1]) for r in broken)
            + "）"
        )
    if not {"records", "record_revisions"} <= tables:
        return problems  # an old schema from before records
    for table in ("records", "record_revisions"):
        bad = _uuids(
            conn, f"SELECT uuid FROM {table} WHERE NOT json_valid(data) OR json_type(data) != 'object'"
        )
        if bad:
            return problems + [tr("记录 {bad} 的内容不是 JSON 对象").format(bad=", ".join(bad))]
    states = ", ".join(f"'{s}'" for s in DELIVERY_STATES)
    bad = (
        _uuids(conn, f"SELECT DISTINCT state FROM deliveries WHERE state NOT IN ({states})")
        if "deliveries" in tables
        else []
    )
    if bad:
        problems.append(tr("推送状态 {bad} 不是一次的状态").format(bad=", ".join(bad)))
    gaps = _uuids(
        conn,
        """SELECT r.uuid FROM records r LEFT JOIN (
               SELECT uuid, count(*) AS n, min(revision) AS lo, max(revision) AS hi
               FROM record_revisions GROUP BY uuid) h ON h.uuid = r.uuid
           WHERE (r.status = 'draft' AND (r.revision != 0 OR h.n IS NOT NULL))
              OR (r.status = 'final' AND r.revision < 1)
              OR (r.revision < 0)
              OR (r.revision = 0 AND h.n IS NOT NULL)
              OR (r.revision >= 1 AND (h.n IS NULL OR h.n != r.revision
                                       OR h.lo != 1 OR h.hi != r.revision))""",
    )
    if gaps:
        problems.append(
            tr("记录 {gaps} 的修订历史不连续（缺少某些版本，或版本号与记录不符）").format(
                gaps=", ".join(gaps)
            )
        )
    jumps = _uuids(
        conn,
        """SELECT r.uuid FROM records r JOIN record_revisions h
               ON h.uuid = r.uuid AND h.revision = r.revision
           WHERE r.revision >= 1 AND json(r.data) != json(h.data)""",
    )
    if jumps:
        problems.append(tr("记录 {jumps} 的内容与它最后一个修订版本不一致").format(jumps=", ".join(jumps)))
    return problems


def check_database_file(
    path: str | Path, *, key: bytes | None, quick: bool = False, structure: bool = True
) -> FileFacts:
    """Check that `path` is a sound Yici database this version can read, encrypted with `key`
    (or still plain); returns its steps and identity. Raises BadDatabaseFile (DamagedFile when
    the integrity check fails) or NewerSchema."""
    path = Path(path)
    if not path.is_file():
        raise BadDatabaseFile(tr("找不到这个文件"))
    if path.stat().st_size == 0:
        raise BadDatabaseFile(tr("文件是空的（0 字节）"))
    if not cipher.is_plain(path) and (key is None or not cipher.fits(path, key)):
        raise BadDatabaseFile(
            tr("不是一次的数据库（不是 SQLite 数据库文件，或不是用这个数据文件夹的密钥加密的）")
        )
    try:
        conn = connect_readonly(path, key)
    except sqlite3.Error as exc:
        raise BadDatabaseFile(tr("无法打开（{exc}）").format(exc=exc)) from exc
    try:
        problems = integrity_problems(conn, quick=quick)
        if problems:
            raise DamagedFile(
                tr("文件已损坏（完整性检查未通过：{problems}）").format(problems="; ".join(problems[:_SHOWN]))
            )
        try:
            steps = steps_of(conn)
            if not steps:
                raise BadDatabaseFile(tr("不是一次的数据库（没有一次的结构版本表）"))
            unknown = [s for s in steps if s not in known_names()]
            if unknown:
                raise NewerSchema(
                    tr(
                        "这个文件由更新版本的一次写入（包含本版本不认识的结构步骤：{unknown}），"
                        "本版本不能使用它：{path}。请先升级一次到最新版本。"
                        " / The file was written by a newer Yici; upgrade Yici first."
                    ).format(unknown=", ".join(unknown), path=path)
                )
            problems = schema_problems(conn, steps)
            if problems:
                raise BadDatabaseFile(
                    tr("看起来像一次的数据库，但不是（{problems}）").format(
                        problems="；".join(problems[:_SHOWN])
                    )
                )
            if structure:
                problems = structure_problems(conn)
                if problems:
                    raise BadDatabaseFile(tr("数据有问题：") + "；".join(problems))
            return FileFacts(path, steps, identity_of(conn))
        except sqlite3.DatabaseError as exc:
            raise DamagedFile(tr("文件已损坏（{exc}）").format(exc=exc)) from exc
    finally:
        conn.close()
