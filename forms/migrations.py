"""Schema steps of the Yici database, as small numbered sqlite-utils migrations.

Each step is applied once, inside its own transaction (sqlite-utils records it in `_sqlite_migrations`).
Never edit a step that has shipped: add a new one. The store (forms/store/connection.py) backs the
file up before applying pending steps and refuses files with steps it does not know.

Statements are executed one by one rather than with `executescript`, because the latter
commits first and would break the step's transaction.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from forms.migration_registry import FUNCTIONS, MIGRATION_SET, STEPS, _run, _step
from forms.search_sql import _BODY, _CHARS, _CHARS_DELETE, _CHARS_INSERT, _FTS_DELETE, _FTS_INSERT
from forms.secrecy import origin_of

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

_migrations: Migrations | None = None


def migration_set() -> Migrations:
    """The steps as sqlite-utils migrations (sqlite-utils is imported here, on first need:
    opening a database whose steps are all applied only reads their names, store/verify.py)."""
    global _migrations
    if _migrations is None:
        from sqlite_utils import Migrations

        steps = Migrations(MIGRATION_SET)
        for fn in FUNCTIONS:
            steps()(fn)
        _migrations = steps
    return _migrations


def __getattr__(name: str):
    if name == "migrations":  # `from forms.migrations import migrations`
        return migration_set()
    raise AttributeError(name)


@_step
def m001_initial(db: Database) -> None:
    """Settings, branches and their rosters."""
    _run(
        db,
        [
            """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL            -- JSON
        )""",
            """CREATE TABLE branches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            code TEXT,
            secretary TEXT,
            cadence TEXT NOT NULL DEFAULT '{}',   -- JSON: per-branch cadence overrides
            created_at TEXT NOT NULL
        )""",
            """CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            branch_id INTEGER NOT NULL REFERENCES branches(id),
            name TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '党员',
            phone TEXT,
            position INTEGER NOT NULL,            -- roster order within the branch
            removed_at TEXT                       -- soft removal: old records still name them
        )""",
            "CREATE INDEX members_branch ON members(branch_id, position)",
        ],
    )


@_step
def m002_records(db: Database) -> None:
    """Form versions, records, their revision history and the append-only audit."""
    _run(
        db,
        [
            """CREATE TABLE form_versions (
            form_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            source TEXT NOT NULL,                 -- the YAML a record was entered with
            remembered_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        )""",
            # `id` is an explicit rowid alias so full-text rows (m003) can point at a record by a
            # number VACUUM never renumbers; `uuid` is the identity everywhere else.
            """CREATE TABLE records (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            branch_id INTEGER NOT NULL REFERENCES branches(id),
            status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'void')),
            data TEXT NOT NULL,                   -- JSON
            revision INTEGER NOT NULL DEFAULT 0,  -- 0 while a draft; 1 when finalized; +1 per correction
            operator TEXT NOT NULL,
            occurred_on TEXT,                     -- 'YYYY-MM-DD' the meeting/visit happened
            summary TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finalized_at TEXT,
            void_reason TEXT,
            void_at TEXT,
            FOREIGN KEY (form_id, form_version) REFERENCES form_versions(form_id, version)
        )""",
            """CREATE TABLE record_revisions (
            uuid TEXT NOT NULL REFERENCES records(uuid),
            revision INTEGER NOT NULL,
            status TEXT NOT NULL,
            data TEXT NOT NULL,
            operator TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (uuid, revision)
        )""",
            # No foreign key to records: the audit outlives deleted drafts.
            """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            operator TEXT NOT NULL,
            action TEXT NOT NULL,
            record_uuid TEXT,
            revision INTEGER,
            detail TEXT NOT NULL DEFAULT '{}'
        )""",
            "CREATE INDEX audit_record ON audit(record_uuid)",
            """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
           BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END""",
            """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
           BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END""",
        ],
    )


@_step
def m003_attachments_search(db: Database) -> None:
    """Attachments, list/filter indices and trigram full-text search (works for Chinese)."""
    _run(
        db,
        [
            """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,                 -- file at attachments/<sha[:2]>/<sha>
            record_uuid TEXT NOT NULL REFERENCES records(uuid),
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (record_uuid, sha256, name)
        )""",
            "CREATE INDEX attachments_sha ON attachments(sha256)",
            # Lists are ordered `occurred_on DESC, id DESC`. Each index carries (occurred_on, id)
            # so the order needs no sort, then uuid and the other filter columns so that id lists,
            # counts and combined filters are answered from the index alone: at 100,000 records
            # the worst filter is one index scan, never a walk through the JSON rows.
            "CREATE INDEX records_day ON records(occurred_on, id, uuid, branch_id, form_id, status)",
            "CREATE INDEX records_branch_day ON records(branch_id, occurred_on, id, uuid, form_id, status)",
            "CREATE INDEX records_form_day ON records(form_id, occurred_on, id, uuid, status)",
            "CREATE INDEX records_status_day ON records(status, occurred_on, id, uuid)",
            # The searchable text of each record, kept by triggers. It is the content of the
            # trigram index (3+ characters, any language) and what 1-2 character searches scan.
            """CREATE TABLE record_text (
            id INTEGER PRIMARY KEY,               -- records.id
            summary TEXT NOT NULL,
            body TEXT NOT NULL
        )""",
            """CREATE VIRTUAL TABLE records_fts USING fts5(
            summary, body, content = 'record_text', content_rowid = 'id', tokenize = 'trigram'
        )""",
            f"""CREATE TRIGGER records_text_insert AFTER INSERT ON records BEGIN
            INSERT INTO record_text(id, summary, body)
            VALUES (new.id, new.summary, coalesce({_BODY.format("new")}, ''));
            {_FTS_INSERT}
        END""",
            f"""CREATE TRIGGER records_text_update AFTER UPDATE OF summary, data ON records BEGIN
            {_FTS_DELETE}
            UPDATE record_text SET summary = new.summary,
                body = coalesce({_BODY.format("new")}, '') WHERE id = new.id;
            {_FTS_INSERT}
        END""",
            f"""CREATE TRIGGER records_text_delete AFTER DELETE ON records BEGIN
            {_FTS_DELETE}
            DELETE FROM record_text WHERE id = old.id;
        END""",
            f"""INSERT INTO record_text(id, summary, body)
            SELECT id, summary, coalesce({_BODY.format("records")}, '') FROM records""",
            "INSERT INTO records_fts(records_fts) VALUES ('rebuild')",
        ],
    )


@_step
def m004_targets_deliveries(db: Database) -> None:
    """Platforms to deliver to, and one delivery per record revision per platform."""
    _run(
        db,
        [
            # Secrets are never here: they live in the OS keyring under the target's id.
            """CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            url TEXT,
            forms TEXT NOT NULL DEFAULT '[]',        -- JSON list of form ids; empty = all
            branches TEXT NOT NULL DEFAULT '[]',     -- JSON list of branch names; empty = all
            template TEXT,
            options TEXT NOT NULL DEFAULT '{}',      -- JSON
            enabled INTEGER NOT NULL DEFAULT 1,
            attention TEXT,                          -- why the target is stopped, or NULL
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            removed_at TEXT
        )""",
            "CREATE UNIQUE INDEX targets_live_name ON targets(name) WHERE removed_at IS NULL",
            """CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            record_uuid TEXT NOT NULL REFERENCES records(uuid),
            revision INTEGER NOT NULL,
            target_id INTEGER NOT NULL REFERENCES targets(id),
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL,                    -- epoch seconds: automatic retry after backoff
            not_before REAL,                         -- epoch seconds: Retry-After / rate limit floor
            last_attempt_at REAL,
            message TEXT NOT NULL DEFAULT '',
            remote_id TEXT,
            payload TEXT NOT NULL DEFAULT '',
            queued_at TEXT NOT NULL,
            sent_at TEXT,
            delivered_at TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (record_uuid, revision, target_id)
        )""",
            "CREATE INDEX deliveries_due ON deliveries(target_id, state, id)",
            "CREATE INDEX deliveries_state ON deliveries(state)",
        ],
    )


@_step
def m005_char_search_status_index(db: Database) -> None:
    """Search for 1-2 characters from an index, and lists/counts by branch and status from one.

    `records_chars` indexes every character of the record text as a token (contentless: the
    text is in `record_text`), so a 1-2 character term is an FTS phrase instead of a LIKE over
    every row. The text triggers of m003 are replaced to keep both indices, and to skip the
    work when neither summary nor data changed (finalizing an unchanged draft)."""
    _run(
        db,
        [
            # branch + status (+ day range): counts by status, the due view's finals since a day.
            "CREATE INDEX records_branch_status_day "
            "ON records(branch_id, status, occurred_on, id, uuid, form_id)",
            """CREATE VIRTUAL TABLE records_chars USING fts5(
            summary, body, content = '', tokenize = 'ascii'
        )""",
            "DROP TRIGGER records_text_insert",
            "DROP TRIGGER records_text_update",
            "DROP TRIGGER records_text_delete",
            f"""CREATE TRIGGER records_text_insert AFTER INSERT ON records BEGIN
            INSERT INTO record_text(id, summary, body)
            VALUES (new.id, new.summary, coalesce({_BODY.format("new")}, ''));
            {_FTS_INSERT}
            {_CHARS_INSERT}
        END""",
            f"""CREATE TRIGGER records_text_update AFTER UPDATE OF summary, data ON records
            WHEN old.summary IS NOT new.summary OR old.data IS NOT new.data BEGIN
            {_FTS_DELETE}
            {_CHARS_DELETE}
            UPDATE record_text SET summary = new.summary,
                body = coalesce({_BODY.format("new")}, '') WHERE id = new.id;
            {_FTS_INSERT}
            {_CHARS_INSERT}
        END""",
            f"""CREATE TRIGGER records_text_delete AFTER DELETE ON records BEGIN
            {_FTS_DELETE}
            {_CHARS_DELETE}
            DELETE FROM record_text WHERE id = old.id;
        END""",
            f"""INSERT INTO records_chars(rowid, summary, body)
            SELECT id, {_CHARS.format("summary")}, {_CHARS.format("body")} FROM record_text""",
        ],
    )


# REST options that hold an address its requests (with their credentials) go to, as of m006.
_M006_REST_ADDRESSES = ("update_url", "test_url")
_M006_REST_AUTHS = ("bearer", "api_key", "hmac")


@_step
def m006_keyring_scope(db: Database) -> None:
    """Secrets that belong to one data folder and one target, bound to where they were entered for.

    `data_folder_id` (a setting) and `targets.uid` (never reused) name the keyring entries, so
    another data folder on the same account, or a target made after an older backup was
    restored, never finds them. `targets.secret_origin` is the "scheme://host:port" the secrets
    were entered for (not secret): a REST target that uses a credential is bound to its
    addresses as they are now. `keyring_adopt` lists the targets whose entries under the old names
    ("target-<id>:<name>") are to be moved on first use; `keyring_forget` the entries of targets
    removed or moved elsewhere that are still to be deleted from the keyring."""
    from uuid import uuid4  # here: `uuid` imports `platform`, ~3 ms at every start otherwise

    _run(
        db,
        [
            "ALTER TABLE targets ADD COLUMN uid TEXT",
            "ALTER TABLE targets ADD COLUMN secret_origin TEXT",
        ],
    )
    adopt = []
    for target_id, kind, url, options, removed_at in db.execute(
        "SELECT id, kind, url, options, removed_at FROM targets ORDER BY id"
    ).fetchall():
        uid = uuid4().hex
        origin = None
        try:
            values = json.loads(options or "{}")
        except ValueError:
            values = {}
        values = values if isinstance(values, dict) else {}
        auth = str(values.get("auth") or "none").strip().lower()
        if kind == "rest" and auth in _M006_REST_AUTHS:
            urls = [url] + [values.get(key) for key in _M006_REST_ADDRESSES]
            origins = sorted({o for o in map(origin_of, (str(u) for u in urls if u)) if o})
            origin = " ".join(origins) or None
        db.execute("UPDATE targets SET uid = ?, secret_origin = ? WHERE id = ?", [uid, origin, target_id])
        if removed_at is None:
            adopt.append([target_id, uid])
    _run(db, ["CREATE UNIQUE INDEX targets_uid ON targets(uid)"])
    for key, value in (
        ("data_folder_id", uuid4().hex),
        ("keyring_adopt", adopt),
        ("keyring_forget", []),
    ):
        db.execute(
            "INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)",
            [key, json.dumps(value, separators=(",", ":"))],
        )


@_step
def m007_hub(db: Database) -> None:
    """The township hub: each branch's uid on the hub (kept through renames), and the revisions
    the hub refused because another laptop had corrected the record first (`hub_conflicts`, one
    open per record; `theirs` is the hub's revision as JSON) until a person chose a version."""
    _run(
        db,
        [
            "ALTER TABLE branches ADD COLUMN hub_uid TEXT",
            "CREATE UNIQUE INDEX branches_hub_uid ON branches(hub_uid) WHERE hub_uid IS NOT NULL",
            """CREATE TABLE hub_conflicts (
            id INTEGER PRIMARY KEY,
            record_uuid TEXT NOT NULL REFERENCES records(uuid),
            revision INTEGER NOT NULL,            -- the local revision the hub refused
            target_id INTEGER NOT NULL REFERENCES targets(id),
            theirs TEXT NOT NULL,                 -- JSON: the hub's current revision
            found_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT,                      -- 'mine', 'theirs' or 'merged'
            resolved_by TEXT
        )""",
            "CREATE UNIQUE INDEX hub_conflicts_open ON hub_conflicts(record_uuid) WHERE resolved_at IS NULL",
        ],
    )


def known_names() -> list[str]:
    """Names of every schema step this app knows, in order."""
    return list(STEPS)


# The later steps register after the ones above: imported last, on purpose.
from forms import migrations_later  # noqa: E402,F401
