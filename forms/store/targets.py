"""Targets: the platforms records are delivered to, and the queueing of deliveries for them.

A target's URL and options are stored in plain text, so whatever would put a credential there is
refused here, for every way in (command line, targets page, deployment profile, handover import),
by the one secrets policy (forms/secrecy.py). Deliveries are queued inside the very transaction
that finalizes or corrects a record, so a final record never exists without its deliveries.
Which kinds exist comes from forms/target_kinds.py, installed by the app at start.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from forms import target_kinds
from forms.i18n import tr
from forms.store.audit import write_audit
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, guarded
from forms.store.rows import TARGET_COLUMNS, Record, Target, dumps, in_scope, inserted_id, target_from
from forms.store.states import AWAITING_ENTRY, CANCELLED, PENDING, SUPERSEDED, UNCERTAIN
from forms.store.target_guards import (
    ADDRESS_CHANGED,
    address_changed_message,
    origins_of,
    secret_problems,
)
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

_TARGET_NAME_MAX = 40
FOLDER_ID_SETTING = "data_folder_id"
ADOPT_SETTING = "keyring_adopt"  # [[target id, uid], ...] whose old-named entries are to be moved
FORGET_SETTING = "keyring_forget"  # [{"uid", "kind"}, ...] whose entries are to be deleted


def _json_setting(db: Database, key: str, default: Any) -> Any:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def _put_setting(db: Database, key: str, value: Any) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, dumps(value)],
    )


def _forget_later(db: Database, uid: str, kind: str) -> None:
    """Note that the keyring entries of `uid` are to be deleted (sync/secrets.py does it on its
    next use): in the same transaction that makes them unreachable."""
    if uid:
        pending = _json_setting(db, FORGET_SETTING, [])
        pending.append({"uid": uid, "kind": kind})
        _put_setting(db, FORGET_SETTING, pending)


def target_row(db: Database, id: int) -> Target:
    """The target with this id, removed or not; NotFound otherwise."""
    row = db.execute(f"SELECT {TARGET_COLUMNS} FROM targets WHERE id = ?", [id]).fetchone()
    if row is None:
        raise NotFound(tr("找不到平台 {id}。 / No target {id}.").format(id=id))
    return target_from(row)


def _json_options(options: dict | None) -> str:
    return dumps({str(k): str(v) for k, v in (options or {}).items()})


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def queue_deliveries(db: Database, record: Record) -> None:
    """Inside the finalize/correct transaction: one pending delivery per matching target."""
    branch = db.execute("SELECT name FROM branches WHERE id = ?", [record.branch_id]).fetchone()
    branch_name = branch[0] if branch else ""
    now = timestamp()
    rows = db.execute(
        f"SELECT {TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL AND enabled = 1"
    ).fetchall()
    for target in map(target_from, rows):
        if not target.matches(record.form_id, branch_name):
            continue
        facts = {"uuid": record.uuid, "revision": record.revision, "form_id": record.form_id}
        facts.update(branch=branch_name, operator=record.operator)
        problems = target_kinds.record_problems(target.config(), facts, record.data)
        if problems:  # refused now, inside the transaction, rather than cut at export
            raise NotAllowed("；".join(problems) + " / A value is too long for the target.")
        # An older revision that has not gone out (or not been typed in) yet need not go at
        # all: the new one carries the corrected values.
        db.execute(
            "UPDATE deliveries SET state = ?, updated_at = ? WHERE record_uuid = ? "
            "AND target_id = ? AND state IN (?, ?) AND revision < ?",
            [SUPERSEDED, now, record.uuid, target.id, PENDING, AWAITING_ENTRY, record.revision],
        )
        # A platform a person types into waits for them from the start: the engine sends nothing.
        first = AWAITING_ENTRY if target_kinds.waits_for_person(target.kind) else PENDING
        db.execute(
            "INSERT OR IGNORE INTO deliveries(record_uuid, revision, target_id, state, "
            "attempts, message, payload, queued_at, updated_at) "
            "VALUES (?, ?, ?, ?, 0, '', '', ?, ?)",
            [record.uuid, record.revision, target.id, first, now, now],
        )


class TargetsMixin(Connection):
    """Store methods for configuring targets and queueing deliveries to them."""

    @guarded
    def add_target(
        self,
        name: str,
        kind: str,
        *,
        url: str | None = None,
        forms=(),
        branches=(),
        template: str | None = None,
        options: dict | None = None,
        enabled: bool = True,
    ) -> Target:
        """Configure a new platform to deliver to."""
        name = (name or "").strip()
        if not name or len(name) > _TARGET_NAME_MAX:
            raise NotAllowed(
                tr("平台名称不能为空，且不超过 {target_name_max} 个字。 / Target name required.").format(
                    target_name_max=_TARGET_NAME_MAX
                )
            )
        leaks = secret_problems(url, options)
        if leaks:
            raise NotAllowed("；".join(leaks) + " / A credential would be stored in plain text.")
        if not target_kinds.is_kind(kind):
            raise NotAllowed(
                tr("未知的平台类型“{kind}”，可选：{items}。 / Unknown kind {kind!r}.").format(
                    kind=kind, items=", ".join(target_kinds.kind_names())
                )
            )
        with self._write() as db:
            if db.execute("SELECT 1 FROM targets WHERE name = ? AND removed_at IS NULL", [name]).fetchone():
                raise NotAllowed(
                    tr("已有名为“{name}”的平台，请换一个名称。 / Target {name!r} exists.").format(name=name)
                )
            now = timestamp()
            cur = db.execute(
                "INSERT INTO targets(uid, name, kind, url, forms, branches, template, options, enabled, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid.uuid4().hex,
                    name,
                    kind,
                    url,
                    dumps(list(forms)),
                    dumps(list(branches)),
                    template,
                    _json_options(options),
                    int(enabled),
                    now,
                    now,
                ],
            )
            return target_row(db, inserted_id(cur))

    @guarded
    def update_target(self, id: int, **changes: Any) -> Target:
        """Change a target's settings; any change clears `needs attention` (the fix may be in).

        A change of where it sends (scheme, host or port of its address, update_url, test_url)
        unbinds its secrets: the target gets a new uid, so its keyring entries can never reach
        the new address (they are deleted on the keyring's next use), and it needs attention
        until a person enters them again."""
        allowed = {"name", "url", "forms", "branches", "template", "options", "enabled"}
        unknown = set(changes) - allowed
        if unknown:
            raise NotAllowed(
                tr("不能修改：{unknown} / Cannot change {unknown2}.").format(
                    unknown=", ".join(sorted(unknown)), unknown2=unknown
                )
            )
        leaks = secret_problems(changes.get("url"), changes.get("options"))
        if leaks:
            raise NotAllowed("；".join(leaks) + " / A credential would be stored in plain text.")
        with self._write() as db:
            before = target_row(db, id)
            now = timestamp()
            moved_to = self._moved(before, changes)
            if moved_to is not None:
                had_secrets = before.secret_origin is not None
                _forget_later(db, before.uid, before.kind)
                attention = (
                    address_changed_message(before.name, origins_of(before.config()), moved_to or None)
                    if had_secrets
                    else None
                )
                sets = ["attention = ?", "uid = ?", "secret_origin = NULL", "updated_at = ?"]
                values: list[Any] = [attention, uuid.uuid4().hex, now]
            else:
                # Only entering the secrets again ends a stop for a changed address.
                kept = before.attention if (before.attention or "").startswith(ADDRESS_CHANGED) else None
                sets, values = ["attention = ?", "updated_at = ?"], [kept, now]
            for key, value in changes.items():
                if key in ("forms", "branches"):
                    value = dumps(list(value or []))
                elif key == "options":
                    value = _json_options(value)
                elif key == "enabled":
                    value = int(bool(value))
                sets.append(f"{key} = ?")
                values.append(value)
            db.execute(f"UPDATE targets SET {', '.join(sets)} WHERE id = ?", values + [id])
            return target_row(db, id)

    @staticmethod
    def _moved(before: Target, changes: dict[str, Any]) -> str | None:
        """The target's new origins ("" for none) when the changes move where it sends, else None."""
        config = before.config()
        after = replace(
            config,
            url=changes.get("url", config.url),
            options={str(k): str(v) for k, v in (changes.get("options", config.options) or {}).items()},
        )
        old, new = origins_of(config), origins_of(after)
        return None if old == new else (new or "")

    @guarded
    def remove_target(self, id: int, operator: str = "") -> None:
        """Stop delivering to a target. Its history stays; what had not gone out is cancelled."""
        with self._write() as db:
            target = target_row(db, id)
            now = timestamp()
            db.execute(
                "UPDATE targets SET removed_at = ?, enabled = 0, secret_origin = NULL, updated_at = ? "
                "WHERE id = ?",
                [now, now, id],
            )
            _forget_later(db, target.uid, target.kind)  # its own keyring entries, nobody else's
            db.execute(
                "UPDATE deliveries SET state = ?, updated_at = ? WHERE target_id = ? AND state IN (?, ?, ?)",
                [CANCELLED, now, id, PENDING, UNCERTAIN, AWAITING_ENTRY],
            )
            write_audit(db, "target_removed", operator or "-", None, None, {"target": target.name}, now)

    @guarded
    def targets(self) -> list[Target]:
        """Every configured (not removed) target, in the order they were added."""
        rows = self.db.execute(
            f"SELECT {TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL ORDER BY id"
        ).fetchall()
        return [target_from(r) for r in rows]

    @guarded
    def target(self, name_or_id: str | int) -> Target:
        """A target by name (or id); NotFound otherwise."""
        row = self.db.execute(
            f"SELECT {TARGET_COLUMNS} FROM targets WHERE removed_at IS NULL AND (name = ? OR id = ?)",
            [str(name_or_id), _as_id(name_or_id)],
        ).fetchone()
        if row is None:
            raise NotFound(
                tr(
                    "找不到名为“{name_or_id}”的平台。用 `yici targets list` 查看已配置的平台。"
                    " / No target {name_or_id!r}."
                ).format(name_or_id=name_or_id)
            )
        return target_from(row)

    # -- the keyring's side: which data folder, where secrets were entered for, chores ----------
    @guarded
    def data_folder_id(self) -> str:
        """This data folder's id (made by schema step m006): the keyring entries of its targets
        carry it, so another data folder on the same account never finds them."""
        folder = _json_setting(self.db, FOLDER_ID_SETTING, None)
        if folder:
            return str(folder)
        with self._write() as db:  # only a hand-edited database lacks it: a new id, never a borrowed one
            folder = _json_setting(db, FOLDER_ID_SETTING, None) or uuid.uuid4().hex
            _put_setting(db, FOLDER_ID_SETTING, folder)
            return str(folder)

    @guarded
    def bind_secrets(self, id: int, origin: str | None) -> Target:
        """A person entered a secret of this target for `origin` (where it sends now): remember
        it, and end a stop for a changed address."""
        with self._write() as db:
            target = target_row(db, id)
            attention = None if (target.attention or "").startswith(ADDRESS_CHANGED) else target.attention
            db.execute(
                "UPDATE targets SET secret_origin = ?, attention = ? WHERE id = ?", [origin, attention, id]
            )
            return target_row(db, id)

    @guarded
    def keyring_chores(self) -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
        """([(target id, uid)] whose entries under the old names are still to be moved here,
        [(uid, kind)] whose entries are still to be deleted), for sync/secrets.py."""
        adopt = _json_setting(self.db, ADOPT_SETTING, [])
        forget = _json_setting(self.db, FORGET_SETTING, [])
        return [(int(i), str(u)) for i, u in adopt], [(str(f["uid"]), str(f["kind"])) for f in forget]

    @guarded
    def keyring_chores_done(self, adopted: bool = False, forgotten: tuple[str, ...] = ()) -> None:
        """The old-named entries were moved (`adopted`); the entries of these uids are deleted."""
        with self._write() as db:
            if adopted:
                _put_setting(db, ADOPT_SETTING, [])
            if forgotten:
                pending = _json_setting(db, FORGET_SETTING, [])
                _put_setting(db, FORGET_SETTING, [f for f in pending if f.get("uid") not in forgotten])

    @guarded
    def live_target(self, id: int) -> Target:
        """The target with this id as it is now; NotFound when it was removed."""
        row = self.db.execute(
            f"SELECT {TARGET_COLUMNS} FROM targets WHERE id = ? AND removed_at IS NULL", [id]
        ).fetchone()
        if row is None:
            raise NotFound(tr("找不到平台 {id}（可能已删除）。 / No target {id}.").format(id=id))
        return target_from(row)

    @guarded
    def set_target_attention(self, id: int, message: str | None) -> None:
        """Stop a target with a message for the operator, or (None) let it run again."""
        with self._write() as db:
            db.execute("UPDATE targets SET attention = ? WHERE id = ?", [message, id])

    @guarded
    def queue_existing(self, target_id: int, operator: str = "") -> int:
        """Queue every final record this target wants that it has not had (e.g. a new target)."""
        with self._write() as db:
            target = target_row(db, target_id)
            now = timestamp()
            rows = db.execute(
                "SELECT r.uuid, r.revision, r.form_id, b.name FROM records r "
                "JOIN branches b ON b.id = r.branch_id WHERE r.status = 'final' "
                "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.record_uuid = r.uuid "
                "AND d.target_id = ? AND d.revision = r.revision)",
                [target_id],
            ).fetchall()
            count = 0
            first = AWAITING_ENTRY if target_kinds.waits_for_person(target.kind) else PENDING
            for uuid, revision, form_id, branch_name in rows:
                if target.matches(form_id, branch_name):
                    db.execute(
                        "INSERT INTO deliveries(record_uuid, revision, target_id, state, "
                        "attempts, message, payload, queued_at, updated_at) "
                        "VALUES (?, ?, ?, ?, 0, '', '', ?, ?)",
                        [uuid, revision, target_id, first, now, now],
                    )
                    count += 1
            return count

    @guarded
    def missing_finals(
        self, target_id: int | None, forms: list[str] | None = None, branches: list[str] | None = None
    ) -> int:
        """How many final records a target with this scope (empty = all) wants and has not had in
        their current revision: what `queue_existing` would queue. `target_id` None: a new target."""
        rows = self.db.execute(
            "SELECT r.form_id, b.name, COUNT(*) FROM records r JOIN branches b ON b.id = r.branch_id "
            "WHERE r.status = 'final' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE "
            "d.record_uuid = r.uuid AND d.target_id = ? AND d.revision = r.revision) "
            "GROUP BY r.form_id, b.name",
            [target_id if target_id is not None else -1],
        ).fetchall()
        return sum(count for f, b, count in rows if in_scope(forms or [], branches or [], f, b))
