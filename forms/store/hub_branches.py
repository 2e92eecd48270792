"""Branches as the township hub knows them: each local branch remembers its uid on the hub (the
`hub_uid` column: a branch keeps it when renamed, and one uid can belong to one local branch
only), and what the hub publishes for a branch (name, code, secretary, cadence overrides, the
roster) is applied here. The township's roster replaces the laptop's; people no longer on it are
taken off as `remove_member` does (hidden, never deleted: old records still name them). What the
township left empty (no roster yet, no cadence override, no code) keeps the laptop's own."""

from __future__ import annotations

from typing import Any

from forms.i18n import tr
from forms.store.branches import ROLES, _insert_member, branch_row
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, guarded
from forms.store.rows import BRANCH_COLUMNS, TARGET_COLUMNS, Branch, Target, branch_from, dumps, target_from
from forms.store.times import timestamp


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


class HubBranchesMixin(Connection):
    """Store methods for branches and the township hub's target."""

    @guarded
    def hub_target(self) -> Target | None:
        """The township hub's target of this data folder (there is at most one), or None."""
        row = self.db.execute(
            f"SELECT {TARGET_COLUMNS} FROM targets WHERE kind = 'hub' AND removed_at IS NULL "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        return None if row is None else target_from(row)

    @guarded
    def branch_by_hub_uid(self, uid: str) -> Branch | None:
        """The local branch that is the hub's branch `uid`, or None."""
        row = self.db.execute(f"SELECT {BRANCH_COLUMNS} FROM branches WHERE hub_uid = ?", [uid]).fetchone()
        return None if row is None else branch_from(row)

    @guarded
    def hub_branch_names(self, uids: list[str]) -> list[str]:
        """The local names of the hub's branches `uids` that this laptop has, in the order given."""
        names = dict(
            self.db.execute("SELECT hub_uid, name FROM branches WHERE hub_uid IS NOT NULL").fetchall()
        )
        return [names[uid] for uid in uids if uid in names]

    @guarded
    def apply_hub_branch(self, entry: dict, *, roster: bool = True) -> tuple[Branch, list[str]]:
        """Take in one branch as the hub publishes it ({uid, name, code, secretary, cadence,
        members}): found by its uid, else (the first time) by its name, else added. Its name,
        code, secretary and cadence become the hub's; with `roster`, its roster too. Returns the
        branch and warnings (a name another branch here already has is kept as it was)."""
        uid = str(entry.get("uid") or "")
        name = _text(entry.get("name")) or ""
        if not uid or not name:
            raise NotAllowed(tr("乡镇平台发来的支部缺少编号或名称，已跳过。"))
        warnings: list[str] = []
        with self._write() as db:
            row = db.execute("SELECT id FROM branches WHERE hub_uid = ?", [uid]).fetchone()
            if row is None:
                row = db.execute(
                    "SELECT id FROM branches WHERE name = ? AND hub_uid IS NULL", [name]
                ).fetchone()
            if row is None:
                taken = db.execute("SELECT 1 FROM branches WHERE name = ?", [name]).fetchone()
                local_name = name if taken is None else f"{name}（{uid[:6]}）"
                cur = db.execute(
                    "INSERT INTO branches(name, code, secretary, cadence, created_at, hub_uid) "
                    "VALUES (?, NULL, NULL, '{}', ?, ?)",
                    [local_name, timestamp(), uid],
                )
                branch_id = int(cur.lastrowid or 0)
            else:
                branch_id = row[0]
                db.execute("UPDATE branches SET hub_uid = ? WHERE id = ?", [uid, branch_id])
            current = branch_row(db, branch_id)
            if current.name != name:
                other = db.execute(
                    "SELECT 1 FROM branches WHERE name = ? AND id != ?", [name, branch_id]
                ).fetchone()
                if other is None:
                    db.execute("UPDATE branches SET name = ? WHERE id = ?", [name, branch_id])
                else:
                    warnings.append(
                        tr("乡镇平台把支部“{old}”改名为“{name}”，但本机已有同名支部，名称没有改。").format(
                            old=current.name, name=name
                        )
                    )
            # What the township has not filled in (no code, no cadence override, no roster yet)
            # leaves the laptop's own as it is: a first join must not empty a branch's roster.
            cadence = entry.get("cadence") if isinstance(entry.get("cadence"), dict) else {}
            db.execute(
                "UPDATE branches SET code = coalesce(?, code), secretary = coalesce(?, secretary), "
                "cadence = CASE WHEN ? = '{}' THEN cadence ELSE ? END WHERE id = ?",
                [
                    _text(entry.get("code")),
                    _text(entry.get("secretary")),
                    dumps(cadence),
                    dumps(cadence),
                    branch_id,
                ],
            )
            if roster and isinstance(entry.get("members"), list) and entry["members"]:
                warnings += self._replace_roster(db, branch_id, entry["members"])
            return branch_row(db, branch_id), warnings

    def _replace_roster(self, db: Any, branch_id: int, members: list) -> list[str]:
        """The branch's roster becomes `members` (in their order); others are taken off."""
        warnings: list[str] = []
        wanted: dict[str, dict] = {}
        for number, member in enumerate(members):
            name = _text(member.get("name")) if isinstance(member, dict) else None
            if not name or name in wanted:
                continue
            role = member.get("role") if member.get("role") in ROLES else "党员"
            if member.get("role") not in (None, "", role):
                warnings.append(
                    tr("名册中“{name}”的职务“{role}”不认识，记为党员。").format(
                        name=name, role=member["role"]
                    )
                )
            wanted[name] = {"role": role, "phone": _text(member.get("phone")), "position": number + 1}
        now = timestamp()
        current = {
            name: (id, role, phone, position)
            for id, name, role, phone, position in db.execute(
                "SELECT id, name, role, phone, position FROM members "
                "WHERE branch_id = ? AND removed_at IS NULL",
                [branch_id],
            ).fetchall()
        }
        for name, (id, *_rest) in current.items():
            if name not in wanted:
                db.execute("UPDATE members SET removed_at = ? WHERE id = ?", [now, id])
        for name, values in wanted.items():
            here = current.get(name)
            if here is None:
                member = _insert_member(db, branch_id, name, values["role"], values["phone"])
                db.execute("UPDATE members SET position = ? WHERE id = ?", [values["position"], member.id])
            elif here[1:] != (values["role"], values["phone"], values["position"]):
                db.execute(
                    "UPDATE members SET role = ?, phone = ?, position = ? WHERE id = ?",
                    [values["role"], values["phone"], values["position"], here[0]],
                )
        return warnings

    @guarded
    def hub_send_again(self, target_id: int) -> int:
        """The hub was restored from an older backup: every final record it should have goes to
        it once more, in its current revision (the hub answers "already" for what it kept, and
        the `hub` kind sends the earlier revisions it lacks first). Returns how many."""
        now = timestamp()
        with self._write() as db:
            cur = db.execute(
                "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = NULL, "
                "not_before = NULL, last_attempt_at = NULL, updated_at = ? WHERE target_id = ? "
                "AND state IN ('delivered', 'superseded') AND revision = "
                "(SELECT r.revision FROM records r WHERE r.uuid = deliveries.record_uuid "
                "AND r.status = 'final')",
                [now, target_id],
            )
            return cur.rowcount
