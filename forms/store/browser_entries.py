"""Deliveries Yici types into a platform's web form (kind `browser`), and their proof.

A run (sync/browser/run.py) takes a delivery waiting for entry, marks it `sending` before the
form can be submitted, and ends it entered (with screenshots before and after submitting), found
already there (with a screenshot of the platform's list), refused, or not submitted (back to
waiting). A run cut off in the middle leaves `sending`: the next run sends it back to waiting
when the recipe can look for a record already entered, and asks a person otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from forms.i18n import tr, tr_noop
from forms.store.attachments import store_file
from forms.store.audit import require_operator, write_audit
from forms.store.connection import Connection
from forms.store.deliveries import delivery_row
from forms.store.errors import NotAllowed, guarded
from forms.store.rows import Delivery
from forms.store.states import AWAITING_ENTRY, DELIVERED, FAILED, SENDING, STATE_TITLES, UNCERTAIN
from forms.store.times import timestamp

PROOF_KINDS = ("before", "after", "found")
# How a run ended, the state it leaves, and the audit line it writes.
ENDINGS = {
    "entered": (DELIVERED, "entered"),
    "found": (DELIVERED, "found_entered"),
    "refused": (FAILED, "entry_refused"),
    "not_submitted": (AWAITING_ENTRY, "entry_not_submitted"),
}
CUT_OFF = tr_noop(
    "在浏览器中录入时被中断，可能已在平台上保存。请到平台上核对：已有就标记为已送达，"
    "没有就点“重新发送”再录入一次"
)


@dataclass(frozen=True)
class Proof:
    """One screenshot kept with a delivery: `kind` before/after submitting, or `found` (the
    platform's list holding the record); the PNG is the data folder's file `sha256`."""

    id: int
    delivery_id: int
    kind: str
    sha256: str
    taken_at: str
    url: str


def address_without_query(url: str) -> str:
    """The page's address as kept with a proof: no query or fragment, where a platform may put a
    session token or what was searched."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


class BrowserEntriesMixin(Connection):
    """Store methods for deliveries typed into a web form by Yici, and their screenshots."""

    @guarded
    def start_browser_entry(self, delivery_id: int) -> Delivery:
        """The form is about to be filled: `sending` from now on, so a run cut off before its
        ending is known is found afterwards (`recover_browser_entries`)."""
        now = timestamp()
        with self._write() as db:
            d = delivery_row(db, delivery_id)
            if d.state != AWAITING_ENTRY:
                raise NotAllowed(
                    tr("这条推送当前状态为“{value}”，不能录入。 / Delivery is {state}.").format(
                        value=STATE_TITLES.get(d.state, d.state), state=d.state
                    )
                )
            db.execute(
                "UPDATE deliveries SET state = ?, attempts = attempts + 1, last_attempt_at = ?, "
                "updated_at = ? WHERE id = ?",
                [SENDING, now, now, delivery_id],
            )
            return delivery_row(db, delivery_id)

    @guarded
    def finish_browser_entry(
        self,
        delivery_id: int,
        operator: str,
        ending: str,
        message: str,
        *,
        payload: str = "",
        proofs: Sequence[tuple[str, bytes, str]] = (),
        detail: dict | None = None,
    ) -> Delivery:
        """End a run's delivery as `ending` (see ENDINGS) with the page's or Yici's `message`,
        the values typed (`payload`) and screenshots (kind, PNG bytes, page address), all in one
        transaction with its audit line."""
        operator = require_operator(operator)
        state, action = ENDINGS[ending]
        kept = [
            (kind, store_file(self.data_dir, png, self.key)[0], address_without_query(url))
            for kind, png, url in proofs
        ]
        if any(kind not in PROOF_KINDS for kind, _, _ in kept):
            raise ValueError(kept)
        now = timestamp()
        with self._write() as db:
            d = delivery_row(db, delivery_id)
            allowed = (SENDING, AWAITING_ENTRY) if ending == "found" else (SENDING,)
            if d.state not in allowed:
                raise NotAllowed(
                    tr("这条推送当前状态为“{value}”，不能这样结束。 / Delivery is {state}.").format(
                        value=STATE_TITLES.get(d.state, d.state), state=d.state
                    )
                )
            db.execute(
                "UPDATE deliveries SET state = ?, message = ?, "
                "payload = CASE WHEN ? != '' THEN ? ELSE payload END, next_attempt_at = NULL, "
                "delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, "
                "updated_at = ? WHERE id = ?",
                [state, message, payload, payload, state, now, now, delivery_id],
            )
            for kind, sha, url in kept:
                db.execute(
                    "INSERT INTO delivery_proofs(delivery_id, kind, sha256, taken_at, url) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [delivery_id, kind, sha, now, url],
                )
            facts = {"target": d.target_name, "was": d.state, "by": "browser", **(detail or {})}
            facts["proofs"] = [sha for _, sha, _ in kept]
            if state != DELIVERED:
                facts["message"] = message
            write_audit(db, action, operator, d.record_uuid, d.revision, facts, now)
            return delivery_row(db, delivery_id)

    @guarded
    def recover_browser_entries(self, target_id: int, retry_safe: bool) -> tuple[int, int]:
        """After a run that was cut off: this target's `sending` deliveries go back to waiting
        when the recipe finds a record already entered (`retry_safe`), else become `uncertain`
        for a person to check on the platform. Call only holding the data folder's browser lock.
        Returns (back to waiting, uncertain)."""
        now = timestamp()
        with self._write() as db:
            rows = db.execute(
                "SELECT d.id, d.record_uuid, d.revision, t.name FROM deliveries d "
                "JOIN targets t ON t.id = d.target_id WHERE d.target_id = ? AND d.state = ?",
                [target_id, SENDING],
            ).fetchall()
            state, message = (AWAITING_ENTRY, None) if retry_safe else (UNCERTAIN, tr(CUT_OFF))
            for id, uuid, revision, name in rows:
                db.execute(
                    "UPDATE deliveries SET state = ?, message = coalesce(?, message), updated_at = ? "
                    "WHERE id = ?",
                    [state, message, now, id],
                )
                write_audit(db, "entry_cut_off", "同步", uuid, revision, {"target": name, "now": state}, now)
            return (len(rows), 0) if retry_safe else (0, len(rows))

    @guarded
    def proofs(self, delivery_id: int) -> list[Proof]:
        """The screenshots kept with a delivery, oldest first."""
        rows = self.db.execute(
            "SELECT id, delivery_id, kind, sha256, taken_at, url FROM delivery_proofs "
            "WHERE delivery_id = ? ORDER BY id",
            [delivery_id],
        ).fetchall()
        return [Proof(*row) for row in rows]
