"""Conflicts with the township hub: a revision the hub refused because another laptop had
corrected the record first (409), kept with the hub's version until a person chooses.

The delivery engine notes a conflict through `DeliveryOutcome.conflict` (forms/store/sending.py
writes it with the outcome, in one transaction). A person then keeps this laptop's version, the
hub's, or a merge of both; each choice is a new local revision (audited, delivered to every
other target like any correction), marked so that forms/store/hub_revisions.py numbers it
right on the hub: "mine" and "merged" are put on top of the hub's latest, "theirs" IS the hub's
revision and is marked delivered to the hub without being sent. Nothing is ever overwritten
without a person's choice, and the hub's version stays in this table after it was resolved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forms.i18n import tr, tr_noop
from forms.store.audit import require_operator, write_audit
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, guarded
from forms.store.hub_revisions import HUB_KIND, HUB_MARK
from forms.store.records import get_record, new_revision
from forms.store.rows import Record, dumps
from forms.store.states import DELIVERED, FAILED, SUPERSEDED
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

KEEPS = ("mine", "theirs", "merged")
REPLACED_MESSAGE = tr_noop("与另一台电脑的更正冲突，已由处理冲突时保存的新版本取代")
ADOPTED_MESSAGE = tr_noop("采用了乡镇平台上的版本（第 {revision} 版），无需再发送")


@dataclass
class HubConflict:
    """A record whose correction the hub refused: this laptop's version and the hub's."""

    record_uuid: str
    revision: int  # the local revision the hub refused
    local_revision: int  # the record's revision here now
    local: dict  # the record's values here now
    theirs: dict  # the hub's latest revision: revision, base_revision, data, status, summary,
    #               operator, finalized_at, void_reason, audit, attachments (as the hub sent it)
    found_at: str
    form_id: str
    form_version: int
    branch_id: int
    summary: str  # the record's summary here
    target_id: int
    resolved_at: str | None = None
    resolution: str | None = None


_COLUMNS = (
    "c.record_uuid, c.revision, r.revision, r.data, c.theirs, c.found_at, r.form_id, r.form_version, "
    "r.branch_id, r.summary, c.target_id, c.resolved_at, c.resolution"
)


def _conflict(row: tuple) -> HubConflict:
    values = list(row)
    values[3], values[4] = json.loads(values[3]), json.loads(values[4])
    return HubConflict(*values)


def note_conflict(db: Database, record_uuid: str, revision: int, target_id: int, theirs: dict) -> None:
    """Inside the transaction that writes the refused delivery's outcome: keep the hub's version
    (one open conflict per record: a later refusal replaces what the open one holds)."""
    now = timestamp()
    open_ = db.execute(
        "SELECT id FROM hub_conflicts WHERE record_uuid = ? AND resolved_at IS NULL", [record_uuid]
    ).fetchone()
    if open_ is None:
        db.execute(
            "INSERT INTO hub_conflicts(record_uuid, revision, target_id, theirs, found_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [record_uuid, revision, target_id, dumps(theirs), now],
        )
    else:
        db.execute(
            "UPDATE hub_conflicts SET revision = ?, target_id = ?, theirs = ?, found_at = ? WHERE id = ?",
            [revision, target_id, dumps(theirs), now, open_[0]],
        )


class HubConflictsMixin(Connection):
    """Store methods for the hub's conflicts: list them, show one, resolve one."""

    @guarded
    def hub_conflicts(self) -> list[HubConflict]:
        """The open conflicts, oldest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM hub_conflicts c JOIN records r ON r.uuid = c.record_uuid "
            "WHERE c.resolved_at IS NULL ORDER BY c.found_at, c.id"
        ).fetchall()
        return [_conflict(r) for r in rows]

    @guarded
    def hub_conflict(self, uuid: str) -> HubConflict:
        """The open conflict of a record (uuid or a unique prefix); NotFound when it has none."""
        record = get_record(self.db, uuid)
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM hub_conflicts c JOIN records r ON r.uuid = c.record_uuid "
            "WHERE c.record_uuid = ? AND c.resolved_at IS NULL",
            [record.uuid],
        ).fetchone()
        if row is None:
            raise NotFound(
                tr("记录 {uuid} 没有待处理的乡镇平台冲突。可用 `yici hub conflicts` 查看。").format(
                    uuid=record.uuid[:8]
                )
            )
        return _conflict(row)

    @guarded
    def keep_hub_conflict(self, uuid: str, revision: int, target_id: int, theirs: dict) -> None:
        """Keep the hub's version of a record that differs from this laptop's (a handover found
        it) as a conflict for a person to resolve, as a refused delivery does."""
        with self._write() as db:
            note_conflict(db, uuid, revision, target_id, theirs)

    @guarded
    def resolve_hub_conflict(
        self,
        uuid: str,
        keep: str,
        *,
        operator: str,
        data: dict | None = None,
        occurred_on: str | None = None,
        summary: str | None = None,
    ) -> Record:
        """A person chose: keep this laptop's version ('mine'), the hub's ('theirs') or `data`
        ('merged', checked by the caller, e.g. `forms.lifecycle.Records.resolve_hub_conflict`).
        Makes a new local revision (audited, queued for every target like a correction); 'mine'
        and 'merged' go to the hub on top of its latest, 'theirs' is marked delivered to the hub
        without sending. A hub version that is void can only be taken ('theirs': the record is
        voided here with the hub's reason). Returns the record as it now is."""
        operator = require_operator(operator)
        if keep not in KEEPS:
            raise NotAllowed(tr("请选择 mine（保留本机）、theirs（采用平台）或 merged（合并）。"))
        if keep == "merged" and not isinstance(data, dict):
            raise NotAllowed(tr("合并时请给出合并后的内容。"))
        with self._write() as db:
            conflict = self.hub_conflict(uuid)
            record = get_record(db, conflict.record_uuid)
            if record.status != "final":
                raise NotAllowed(tr("这条记录在本机已作废，冲突无法这样处理。"))
            theirs = conflict.theirs
            hub = int(theirs.get("revision") or 0)
            if theirs.get("status") == "void":
                if keep != "theirs":
                    raise NotAllowed(
                        tr("乡镇平台上这条记录已作废（{reason}），只能采用平台的版本（theirs）。").format(
                            reason=theirs.get("void_reason") or ""
                        )
                    )
                reason = str(theirs.get("void_reason") or tr("乡镇平台上已作废"))
                record = self.void(record.uuid, reason, operator)  # type: ignore[attr-defined]
                self._adopted(db, record.uuid, record.revision + 1, hub)  # the hub has the void
            else:
                values = {"mine": record.data, "theirs": theirs.get("data"), "merged": data}[keep]
                if keep == "theirs":
                    occurred_on, summary = theirs.get("occurred_on"), theirs.get("summary")
                    mark: dict[str, Any] = {
                        "hub_revision": hub,
                        "hub_base": int(theirs.get("base_revision") or 0),
                    }
                else:
                    mark = {"hub_base": hub}
                record = self._resolved_revision(
                    db, record, dict(values or {}), operator, occurred_on, summary
                )
                write_audit(db, HUB_MARK, operator, record.uuid, record.revision, {**mark, "keep": keep})
                if keep == "theirs":
                    self._adopted(db, record.uuid, record.revision, hub)
            db.execute(
                "UPDATE hub_conflicts SET resolved_at = ?, resolution = ?, resolved_by = ? "
                "WHERE record_uuid = ? AND resolved_at IS NULL",
                [timestamp(), keep, operator, record.uuid],
            )
            # The refused revision is replaced by the person's choice: it is not a failure left to
            # fix (the banner would go on asking), it was superseded.
            db.execute(
                "UPDATE deliveries SET state = ?, message = ?, updated_at = ? WHERE record_uuid = ? "
                "AND target_id = ? AND state = ? AND revision <= ?",
                [SUPERSEDED, tr(REPLACED_MESSAGE), timestamp(), record.uuid, conflict.target_id, FAILED,
                 conflict.revision],
            )  # fmt: skip
            return record

    def _resolved_revision(
        self,
        db: Database,
        record: Record,
        data: dict,
        operator: str,
        occurred_on: str | None,
        summary: str | None,
    ) -> Record:
        """A new final revision with `data` (which may equal the current values: keeping one's
        own version on a new base changes nothing here), queued like a correction."""
        new_revision(
            db, record, data, operator, note=tr("处理乡镇平台冲突"), occurred_on=occurred_on, summary=summary
        )
        self._final_hooks(db, record)  # type: ignore[attr-defined]
        return record

    @staticmethod
    def _adopted(db: Database, uuid: str, revision: int, hub: int) -> None:
        """The hub already has this revision (it is the hub's): its hub delivery is delivered."""
        now = timestamp()
        db.execute(
            "UPDATE deliveries SET state = ?, message = ?, remote_id = ?, delivered_at = ?, updated_at = ? "
            "WHERE record_uuid = ? AND revision = ? AND target_id IN "
            "(SELECT id FROM targets WHERE kind = ? AND removed_at IS NULL) AND state = 'pending'",
            [DELIVERED, tr(ADOPTED_MESSAGE).format(revision=hub), f"{uuid}:{hub}", now, now, uuid, revision,
             HUB_KIND],
        )  # fmt: skip
