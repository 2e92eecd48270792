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
