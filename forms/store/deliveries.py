"""Deliveries as people see and decide them: lists and counts per target and state, and the
operator's decisions (send again, mark delivered, confirm an uploaded Excel batch, typed into a
platform by hand or a problem there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms import target_kinds
from forms.characters import control_problem, one_line
from forms.i18n import tr
from forms.store.audit import require_operator, write_audit
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, guarded
from forms.store.rows import DELIVERY_COLUMNS, Delivery, delivery_from, where_equal
from forms.store.states import (
    AWAITING_ENTRY,
    AWAITING_UPLOAD,
    DELIVERED,
    FAILED,
    PENDING,
    STATE_TITLES,
    UNCERTAIN,
    DeliveryState,
)
from forms.store.targets import target_row
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

MAX_REASON = 500  # characters of a person's reason kept in the audit


def never_sent(d: Delivery) -> bool:
    """Nothing of this delivery ever left the laptop: waiting or refused before any attempt.
    Marking it delivered says a person took it to the platform some other way."""
    return d.state in (PENDING, FAILED) and not d.attempts


class NeverSent(NotAllowed):
    """Marking a delivery that was never sent as delivered needs a person's reason."""

    def __init__(self, delivery: Delivery):
        self.delivery = delivery
        super().__init__(
            tr(
                "推送 {id}（{target_name}）还从未发送过"
                "（{value}，发送 0 次）。"
                "标记为已送达表示您已用别的办法把这条记录报给了平台，标记后不会再自动发送它；"
                "如确实如此，请写明原因（会记入操作记录）。"
                " / Delivery {id} was never sent; marking it delivered needs a reason."
            ).format(
                id=delivery.id,
                target_name=delivery.target_name,
                value=STATE_TITLES.get(delivery.state, delivery.state),
            )
        )


def delivery_row(db: Database, id: int) -> Delivery:
    """The delivery with this id; NotFound otherwise."""
    row = db.execute(
        f"SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id WHERE d.id = ?",
        [id],
    ).fetchone()
    if row is None:
        raise NotFound(tr("找不到推送 {id}。 / No delivery {id}.").format(id=id))
    return delivery_from(row)


class DeliveriesMixin(Connection):
    """Store methods for reading deliveries and for a person's decisions about them."""

    @guarded
    def delivery(self, id: int) -> Delivery:
        """The delivery with this id (NotFound otherwise)."""
        return delivery_row(self.db, id)

    @guarded
    def deliveries(
        self,
        *,
        record_uuid: str | None = None,
        target_id: int | None = None,
        state: str | None = None,
        limit: int | None = None,
    ) -> list[Delivery]:
        """Deliveries, newest first, filtered."""
        where, args = where_equal({"d.record_uuid": record_uuid, "d.target_id": target_id, "d.state": state})
        sql = (
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id "
            + ("WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.id DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [delivery_from(r) for r in self.db.execute(sql, args).fetchall()]

    @guarded
    def delivery_counts(self) -> dict[str, dict[str, int]]:
        """{target name: {state: count}} for every configured target (empty dict if none yet)."""
        rows = self.db.execute(
            "SELECT t.name, d.state, count(*) FROM targets t "
            "LEFT JOIN deliveries d ON d.target_id = t.id "
            "WHERE t.removed_at IS NULL GROUP BY t.id, d.state "
            "ORDER BY t.id"
        ).fetchall()
        counts: dict[str, dict[str, int]] = {}
        for name, state, n in rows:
            bucket = counts.setdefault(name, {})
            if state is not None:
                bucket[state] = n
        return counts

    @guarded
    def pending_count(self) -> int:
        """Deliveries still to go out (pending or sending) over enabled targets."""
        return self.db.execute(
            "SELECT count(*) FROM deliveries d JOIN targets t ON "
            "t.id = d.target_id WHERE t.removed_at IS NULL AND t.enabled = 1 "
            "AND d.state IN ('pending', 'sending')"
        ).fetchone()[0]

    @guarded
    def remote_id(self, record_uuid: str, target_id: int) -> str | None:
        """The platform's id (or a kind's progress marker) from the latest delivery that has one."""
        row = self.db.execute(
            "SELECT remote_id FROM deliveries WHERE record_uuid = ? AND "
            "target_id = ? AND remote_id IS NOT NULL ORDER BY revision DESC, "
            "id DESC LIMIT 1",
            [record_uuid, target_id],
        ).fetchone()
        return row[0] if row else None

    # -- a person's decisions --------------------------------------------------------------------

    @guarded
    def resend(self, delivery_id: int, operator: str) -> Delivery:
        """Send again (after `failed` or `uncertain`): back to pending, now. A platform a person
        types into (`target_kinds.waits_for_person`) waits for them again instead."""
        d = delivery_row(self.db, delivery_id)
        if target_kinds.waits_for_person(target_row(self.db, d.target_id).kind):
            return self._decide(delivery_id, operator, AWAITING_ENTRY, "resend", (FAILED, UNCERTAIN))
        return self._decide(
            delivery_id, operator, PENDING, "resend", (FAILED, UNCERTAIN, PENDING, AWAITING_UPLOAD)
        )

    @guarded
    def entries_waiting(self, limit: int | None = None) -> list[Delivery]:
        """Deliveries waiting for a person to type them into their platform, oldest first."""
        sql = (
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id "
            "WHERE d.state = ? AND t.removed_at IS NULL ORDER BY d.id"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [delivery_from(r) for r in self.db.execute(sql, [AWAITING_ENTRY]).fetchall()]

    @guarded
    def mark_entered(self, delivery_id: int, operator: str, *, shown: str = "") -> Delivery:
        """A person typed it into the platform: delivered, with who and when in the audit.
        `shown` (the values they copied, as text) is kept with the delivery as its payload.
        After a reported problem (failed) too: they may have got it in later."""
        self._by_hand(delivery_id)
        return self._decide(
            delivery_id, operator, DELIVERED, "entered", (AWAITING_ENTRY, FAILED), payload=shown
        )

    @guarded
    def report_entry_problem(self, delivery_id: int, operator: str, words: str) -> Delivery:
        """A person could not type it in: failed, with their words as its message and in the audit."""
        self._by_hand(delivery_id)
        if not (words or "").strip():
            raise NotAllowed(tr("请写明遇到了什么问题（会记入操作记录）。 / Say what went wrong."))
        return self._decide(delivery_id, operator, FAILED, "entry_problem", (AWAITING_ENTRY,), reason=words)

    def _by_hand(self, delivery_id: int) -> None:
        d = delivery_row(self.db, delivery_id)
        if not target_kinds.waits_for_person(target_row(self.db, d.target_id).kind):
            raise NotAllowed(
                tr("平台“{target}”不是手工录入的平台。 / Not a platform typed in by hand.").format(
                    target=d.target_name
                )
            )

    @guarded
    def mark_delivered(self, delivery_id: int, operator: str, *, reason: str = "") -> Delivery:
        """The operator confirms it arrived (an uncertain robot message, an uploaded Excel file).
        One that was never sent (`never_sent`) needs a `reason` (NeverSent otherwise); the
        reason, when given, is kept in the audit line."""
        return self._decide(
            delivery_id,
            operator,
            DELIVERED,
            "marked_delivered",
            (UNCERTAIN, AWAITING_UPLOAD, FAILED, PENDING),
            reason=reason,
        )

    def _decide(
        self,
        delivery_id: int,
        operator: str,
        state: DeliveryState,
        action: str,
        allowed: tuple[DeliveryState, ...],
        reason: str = "",
        payload: str = "",
    ) -> Delivery:
        operator = require_operator(operator)
        reason = one_line(reason or "").strip()
        problem = control_problem(reason, tr("原因"))
        if len(reason) > MAX_REASON:
            problem = tr("原因太长（{reason_count} 个字），请写在 {max_reason} 个字以内。").format(
                reason_count=len(reason), max_reason=MAX_REASON
            )
        if problem:
            raise NotAllowed(problem)
        now = timestamp()
        with self._write() as db:
            d = delivery_row(db, delivery_id)
            if d.state not in allowed:
                raise NotAllowed(
                    tr("这条推送当前状态为“{value}”，不能这样操作。 / Delivery is {state}.").format(
                        value=STATE_TITLES.get(d.state, d.state), state=d.state
                    )
                )
            detail: dict = {"target": d.target_name, "was": d.state}
            if state == DELIVERED and never_sent(d):
                if not reason:
                    raise NeverSent(d)
                detail["never_sent"] = True
            if reason:
                detail["reason"] = reason
            db.execute(
                "UPDATE deliveries SET state = ?, next_attempt_at = NULL, not_before = NULL, "
                "last_attempt_at = NULL, delivered_at = CASE WHEN ? = 'delivered' THEN ? "
                "ELSE delivered_at END, updated_at = ? WHERE id = ?",
                [state, state, now, now, delivery_id],
            )
            if action == "entry_problem":  # the person's words are what the platform "said"
                db.execute("UPDATE deliveries SET message = ? WHERE id = ?", [reason, delivery_id])
            elif action == "entered":
                db.execute(
                    "UPDATE deliveries SET message = ?, payload = CASE WHEN ? != '' THEN ? ELSE payload END "
                    "WHERE id = ?",
                    [tr("{operator} 已在平台录入").format(operator=operator), payload, payload, delivery_id],
                )
            write_audit(
                db,
                action,
                operator,
                d.record_uuid,
                d.revision,
                detail,
                now,
            )
            return delivery_row(db, delivery_id)

    @guarded
    def confirm_upload(self, target_id: int, keys, operator: str, *, batch: str = "") -> int:
        """The operator uploaded an Excel batch: exactly the deliveries it holds (their keys,
        `{uuid}:{revision}:{target id}`, from `sync.xlsx.batch_keys`) that await upload become
        delivered, each with an audit line. Keys of other targets or states are left alone."""
        operator = require_operator(operator)
        wanted = []
        for key in keys:
            uuid, _, rest = str(key).partition(":")
            number, _, target = rest.partition(":")
            if number.isdigit() and target == str(target_id):
                wanted.append((uuid, int(number)))
        now = timestamp()
        count = 0
        with self._write() as db:
            name = target_row(db, target_id).name
            for uuid, revision in wanted:
                row = db.execute(
                    "SELECT id FROM deliveries WHERE record_uuid = ? AND revision = ? "
                    "AND target_id = ? AND state = 'awaiting_upload'",
                    [uuid, revision, target_id],
                ).fetchone()
                if row is None:
                    continue
                db.execute(
                    "UPDATE deliveries SET state = 'delivered', delivered_at = ?, updated_at = ? "
                    "WHERE id = ?",
                    [now, now, row[0]],
                )
                write_audit(
                    db,
                    "upload_confirmed",
                    operator,
                    uuid,
                    revision,
                    {"target": name, "was": AWAITING_UPLOAD, "batch": batch},
                    now,
                )
                count += 1
        return count
