"""Taking in another laptop's rows as they are (uuids, revisions, times kept), for the handover
import (forms/handover.py), after forms/record_checks.py found them sound. Every merge_* is
idempotent: importing the same file twice changes nothing the second time.

A record that arrives final (new here, or at a higher revision) runs the same hooks as finalizing
it here, so deliveries are queued by this laptop's own targets; of the other laptop's deliveries
only the facts are taken in (delivered, or maybe delivered), never its pending work."""

from __future__ import annotations

from pathlib import Path

from forms.i18n import tr
from forms.store.attachments import attachment_file, store_file
from forms.store.audit import write_audit
from forms.store.connection import Connection
from forms.store.errors import StoreCorrupt, guarded
from forms.store.records import save_record
from forms.store.rows import RECORD_COLUMNS, AuditEntry, Record, Revision, dumps, record_from
from forms.store.states import DELIVERED, PENDING, SUPERSEDED, UNCERTAIN
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
    def record_here(self, uuid: str) -> Record | None:
        """The record with exactly this uuid (no prefix matching), or None."""
        row = self.db.execute(f"SELECT {RECORD_COLUMNS} FROM records WHERE uuid = ?", [uuid]).fetchone()
        return None if row is None else record_from(row)

    @guarded
    def roster_ever(self, branch_id: int) -> list[str]:
        """Everyone ever on a branch's roster, removed people too (old records name them)."""
        return [r[0] for r in self.db.execute("SELECT name FROM members WHERE branch_id = ?", [branch_id])]

    @guarded
    def merge_record(self, record: Record, revisions: list[Revision]) -> str:
        """Take in a record from another laptop by uuid ('added' / 'updated' / 'unchanged'): only
        a higher revision replaces ours; at the same revision (a draft both laptops typed into,
        say) this laptop's copy is kept, since clocks differ and this is where work goes on.
        Revision histories are joined. A record arriving final runs the finalize hooks (its
        deliveries are queued by this laptop's targets), in the same transaction."""
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
            if record.status == "final" and (row is None or record.revision > row[0]):
                self._merged_final(db, record)
            return outcome

    def _merged_final(self, db, record: Record) -> None:
        # The same hooks as finalizing here (forms/store/records.py), without its audit line:
        # the other laptop's audit lines come over as they were.
        for hook in list(self.on_final_hooks):
            hook(db, record)

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
    def merge_attachment(self, record_uuid: str, sha256: str, name: str, source: str | Path | bytes) -> bool:
        """Attach another laptop's file (content checked against its SHA-256); True if added."""
        path = attachment_file(self.data_dir, sha256)
        known = self.db.execute("SELECT size FROM attachments WHERE sha256 = ? LIMIT 1", [sha256]).fetchone()
        if known:
            size = known[0]  # the plain size, not the sealed file's
        else:
            size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
        if not path.is_file():
            sha, size = store_file(self.data_dir, source, self.key)
            if sha != sha256:
                raise StoreCorrupt(
                    tr(
                        "附件“{name}”的内容与记录不符（可能文件已损坏），没有导入。"
                        " / Attachment content does not match its SHA-256."
                    ).format(name=name)
                )
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO attachments(sha256, record_uuid, name, size, "
                "added_at) VALUES (?, ?, ?, ?, ?)",
                [sha256, record_uuid, name, size, timestamp()],
            )
            return cur.rowcount == 1

    @guarded
    def merge_delivery_fact(
        self,
        record_uuid: str,
        revision: int,
        target_id: int,
        state: str,
        *,
        message: str = "",
        remote_id: str | None = None,
        delivered_at: str | None = None,
    ) -> str:
        """Take in what another laptop knows of one record revision on a target that is the same
        platform here: `state` "delivered" (it arrived there) or "uncertain" (it may have).
        Never makes anything pending. 'added', 'updated' or 'unchanged'."""
        if state not in (DELIVERED, UNCERTAIN):
            raise ValueError(f"only delivered or uncertain facts are taken in, not {state!r}")
        now = timestamp()
        with self._write() as db:
            row = db.execute(
                "SELECT id, state FROM deliveries WHERE record_uuid = ? AND revision = ? AND target_id = ?",
                [record_uuid, revision, target_id],
            ).fetchone()
            if row is None:
                current = db.execute("SELECT revision FROM records WHERE uuid = ?", [record_uuid]).fetchone()
                if state == UNCERTAIN and (current is None or current[0] != revision):
                    return "unchanged"  # an older revision: the newer one carries the values
                db.execute(
                    "INSERT INTO deliveries(record_uuid, revision, target_id, state, attempts, message, "
                    "remote_id, payload, queued_at, sent_at, delivered_at, updated_at) "
                    "VALUES (?, ?, ?, ?, 0, ?, ?, '', ?, NULL, ?, ?)",
                    [record_uuid, revision, target_id, state, message, remote_id, now, delivered_at, now],
                )
                return "added"
            if (
                row[1] == PENDING
                or (row[1] == UNCERTAIN and state == DELIVERED)
                or (row[1] == SUPERSEDED and state == DELIVERED)
            ):
                db.execute(
                    "UPDATE deliveries SET state = ?, message = ?, remote_id = coalesce(?, remote_id), "
                    "delivered_at = ?, next_attempt_at = NULL, attempts = 0, updated_at = ? WHERE id = ?",
                    [state, message, remote_id, delivered_at, now, row[0]],
                )
                return "updated"
            return "unchanged"
