"""Taking in another laptop's rows as they are (uuids, revisions, times kept), for the handover
import (forms/handover.py). Every merge_* is idempotent: importing the same file twice changes
nothing the second time."""

from __future__ import annotations

from pathlib import Path

from forms.store.attachments import attachment_file, store_file
from forms.store.audit import write_audit
from forms.store.connection import Connection
from forms.store.errors import StoreCorrupt, guarded
from forms.store.records import save_record
from forms.store.rows import RECORD_COLUMNS, AuditEntry, Delivery, Record, Revision, dumps
from forms.store.states import DELIVERED, SUPERSEDED
from forms.store.times import timestamp


class MergeMixin(Connection):
    """Store methods that merge rows from another laptop's database."""

    @guarded
    def merge_form_version(
        self, form_id: str, version: int, title: str, source: str, remembered_at: str
    ) -> bool:
        """Remember a form version from another laptop unless known; True when added."""
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO form_versions(form_id, version, title, source, "
                "remembered_at) VALUES (?, ?, ?, ?, ?)",
                [form_id, version, title, source, remembered_at],
            )
            return cur.rowcount == 1

    @guarded
    def merge_record(self, record: Record, revisions: list[Revision]) -> str:
        """Take in a record from another laptop by uuid ('added' / 'updated' / 'unchanged'): only
        a higher revision replaces ours; at the same revision (a draft both laptops typed into,
        say) this laptop's copy is kept, since clocks differ and this is where work goes on.
        Revision histories are joined."""
        with self._write() as db:
            row = db.execute(
                "SELECT revision, updated_at FROM records WHERE uuid = ?", [record.uuid]
            ).fetchone()
            outcome = "unchanged"
            if row is None:
                db.execute(
                    f"INSERT INTO records({RECORD_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        record.uuid,
                        record.form_id,
                        record.form_version,
                        record.branch_id,
                        record.status,
                        dumps(record.data),
                        record.revision,
                        record.operator,
                        record.occurred_on,
                        record.summary,
                        record.created_at,
                        record.updated_at,
                        record.finalized_at,
                        record.void_reason,
                        record.void_at,
                    ],
                )
                outcome = "added"
            elif record.revision > row[0]:
                save_record(db, record)
                outcome = "updated"
            for rev in revisions:
                cur = db.execute(
                    "INSERT OR IGNORE INTO record_revisions(uuid, revision, status, "
                    "data, operator, saved_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        record.uuid,
                        rev.revision,
                        rev.status,
                        dumps(rev.data),
                        rev.operator,
                        rev.saved_at,
                        rev.note,
                    ],
                )
                if cur.rowcount and outcome == "unchanged":
                    outcome = "updated"
            return outcome

    @guarded
    def merge_audit(self, entry: AuditEntry) -> bool:
        """Append another laptop's audit line unless the very same line is here; True if added."""
        with self._write() as db:
            detail = dumps(entry.detail or {})
            if db.execute(
                "SELECT 1 FROM audit WHERE at = ? AND operator = ? AND action = ? AND "
                "record_uuid IS ? AND revision IS ? AND detail = ? LIMIT 1",
                [entry.at, entry.operator, entry.action, entry.record_uuid, entry.revision, detail],
            ).fetchone():
                return False
            write_audit(
                db, entry.action, entry.operator, entry.record_uuid, entry.revision, entry.detail, entry.at
            )
            return True

    @guarded
    def merge_attachment(self, record_uuid: str, sha256: str, name: str, source: str | Path) -> bool:
        """Attach another laptop's file (content checked against its SHA-256); True if added."""
        path = attachment_file(self.data_dir, sha256)
        if not path.is_file():
            sha, _ = store_file(self.data_dir, source)
            if sha != sha256:
                raise StoreCorrupt(
                    f"附件“{name}”的内容与记录不符（可能文件已损坏），没有导入。"
                    " / Attachment content does not match its SHA-256."
                )
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO attachments(sha256, record_uuid, name, size, "
                "added_at) VALUES (?, ?, ?, ?, ?)",
                [sha256, record_uuid, name, path.stat().st_size, timestamp()],
            )
            return cur.rowcount == 1

    @guarded
    def merge_delivery(self, delivery: Delivery, target_id: int) -> str:
        """Take in another laptop's delivery for a local target by record, revision and target:
        'added', 'updated' (it was delivered there, not yet here) or 'unchanged'."""
        d = delivery
        with self._write() as db:
            row = db.execute(
                "SELECT id, state FROM deliveries WHERE record_uuid = ? AND revision = ? AND target_id = ?",
                [d.record_uuid, d.revision, target_id],
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO deliveries(record_uuid, revision, target_id, state, attempts, "
                    "message, remote_id, payload, queued_at, sent_at, delivered_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        d.record_uuid,
                        d.revision,
                        target_id,
                        d.state,
                        d.attempts,
                        d.message,
                        d.remote_id,
                        d.payload,
                        d.queued_at,
                        d.sent_at,
                        d.delivered_at,
                        d.updated_at,
                    ],
                )
                return "added"
            if d.state == DELIVERED and row[1] not in (DELIVERED, SUPERSEDED):
                db.execute(
                    "UPDATE deliveries SET state = 'delivered', delivered_at = ?, "
                    "remote_id = coalesce(?, remote_id), next_attempt_at = NULL, "
                    "updated_at = ? WHERE id = ?",
                    [d.delivered_at, d.remote_id, timestamp(), row[0]],
                )
                return "updated"
            return "unchanged"
