"""The delivery engine's side of the store: what is due, `sending` before a byte leaves, the
outcomes of each try, holds for rate limits and backoff, and recovery after a crash.

sync/drain.py drives these, one target's turn at a time; sync/engine.py recovers after a crash
and asks when the next delivery is due. Neither writes SQL of its own (docs/ARCHITECTURE.md).

Two facts belong to a target rather than to one delivery, and must hold across processes: a
pause a platform asked for (Retry-After, a robot's "too fast") and when the last messages went
out (a WeCom record with photos is several messages against the robot's per-minute limit).
They are kept in the settings table under the target's id, tagged with the target's creation
time so that a value carried over from another laptop (handover) is not taken for this one's.
"""

from __future__ import annotations

import json
import time
from typing import Any

from forms.store.audit import write_audit
from forms.store.connection import Connection
from forms.store.errors import guarded
from forms.store.hub_conflicts import note_conflict
from forms.store.rows import DELIVERY_COLUMNS, Delivery, SourceRow, delivery_from, dumps
from forms.store.states import (
    AWAITING_UPLOAD,
    DELIVERED,
    FAILED,
    PENDING,
    SUPERSEDED,
    UNCERTAIN,
    UNCERTAIN_MESSAGE,
    DeliveryOutcome,
)
from forms.store.times import timestamp

# The audit line each final outcome of a try writes.
_AUDIT_ACTIONS = {
    DELIVERED: "delivered",
    AWAITING_UPLOAD: "exported",
    FAILED: "delivery_failed",
    UNCERTAIN: "delivery_uncertain",
}
_PAUSE_KEY = "delivery_pause:{}"  # {"target": created_at, "until": epoch seconds}
_SENT_KEY = "delivery_sent:{}"  # {"target": created_at, "times": [epoch seconds, ...]}
_SENT_KEPT = 200  # more than any robot's per-window limit


class SendingMixin(Connection):
    """Store methods the delivery engine calls while it drains a target."""

    @guarded
    def due_deliveries(
        self, target_id: int, *, now: float, manual: bool, tried_before: float, limit: int = 50
    ) -> list[Delivery]:
        """Pending deliveries of a target that may go now, oldest first.

        `manual` (a person asked) ignores backoff but still honours `not_before`; within one run
        a delivery is tried once (`tried_before` = when the run started). Nothing is due while
        the target is paused (`pause_target`)."""
        paused = self._target_value(self.db, _PAUSE_KEY, target_id)
        if paused is not None and float(paused.get("until") or 0) > now:
            return []
        sql = (
            f"SELECT {DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id "
            "WHERE d.target_id = ? AND d.state = 'pending' "
            "AND (d.not_before IS NULL OR d.not_before <= ?) "
            "AND (d.last_attempt_at IS NULL OR d.last_attempt_at < ?) "
        )
        args: list[Any] = [target_id, now, tried_before]
        if not manual:
            sql += "AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) "
            args.append(now)
        sql += "ORDER BY d.id LIMIT ?"
        args.append(limit)
        return [delivery_from(r) for r in self.db.execute(sql, args).fetchall()]

    @guarded
    def next_due_at(self, target_id: int, *, manual: bool) -> float | None:
        """When the earliest pending delivery of a target may go (epoch seconds), or None."""
        column = (
            "max(coalesce(not_before, 0), coalesce(next_attempt_at, 0))"
            if not manual
            else "coalesce(not_before, 0)"
        )
        row = self.db.execute(
            f"SELECT min({column}) FROM deliveries WHERE target_id = ? AND state = 'pending'", [target_id]
        ).fetchone()
        if not row or row[0] is None:
            return None
        paused = self._target_value(self.db, _PAUSE_KEY, target_id)
        return max(row[0], float(paused.get("until") or 0)) if paused else row[0]

    @guarded
    def delivery_sources(self, ids: list[int]) -> dict[int, SourceRow]:
        """What the engine needs to build each delivery's request, in one query for a batch:
        {delivery id: SourceRow} (the delivered revision's values and operator, the platform's
        id from an earlier delivery of the same record to the same target)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT d.id, r.form_id, r.form_version, b.name, coalesce(rv.operator, r.operator), "
            "r.status, coalesce(rv.data, r.data), "
            "(SELECT d2.remote_id FROM deliveries d2 WHERE d2.record_uuid = d.record_uuid "
            " AND d2.target_id = d.target_id AND d2.remote_id IS NOT NULL "
            " ORDER BY d2.revision DESC, d2.id DESC LIMIT 1) "
            "FROM deliveries d JOIN records r ON r.uuid = d.record_uuid "
            "JOIN branches b ON b.id = r.branch_id "
            "LEFT JOIN record_revisions rv ON rv.uuid = d.record_uuid AND rv.revision = d.revision "
            f"WHERE d.id IN ({marks})",
            list(ids),
        ).fetchall()
        return {r[0]: SourceRow(r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7]) for r in rows}

    @guarded
    def attempt_times(self, target_id: int, *, since: float) -> list[float]:
        """When requests to this target went out since `since` (epoch seconds), oldest first:
        lets a new process respect a robot's per-minute limit that an earlier one used up."""
        rows = self.db.execute(
            "SELECT last_attempt_at FROM deliveries WHERE target_id = ? "
            "AND last_attempt_at >= ? ORDER BY last_attempt_at",
            [target_id, since],
        ).fetchall()
        return [r[0] for r in rows]

    @guarded
    def mark_sending(self, ids: list[int], *, at: float | None = None) -> list[int]:
        """Durably note that these deliveries are about to leave (before any byte is sent).
        Returns the ids marked: one cancelled or superseded meanwhile is not, and must not go."""
        if not ids:
            return []
        now = timestamp()
        at = time.time() if at is None else at
        marks = ",".join("?" * len(ids))
        with self._write() as db:
            db.execute(
                "UPDATE deliveries SET state = 'sending', sent_at = ?, last_attempt_at = ?, "
                f"attempts = attempts + 1, updated_at = ? WHERE id IN ({marks}) AND state = 'pending'",
                [now, at, now, *ids],
            )
            # Due deliveries come from `pending` under the sync lock, so `sending` here is ours.
            marked = {
                r[0]
                for r in db.execute(
                    f"SELECT id FROM deliveries WHERE id IN ({marks}) AND state = 'sending'", list(ids)
                )
            }
        return [id for id in ids if id in marked]

    @guarded
    def hold_target(
        self, target_id: int, *, not_before: float | None = None, next_attempt_at: float | None = None
    ) -> int:
        """Nothing pending on this target goes before `not_before` (the platform said "too fast":
        the whole target pauses, also for deliveries queued later and for other processes) or, for
        automatic runs, before `next_attempt_at` (it looks offline). Returns how many wait."""
        with self._write() as db:
            if not_before is not None:
                paused = self._target_value(db, _PAUSE_KEY, target_id) or {}
                until = max(float(paused.get("until") or 0), not_before)
                self._set_target_value(db, _PAUSE_KEY, target_id, {"until": until})
            cur = db.execute(
                "UPDATE deliveries SET "
                "not_before = CASE WHEN ? IS NULL THEN not_before ELSE max(coalesce(not_before, 0), ?) END, "
                "next_attempt_at = CASE WHEN ? IS NULL THEN next_attempt_at "
                "ELSE max(coalesce(next_attempt_at, 0), ?) END "
                "WHERE target_id = ? AND state = 'pending'",
                [not_before, not_before, next_attempt_at, next_attempt_at, target_id],
            )
            return cur.rowcount

    @guarded
    def clamp_waits(self, target_id: int, *, latest: float) -> int:
        """A wait that ends after `latest` (now + the longest backoff) was set by a clock that was
        wrong: it becomes a backoff ending at `latest`, which automatic runs wait out and a run a
        person started ignores. Returns how many deliveries (and the pause) were clamped."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE deliveries SET "
                "next_attempt_at = CASE WHEN not_before > ? OR next_attempt_at > ? THEN ? "
                "ELSE next_attempt_at END, "
                "not_before = CASE WHEN not_before > ? THEN NULL ELSE not_before END "
                "WHERE target_id = ? AND state = 'pending' AND (not_before > ? OR next_attempt_at > ?)",
                [latest, latest, latest, latest, target_id, latest, latest],
            )
            clamped = cur.rowcount
            paused = self._target_value(db, _PAUSE_KEY, target_id)
            if paused is not None and float(paused.get("until") or 0) > latest:
                db.execute("DELETE FROM settings WHERE key = ?", [_PAUSE_KEY.format(target_id)])
                db.execute(
                    "UPDATE deliveries SET next_attempt_at = max(coalesce(next_attempt_at, 0), ?) "
                    "WHERE target_id = ? AND state = 'pending'",
                    [latest, target_id],
                )
                clamped += 1
            return clamped

    @guarded
    def note_sent(self, target_id: int, at: float, *, since: float) -> None:
        """One message went to this target at `at`; times before `since` are forgotten."""
        with self._write() as db:
            known = self._target_value(db, _SENT_KEY, target_id) or {}
            times = [t for t in known.get("times", []) if isinstance(t, (int, float)) and t >= since]
            times = [*times, at][-_SENT_KEPT:]
            self._set_target_value(db, _SENT_KEY, target_id, {"times": times})

    @guarded
    def sent_times(self, target_id: int, *, since: float) -> list[float] | None:
        """When messages to this target went out since `since`, oldest first, as `note_sent`
        kept them (any process); None when nothing was ever noted."""
        known = self._target_value(self.db, _SENT_KEY, target_id)
        if known is None:
            return None
        return sorted(t for t in known.get("times", []) if isinstance(t, (int, float)) and t >= since)

    @staticmethod
    def _target_value(db: Any, key: str, target_id: int) -> dict | None:
        row = db.execute(
            "SELECT s.value, t.created_at FROM settings s, targets t WHERE s.key = ? AND t.id = ?",
            [key.format(target_id), target_id],
        ).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return value if isinstance(value, dict) and value.get("target") == row[1] else None

    @staticmethod
    def _set_target_value(db: Any, key: str, target_id: int, value: dict) -> None:
        created = db.execute("SELECT created_at FROM targets WHERE id = ?", [target_id]).fetchone()
        db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key.format(target_id), dumps({**value, "target": created[0] if created else None})],
        )

    @guarded
    def record_attempts(
        self, results: list[DeliveryOutcome], *, at: float | None = None, operator: str = "同步"
    ) -> None:
        """Write the outcomes of tries in one transaction, with an audit line for each final one.
        An untried outcome (`DeliveryOutcome.untried`) goes back to pending as if never sent."""
        if not results:
            return
        now = timestamp()
        with self._write() as db:
            marks = ",".join("?" * len(results))
            known = {
                r[0]: r[1:]
                for r in db.execute(
                    "SELECT d.id, d.record_uuid, d.revision, d.target_id, t.name FROM deliveries d "
                    f"JOIN targets t ON t.id = d.target_id WHERE d.id IN ({marks})",
                    [r.id for r in results],
                ).fetchall()
            }
            untried, updates, audits = [], [], []
            for outcome in results:
                if outcome.id not in known:
                    continue
                uuid, revision, target_id, target_name = known[outcome.id]
                if not outcome.was_sent:
                    # Put back untried: it was never sent, so it does not count as an attempt.
                    untried.append((outcome.not_before, now, outcome.id))
                    continue
                state = outcome.state
                if outcome.conflict is not None:
                    note_conflict(db, uuid, revision, target_id, outcome.conflict)
                if (
                    state == PENDING
                    and db.execute(
                        "SELECT 1 FROM deliveries WHERE record_uuid = ? AND target_id = ? AND revision > ? "
                        "AND state NOT IN ('superseded', 'cancelled')",
                        [uuid, target_id, revision],
                    ).fetchone()
                ):
                    # Corrected while this one was on its way: the newer revision carries the
                    # values, and sending both would make two records on the platform.
                    state = SUPERSEDED
                updates.append(
                    (
                        state,
                        outcome.message,
                        outcome.remote_id,
                        outcome.payload,
                        outcome.next_attempt_at,
                        outcome.not_before,
                        state,
                        now,
                        now,
                        outcome.id,
                    )
                )
                if state in _AUDIT_ACTIONS:
                    audits.append(
                        (
                            now,
                            operator,
                            _AUDIT_ACTIONS[state],
                            uuid,
                            revision,
                            dumps(
                                {
                                    "target": target_name,
                                    "remote_id": outcome.remote_id,
                                    "message": (outcome.message or "")[:300],
                                }
                            ),
                        )
                    )
            db.conn.executemany(
                "UPDATE deliveries SET state = 'pending', attempts = max(0, attempts - 1), "
                "last_attempt_at = NULL, not_before = coalesce(?, not_before), "
                "updated_at = ? WHERE id = ? AND state = 'sending'",
                untried,
            )
            db.conn.executemany(
                "UPDATE deliveries SET state = ?, message = coalesce(?, message), "
                "remote_id = coalesce(?, remote_id), payload = coalesce(?, payload), "
                "next_attempt_at = ?, not_before = ?, "
                "delivered_at = CASE WHEN ? IN ('delivered', 'awaiting_upload') THEN ? "
                "ELSE delivered_at END, "
                "updated_at = ? WHERE id = ?",
                updates,
            )
            # One audit line per delivery (audit.write_audit, in bulk).
            db.conn.executemany(
                "INSERT INTO audit(at, operator, action, record_uuid, revision, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                audits,
            )

    @guarded
    def recover_interrupted(
        self, idempotent_kinds: set[str], by_hand_kinds: frozenset[str] = frozenset()
    ) -> tuple[int, int]:
        """After a crash: `sending` deliveries of idempotent targets go back to pending (a retry
        is harmless), the others become `uncertain` for a person to decide. Returns both counts.
        Call only while holding the data folder's sync lock (sync/lock.py): otherwise another
        process's deliveries in flight would be taken for leftovers. Deliveries a person's run
        carries (`by_hand_kinds`: kind `browser`) are that run's to recover, never the engine's."""
        now = timestamp()
        with self._write() as db:
            rows = db.execute(
                "SELECT d.id, t.kind, d.record_uuid, d.revision, t.name FROM deliveries d "
                "JOIN targets t ON t.id = d.target_id WHERE d.state = 'sending'"
            ).fetchall()
            requeued = uncertain = 0
            for id, kind, uuid, revision, name in rows:
                if kind in by_hand_kinds:
                    continue
                if kind in idempotent_kinds:
                    db.execute(
                        "UPDATE deliveries SET state = 'pending', last_attempt_at = NULL, "
                        "updated_at = ? WHERE id = ?",
                        [now, id],
                    )
                    requeued += 1
                else:
                    db.execute(
                        "UPDATE deliveries SET state = 'uncertain', message = ?, updated_at = ? WHERE id = ?",
                        [UNCERTAIN_MESSAGE, now, id],
                    )
                    write_audit(db, "delivery_uncertain", "同步", uuid, revision, {"target": name}, now)
                    uncertain += 1
            return requeued, uncertain
