"""Records through their life: draft, final, corrected (a new revision), void; never lost.

Field values are not validated here: `forms/lifecycle.py` does that before calling in. Each step
is one transaction with its audit line; making a record final runs `on_final_hooks` inside it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from forms.i18n import tr
from forms.model import Form
from forms.store.audit import require_operator, write_audit
from forms.store.branches import branch_row
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, guarded
from forms.store.form_versions import remember
from forms.store.rows import RECORD_COLUMNS, Record, Revision, dumps, record_from
from forms.store.times import seconds_between, timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

STATUSES = ("draft", "final", "void")
# Drafts are saved as the operator types; one "edited" audit row per operator per this many
# seconds is enough to say who worked on a draft and when, without thousands of rows.
EDIT_AUDIT_WINDOW_SECONDS = 300


def get_record(db: Database, uuid: str) -> Record:
    """The record with this uuid, or a unique prefix of at least 8 characters; NotFound else."""
    key = str(uuid).strip().lower()
    row = db.execute(f"SELECT {RECORD_COLUMNS} FROM records WHERE uuid = ?", [key]).fetchone()
    if row is not None:
        return record_from(row)
    if len(key) >= 8:
        # A prefix, as people copy it from a list: a range scan on the unique uuid index.
        rows = db.execute(
            f"SELECT {RECORD_COLUMNS} FROM records WHERE uuid >= ? AND uuid < ? ORDER BY uuid LIMIT 2",
            [key, key + "\U0010ffff"],
        ).fetchall()
        if len(rows) == 1:
            return record_from(rows[0])
        if len(rows) > 1:
            raise NotFound(
                tr(
                    "有多条记录的编号以“{key}”开头，请多输入几位。"
                    " / Several records start with {key!r}; type more characters."
                ).format(key=key)
            )
    raise NotFound(
        tr(
            "找不到编号为“{uuid}”的记录。可以用 `yici records list` 查看记录列表。 / No record {uuid!r}."
        ).format(uuid=uuid)
    )


# The columns a save may change.
_SAVED = "status data revision operator occurred_on summary updated_at finalized_at void_reason void_at"


def save_record(db: Database, record: Record) -> None:
    """Write a record's changed columns back (its uuid, form and branch never change). Only the
    columns that changed are set: SQLite rewrites an index when a column it holds is set, even to
    the same value, and every page written is also encrypted (m010)."""
    values = {name: getattr(record, name) for name in _SAVED.split()} | {"data": dumps(record.data)}
    row = db.execute(f"SELECT {', '.join(values)} FROM records WHERE uuid = ?", [record.uuid]).fetchone()
    changed = (
        {name: value for (name, value), old in zip(values.items(), row, strict=True) if value != old}
        if row
        else values
    )
    if changed:
        db.execute(
            f"UPDATE records SET {', '.join(f'{name} = ?' for name in changed)} WHERE uuid = ?",
            [*changed.values(), record.uuid],
        )


def _add_revision(db: Database, record: Record, note: str = "") -> None:
    db.execute(
        "INSERT INTO record_revisions(uuid, revision, status, data, operator, "
        "saved_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            record.uuid,
            record.revision,
            record.status,
            dumps(record.data),
            record.operator,
            record.updated_at,
            note,
        ],
    )


def new_revision(
    db: Database,
    record: Record,
    data: dict,
    operator: str,
    *,
    note: str = "",
    occurred_on: str | None = None,
    summary: str | None = None,
) -> Record:
    """Write `data` as the record's next final revision, audited as a correction (the caller queues it)."""
    changed = sorted(k for k in set(data) | set(record.data) if data.get(k) != record.data.get(k))
    record.data, record.operator, record.updated_at = data, operator, timestamp()
    record.revision += 1
    record.occurred_on = record.occurred_on if occurred_on is None else occurred_on
    record.summary = record.summary if summary is None else summary
    save_record(db, record)
    _add_revision(db, record, note or "")
    detail = {"note": note or "", "changed": changed}
    write_audit(db, "corrected", operator, record.uuid, record.revision, detail, record.updated_at)
    return record


def _not_a_draft(record: Record, step: str) -> str:
    if record.status == "final":
        return tr(
            "这条记录已经定稿，不能再{step}；如需修改，请使用“更正”。"
            " / The record is final; use correct to change it."
        ).format(step=step)
    return tr("这条记录已作废，不能再{step}。 / The record is void.").format(step=step)


class RecordsMixin(Connection):
    """Store methods that create, change and read single records."""

    def _final_hooks(self, db: Database, record: Record) -> None:
        for hook in list(self.on_final_hooks):
            hook(db, record)

    @guarded
    def create_record(
        self,
        form: Form,
        branch_id: int,
        data: dict,
        operator: str,
        *,
        occurred_on: str | None = None,
        summary: str = "",
        status: str = "draft",
    ) -> Record:
        """Create a draft, or with status="final" a record created and finalized in one
        transaction (audit "created" + "finalized"). Remembers the form version."""
        import uuid  # here, not at the top: it imports `platform` (~3 ms) and opening makes no record

        operator = require_operator(operator)
        if status not in ("draft", "final"):
            raise NotAllowed(
                tr("新记录只能是草稿或定稿，不能是“{status}”。 / Bad status {status!r}.").format(
                    status=status
                )
            )
        with self._write() as db:
            branch_row(db, branch_id)
            remember(db, form)
            now = timestamp()
            final = status == "final"
            record = Record(
                str(uuid.uuid4()),
                form.id,
                form.version,
                branch_id,
                status,
                dict(data),
                1 if final else 0,
                operator,
                occurred_on,
                summary or "",
                now,
                now,
                now if final else None,
                None,
                None,
            )
            db.execute(
                f"INSERT INTO records({RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    record.uuid,
                    record.form_id,
                    record.form_version,
                    branch_id,
                    status,
                    dumps(record.data),
                    record.revision,
                    operator,
                    occurred_on,
                    record.summary,
                    now,
                    now,
                    record.finalized_at,
                    None,
                    None,
                ],
            )
            write_audit(
                db,
                "created",
                operator,
                record.uuid,
                record.revision,
                {"form_id": form.id, "form_version": form.version},
                now,
            )
            if final:
                _add_revision(db, record)
                write_audit(db, "finalized", operator, record.uuid, 1, {}, now)
                self._final_hooks(db, record)
            return record

    @guarded
    def save_draft(
        self, uuid: str, data: dict, operator: str, *, occurred_on: str | None = None, summary: str = ""
    ) -> Record:
        """Replace a draft's data (drafts only; audit "edited", at most one per operator per
        EDIT_AUDIT_WINDOW_SECONDS while they keep typing)."""
        operator = require_operator(operator)
        with self._write() as db:
            record = get_record(db, uuid)
            if record.status != "draft":
                raise NotAllowed(_not_a_draft(record, tr("按草稿保存")))
            now = timestamp()
            record.data, record.occurred_on, record.summary = dict(data), occurred_on, summary or ""
            record.operator, record.updated_at = operator, now
            save_record(db, record)
            last = db.execute(
                "SELECT at, operator, action FROM audit WHERE record_uuid = ? ORDER BY id DESC LIMIT 1",
                [record.uuid],
            ).fetchone()
            if not (
                last
                and last[2] == "edited"
                and last[1] == operator
                and seconds_between(last[0], now) < EDIT_AUDIT_WINDOW_SECONDS
            ):
                write_audit(db, "edited", operator, record.uuid, 0, {}, now)
            return record

    @guarded
    def finalize(
        self,
        uuid: str,
        operator: str,
        *,
        data: dict | None = None,
        occurred_on: str | None = None,
        summary: str | None = None,
    ) -> Record:
        """Make a draft final (revision 1, kept in history); runs `on_final_hooks` inside."""
        operator = require_operator(operator)
        with self._write() as db:
            record = get_record(db, uuid)
            if record.status == "final":
                raise NotAllowed(
                    tr(
                        "这条记录已经定稿了；如需修改，请使用“更正”。"
                        " / Already final; use correct to change it."
                    )
                )
            if record.status == "void":
                raise NotAllowed(tr("这条记录已作废，不能定稿。 / A void record cannot be finalized."))
            now = timestamp()
            if data is not None:
                record.data = dict(data)
            if occurred_on is not None:
                record.occurred_on = occurred_on
            if summary is not None:
                record.summary = summary
            record.status, record.revision, record.operator = "final", 1, operator
            record.updated_at = record.finalized_at = now
            save_record(db, record)
            _add_revision(db, record)
            write_audit(db, "finalized", operator, record.uuid, 1, {}, now)
            self._final_hooks(db, record)
            return record

    @guarded
    def correct(
        self,
        uuid: str,
        data: dict,
        operator: str,
        *,
        note: str = "",
        occurred_on: str | None = None,
        summary: str | None = None,
    ) -> Record:
        """Correct a final record: a new revision (old ones kept); runs `on_final_hooks`."""
        operator = require_operator(operator)
        with self._write() as db:
            record = get_record(db, uuid)
            if record.status != "final":
                raise NotAllowed(
                    tr("草稿不需要更正，直接修改后定稿即可。 / Drafts are edited, not corrected.")
                    if record.status == "draft"
                    else tr("这条记录已作废，不能更正。 / A void record cannot be corrected.")
                )
            data = dict(data)
            if data == record.data:
                raise NotAllowed(
                    tr("更正的内容与当前版本相同，没有需要保存的改动。 / The correction changes nothing.")
                )
            new_revision(db, record, data, operator, note=note, occurred_on=occurred_on, summary=summary)
            self._final_hooks(db, record)
            return record

    @guarded
    def void(self, uuid: str, reason: str, operator: str) -> Record:
        """Void a draft or final record, with a reason; it stays, marked void."""
        operator = require_operator(operator)
        reason = (reason or "").strip()
        if not reason:
            raise NotAllowed(tr("作废必须写明原因。 / A reason is required to void a record."))
        with self._write() as db:
            record = get_record(db, uuid)
            if record.status == "void":
                raise NotAllowed(tr("这条记录已经作废了。 / Already void."))
            previous = record.status
            now = timestamp()
            record.status, record.void_reason, record.void_at = "void", reason, now
            record.operator, record.updated_at = operator, now
            save_record(db, record)
            write_audit(
                db, "voided", operator, record.uuid, record.revision, {"reason": reason, "was": previous}, now
            )
            for hook in list(self.on_void_hooks):
                hook(db, record)
            return record

    @guarded
    def delete_draft(self, uuid: str, operator: str) -> None:
        """Delete a draft for good (its content stays in the audit line); never a final one."""
        operator = require_operator(operator)
        with self._write() as db:
            record = get_record(db, uuid)
            if record.status != "draft":
                raise NotAllowed(
                    tr(
                        "已定稿或已作废的记录不能删除；如果录错了，请作废并写明原因。"
                        " / Only drafts can be deleted; void a final record instead."
                    )
                )
            db.execute("DELETE FROM attachments WHERE record_uuid = ?", [record.uuid])
            db.execute("DELETE FROM records WHERE uuid = ?", [record.uuid])
            write_audit(
                db,
                "deleted",
                operator,
                record.uuid,
                0,
                {
                    "form_id": record.form_id,
                    "form_version": record.form_version,
                    "branch_id": record.branch_id,
                    "summary": record.summary,
                    "data": record.data,
                },
            )

    @guarded
    def record(self, uuid: str) -> Record:
        """The record with this uuid, or a unique prefix of at least 8 characters."""
        return get_record(self.db, uuid)

    @guarded
    def history(self, uuid: str) -> list[Revision]:
        """The final revisions of a record, oldest first."""
        record = get_record(self.db, uuid)
        return [
            Revision(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6])
            for r in self.db.execute(
                "SELECT uuid, revision, status, data, operator, saved_at, note "
                "FROM record_revisions WHERE uuid = ? ORDER BY revision",
                [record.uuid],
            )
        ]

    @guarded
    def revision_data(self, uuid: str, revision: int) -> dict | None:
        """The values of one revision of a record, from its history."""
        row = self.db.execute(
            "SELECT data FROM record_revisions WHERE uuid = ? AND revision = ?", [uuid, revision]
        ).fetchone()
        return json.loads(row[0]) if row else None

    @guarded
    def last_values(self, branch_id: int, form_id: str) -> dict:
        """The data of this branch's newest final record of this form (for default `last`)."""
        row = self.db.execute(
            "SELECT data FROM records WHERE branch_id = ? AND form_id = ? AND status = 'final' "
            "ORDER BY occurred_on DESC, id DESC LIMIT 1",
            [branch_id, form_id],
        ).fetchone()
        return {} if row is None else json.loads(row[0])
