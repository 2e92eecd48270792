"""Schema steps from m008 on (forms/migrations.py has the first seven and imports this module
last, so these steps register after them, in the order written here; the registry is
forms/migration_registry.py). Never edit a step that has shipped: add a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms.migration_registry import _run, _step

if TYPE_CHECKING:
    from sqlite_utils import Database


@_step
def m008_delivery_proofs(db: Database) -> None:
    """Screenshots proving a web-form delivery (kind `browser`): before and after submitting, or
    the platform's list already holding the record (`kind`); the PNG is attachments/<sha256>."""
    table = """CREATE TABLE delivery_proofs (id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id), kind TEXT NOT NULL,
        sha256 TEXT NOT NULL, taken_at TEXT NOT NULL, url TEXT NOT NULL DEFAULT '')"""
    _run(db, [table, "CREATE INDEX delivery_proofs_delivery ON delivery_proofs(delivery_id)"])


@_step
def m009_photo_facts(db: Database) -> None:
    """What each photo says about itself, read once when it is attached (forms/photos): its time,
    place, camera and orientation as JSON, and its perceptual hash for finding the same picture
    in other records; keyed by the file's SHA-256 like attachments/. And a branch's position
    (decimal degrees), for the distance of a photo's place from the village."""
    table = """CREATE TABLE photo_facts (sha256 TEXT PRIMARY KEY, facts TEXT NOT NULL,
        picture_hash TEXT NOT NULL, read_at TEXT NOT NULL)"""
    _run(
        db,
        [
            table,
            "ALTER TABLE branches ADD COLUMN latitude REAL",
            "ALTER TABLE branches ADD COLUMN longitude REAL",
        ],
    )


# The audit as m002 made it, numbered by its rowid: it is append-only (the triggers), so an id is
# never freed and AUTOINCREMENT's own table (one more page written with every line) buys nothing.
_AUDIT = """CREATE TABLE audit_new (id INTEGER PRIMARY KEY, at TEXT NOT NULL, operator TEXT NOT NULL,
    action TEXT NOT NULL, record_uuid TEXT, revision INTEGER, detail TEXT NOT NULL DEFAULT '{}')"""
_APPEND_ONLY = "BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END"


@_step
def m010_fewer_pages_per_save(db: Database) -> None:
    """Fewer pages written when a record is saved: every page written is also encrypted, and
    making a draft final wrote 13 to 15 pages (measured with the write-ahead log), now 9 to 11.

    - `status` only in the two indices that lead with it (the day, branch and form indices
      held it last, so every status change rewrote all three); `records_status_day` carries the
      branch and form instead, so every filter with a status is still answered from an index
      (a form with a status and no branch is kept off the form's index: search._plain_filters).
    - The audit without AUTOINCREMENT (see _AUDIT).
    Rows, ids and their order are copied as they are."""
    _run(
        db,
        [
            "DROP INDEX records_day",
            "DROP INDEX records_branch_day",
            "DROP INDEX records_form_day",
            "DROP INDEX records_status_day",
            "CREATE INDEX records_day ON records(occurred_on, id, uuid, branch_id, form_id)",
            "CREATE INDEX records_branch_day ON records(branch_id, occurred_on, id, uuid, form_id)",
            "CREATE INDEX records_form_day ON records(form_id, occurred_on, id, uuid)",
            "CREATE INDEX records_status_day ON records(status, occurred_on, id, uuid, branch_id, form_id)",
            _AUDIT,
            "INSERT INTO audit_new(id, at, operator, action, record_uuid, revision, detail) "
            "SELECT id, at, operator, action, record_uuid, revision, detail FROM audit ORDER BY id",
            "DROP TABLE audit",
            "ALTER TABLE audit_new RENAME TO audit",
            "CREATE INDEX audit_record ON audit(record_uuid)",
            f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit {_APPEND_ONLY}",
            f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit {_APPEND_ONLY}",
        ],
    )
