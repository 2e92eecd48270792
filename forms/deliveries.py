"""Targets and deliveries in the store: where records go and how far each one got.

Part of the store (the only place with SQL): `Store` inherits these methods. A delivery is one
record revision to one target. Deliveries are queued inside the very transaction that finalizes
or corrects a record, so a final record can never exist without its deliveries.
"""
from __future__ import annotations

import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

# Delivery states (DESIGN §7). `needs_attention` belongs to a target, not to a delivery.
PENDING, SENDING, DELIVERED, FAILED, UNCERTAIN = "pending", "sending", "delivered", "failed", "uncertain"
AWAITING_UPLOAD = "awaiting_upload"   # written into an Excel import file; the operator uploads it
SUPERSEDED = "superseded"             # a newer revision of the record replaced it before it went out
CANCELLED = "cancelled"               # its target was removed before it went out
DELIVERY_STATES = (PENDING, SENDING, DELIVERED, FAILED, UNCERTAIN, AWAITING_UPLOAD, SUPERSEDED,
                   CANCELLED)
STATE_TITLES = {
    PENDING: "待发送", SENDING: "发送中", DELIVERED: "已送达", FAILED: "失败",
    UNCERTAIN: "可能已发送，请确认", AWAITING_UPLOAD: "待上传导入文件", SUPERSEDED: "已被更正取代",
    CANCELLED: "已取消",
}
UNCERTAIN_MESSAGE = ("程序在发送过程中中断，可能已发送，请确认后选择“重新发送”或“标记为已送达” "
                     "(interrupted while sending: may have been delivered)")
TARGET_KINDS = ("rest", "dingtalk", "wecom", "feishu", "xlsx")

# Secrets live only in the OS keyring (DESIGN §7). A target's URL and options are stored in plain
# text, so whatever would put a credential there is refused here, for every way in (command line,
# targets page, deployment profile, handover import).
SECRET_OPTION_NAMES = frozenset({"token", "secret", "password", "webhook", "sign_secret",
                                 "app_secret", "api_key", "access_token", "sign"})
_SECRET_QUERY = re.compile(r"(token|key|secret|sign|password|passwd|pwd|auth)", re.I)


def url_secret_keys(text: str | None) -> list[str]:
    """Query parameters of a URL that look like credentials (token=, key=, sign=, ...)."""
    if not text or "://" not in text:
        return []
    parts = urllib.parse.urlsplit(text.strip())
    keys = [k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            if _SECRET_QUERY.search(k)]
    return keys + (["用户名/密码"] if parts.username or parts.password else [])


def secret_problems(url: str | None, options: dict | None) -> list[str]:
    """Chinese messages for credentials that would be stored in plain text, or []."""
    problems = []
    keys = url_secret_keys(url)
    if keys:
        problems.append(f"接口地址里带有密钥（{'、'.join(keys)}）：地址会明文保存，密钥只能放在系统钥匙串里。"
                        "请去掉地址里的密钥，选择认证方式后用“填写密钥”保存。")
    for name, value in (options or {}).items():
        if str(name).strip().lower() in SECRET_OPTION_NAMES:
            problems.append(f"“{name}”是密钥，不能作为选项保存：请用“填写密钥”存入系统钥匙串。")
        elif url_secret_keys(str(value)):
            problems.append(f"选项 {name} 的值是带密钥的网址：密钥只能放在系统钥匙串里。")
    return problems
_TARGET_NAME_MAX = 40


@dataclass
class Target:
    """A configured platform; its secrets live in the OS keyring, never here."""

    id: int
    name: str
    kind: str
    url: str | None
    forms: list[str]
    branches: list[str]
    template: str | None
    options: dict[str, str]
    enabled: bool
    attention: str | None          # why the target is stopped (needs attention), or None
    created_at: str
    updated_at: str

    def config(self):
        """The `sync.kind.TargetConfig` the delivery code works with."""
        from sync.kind import TargetConfig   # imported late: the store does not need sync
        return TargetConfig(id=self.id, name=self.name, kind=self.kind, url=self.url,
                            forms=list(self.forms), branches=list(self.branches),
                            template=self.template, options=dict(self.options),
                            enabled=self.enabled)

    def matches(self, form_id: str, branch_name: str) -> bool:
        """Does a record of this form for this branch go to this target?"""
        return ((not self.forms or form_id in self.forms)
                and (not self.branches or branch_name in self.branches))


@dataclass
class Delivery:
    """One record revision on its way to one target."""

    id: int
    record_uuid: str
    revision: int
    target_id: int
    target_name: str
    state: str
    attempts: int
    next_attempt_at: float | None     # automatic retries wait until then (backoff)
    not_before: float | None          # nobody sends before then (Retry-After, rate limits)
    message: str                      # the platform's last answer, secrets removed
    remote_id: str | None
    payload: str                      # what was last sent, secrets removed
    queued_at: str
    sent_at: str | None               # when `sending` was last written
    delivered_at: str | None
    updated_at: str
    extra: dict = field(default_factory=dict)


@dataclass
class SourceRow:
    """A delivery's record revision as the engine builds the request from it."""

    form_id: str
    form_version: int
    branch: str
    operator: str
    status: str
    data: dict
    remote_id: str | None


_TARGET_COLUMNS = ("id, name, kind, url, forms, branches, template, options, enabled, attention, "
                   "created_at, updated_at")
_DELIVERY_COLUMNS = ("d.id, d.record_uuid, d.revision, d.target_id, t.name, d.state, d.attempts, "
                     "d.next_attempt_at, d.not_before, d.message, d.remote_id, d.payload, "
                     "d.queued_at, d.sent_at, d.delivered_at, d.updated_at")


def _target(row) -> Target:
    return Target(row[0], row[1], row[2], row[3], json.loads(row[4]), json.loads(row[5]), row[6],
                  json.loads(row[7]), bool(row[8]), row[9], row[10], row[11])


def _delivery(row) -> Delivery:
    return Delivery(*row)


class DeliveryBook:
    """Store methods for targets and deliveries (mixed into `forms.store.Store`)."""

    # -- targets ---------------------------------------------------------------------------------
    def _target_methods_ready(self) -> None:
        # Queue deliveries whenever a record becomes final or gets a new revision.
        if self._queue_deliveries not in self.on_final_hooks:
            self.on_final_hooks.append(self._queue_deliveries)

    def add_target(self, name: str, kind: str, *, url: str | None = None, forms=(), branches=(),
                   template: str | None = None, options: dict | None = None,
                   enabled: bool = True) -> Target:
        """Configure a new platform to deliver to."""
        from forms.store import NotAllowed, timestamp
        name = (name or "").strip()
        if not name or len(name) > _TARGET_NAME_MAX:
            raise NotAllowed(f"平台名称不能为空，且不超过 {_TARGET_NAME_MAX} 个字。 / Target name required.")
        leaks = secret_problems(url, options)
        if leaks:
            raise NotAllowed("；".join(leaks) + " / A credential would be stored in plain text.")
        if kind not in TARGET_KINDS:
            raise NotAllowed(f"未知的平台类型“{kind}”，可选：{', '.join(TARGET_KINDS)}。"
                             f" / Unknown kind {kind!r}.")
        with self._lock, self._write() as db:
            if db.execute("SELECT 1 FROM targets WHERE name = ? AND removed_at IS NULL",
                          [name]).fetchone():
                raise NotAllowed(f"已有名为“{name}”的平台，请换一个名称。 / Target {name!r} exists.")
            now = timestamp()
            cur = db.execute(
                "INSERT INTO targets(name, kind, url, forms, branches, template, options, enabled, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [name, kind, url, _json(list(forms)), _json(list(branches)), template,
                 _json({str(k): str(v) for k, v in (options or {}).items()}), int(enabled), now, now])
            return self._target_row(db, cur.lastrowid)

    def update_target(self, id: int, **changes: Any) -> Target:
        """Change a target's settings; any change clears `needs attention` (the fix may be in)."""
        from forms.store import NotAllowed, timestamp
        allowed = {"name", "url", "forms", "branches", "template", "options", "enabled"}
        unknown = set(changes) - allowed
        if unknown:
            raise NotAllowed(f"不能修改：{', '.join(sorted(unknown))} / Cannot change {unknown}.")
        leaks = secret_problems(changes.get("url"), changes.get("options"))
        if leaks:
            raise NotAllowed("；".join(leaks) + " / A credential would be stored in plain text.")
        with self._lock, self._write() as db:
            self._target_row(db, id)
            sets, values = ["attention = NULL", "updated_at = ?"], [timestamp()]
            for key, value in changes.items():
                if key in ("forms", "branches"):
                    value = _json(list(value or []))
                elif key == "options":
                    value = _json({str(k): str(v) for k, v in (value or {}).items()})
                elif key == "enabled":
                    value = int(bool(value))
                sets.append(f"{key} = ?")
                values.append(value)
            db.execute(f"UPDATE targets SET {', '.join(sets)} WHERE id = ?", values + [id])
            return self._target_row(db, id)

    def remove_target(self, id: int, operator: str = "") -> None:
        """Stop delivering to a target. Its history stays; what had not gone out is cancelled."""
        from forms.store import timestamp
        with self._lock, self._write() as db:
            target = self._target_row(db, id)
            now = timestamp()
            db.execute("UPDATE targets SET removed_at = ?, enabled = 0, updated_at = ? WHERE id = ?",
                       [now, now, id])
            db.execute("UPDATE deliveries SET state = ?, updated_at = ? WHERE target_id = ? "
                       "AND state IN (?, ?)", [CANCELLED, now, id, PENDING, UNCERTAIN])
            self._audit(db, "target_removed", operator or "-", None, None, {"target": target.name}, now)

    def targets(self) -> list[Target]:
        """Every configured (not removed) target, in the order they were added."""
        with self._lock:
            rows = self.db.execute(f"SELECT {_TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL "
                                   "ORDER BY id").fetchall()
        return [_target(r) for r in rows]

    def target(self, name_or_id: str | int) -> Target:
        """A target by name (or id); NotFound otherwise."""
        from forms.store import NotFound
        with self._lock:
            row = self.db.execute(f"SELECT {_TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL "
                                  "AND (name = ? OR id = ?)", [str(name_or_id), _int(name_or_id)]
                                  ).fetchone()
        if row is None:
            raise NotFound(f"找不到名为“{name_or_id}”的平台。用 `yici targets list` 查看已配置的平台。"
                           f" / No target {name_or_id!r}.")
        return _target(row)

    def _target_row(self, db: Database, id: int) -> Target:
        from forms.store import NotFound
        row = db.execute(f"SELECT {_TARGET_COLUMNS} FROM targets WHERE id = ?", [id]).fetchone()
        if row is None:
            raise NotFound(f"找不到平台 {id}。 / No target {id}.")
        return _target(row)

    def set_target_attention(self, id: int, message: str | None) -> None:
        """Stop a target with a message for the operator, or (None) let it run again."""
        with self._lock, self._write() as db:
            db.execute("UPDATE targets SET attention = ? WHERE id = ?", [message, id])

    # -- queueing ----------------------------------------------------------------------------------
    def _queue_deliveries(self, db: Database, record) -> None:
        """Inside the finalize/correct transaction: one pending delivery per matching target."""
        from forms.store import timestamp
        branch = db.execute("SELECT name FROM branches WHERE id = ?", [record.branch_id]).fetchone()
        branch_name = branch[0] if branch else ""
        now = timestamp()
        rows = db.execute(f"SELECT {_TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL "
                          "AND enabled = 1").fetchall()
        for target in map(_target, rows):
            if not target.matches(record.form_id, branch_name):
                continue
            # An older revision that has not gone out yet need not go at all: the new one
            # carries the corrected values.
            db.execute("UPDATE deliveries SET state = ?, updated_at = ? WHERE record_uuid = ? "
                       "AND target_id = ? AND state = ? AND revision < ?",
                       [SUPERSEDED, now, record.uuid, target.id, PENDING, record.revision])
            db.execute("INSERT OR IGNORE INTO deliveries(record_uuid, revision, target_id, state, "
                       "attempts, message, payload, queued_at, updated_at) "
                       "VALUES (?, ?, ?, ?, 0, '', '', ?, ?)",
                       [record.uuid, record.revision, target.id, PENDING, now, now])

    def queue_existing(self, target_id: int, operator: str = "") -> int:
        """Queue every final record this target wants that it has not had (e.g. a new target)."""
        from forms.store import timestamp
        with self._lock, self._write() as db:
            target = self._target_row(db, target_id)
            now = timestamp()
            rows = db.execute("SELECT r.uuid, r.revision, r.form_id, b.name FROM records r "
                              "JOIN branches b ON b.id = r.branch_id WHERE r.status = 'final' "
                              "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.record_uuid = r.uuid "
                              "AND d.target_id = ? AND d.revision = r.revision)", [target_id]).fetchall()
            count = 0
            for uuid, revision, form_id, branch_name in rows:
                if target.matches(form_id, branch_name):
                    db.execute("INSERT INTO deliveries(record_uuid, revision, target_id, state, "
                               "attempts, message, payload, queued_at, updated_at) "
                               "VALUES (?, ?, ?, ?, 0, '', '', ?, ?)",
                               [uuid, revision, target_id, PENDING, now, now])
                    count += 1
            return count

    # -- the engine's side -------------------------------------------------------------------------
    def due_deliveries(self, target_id: int, *, now: float, manual: bool, tried_before: float,
                       limit: int = 50) -> list[Delivery]:
        """Pending deliveries of a target that may go now, oldest first.

        `manual` (a person asked) ignores backoff but still honours `not_before`; within one run
        a delivery is tried once (`tried_before` = when the run started)."""
        sql = (f"SELECT {_DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id "
               "WHERE d.target_id = ? AND d.state = 'pending' "
               "AND (d.not_before IS NULL OR d.not_before <= ?) "
               "AND (d.last_attempt_at IS NULL OR d.last_attempt_at < ?) ")
        args: list[Any] = [target_id, now, tried_before]
        if not manual:
            sql += "AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) "
            args.append(now)
        sql += "ORDER BY d.id LIMIT ?"
        args.append(limit)
        with self._lock:
            return [_delivery(r) for r in self.db.execute(sql, args).fetchall()]

    def next_due_at(self, target_id: int, *, manual: bool) -> float | None:
        """When the earliest pending delivery of a target may go (epoch seconds), or None."""
        column = "max(coalesce(not_before, 0), coalesce(next_attempt_at, 0))" if not manual \
            else "coalesce(not_before, 0)"
        with self._lock:
            row = self.db.execute(f"SELECT min({column}) FROM deliveries WHERE target_id = ? "
                                  "AND state = 'pending'", [target_id]).fetchone()
        return row[0] if row and row[0] is not None else None

    def delivery_sources(self, ids: list[int]) -> dict[int, SourceRow]:
        """What the engine needs to build each delivery's request, in one query for a batch:
        {delivery id: SourceRow} (the delivered revision's values and operator, the platform's
        id from an earlier delivery of the same record to the same target)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self.db.execute(
                "SELECT d.id, r.form_id, r.form_version, b.name, coalesce(rv.operator, r.operator), "
                "r.status, coalesce(rv.data, r.data), "
                "(SELECT d2.remote_id FROM deliveries d2 WHERE d2.record_uuid = d.record_uuid "
                " AND d2.target_id = d.target_id AND d2.remote_id IS NOT NULL "
                " ORDER BY d2.revision DESC, d2.id DESC LIMIT 1) "
                "FROM deliveries d JOIN records r ON r.uuid = d.record_uuid "
                "JOIN branches b ON b.id = r.branch_id "
                "LEFT JOIN record_revisions rv ON rv.uuid = d.record_uuid AND rv.revision = d.revision "
                f"WHERE d.id IN ({marks})", list(ids)).fetchall()
        return {r[0]: SourceRow(r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7]) for r in rows}

    def attempt_times(self, target_id: int, *, since: float) -> list[float]:
        """When requests to this target went out since `since` (epoch seconds), oldest first:
        lets a new process respect a robot's per-minute limit that an earlier one used up."""
        with self._lock:
            rows = self.db.execute("SELECT last_attempt_at FROM deliveries WHERE target_id = ? "
                                   "AND last_attempt_at >= ? ORDER BY last_attempt_at",
                                   [target_id, since]).fetchall()
        return [r[0] for r in rows]

    def mark_sending(self, ids: list[int], *, at: float | None = None) -> list[int]:
        """Durably note that these deliveries are about to leave (before any byte is sent).
        Returns the ids marked: one cancelled or superseded meanwhile is not, and must not go."""
        from forms.store import timestamp
        if not ids:
            return []
        now = timestamp()
        at = time.time() if at is None else at
        marks = ",".join("?" * len(ids))
        with self._lock, self._write() as db:
            db.execute("UPDATE deliveries SET state = 'sending', sent_at = ?, last_attempt_at = ?, "
                       f"attempts = attempts + 1, updated_at = ? WHERE id IN ({marks}) AND state = 'pending'",
                       [now, at, now, *ids])
            # Due deliveries come from `pending` under the sync lock, so `sending` here is ours.
            marked = {r[0] for r in db.execute(f"SELECT id FROM deliveries WHERE id IN ({marks}) "
                                               "AND state = 'sending'", list(ids))}
        return [id for id in ids if id in marked]

    def hold_target(self, target_id: int, *, not_before: float | None = None,
                    next_attempt_at: float | None = None) -> int:
        """Nothing pending on this target goes before `not_before` (the platform said "too fast")
        or, for automatic runs, before `next_attempt_at` (it looks offline). Returns how many."""
        with self._lock, self._write() as db:
            cur = db.execute(
                "UPDATE deliveries SET "
                "not_before = CASE WHEN ? IS NULL THEN not_before ELSE max(coalesce(not_before, 0), ?) END, "
                "next_attempt_at = CASE WHEN ? IS NULL THEN next_attempt_at "
                "ELSE max(coalesce(next_attempt_at, 0), ?) END "
                "WHERE target_id = ? AND state = 'pending'",
                [not_before, not_before, next_attempt_at, next_attempt_at, target_id])
            return cur.rowcount

    def record_attempts(self, results: list[tuple], *, at: float | None = None,
                        operator: str = "同步") -> None:
        """Write outcomes in one transaction: tuples of
        (id, state, message, remote_id, payload, next_attempt_at, not_before).
        A `pending` result with message None was never sent: it goes back untried."""
        from forms.store import timestamp
        if not results:
            return
        now = timestamp()
        with self._lock, self._write() as db:
            marks = ",".join("?" * len(results))
            known = {r[0]: r[1:] for r in db.execute(
                "SELECT d.id, d.record_uuid, d.revision, d.target_id, t.name FROM deliveries d "
                f"JOIN targets t ON t.id = d.target_id WHERE d.id IN ({marks})",
                [r[0] for r in results]).fetchall()}
            untried, updates, audits = [], [], []
            for id, state, message, remote_id, payload, next_at, not_before in results:
                if id not in known:
                    continue
                uuid, revision, target_id, target_name = known[id]
                if state == PENDING and message is None:
                    # Put back untried: it was never sent, so it does not count as an attempt.
                    untried.append((not_before, now, id))
                    continue
                if state == PENDING and db.execute(
                        "SELECT 1 FROM deliveries WHERE record_uuid = ? AND target_id = ? AND revision > ? "
                        "AND state NOT IN ('superseded', 'cancelled')",
                        [uuid, target_id, revision]).fetchone():
                    # Corrected while this one was on its way: the newer revision carries the
                    # values, and sending both would make two records on the platform.
                    state = SUPERSEDED
                updates.append((state, message, remote_id, payload, next_at, not_before, state, now,
                                now, id))
                if state in (DELIVERED, AWAITING_UPLOAD, FAILED):
                    action = {DELIVERED: "delivered", AWAITING_UPLOAD: "exported",
                              FAILED: "delivery_failed"}[state]
                    audits.append((now, operator, action, uuid, revision, _json(
                        {"target": target_name, "remote_id": remote_id, "message": (message or "")[:300]})))
            db.conn.executemany(
                "UPDATE deliveries SET state = 'pending', attempts = max(0, attempts - 1), "
                "last_attempt_at = NULL, not_before = coalesce(?, not_before), "
                "updated_at = ? WHERE id = ? AND state = 'sending'", untried)
            db.conn.executemany(
                "UPDATE deliveries SET state = ?, message = coalesce(?, message), "
                "remote_id = coalesce(?, remote_id), payload = coalesce(?, payload), "
                "next_attempt_at = ?, not_before = ?, "
                "delivered_at = CASE WHEN ? IN ('delivered', 'awaiting_upload') THEN ? ELSE delivered_at END, "
                "updated_at = ? WHERE id = ?", updates)
            # One audit line per delivery (the store's `_audit`, in bulk).
            db.conn.executemany("INSERT INTO audit(at, operator, action, record_uuid, revision, detail) "
                                "VALUES (?, ?, ?, ?, ?, ?)", audits)

    def recover_interrupted(self, idempotent_kinds: set[str]) -> tuple[int, int]:
        """After a crash: `sending` deliveries of idempotent targets go back to pending (a retry
        is harmless), the others become `uncertain` for a person to decide. Returns both counts.
        Call only while holding the data folder's sync lock (sync/lock.py): otherwise another
        process's deliveries in flight would be taken for leftovers."""
        from forms.store import timestamp
        now = timestamp()
        with self._lock, self._write() as db:
            rows = db.execute("SELECT d.id, t.kind, d.record_uuid, d.revision, t.name FROM deliveries d "
                              "JOIN targets t ON t.id = d.target_id WHERE d.state = 'sending'").fetchall()
            requeued = uncertain = 0
            for id, kind, uuid, revision, name in rows:
                if kind in idempotent_kinds:
                    db.execute("UPDATE deliveries SET state = 'pending', last_attempt_at = NULL, "
                               "updated_at = ? WHERE id = ?", [now, id])
                    requeued += 1
                else:
                    db.execute("UPDATE deliveries SET state = 'uncertain', message = ?, updated_at = ? "
                               "WHERE id = ?", [UNCERTAIN_MESSAGE, now, id])
                    self._audit(db, "delivery_uncertain", "同步", uuid, revision, {"target": name}, now)
                    uncertain += 1
            return requeued, uncertain

    # -- a person's decisions ----------------------------------------------------------------------
    def resend(self, delivery_id: int, operator: str) -> Delivery:
        """Send again (after `failed` or `uncertain`): back to pending, now."""
        return self._decide(delivery_id, operator, PENDING, "resend",
                            (FAILED, UNCERTAIN, PENDING, AWAITING_UPLOAD))

    def mark_delivered(self, delivery_id: int, operator: str) -> Delivery:
        """The operator confirms it arrived (an uncertain robot message, an uploaded Excel file)."""
        return self._decide(delivery_id, operator, DELIVERED, "marked_delivered",
                            (UNCERTAIN, AWAITING_UPLOAD, FAILED, PENDING))

    def _decide(self, delivery_id, operator, state, action, allowed) -> Delivery:
        from forms.store import NotAllowed, timestamp, _require_operator
        operator = _require_operator(operator)
        now = timestamp()
        with self._lock, self._write() as db:
            d = self._delivery_row(db, delivery_id)
            if d.state not in allowed:
                raise NotAllowed(f"这条推送当前状态为“{STATE_TITLES.get(d.state, d.state)}”，不能这样操作。"
                                 f" / Delivery is {d.state}.")
            db.execute("UPDATE deliveries SET state = ?, next_attempt_at = NULL, not_before = NULL, "
                       "last_attempt_at = NULL, delivered_at = CASE WHEN ? = 'delivered' THEN ? "
                       "ELSE delivered_at END, updated_at = ? WHERE id = ?",
                       [state, state, now, now, delivery_id])
            self._audit(db, action, operator, d.record_uuid, d.revision,
                        {"target": d.target_name, "was": d.state}, now)
            return self._delivery_row(db, delivery_id)

    def confirm_upload(self, target_id: int, keys, operator: str, *, batch: str = "") -> int:
        """The operator uploaded an Excel batch: exactly the deliveries it holds (their keys,
        `{uuid}:{revision}:{target id}`, from `sync.xlsx.batch_keys`) that await upload become
        delivered, each with an audit line. Keys of other targets or states are left alone."""
        from forms.store import _require_operator, timestamp
        operator = _require_operator(operator)
        wanted = []
        for key in keys:
            uuid, _, rest = str(key).partition(":")
            revision, _, target = rest.partition(":")
            if revision.isdigit() and target == str(target_id):
                wanted.append((uuid, int(revision)))
        now = timestamp()
        count = 0
        with self._lock, self._write() as db:
            name = self._target_row(db, target_id).name
            for uuid, revision in wanted:
                row = db.execute("SELECT id FROM deliveries WHERE record_uuid = ? AND revision = ? "
                                 "AND target_id = ? AND state = 'awaiting_upload'",
                                 [uuid, revision, target_id]).fetchone()
                if row is None:
                    continue
                db.execute("UPDATE deliveries SET state = 'delivered', delivered_at = ?, updated_at = ? "
                           "WHERE id = ?", [now, now, row[0]])
                self._audit(db, "upload_confirmed", operator, uuid, revision,
                            {"target": name, "was": AWAITING_UPLOAD, "batch": batch}, now)
                count += 1
        return count

    # -- reading -----------------------------------------------------------------------------------
    def _delivery_row(self, db: Database, id: int) -> Delivery:
        from forms.store import NotFound
        row = db.execute(f"SELECT {_DELIVERY_COLUMNS} FROM deliveries d JOIN targets t "
                         "ON t.id = d.target_id WHERE d.id = ?", [id]).fetchone()
        if row is None:
            raise NotFound(f"找不到推送 {id}。 / No delivery {id}.")
        return _delivery(row)

    def delivery(self, id: int) -> Delivery:
        with self._lock:
            return self._delivery_row(self.db, id)

    def deliveries(self, *, record_uuid: str | None = None, target_id: int | None = None,
                   state: str | None = None, limit: int | None = None) -> list[Delivery]:
        """Deliveries, newest first, filtered."""
        where, args = where_equal({"d.record_uuid": record_uuid, "d.target_id": target_id,
                                   "d.state": state})
        sql = (f"SELECT {_DELIVERY_COLUMNS} FROM deliveries d JOIN targets t ON t.id = d.target_id "
               + ("WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.id DESC")
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self._lock:
            return [_delivery(r) for r in self.db.execute(sql, args).fetchall()]

    def delivery_counts(self) -> dict[str, dict[str, int]]:
        """{target name: {state: count}} for every configured target (empty dict if none yet)."""
        with self._lock:
            rows = self.db.execute("SELECT t.name, d.state, count(*) FROM targets t "
                                   "LEFT JOIN deliveries d ON d.target_id = t.id "
                                   "WHERE t.removed_at IS NULL GROUP BY t.id, d.state "
                                   "ORDER BY t.id").fetchall()
        counts: dict[str, dict[str, int]] = {}
        for name, state, n in rows:
            bucket = counts.setdefault(name, {})
            if state is not None:
                bucket[state] = n
        return counts

    def pending_count(self) -> int:
        """Deliveries still to go out (pending or sending) over enabled targets."""
        with self._lock:
            return self.db.execute("SELECT count(*) FROM deliveries d JOIN targets t ON "
                                   "t.id = d.target_id WHERE t.removed_at IS NULL AND t.enabled = 1 "
                                   "AND d.state IN ('pending', 'sending')").fetchone()[0]

    def remote_id(self, record_uuid: str, target_id: int) -> str | None:
        """The platform's id (or a kind's progress marker) from the latest delivery that has one."""
        with self._lock:
            row = self.db.execute("SELECT remote_id FROM deliveries WHERE record_uuid = ? AND "
                                  "target_id = ? AND remote_id IS NOT NULL ORDER BY revision DESC, "
                                  "id DESC LIMIT 1", [record_uuid, target_id]).fetchone()
        return row[0] if row else None

    def revision_data(self, uuid: str, revision: int) -> dict | None:
        """The values of one revision of a record, from its history."""
        with self._lock:
            row = self.db.execute("SELECT data FROM record_revisions WHERE uuid = ? AND revision = ?",
                                  [uuid, revision]).fetchone()
        return json.loads(row[0]) if row else None


def where_equal(columns: dict[str, Any]) -> tuple[list[str], list]:
    """`column = ?` conditions, and their arguments, for the columns whose value is not None."""
    given = {column: value for column, value in columns.items() if value is not None}
    return [f"{column} = ?" for column in given], list(given.values())


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
