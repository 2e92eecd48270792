"""The local store (DESIGN §6): one SQLite file in the data folder, the only place with SQL.

Every write is one short transaction with one audit row; nothing final is ever deleted.
Field values are not validated here: `forms/lifecycle.py` does that before calling in.
sqlite errors reach callers as `StoreError` subclasses with a Chinese message saying what to do.
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
import uuid as _uuid
from contextlib import contextmanager
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from sqlite_utils import Database

from forms.deliveries import DeliveryBook, where_equal
from forms.migrations import known_names, migrations
from forms.model import Form

DB_NAME = "yici.db"
BUSY_TIMEOUT_MS = 5000
ROLES = ("书记", "副书记", "委员", "党员", "预备党员")
STATUSES = ("draft", "final", "void")
# Drafts are saved as the operator types; one "edited" audit row per operator per this many
# seconds is enough to say who worked on a draft and when, without thousands of rows.
EDIT_AUDIT_WINDOW_SECONDS = 300


def clock() -> _dt.datetime:
    """The current local time, with its offset. Tests monkeypatch this one function."""
    return _dt.datetime.now().astimezone()


def timestamp() -> str:
    """ISO 8601 local time with offset, seconds precision, e.g. '2026-11-05T14:03:22+08:00'."""
    return clock().isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------- errors

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


def _translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """A StoreError for errors users can act on; None for programming errors (re-raised)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc).lower()
    backups = path.parent / "backups"
    if code in (5, 6) or "locked" in text or "busy" in text:
        return StoreLocked(
            "数据库被占用：另一个一次程序或同步任务正在写入。请稍等几秒再试；如果一直如此，"
            "请关闭其他打开同一数据文件夹的一次窗口或命令。"
            " / The database is locked by another Yici process; wait a moment and try again.")
    if code == 13 or "disk is full" in text:
        return StoreFull(
            "磁盘空间已满，这一步没有保存。请清理磁盘（或换一个数据文件夹）后再试。"
            " / The disk is full; nothing was saved. Free some space and try again.")
    if code in (11, 26) or "not a database" in text or "malformed" in text:
        return StoreCorrupt(
            f"数据文件已损坏或不是一次的数据库：{path}。请不要继续使用它：从 {backups} "
            "中的备份恢复，或联系技术人员。"
            f" / The data file is damaged or not a Yici database: {path}. Restore a backup.")
    if code == 8 or "readonly" in text or "read-only" in text:
        return StoreError(
            f"数据文件是只读的，无法保存：{path}。请检查文件夹权限，或U盘是否设置了写保护。"
            " / The data file is read-only; check folder permissions.")
    if code == 14 or "unable to open" in text:
        return StoreError(
            f"无法打开数据文件：{path}。请检查数据文件夹是否存在、是否可以写入。"
            " / Cannot open the data file; check the data folder.")
    if code == 10 or "disk i/o" in text:
        return StoreError(
            f"读写数据文件出错：{path}。如果数据在U盘上，请确认U盘没有被拔出，然后重新打开一次。"
            " / Disk I/O error; check the drive and reopen Yici.")
    return None


def _guarded(method: Callable) -> Callable:
    """Serialise calls (one connection, one writer) and turn sqlite errors into StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: "Store", *args, **kwargs):
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                mapped = _translate(exc, self.path)
                if mapped is None:
                    raise
                raise mapped from exc

    return wrapper


# ----------------------------------------------------------------------------------- value types

@dataclass
class Branch:
    """A party branch (党支部); `cadence` holds per-branch overrides of form cadences."""

    id: int
    name: str
    code: str | None
    secretary: str | None
    cadence: dict = dc_field(default_factory=dict)


@dataclass
class Member:
    """One person on a branch roster; `position` is the roster order."""

    id: int
    branch_id: int
    name: str
    role: str
    phone: str | None
    position: int


@dataclass
class Record:
    """One entered record; `revision` is 0 while a draft, 1 once final, +1 per correction."""

    uuid: str
    form_id: str
    form_version: int
    branch_id: int
    status: str
    data: dict
    revision: int
    operator: str
    occurred_on: str | None
    summary: str
    created_at: str
    updated_at: str
    finalized_at: str | None
    void_reason: str | None
    void_at: str | None = None


@dataclass
class Revision:
    """A final revision of a record, kept forever."""

    uuid: str
    revision: int
    status: str
    data: dict
    operator: str
    saved_at: str
    note: str


@dataclass
class AuditEntry:
    """One line of the append-only audit: who did what to which record, when."""

    id: int
    at: str
    operator: str
    action: str
    record_uuid: str | None
    revision: int | None
    detail: dict


@dataclass
class Attachment:
    """A file attached to a record, stored once under its SHA-256."""

    sha256: str
    name: str
    size: int
    record_uuid: str


_RECORD_COLUMNS = ("uuid, form_id, form_version, branch_id, status, data, revision, operator, "
                   "occurred_on, summary, created_at, updated_at, finalized_at, void_reason, void_at")
_MEMBER_COLUMNS = "id, branch_id, name, role, phone, position"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Above this many text matches a page walks the list order instead of sorting the matches.
_MANY_MATCHES = 2000
# A count checks each row the other filters leave when they are fewer than this many times
# the text matches, else looks each match up: measured, a row check (LIKE over the record's
# text) costs about as much as a lookup (phrase match + rowid search).
_WALK_RATIO = 1


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _record(row: tuple) -> Record:
    return Record(*row[:5], json.loads(row[5]), *row[6:])


def _branch(row: tuple) -> Branch:
    return Branch(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"))


def _require_operator(operator: str) -> str:
    if not isinstance(operator, str) or not operator.strip():
        raise NotAllowed("请填写操作人（谁做的这一步会记入审计）。 / An operator name is required.")
    return operator.strip()


# ----------------------------------------------------------------------------------------- store

class Store(DeliveryBook):
    """The Yici database in one data folder. Open with `Store.open(data_dir)`; close when done.

    One connection, used by one thread at a time (calls are serialised by a lock).
    `on_final_hooks`: callables `(db, record)` run inside the transaction that makes a record
    final or corrects it, so work they queue commits or rolls back with the record.
    `on_void_hooks`: the same, inside the transaction that voids a record.
    """

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / DB_NAME
        self.on_final_hooks: list[Callable[[Database, Record], None]] = []
        self.on_void_hooks: list[Callable[[Database, Record], None]] = []
        self._lock = threading.RLock()
        self._target_methods_ready()
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据文件夹：{self.data_dir}（{exc.strerror}）。请换一个可以写入的位置。"
                             f" / Cannot create the data folder.") from exc
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)
        try:
            self.db = Database(conn, execute_plugins=False)
            self._configure()
            self._migrate()
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.Error):
                mapped = _translate(exc, self.path)
                if mapped is not None:
                    raise mapped from exc
            raise

    @classmethod
    def open(cls, data_dir: str | Path) -> "Store":
        """Open (creating if needed) the store in `data_dir`, bringing its schema up to date."""
        return cls(data_dir)

    def _configure(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")          # villages lose power
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _migrate(self) -> None:
        known = set(known_names())
        unknown = [m.name for m in migrations.applied(self.db) if m.name not in known]
        if unknown:
            raise NewerSchema(
                f"这个数据文件由更新版本的一次写入（包含本版本不认识的结构步骤：{', '.join(unknown)}），"
                f"为避免损坏数据，本版本不会打开它：{self.path}。请先升级一次到最新版本。"
                " / This data file was written by a newer Yici; please upgrade Yici to open it.")
        pending = migrations.pending(self.db)
        if not pending:
            return
        has_tables = self.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if has_tables:
            self._backup_to(f"yici-before-{pending[0].name}")
        migrations.apply(self.db)

    def close(self) -> None:
        """Close the database (after letting SQLite refresh its query statistics)."""
        with self._lock:
            try:
                self.db.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass        # closing must not fail because statistics could not be saved
            self.db.close()

    def __enter__(self) -> "Store":
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

    # ------------------------------------------------------------------------------ backups

    def _backup_to(self, stem: str) -> Path:
        folder = self.data_dir / "backups"
        folder.mkdir(exist_ok=True)
        stamp = clock().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{stem}-{stamp}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{stamp}-{n}.db"
        partial = target.with_suffix(".part")
        # Copy from a connection of its own: a reader in WAL mode, so a large file can be backed
        # up on another thread while this store goes on writing (no store lock held).
        source = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)            # SQLite online backup API: one consistent snapshot
        finally:
            dest.close()
            source.close()
        os.replace(partial, target)        # a half-written backup never looks like a backup
        return target

    def backup(self, label: str = "manual", keep: int | None = None) -> Path:
        """Copy the database to `<data_dir>/backups/yici-<label>-<time>.db`; with `keep`,
        delete older backups of the same label beyond the newest `keep`. Safe from any thread."""
        try:
            target = self._backup_to(f"yici-{label}")
        except sqlite3.Error as exc:
            mapped = _translate(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc
        if keep is not None:
            same = sorted((self.data_dir / "backups").glob(f"yici-{label}-*.db"),
                          key=lambda p: p.stat().st_mtime, reverse=True)
            for old in same[max(keep, 1):]:
                old.unlink(missing_ok=True)
        return target

    @_guarded
    def check(self) -> list[str]:
        """SQLite's integrity check plus the search index's: ['ok'] when the file is sound."""
        problems = [row[0] for row in self.db.execute("PRAGMA integrity_check")]
        try:
            self.db.execute("INSERT INTO records_fts(records_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems = [p for p in problems if p != "ok"] + [f"search index: {exc}"]
        return problems

    # ----------------------------------------------------------------------------- settings

    @_guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (any JSON value), or `default`."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    @_guarded
    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting (any JSON value)."""
        with self._write() as db:
            db.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       [key, _dumps(value)])

    # -------------------------------------------------------------------------------- forms

    def _remember(self, db: Database, form: Form) -> None:
        db.execute("INSERT OR IGNORE INTO form_versions(form_id, version, title, source, "
                   "remembered_at) VALUES (?, ?, ?, ?, ?)",
                   [form.id, form.version, form.title, form.source, timestamp()])

    @_guarded
    def remember_form(self, form: Form) -> None:
        """Keep this form version's definition, so its records always render and validate.
        The first text kept for an id and version stays (records were entered with it)."""
        with self._write() as db:
            self._remember(db, form)

    @_guarded
    def stored_form_source(self, form_id: str, version: int) -> str | None:
        """The YAML text a form version was remembered with, or None."""
        row = self.db.execute("SELECT source FROM form_versions WHERE form_id = ? AND version = ?",
                              [form_id, version]).fetchone()
        return None if row is None else row[0]

    # ----------------------------------------------------------------------------- branches

    @_guarded
    def add_branch(self, name: str, code: str | None = None,
                   secretary: str | None = None) -> Branch:
        """Add a branch; names are unique."""
        name = (name or "").strip()
        if not name:
            raise NotAllowed("支部名称不能为空。 / A branch needs a name.")
        with self._write() as db:
            self._unique_branch_name(db, name, None)
            cur = db.execute("INSERT INTO branches(name, code, secretary, cadence, created_at) "
                             "VALUES (?, ?, ?, '{}', ?)", [name, code, secretary, timestamp()])
            return Branch(cur.lastrowid, name, code, secretary, {})

    def _unique_branch_name(self, db: Database, name: str, except_id: int | None) -> None:
        row = db.execute("SELECT id FROM branches WHERE name = ?", [name]).fetchone()
        if row is not None and row[0] != except_id:
            raise NotAllowed(f"已经有名为“{name}”的支部了，请换一个名称。"
                             f" / A branch named {name!r} already exists.")

    @_guarded
    def update_branch(self, id: int, **changes: Any) -> Branch:
        """Change a branch's name, code, secretary or cadence overrides."""
        allowed = {"name", "code", "secretary", "cadence"}
        if set(changes) - allowed:
            raise TypeError(f"update_branch: unknown fields {sorted(set(changes) - allowed)}")
        with self._write() as db:
            current = self._branch_row(db, id)
            if "name" in changes:
                changes["name"] = (changes["name"] or "").strip()
                if not changes["name"]:
                    raise NotAllowed("支部名称不能为空。 / A branch needs a name.")
                self._unique_branch_name(db, changes["name"], id)
            for key, value in changes.items():
                db.execute(f"UPDATE branches SET {key} = ? WHERE id = ?",
                           [_dumps(value or {}) if key == "cadence" else value, id])
            return self._branch_row(db, current.id)

    def _branch_row(self, db: Database, id: int) -> Branch:
        row = db.execute("SELECT id, name, code, secretary, cadence FROM branches WHERE id = ?",
                         [id]).fetchone()
        if row is None:
            raise NotFound(f"找不到编号为 {id} 的支部。请用 `yici branches list` 查看已有支部。"
                           f" / No branch with id {id}.")
        return _branch(row)

    @_guarded
    def branches(self) -> list[Branch]:
        """Every branch, in the order they were added."""
        return [_branch(r) for r in self.db.execute(
            "SELECT id, name, code, secretary, cadence FROM branches ORDER BY id")]

    @_guarded
    def branch(self, id: int) -> Branch:
        """The branch with this id (NotFound otherwise)."""
        return self._branch_row(self.db, id)

    @_guarded
    def find_branch(self, name_or_code: str) -> Branch | None:
        """The branch with this exact name, else this code, else this numeric id; or None."""
        text = str(name_or_code).strip()
        cols = "SELECT id, name, code, secretary, cadence FROM branches"
        for sql, arg in ((f"{cols} WHERE name = ?", text), (f"{cols} WHERE code = ? ORDER BY id", text),
                         (f"{cols} WHERE id = ?", int(text) if text.isdigit() else None)):
            if arg is None:
                continue
            row = self.db.execute(sql, [arg]).fetchone()
            if row is not None:
                return _branch(row)
        return None

    # ------------------------------------------------------------------------------ members

    def _member_row(self, db: Database, id: int) -> Member:
        row = db.execute(f"SELECT {_MEMBER_COLUMNS} FROM members WHERE id = ? AND removed_at IS NULL",
                         [id]).fetchone()
        if row is None:
            raise NotFound(f"找不到编号为 {id} 的党员（可能已移出名册）。 / No member with id {id}.")
        return Member(*row)

    @staticmethod
    def _check_role(role: str) -> str:
        if role not in ROLES:
            raise NotAllowed(f"身份“{role}”不在可选范围内（{'、'.join(ROLES)}）。"
                             f" / Unknown role {role!r}.")
        return role

    def _check_member_name(self, db: Database, branch_id: int, name: str,
                           except_id: int | None) -> str:
        name = (name or "").strip()
        if not name:
            raise NotAllowed("党员姓名不能为空。 / A member needs a name.")
        row = db.execute("SELECT id FROM members WHERE branch_id = ? AND name = ? "
                         "AND removed_at IS NULL", [branch_id, name]).fetchone()
        if row is not None and row[0] != except_id:
            raise NotAllowed(f"名册中已经有“{name}”。同名的人请加以区分（例如“{name}（大）”）。"
                             f" / {name!r} is already on the roster.")
        return name

    def _insert_member(self, db: Database, branch_id: int, name: str, role: str,
                       phone: str | None) -> Member:
        name = self._check_member_name(db, branch_id, name, None)
        self._check_role(role)
        position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM members "
                              "WHERE branch_id = ?", [branch_id]).fetchone()[0]
        cur = db.execute("INSERT INTO members(branch_id, name, role, phone, position) "
                         "VALUES (?, ?, ?, ?, ?)", [branch_id, name, role, phone, position])
        return Member(cur.lastrowid, branch_id, name, role, phone, position)

    @_guarded
    def add_member(self, branch_id: int, name: str, role: str = "党员",
                   phone: str | None = None) -> Member:
        """Add a person at the end of a branch's roster."""
        with self._write() as db:
            self._branch_row(db, branch_id)
            return self._insert_member(db, branch_id, name, role, phone)

    @_guarded
    def update_member(self, id: int, **changes: Any) -> Member:
        """Change a member's name, role, phone or roster position."""
        allowed = {"name", "role", "phone", "position"}
        if set(changes) - allowed:
            raise TypeError(f"update_member: unknown fields {sorted(set(changes) - allowed)}")
        with self._write() as db:
            current = self._member_row(db, id)
            if "name" in changes:
                changes["name"] = self._check_member_name(db, current.branch_id,
                                                          changes["name"], id)
            if "role" in changes:
                self._check_role(changes["role"])
            for key, value in changes.items():
                db.execute(f"UPDATE members SET {key} = ? WHERE id = ?", [value, id])
            return self._member_row(db, id)

    @_guarded
    def remove_member(self, id: int) -> None:
        """Take a person off the roster; records that name them keep the name."""
        with self._write() as db:
            self._member_row(db, id)
            db.execute("UPDATE members SET removed_at = ? WHERE id = ?", [timestamp(), id])

    @_guarded
    def members(self, branch_id: int) -> list[Member]:
        """The branch's current roster, in roster order."""
        return [Member(*r) for r in self.db.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM members WHERE branch_id = ? AND removed_at IS NULL "
            "ORDER BY position, id", [branch_id])]

    @_guarded
    def import_members(self, branch_id: int, rows: list[dict]) -> list[Member]:
        """Add or update many people in one transaction (all or nothing). Each row has `name`
        and optionally `role` and `phone`; a name already on the roster is updated in place.
        Returns the member for each row, in row order."""
        result: list[Member] = []
        with self._write() as db:
            self._branch_row(db, branch_id)
            for number, row in enumerate(rows, start=1):
                name = str(row.get("name") or "").strip()
                if not name:
                    raise NotAllowed(f"第 {number} 行没有姓名，整个名册没有导入。请补上姓名后重试。"
                                     f" / Row {number} has no name; nothing was imported.")
                role = row.get("role") or "党员"
                phone = row.get("phone") or None
                try:
                    self._check_role(role)
                except NotAllowed as exc:
                    raise NotAllowed(f"第 {number} 行：{exc}（整个名册没有导入）") from None
                existing = db.execute(
                    f"SELECT {_MEMBER_COLUMNS} FROM members WHERE branch_id = ? AND name = ? "
                    "AND removed_at IS NULL", [branch_id, name]).fetchone()
                if existing is None:
                    result.append(self._insert_member(db, branch_id, name, role, phone))
                    continue
                member = Member(*existing)
                member.role = role if row.get("role") else member.role
                member.phone = phone if "phone" in row else member.phone
                db.execute("UPDATE members SET role = ?, phone = ? WHERE id = ?",
                           [member.role, member.phone, member.id])
                result.append(member)
        return result

    # ------------------------------------------------------------------------------ records

    def _audit(self, db: Database, action: str, operator: str, record_uuid: str | None,
               revision: int | None, detail: dict | None = None, at: str | None = None) -> None:
        db.execute("INSERT INTO audit(at, operator, action, record_uuid, revision, detail) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   [at or timestamp(), operator, action, record_uuid, revision,
                    _dumps(detail or {})])

    @_guarded
    def add_audit(self, action: str, operator: str, *, record_uuid: str | None = None,
                  revision: int | None = None, detail: dict | None = None) -> None:
        """Append an audit line (e.g. "delivered"). Inside a hook it joins that transaction."""
        with self._write() as db:
            self._audit(db, action, operator, record_uuid, revision, detail)

    def _get(self, db: Database, uuid: str) -> Record:
        key = str(uuid).strip().lower()
        row = db.execute(f"SELECT {_RECORD_COLUMNS} FROM records WHERE uuid = ?", [key]).fetchone()
        if row is not None:
            return _record(row)
        if len(key) >= 8:
            # A prefix, as people copy it from a list: a range scan on the unique uuid index.
            rows = db.execute(f"SELECT {_RECORD_COLUMNS} FROM records WHERE uuid >= ? "
                              "AND uuid < ? ORDER BY uuid LIMIT 2",
                              [key, key + "\U0010ffff"]).fetchall()
            if len(rows) == 1:
                return _record(rows[0])
            if len(rows) > 1:
                raise NotFound(f"有多条记录的编号以“{key}”开头，请多输入几位。"
                               f" / Several records start with {key!r}; type more characters.")
        raise NotFound(f"找不到编号为“{uuid}”的记录。可以用 `yici records list` 查看记录列表。"
                       f" / No record {uuid!r}.")

    def _final_hooks(self, db: Database, record: Record) -> None:
        for hook in list(self.on_final_hooks):
            hook(db, record)

    def _add_revision(self, db: Database, record: Record, note: str = "") -> None:
        db.execute("INSERT INTO record_revisions(uuid, revision, status, data, operator, "
                   "saved_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [record.uuid, record.revision, record.status, _dumps(record.data),
                    record.operator, record.updated_at, note])

    def _save(self, db: Database, record: Record) -> None:
        db.execute("UPDATE records SET status = ?, data = ?, revision = ?, operator = ?, "
                   "occurred_on = ?, summary = ?, updated_at = ?, finalized_at = ?, "
                   "void_reason = ?, void_at = ? WHERE uuid = ?",
                   [record.status, _dumps(record.data), record.revision, record.operator,
                    record.occurred_on, record.summary, record.updated_at, record.finalized_at,
                    record.void_reason, record.void_at, record.uuid])

    @_guarded
    def create_record(self, form: Form, branch_id: int, data: dict, operator: str, *,
                      occurred_on: str | None = None, summary: str = "",
                      status: str = "draft") -> Record:
        """Create a draft, or with status="final" a record created and finalized in one
        transaction (audit "created" + "finalized"). Remembers the form version."""
        operator = _require_operator(operator)
        if status not in ("draft", "final"):
            raise NotAllowed(f"新记录只能是草稿或定稿，不能是“{status}”。 / Bad status {status!r}.")
        with self._write() as db:
            self._branch_row(db, branch_id)
            self._remember(db, form)
            now = timestamp()
            final = status == "final"
            record = Record(str(_uuid.uuid4()), form.id, form.version, branch_id, status,
                            dict(data), 1 if final else 0, operator, occurred_on, summary or "",
                            now, now, now if final else None, None, None)
            db.execute(f"INSERT INTO records({_RECORD_COLUMNS}) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [record.uuid, record.form_id, record.form_version, branch_id, status,
                        _dumps(record.data), record.revision, operator, occurred_on,
                        record.summary, now, now, record.finalized_at, None, None])
            self._audit(db, "created", operator, record.uuid, record.revision,
                        {"form_id": form.id, "form_version": form.version}, now)
            if final:
                self._add_revision(db, record)
                self._audit(db, "finalized", operator, record.uuid, 1, {}, now)
                self._final_hooks(db, record)
            return record

    @_guarded
    def save_draft(self, uuid: str, data: dict, operator: str, *,
                   occurred_on: str | None = None, summary: str = "") -> Record:
        """Replace a draft's data (drafts only; audit "edited", at most one per operator per
        EDIT_AUDIT_WINDOW_SECONDS while they keep typing)."""
        operator = _require_operator(operator)
        with self._write() as db:
            record = self._get(db, uuid)
            if record.status != "draft":
                raise NotAllowed(_not_a_draft(record, "按草稿保存"))
            now = timestamp()
            record.data, record.occurred_on, record.summary = dict(data), occurred_on, summary or ""
            record.operator, record.updated_at = operator, now
            self._save(db, record)
            last = db.execute("SELECT at, operator, action FROM audit WHERE record_uuid = ? "
                              "ORDER BY id DESC LIMIT 1", [record.uuid]).fetchone()
            if not (last and last[2] == "edited" and last[1] == operator
                    and _seconds_between(last[0], now) < EDIT_AUDIT_WINDOW_SECONDS):
                self._audit(db, "edited", operator, record.uuid, 0, {}, now)
            return record

    @_guarded
    def finalize(self, uuid: str, operator: str, *, data: dict | None = None,
                 occurred_on: str | None = None, summary: str | None = None) -> Record:
        """Make a draft final (revision 1, kept in history); runs `on_final_hooks` inside."""
        operator = _require_operator(operator)
        with self._write() as db:
            record = self._get(db, uuid)
            if record.status == "final":
                raise NotAllowed("这条记录已经定稿了；如需修改，请使用“更正”。"
                                 " / Already final; use correct to change it.")
            if record.status == "void":
                raise NotAllowed("这条记录已作废，不能定稿。 / A void record cannot be finalized.")
            now = timestamp()
            if data is not None:
                record.data = dict(data)
            if occurred_on is not None:
                record.occurred_on = occurred_on
            if summary is not None:
                record.summary = summary
            record.status, record.revision, record.operator = "final", 1, operator
            record.updated_at = record.finalized_at = now
            self._save(db, record)
            self._add_revision(db, record)
            self._audit(db, "finalized", operator, record.uuid, 1, {}, now)
            self._final_hooks(db, record)
            return record

    @_guarded
    def correct(self, uuid: str, data: dict, operator: str, *, note: str = "",
                occurred_on: str | None = None, summary: str | None = None) -> Record:
        """Correct a final record: a new revision (old ones kept); runs `on_final_hooks`."""
        operator = _require_operator(operator)
        with self._write() as db:
            record = self._get(db, uuid)
            if record.status != "final":
                raise NotAllowed("草稿不需要更正，直接修改后定稿即可。 / Drafts are edited, not corrected."
                                 if record.status == "draft" else
                                 "这条记录已作废，不能更正。 / A void record cannot be corrected.")
            data = dict(data)
            if data == record.data:
                raise NotAllowed("更正的内容与当前版本相同，没有需要保存的改动。"
                                 " / The correction changes nothing.")
            changed = sorted(k for k in set(data) | set(record.data)
                             if data.get(k) != record.data.get(k))
            now = timestamp()
            record.data, record.revision, record.operator, record.updated_at = (
                data, record.revision + 1, operator, now)
            if occurred_on is not None:
                record.occurred_on = occurred_on
            if summary is not None:
                record.summary = summary
            self._save(db, record)
            self._add_revision(db, record, note or "")
            self._audit(db, "corrected", operator, record.uuid, record.revision,
                        {"note": note or "", "changed": changed}, now)
            self._final_hooks(db, record)
            return record

    @_guarded
    def void(self, uuid: str, reason: str, operator: str) -> Record:
        """Void a draft or final record, with a reason; it stays, marked void."""
        operator = _require_operator(operator)
        reason = (reason or "").strip()
        if not reason:
            raise NotAllowed("作废必须写明原因。 / A reason is required to void a record.")
        with self._write() as db:
            record = self._get(db, uuid)
            if record.status == "void":
                raise NotAllowed("这条记录已经作废了。 / Already void.")
            previous = record.status
            now = timestamp()
            record.status, record.void_reason, record.void_at = "void", reason, now
            record.operator, record.updated_at = operator, now
            self._save(db, record)
            self._audit(db, "voided", operator, record.uuid, record.revision,
                        {"reason": reason, "was": previous}, now)
            for hook in list(self.on_void_hooks):
                hook(db, record)
            return record

    @_guarded
    def delete_draft(self, uuid: str, operator: str) -> None:
        """Delete a draft for good (its content stays in the audit line); never a final one."""
        operator = _require_operator(operator)
        with self._write() as db:
            record = self._get(db, uuid)
            if record.status != "draft":
                raise NotAllowed("已定稿或已作废的记录不能删除；如果录错了，请作废并写明原因。"
                                 " / Only drafts can be deleted; void a final record instead.")
            db.execute("DELETE FROM attachments WHERE record_uuid = ?", [record.uuid])
            db.execute("DELETE FROM records WHERE uuid = ?", [record.uuid])
            self._audit(db, "deleted", operator, record.uuid, 0,
                        {"form_id": record.form_id, "form_version": record.form_version,
                         "branch_id": record.branch_id, "summary": record.summary,
                         "data": record.data})

    @_guarded
    def record(self, uuid: str) -> Record:
        """The record with this uuid, or a unique prefix of at least 8 characters."""
        return self._get(self.db, uuid)

    @_guarded
    def history(self, uuid: str) -> list[Revision]:
        """The final revisions of a record, oldest first."""
        record = self._get(self.db, uuid)
        return [Revision(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6])
                for r in self.db.execute(
                    "SELECT uuid, revision, status, data, operator, saved_at, note "
                    "FROM record_revisions WHERE uuid = ? ORDER BY revision", [record.uuid])]

    def _filters(self, branch_id, form_id, status, month, text, since=None, until=None,
                 page: bool = False) -> tuple[str, list]:
        where, args = self._plain_filters(branch_id, form_id, status, month, since, until)
        long_terms, short_terms = _split_terms(text)
        if not (long_terms or short_terms):
            return _where(where), args
        # Trigram FTS finds any substring of 3+ characters, Chinese included; `records_chars`
        # (one token per character, m005) finds any substring as a phrase, so it takes every
        # term as soon as one is 1-2 characters long (one index is much quicker than two).
        # How to join them to the other filters depends on how many records match the text:
        # - few: start from the full-text matches (a lookup per match);
        # - many, for a page: walk the list index in order and stop at the page's end
        #   (`+id`: id not used as a lookup key; with short terms each row's text checked);
        # - many, for a count or an id list: check each row the other filters leave (an
        #   index-only count) when they are fewer than the matches (a branch and a common
        #   character), else a lookup per match (measured at 100,000 records,
        #   tests/benchmarks/bench_store.py).
        matches = self._text_count(long_terms, short_terms)
        if matches <= _MANY_MATCHES:
            mode = "lookup"
        elif page:
            mode = "walk"
        else:
            rows = self.db.execute(f"SELECT count(*) FROM records{_where(where)}",
                                   args).fetchone()[0]
            mode = "walk" if where and rows * _WALK_RATIO < matches else "lookup"
        if not short_terms:
            where.append(f"{'id' if mode == 'lookup' else '+id'} IN "
                         "(SELECT rowid FROM records_fts WHERE records_fts MATCH ?)")
            args.append(_fts_query(long_terms))
        elif mode == "lookup":
            where.append("id IN (SELECT rowid FROM records_chars WHERE records_chars MATCH ?)")
            args.append(_chars_query(long_terms + short_terms))
        else:
            for term in long_terms + short_terms:
                like = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                where.append("EXISTS (SELECT 1 FROM record_text t WHERE t.id = records.id AND "
                             "(t.summary LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\'))")
                args += [like, like]
        return _where(where), args

    @staticmethod
    def _plain_filters(branch_id, form_id, status, month, since, until) -> tuple[list, list]:
        where, args = where_equal({"branch_id": branch_id, "form_id": form_id})
        if status is not None:
            if status not in STATUSES:
                raise NotAllowed(f"状态只能是 {', '.join(STATUSES)}，不能是“{status}”。"
                                 f" / Unknown status {status!r}.")
            where.append("status = ?")
            args.append(status)
        if month is not None:
            if not _MONTH.match(str(month)):
                raise NotAllowed(f"月份应写成 YYYY-MM（例如 2026-11），而不是“{month}”。"
                                 f" / Month must be YYYY-MM.")
            where.append("occurred_on BETWEEN ? AND ?")     # a range the indices can use
            args += [f"{month}-01", f"{month}-31"]
        if since is not None:
            where.append("occurred_on >= ?")
            args.append(_day(since, "起始日期"))
        if until is not None:
            where.append("occurred_on <= ?")
            args.append(_day(until, "截止日期"))
        return where, args

    def _text_count(self, long_terms: list[str], short_terms: list[str]) -> int:
        """How many records contain every term, from a full-text index alone (one FTS row per
        record; counting inside FTS5 is several times faster than listing rowids)."""
        table, query = (("records_chars", _chars_query(long_terms + short_terms)) if short_terms
                        else ("records_fts", _fts_query(long_terms)))
        return self.db.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?",
                               [query]).fetchone()[0]

    @_guarded
    def records(self, *, branch_id: int | None = None, form_id: str | None = None,
                status: str | None = None, month: str | None = None, text: str | None = None,
                since: str | None = None, until: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[Record]:
        """Records matching every given filter, newest (by day it happened) first.
        `since` / `until` ('YYYY-MM-DD', both included) bound the day it happened."""
        where, args = self._filters(branch_id, form_id, status, month, text, since, until,
                                    page=limit is not None)
        sql = (f"SELECT {_RECORD_COLUMNS} FROM records{where} "
               "ORDER BY occurred_on DESC, id DESC LIMIT ? OFFSET ?")
        return [_record(r) for r in self.db.execute(sql, args + [-1 if limit is None else limit,
                                                                 offset])]

    @_guarded
    def count_records(self, *, branch_id: int | None = None, form_id: str | None = None,
                      status: str | None = None, month: str | None = None,
                      text: str | None = None, since: str | None = None,
                      until: str | None = None) -> int:
        """How many records match the filters (the same filters as `records`)."""
        long_terms, short_terms = _split_terms(text)
        plain, _ = self._plain_filters(branch_id, form_id, status, month, since, until)
        if (long_terms or short_terms) and not plain:
            return self._text_count(long_terms, short_terms)
        where, args = self._filters(branch_id, form_id, status, month, text, since, until)
        return self.db.execute(f"SELECT count(*) FROM records{where}", args).fetchone()[0]

    @_guarded
    def record_uuids(self, *, branch_id: int | None = None, form_id: str | None = None,
                     status: str | None = None, month: str | None = None,
                     text: str | None = None, since: str | None = None,
                     until: str | None = None) -> list[str]:
        """Just the uuids of matching records, in list order (for on-demand table models)."""
        where, args = self._filters(branch_id, form_id, status, month, text, since, until)
        return [r[0] for r in self.db.execute(
            f"SELECT uuid FROM records{where} ORDER BY occurred_on DESC, id DESC", args)]

    @_guarded
    def records_for_cadence(self, branch_id: int,
                            since: str | Mapping[str, str] | None = None
                            ) -> list[tuple[str, str, str, dict]]:
        """What forms.cadence.due_items needs of a branch, in one indexed query: its final
        records as (form_id, status, occurred_on, data), newest first. `since` is a day
        ('YYYY-MM-DD', included) or {form_id: day} (other forms left out); None for all."""
        where, args = ["branch_id = ?", "status = 'final'", "occurred_on IS NOT NULL"], [branch_id]
        if isinstance(since, Mapping):
            if not since:
                return []
            days = {form: _day(day, "起始日期") for form, day in since.items()}
            where.append("occurred_on >= ?")          # the index range; forms narrow it below
            args.append(min(days.values()))
            where.append("(" + " OR ".join("(form_id = ? AND occurred_on >= ?)" for _ in days) + ")")
            for form, day in days.items():
                args += [form, day]
        elif since is not None:
            where.append("occurred_on >= ?")
            args.append(_day(since, "起始日期"))
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in self.db.execute(
            f"SELECT form_id, status, occurred_on, data FROM records WHERE {' AND '.join(where)} "
            "ORDER BY occurred_on DESC, id DESC", args)]

    @_guarded
    def audit(self, record_uuid: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit lines, oldest first; with `limit`, the newest `limit` of them."""
        where, args = ("WHERE record_uuid = ?", [record_uuid]) if record_uuid else ("", [])
        rows = self.db.execute(
            f"SELECT id, at, operator, action, record_uuid, revision, detail FROM audit {where} "
            "ORDER BY id DESC LIMIT ?", args + [-1 if limit is None else limit]).fetchall()
        return [AuditEntry(*r[:6], json.loads(r[6])) for r in reversed(rows)]

    @_guarded
    def last_values(self, branch_id: int, form_id: str) -> dict:
        """The data of this branch's newest final record of this form (for default `last`)."""
        row = self.db.execute(
            "SELECT data FROM records WHERE branch_id = ? AND form_id = ? AND status = 'final' "
            "ORDER BY occurred_on DESC, id DESC LIMIT 1", [branch_id, form_id]).fetchone()
        return {} if row is None else json.loads(row[0])

    # -------------------------------------------------------------------------- attachments

    def _attachment_file(self, sha256: str) -> Path:
        return self.data_dir / "attachments" / sha256[:2] / sha256

    def _store_file(self, source: bytes | str | Path) -> tuple[str, int]:
        """Copy the content into the attachments folder under its SHA-256, atomically
        (temporary file, fsync, rename), so a power cut never leaves half a photo."""
        folder = self.data_dir / "attachments"
        folder.mkdir(exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, (bytes, bytearray, memoryview)):
                    chunks: Any = [bytes(source)]
                else:
                    src = open(source, "rb")
                    chunks = iter(lambda: src.read(1 << 20), b"")
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                if not isinstance(source, (bytes, bytearray, memoryview)):
                    src.close()
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self._attachment_file(sha)
            target.parent.mkdir(exist_ok=True)
            if target.exists():
                os.unlink(tmp)
            else:
                os.replace(tmp, target)
                _fsync_dir(target.parent)
            return sha, size
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    @_guarded
    def add_attachment(self, uuid: str, path_or_bytes: bytes | str | Path,
                       name: str | None = None) -> Attachment:
        """Attach a file (path or bytes) to a record; stored once per content."""
        record = self._get(self.db, uuid)
        if record.status == "void":
            raise NotAllowed("已作废的记录不能再添加附件。 / A void record takes no attachments.")
        if name is None:
            if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
                raise NotAllowed("请给附件起个文件名。 / An attachment needs a name.")
            name = Path(path_or_bytes).name
        try:
            sha, size = self._store_file(path_or_bytes)
        except FileNotFoundError as exc:
            raise NotFound(f"找不到要添加的文件：{path_or_bytes}。 / File not found.") from exc
        except OSError as exc:
            raise StoreError(f"无法保存附件“{name}”：{exc.strerror}。请检查磁盘空间和文件夹权限。"
                             " / Could not store the attachment.") from exc
        with self._write() as db:
            db.execute("INSERT OR IGNORE INTO attachments(sha256, record_uuid, name, size, "
                       "added_at) VALUES (?, ?, ?, ?, ?)",
                       [sha, record.uuid, name, size, timestamp()])
        return Attachment(sha, name, size, record.uuid)

    @_guarded
    def attachments(self, uuid: str) -> list[Attachment]:
        """A record's attachments, in the order they were added."""
        record = self._get(self.db, uuid)
        return [Attachment(*r) for r in self.db.execute(
            "SELECT sha256, name, size, record_uuid FROM attachments WHERE record_uuid = ? "
            "ORDER BY id", [record.uuid])]

    def attachment_path(self, sha256: str) -> Path:
        """Where an attachment's content is stored (NotFound if it is not there)."""
        sha = str(sha256).lower()
        path = self._attachment_file(sha) if _SHA256.match(sha) else None
        if path is None or not path.is_file():
            raise NotFound(f"附件文件不存在：{sha256}。 / Attachment file missing.")
        return path

    # ------------------------------------------------------------- deployment and handover
    # Used by forms/backups.py, forms/profile.py and forms/handover.py: a consistent copy of
    # the file, one transaction around many steps, and taking in another laptop's rows as
    # they are (uuids, revisions, times kept). Every merge_* is idempotent.

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """One write transaction around several store calls (they nest): all of them or none."""
        with self._lock, self._write():
            yield self

    @_guarded
    def copy_to(self, path: str | Path) -> Path:
        """Write a consistent copy of the database to `path` (online backup API), atomically."""
        path = Path(path)
        partial = path.with_name(path.name + ".part")
        dest = sqlite3.connect(str(partial))
        try:
            self.db.conn.backup(dest)
        finally:
            dest.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
        return path

    @_guarded
    def all_settings(self) -> dict[str, Any]:
        """Every stored setting, {key: value}."""
        return {k: json.loads(v) for k, v in self.db.execute("SELECT key, value FROM settings")}

    @_guarded
    def form_versions(self) -> list[tuple[str, int, str, str, str]]:
        """(form_id, version, title, source, remembered_at) of every remembered form version."""
        return [tuple(r) for r in self.db.execute(
            "SELECT form_id, version, title, source, remembered_at FROM form_versions "
            "ORDER BY form_id, version")]

    @_guarded
    def merge_form_version(self, form_id: str, version: int, title: str, source: str,
                           remembered_at: str) -> bool:
        """Remember a form version from another laptop unless known; True when added."""
        with self._write() as db:
            cur = db.execute("INSERT OR IGNORE INTO form_versions(form_id, version, title, source, "
                             "remembered_at) VALUES (?, ?, ?, ?, ?)",
                             [form_id, version, title, source, remembered_at])
            return cur.rowcount == 1

    @_guarded
    def merge_record(self, record: Record, revisions: list[Revision]) -> str:
        """Take in a record from another laptop by uuid ('added' / 'updated' / 'unchanged'): only
        a higher revision replaces ours; at the same revision (a draft both laptops typed into,
        say) this laptop's copy is kept, since clocks differ and this is where work goes on.
        Revision histories are joined."""
        with self._write() as db:
            row = db.execute("SELECT revision, updated_at FROM records WHERE uuid = ?",
                             [record.uuid]).fetchone()
            outcome = "unchanged"
            if row is None:
                db.execute(f"INSERT INTO records({_RECORD_COLUMNS}) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [record.uuid, record.form_id, record.form_version, record.branch_id,
                            record.status, _dumps(record.data), record.revision, record.operator,
                            record.occurred_on, record.summary, record.created_at,
                            record.updated_at, record.finalized_at, record.void_reason,
                            record.void_at])
                outcome = "added"
            elif record.revision > row[0]:
                self._save(db, record)
                outcome = "updated"
            for rev in revisions:
                cur = db.execute("INSERT OR IGNORE INTO record_revisions(uuid, revision, status, "
                                 "data, operator, saved_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [record.uuid, rev.revision, rev.status, _dumps(rev.data),
                                  rev.operator, rev.saved_at, rev.note])
                if cur.rowcount and outcome == "unchanged":
                    outcome = "updated"
            return outcome

    @_guarded
    def merge_audit(self, entry: AuditEntry) -> bool:
        """Append another laptop's audit line unless the very same line is here; True if added."""
        with self._write() as db:
            detail = _dumps(entry.detail or {})
            if db.execute("SELECT 1 FROM audit WHERE at = ? AND operator = ? AND action = ? AND "
                          "record_uuid IS ? AND revision IS ? AND detail = ? LIMIT 1",
                          [entry.at, entry.operator, entry.action, entry.record_uuid,
                           entry.revision, detail]).fetchone():
                return False
            self._audit(db, entry.action, entry.operator, entry.record_uuid, entry.revision,
                        entry.detail, entry.at)
            return True

    @_guarded
    def merge_attachment(self, record_uuid: str, sha256: str, name: str,
                         source: str | Path) -> bool:
        """Attach another laptop's file (content checked against its SHA-256); True if added."""
        path = self._attachment_file(sha256)
        if not path.is_file():
            sha, _ = self._store_file(source)
            if sha != sha256:
                raise StoreCorrupt(f"附件“{name}”的内容与记录不符（可能文件已损坏），没有导入。"
                                   " / Attachment content does not match its SHA-256.")
        with self._write() as db:
            cur = db.execute("INSERT OR IGNORE INTO attachments(sha256, record_uuid, name, size, "
                             "added_at) VALUES (?, ?, ?, ?, ?)",
                             [sha256, record_uuid, name, path.stat().st_size, timestamp()])
            return cur.rowcount == 1

    @_guarded
    def merge_delivery(self, delivery: Any, target_id: int) -> str:
        """Take in another laptop's delivery (a `Delivery`) for a local target by record, revision
        and target: 'added', 'updated' (it was delivered there, not yet here) or 'unchanged'."""
        d = delivery
        with self._write() as db:
            row = db.execute("SELECT id, state FROM deliveries WHERE record_uuid = ? AND revision = ? "
                             "AND target_id = ?", [d.record_uuid, d.revision, target_id]).fetchone()
            if row is None:
                db.execute("INSERT INTO deliveries(record_uuid, revision, target_id, state, attempts, "
                           "message, remote_id, payload, queued_at, sent_at, delivered_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [d.record_uuid, d.revision, target_id, d.state, d.attempts, d.message,
                            d.remote_id, d.payload, d.queued_at, d.sent_at, d.delivered_at,
                            d.updated_at])
                return "added"
            if d.state == "delivered" and row[1] not in ("delivered", "superseded"):
                db.execute("UPDATE deliveries SET state = 'delivered', delivered_at = ?, "
                           "remote_id = coalesce(?, remote_id), next_attempt_at = NULL, "
                           "updated_at = ? WHERE id = ?",
                           [d.delivered_at, d.remote_id, timestamp(), row[0]])
                return "updated"
            return "unchanged"


def _where(where: list[str]) -> str:
    return (" WHERE " + " AND ".join(where)) if where else ""


def _split_terms(text: str | None) -> tuple[list[str], list[str]]:
    """Search terms (split on spaces) of 3+ characters, and of 1-2 characters."""
    long_terms, short_terms = [], []
    for term in (text or "").split():
        (long_terms if len(term) >= 3 else short_terms).append(term)
    return long_terms, short_terms


def _day(value: Any, what: str) -> str:
    text = str(value)
    try:
        if _DAY.match(text):
            _dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise NotAllowed(f"{what}应写成 YYYY-MM-DD（例如 2026-11-05），而不是“{value}”。"
                     f" / A day must be YYYY-MM-DD.")


def _chars_query(terms: list[str]) -> str:
    """An FTS5 query on `records_chars` matching every term as a substring: each term a phrase
    of its characters, mapped as migrations._CHARS maps the text (quotes cannot occur)."""
    return " AND ".join('"' + " ".join(
        ch if ord(ch) > 127 or (ch.isascii() and ch.isalnum()) else f"u{ord(ch)}" for ch in term)
        + '"' for term in terms)


def _fts_query(terms: list[str]) -> str:
    """An FTS5 query matching every term as a literal substring (quotes escaped)."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _not_a_draft(record: Record, step: str) -> str:
    if record.status == "final":
        return (f"这条记录已经定稿，不能再{step}；如需修改，请使用“更正”。"
                " / The record is final; use correct to change it.")
    return f"这条记录已作废，不能再{step}。 / The record is void."


def _seconds_between(earlier: str, later: str) -> float:
    try:
        return (_dt.datetime.fromisoformat(later) - _dt.datetime.fromisoformat(earlier)).total_seconds()
    except ValueError:
        return float("inf")


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
