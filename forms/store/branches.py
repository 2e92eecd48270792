"""Branches (党支部) and their rosters: names unique per branch, people kept in roster order,
removed people hidden but never deleted (records that name them keep the name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from forms.characters import LINE_BREAKS, control_problem
from forms.i18n import tr
from forms.store.cipher import sqlite3
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, NotFound, guarded
from forms.store.rows import BRANCH_COLUMNS, MEMBER_COLUMNS, Branch, Member, branch_from, dumps, inserted_id
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database

ROLES = ("书记", "副书记", "委员", "党员", "预备党员")
SECRETARY = "书记"


def secretary_warnings(secretaries: list[str]) -> list[str]:
    """A branch has one 书记: a warning naming them all when a roster has more than one."""
    if len(secretaries) < 2:
        return []
    return [
        tr(
            "名册上有 {secretaries_count} 位书记：{secretaries}。一个支部只有一位书记，"
            "请把已不再担任书记的人改为其他职务（如委员或党员）。"
        ).format(secretaries_count=len(secretaries), secretaries="、".join(secretaries))
    ]


@dataclass
class RosterPlan:
    """What importing rows into a roster would do: who is added, changed (and how), unchanged,
    and who would be 书记 afterwards (store.plan_roster; nothing is written)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # "张三（职务 党员→书记）"
    unchanged: list[str] = field(default_factory=list)
    secretaries: list[str] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        """Every row is already on the roster as it stands: importing would change nothing."""
        return not (self.added or self.changed)

    @property
    def warnings(self) -> list[str]:
        """What to warn about once imported (a second 书记)."""
        return secretary_warnings(self.secretaries)


def _text_name(text: str, what: str) -> str:
    """A name as one line, refused when it holds control characters."""
    text = LINE_BREAKS.sub(" ", text or "").strip()
    problem = control_problem(text, what)
    if problem:
        raise NotAllowed(problem)
    return text


def branch_row(db: Database | sqlite3.Connection, id: int) -> Branch:
    """The branch with this id; NotFound otherwise."""
    row = db.execute(f"SELECT {BRANCH_COLUMNS} FROM branches WHERE id = ?", [id]).fetchone()
    if row is None:
        raise NotFound(
            tr(
                "找不到编号为 {id} 的支部。请用 `yici branches list` 查看已有支部。 / No branch with id {id}."
            ).format(id=id)
        )
    return branch_from(row)


def _unique_branch_name(db: Database, name: str, except_id: int | None) -> None:
    row = db.execute("SELECT id FROM branches WHERE name = ?", [name]).fetchone()
    if row is not None and row[0] != except_id:
        raise NotAllowed(
            tr("已经有名为“{name}”的支部了，请换一个名称。 / A branch named {name!r} already exists.").format(
                name=name
            )
        )


def _member_row(db: Database, id: int) -> Member:
    row = db.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE id = ? AND removed_at IS NULL", [id]
    ).fetchone()
    if row is None:
        raise NotFound(
            tr("找不到编号为 {id} 的党员（可能已移出名册）。 / No member with id {id}.").format(id=id)
        )
    return Member(*row)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise NotAllowed(
            tr("身份“{role}”不在可选范围内（{roles}）。 / Unknown role {role!r}.").format(
                role=role, roles="、".join(ROLES)
            )
        )
    return role


def _check_member_name(db: Database, branch_id: int, name: str, except_id: int | None) -> str:
    name = _text_name(name, tr("姓名"))
    if not name:
        raise NotAllowed(tr("党员姓名不能为空。 / A member needs a name."))
    row = db.execute(
        "SELECT id FROM members WHERE branch_id = ? AND name = ? AND removed_at IS NULL", [branch_id, name]
    ).fetchone()
    if row is not None and row[0] != except_id:
        raise NotAllowed(
            tr(
                "名册中已经有“{name}”。同名的人请加以区分（例如“{name}（大）”）。"
                " / {name!r} is already on the roster."
            ).format(name=name)
        )
    return name


def _insert_member(db: Database, branch_id: int, name: str, role: str, phone: str | None) -> Member:
    name = _check_member_name(db, branch_id, name, None)
    _check_role(role)
    position = db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM members WHERE branch_id = ?", [branch_id]
    ).fetchone()[0]
    cur = db.execute(
        "INSERT INTO members(branch_id, name, role, phone, position) VALUES (?, ?, ?, ?, ?)",
        [branch_id, name, role, phone, position],
    )
    return Member(inserted_id(cur), branch_id, name, role, phone, position)


class BranchesMixin(Connection):
    """Store methods for branches and their rosters."""

    @guarded
    def add_branch(self, name: str, code: str | None = None, secretary: str | None = None) -> Branch:
        """Add a branch; names are unique."""
        name = _text_name(name, tr("支部名称"))
        if not name:
            raise NotAllowed(tr("支部名称不能为空。 / A branch needs a name."))
        with self._write() as db:
            _unique_branch_name(db, name, None)
            cur = db.execute(
                "INSERT INTO branches(name, code, secretary, cadence, created_at) VALUES (?, ?, ?, '{}', ?)",
                [name, code, secretary, timestamp()],
            )
            return Branch(inserted_id(cur), name, code, secretary, {})

    @guarded
    def update_branch(self, id: int, **changes: Any) -> Branch:
        """Change a branch's name, code, secretary or cadence overrides."""
        allowed = {"name", "code", "secretary", "cadence"}
        if set(changes) - allowed:
            raise TypeError(f"update_branch: unknown fields {sorted(set(changes) - allowed)}")
        with self._write() as db:
            current = branch_row(db, id)
            if "name" in changes:
                changes["name"] = _text_name(changes["name"], tr("支部名称"))
                if not changes["name"]:
                    raise NotAllowed(tr("支部名称不能为空。 / A branch needs a name."))
                _unique_branch_name(db, changes["name"], id)
            for key, value in changes.items():
                db.execute(
                    f"UPDATE branches SET {key} = ? WHERE id = ?",
                    [dumps(value or {}) if key == "cadence" else value, id],
                )
            return branch_row(db, current.id)

    @guarded
    def branches(self) -> list[Branch]:
        """Every branch, in the order they were added."""
        return [
            branch_from(r) for r in self.conn.execute(f"SELECT {BRANCH_COLUMNS} FROM branches ORDER BY id")
        ]

    @guarded
    def branch(self, id: int) -> Branch:
        """The branch with this id (NotFound otherwise)."""
        return branch_row(self.conn, id)

    @guarded
    def find_branch(self, name_or_code: str) -> Branch | None:
        """The branch with this exact name, else this code, else this numeric id; or None."""
        text = str(name_or_code).strip()
        cols = f"SELECT {BRANCH_COLUMNS} FROM branches"
        for sql, arg in (
            (f"{cols} WHERE name = ?", text),
            (f"{cols} WHERE code = ? ORDER BY id", text),
            (f"{cols} WHERE id = ?", int(text) if text.isdigit() else None),
        ):
            if arg is None:
                continue
            row = self.conn.execute(sql, [arg]).fetchone()
            if row is not None:
                return branch_from(row)
        return None

    # -- rosters ---------------------------------------------------------------------------------

    @guarded
    def add_member(self, branch_id: int, name: str, role: str = "党员", phone: str | None = None) -> Member:
        """Add a person at the end of a branch's roster."""
        with self._write() as db:
            branch_row(db, branch_id)
            return _insert_member(db, branch_id, name, role, phone)

    @guarded
    def update_member(self, id: int, **changes: Any) -> Member:
        """Change a member's name, role, phone or roster position."""
        allowed = {"name", "role", "phone", "position"}
        if set(changes) - allowed:
            raise TypeError(f"update_member: unknown fields {sorted(set(changes) - allowed)}")
        with self._write() as db:
            current = _member_row(db, id)
            if "name" in changes:
                changes["name"] = _check_member_name(db, current.branch_id, changes["name"], id)
            if "role" in changes:
                _check_role(changes["role"])
            for key, value in changes.items():
                db.execute(f"UPDATE members SET {key} = ? WHERE id = ?", [value, id])
            return _member_row(db, id)

    @guarded
    def remove_member(self, id: int) -> None:
        """Take a person off the roster; records that name them keep the name."""
        with self._write() as db:
            _member_row(db, id)
            db.execute("UPDATE members SET removed_at = ? WHERE id = ?", [timestamp(), id])

    @guarded
    def members(self, branch_id: int) -> list[Member]:
        """The branch's current roster, in roster order."""
        return [
            Member(*r)
            for r in self.conn.execute(
                f"SELECT {MEMBER_COLUMNS} FROM members WHERE branch_id = ? AND removed_at IS NULL "
                "ORDER BY position, id",
                [branch_id],
            )
        ]

    @guarded
    def roster_warnings(self, branch_id: int) -> list[str]:
        """What is odd about a branch's roster as it stands (more than one 书记)."""
        return secretary_warnings([m.name for m in self.members(branch_id) if m.role == SECRETARY])

    @guarded
    def plan_roster(self, branch_id: int, rows: list[dict]) -> RosterPlan:
        """What `import_members(branch_id, rows)` would do, without writing anything."""
        branch_row(self.conn, branch_id)
        roster = {m.name: (m.role, m.phone) for m in self.members(branch_id)}
        plan = RosterPlan()
        for row in rows:
            name = str(row.get("name") or "").strip()
            if not name:
                continue
            before = roster.get(name)
            role = row.get("role") or (before[0] if before else "党员")
            phone = (row.get("phone") or None) if ("phone" in row or before is None) else before[1]
            roster[name] = (role, phone)
            if before is None:
                plan.added.append(name)
            elif before == (role, phone):
                plan.unchanged.append(name)
            else:
                what = (
                    [tr("职务 {before}→{role}").format(before=before[0], role=role)]
                    if before[0] != role
                    else []
                )
                what += (
                    [
                        tr("电话 {before}→{phone}").format(
                            before=before[1] or tr("空"), phone=phone or tr("空")
                        )
                    ]
                    if before[1] != phone
                    else []
                )
                plan.changed.append(f"{name}（{'，'.join(what)}）")
        plan.secretaries = [name for name, (role, _) in roster.items() if role == SECRETARY]
        return plan

    @guarded
    def import_members(self, branch_id: int, rows: list[dict]) -> list[Member]:
        """Add or update many people in one transaction (all or nothing). Each row has `name`
        and optionally `role` and `phone`; a name already on the roster is updated in place.
        Returns the member for each row, in row order."""
        result: list[Member] = []
        with self._write() as db:
            branch_row(db, branch_id)
            for number, row in enumerate(rows, start=1):
                name = str(row.get("name") or "").strip()
                if not name:
                    raise NotAllowed(
                        tr(
                            "第 {number} 行没有姓名，整个名册没有导入。请补上姓名后重试。"
                            " / Row {number} has no name; nothing was imported."
                        ).format(number=number)
                    )
                role = row.get("role") or "党员"
                phone = row.get("phone") or None
                try:
                    _check_role(role)
                except NotAllowed as exc:
                    raise NotAllowed(
                        tr("第 {number} 行：{exc}（整个名册没有导入）").format(number=number, exc=exc)
                    ) from None
                existing = db.execute(
                    f"SELECT {MEMBER_COLUMNS} FROM members WHERE branch_id = ? AND name = ? "
                    "AND removed_at IS NULL",
                    [branch_id, name],
                ).fetchone()
                if existing is None:
                    result.append(_insert_member(db, branch_id, name, role, phone))
                    continue
                member = Member(*existing)
                before = (member.role, member.phone)
                member.role = role if row.get("role") else member.role
                member.phone = phone if "phone" in row else member.phone
                if (member.role, member.phone) != before:  # an unchanged row writes nothing
                    db.execute(
                        "UPDATE members SET role = ?, phone = ? WHERE id = ?",
                        [member.role, member.phone, member.id],
                    )
                result.append(member)
        return result
