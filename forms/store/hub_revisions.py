"""A record revision as the township hub takes it (docs/HUB.md, `POST /api/v1/records`), and the
one rule that numbers this laptop's revisions on the hub.

The hub keeps each record's revisions as a chain: every revision names the revision it corrects
(`base_revision`) and the hub refuses one whose base is not its latest (409). Locally, revisions
count 1, 2, 3 … without gaps; on the hub they usually carry the same numbers, but not after a
conflict was resolved (another laptop's correction was taken in, or ours was put on top of it).
`hub_numbers` says, for every local revision, which hub revision it corrects and which number it
has there. A conflict's resolution leaves its mark in an audit line (action `hub_resolved`) of
the revision it made, so the numbering is rebuilt from the store alone, by every process alike.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from forms.store.connection import Connection
from forms.store.errors import guarded
from forms.store.records import get_record
from forms.store.rows import TARGET_COLUMNS, Record, target_from
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

HUB_KIND = "hub"  # the target kind of the township hub (sync/hub.py)
HUB_MARK = "hub_resolved"  # the audit action a conflict's resolution writes on the revision it made
# Audit lines about deliveries are the ledger's, not the record's: they do not travel to the hub.
_NOT_SENT_ACTIONS = ("delivered", "delivery_failed", "delivery_uncertain", "exported", "marked_delivered",
                     "resend", HUB_MARK)  # fmt: skip


def hub_numbers(revisions: list[int], marks: dict[int, dict]) -> dict[int, tuple[int, int]]:
    """{local revision: (hub base, hub number)}: where each of a record's local revisions stands
    on the hub. `revisions` are the local revision numbers; `marks` the `hub_resolved` audit
    detail of the revisions a conflict's resolution made. The rule, in one place:

    - a revision that took in the hub's version (`{"hub_revision": H}`) IS the hub's revision H
      (its base: the `hub_base` the mark names, else H - 1); it is never sent, and
    - a revision put on top of the hub's latest (`{"hub_base": H}`) corrects H and is H + 1;
    - any other revision corrects the revision before it: its base is the hub number of the
      previous local revision (0 for the first), and its number is that base + 1.

    So without conflicts the numbers are the local ones (base = revision - 1), and after one the
    next local revision corrects whatever the hub had when the person chose."""
    out: dict[int, tuple[int, int]] = {}
    previous = 0
    for number in sorted(revisions):
        mark = marks.get(number) or {}
        if isinstance(mark.get("hub_revision"), int):
            hub = mark["hub_revision"]
            base = mark["hub_base"] if isinstance(mark.get("hub_base"), int) else hub - 1
        else:
            base = mark["hub_base"] if isinstance(mark.get("hub_base"), int) else previous
            hub = base + 1
        out[number] = (base, hub)
        previous = hub
    return out


def _marks(db: Database, uuid: str) -> dict[int, dict]:
    rows = db.execute(
        "SELECT revision, detail FROM audit WHERE record_uuid = ? AND action = ? ORDER BY id",
        [uuid, HUB_MARK],
    ).fetchall()
    marks: dict[int, dict] = {}
    for revision, detail in rows:
        try:
            value = json.loads(detail)
        except ValueError:
            continue
        if isinstance(revision, int) and isinstance(value, dict):
            marks[revision] = value
    return marks


def record_hub_numbers(db: Database, uuid: str) -> dict[int, tuple[int, int]]:
    """`hub_numbers` for the record with this uuid, from its history and audit."""
    revisions = [r[0] for r in db.execute("SELECT revision FROM record_revisions WHERE uuid = ?", [uuid])]
    return hub_numbers(revisions, _marks(db, uuid))


def _note(detail: dict) -> str:
    # Hub bookkeeping stays on this laptop: a laptop that takes the record over numbers it anew.
    kept = {k: v for k, v in detail.items() if not str(k).startswith("hub_")}
    if not kept:
        return ""
    if set(kept) == {"note"}:
        return str(kept["note"])
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


def queue_hub_void(db: Database, record: Record) -> None:
    """Inside the transaction that voids a record: a record that was final goes to the hub void,
    as its last revision there. Locally a void makes no revision of its own, so its delivery
    carries the voided revision + 1 (a number no local revision will ever have). Only the hub
    takes voids; other platforms are told nothing, as before."""
    if record.revision < 1:
        return  # a draft never reached the hub
    branch = db.execute("SELECT name FROM branches WHERE id = ?", [record.branch_id]).fetchone()
    now = timestamp()
    rows = db.execute(
        f"SELECT {TARGET_COLUMNS} FROM targets WHERE kind = ? AND removed_at IS NULL AND enabled = 1",
        [HUB_KIND],
    ).fetchall()
    for target in map(target_from, rows):
        if target.matches(record.form_id, branch[0] if branch else ""):
            db.execute(
                "INSERT OR IGNORE INTO deliveries(record_uuid, revision, target_id, state, attempts, "
                "message, payload, queued_at, updated_at) VALUES (?, ?, ?, 'pending', 0, '', '', ?, ?)",
                [record.uuid, record.revision + 1, target.id, now, now],
            )


class HubRevisionsMixin(Connection):
    """Store methods that read a record revision in the hub's shape."""

    @guarded
    def hub_revision(self, uuid: str, revision: int | None = None, *, hub: int | None = None) -> dict | None:
        """A final revision of a record in the shape the hub takes: the local `revision`, or
        (`hub`) the one that has that number on the hub; None when there is none. Its values are
        those of that revision (the history), with its audit lines and the files attached by
        then; `form_source` is the YAML it was entered with; `branch_uid` is None while the
        branch is not on the hub. Summary and day are the record's current ones."""
        db = self.db
        record = get_record(db, uuid)
        numbers = record_hub_numbers(db, record.uuid)
        voided = record.status == "void" and record.revision in numbers
        if voided:  # the void is the record's last revision on the hub (see queue_hub_void)
            last = numbers[record.revision][1]
            numbers[record.revision + 1] = (last, last + 1)
        if hub is not None:
            revision = next((local for local, (_, number) in numbers.items() if number == hub), None)
        if revision is None or revision not in numbers:
            return None
        if voided and revision == record.revision + 1:
            row = ("void", json.dumps(record.data), record.operator, record.void_at or record.updated_at)
        else:
            row = db.execute(
                "SELECT status, data, operator, saved_at FROM record_revisions "
                "WHERE uuid = ? AND revision = ?",
                [record.uuid, revision],
            ).fetchone()
        base, number = numbers[revision]
        branch = db.execute("SELECT hub_uid FROM branches WHERE id = ?", [record.branch_id]).fetchone()
        source = db.execute(
            "SELECT source FROM form_versions WHERE form_id = ? AND version = ?",
            [record.form_id, record.form_version],
        ).fetchone()
        earliest = (0, revision) if revision == 1 else (revision, revision)
        if row[0] == "void":
            earliest = (record.revision, record.revision)
        audit = [
            {"at": at, "operator": operator, "action": action, "note": _note(json.loads(detail or "{}"))}
            for at, operator, action, detail in db.execute(
                "SELECT at, operator, action, detail FROM audit WHERE record_uuid = ? "
                f"AND revision BETWEEN ? AND ? AND action NOT IN ({','.join('?' * len(_NOT_SENT_ACTIONS))}) "
                "ORDER BY id",
                [record.uuid, *earliest, *_NOT_SENT_ACTIONS],
            )
        ]
        if row[0] == "void":
            audit = [entry for entry in audit if entry["action"] == "voided"]
        # The files attached by the time this revision was saved (all of them for the latest).
        files = db.execute(
            "SELECT sha256, name FROM attachments WHERE record_uuid = ? AND (? OR added_at <= ?) ORDER BY id",
            [record.uuid, revision >= record.revision, row[3]],
        ).fetchall()
        shape: dict[str, Any] = {
            "uuid": record.uuid,
            "branch_uid": branch[0] if branch else None,
            "form_id": record.form_id,
            "form_version": record.form_version,
            "form_source": source[0] if source else None,
            "revision": number,
            "base_revision": base,
            "status": row[0],
            "data": json.loads(row[1]),
            "summary": record.summary,
            "occurred_on": record.occurred_on,
            "operator": row[2],
            "finalized_at": row[3],
            "void_reason": record.void_reason if row[0] == "void" else None,
            "audit": audit,
            "attachments": [{"sha256": sha, "name": name} for sha, name in files],
        }
        return shape
