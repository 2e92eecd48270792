"""Branches as the township keeps them on the hub: adding, renaming (the uid stays), listing, and
replacing a branch's roster; laptops receive each change on their next pull."""

from __future__ import annotations

import uuid

import psycopg

from hub.changes import next_change
from hub.devices import branch_id


async def set_roster(conn: psycopg.AsyncConnection, branch: str, rows: list[dict]) -> int:
    """Replace the roster of `branch` (created when missing) with `rows` (name, role, phone), in
    one transaction; laptops get it on their next pull. Returns the number of members."""
    async with conn.transaction():
        bid = await branch_id(conn, branch.strip())
        await conn.execute("DELETE FROM members WHERE branch_id = %s", [bid])
        async with conn.cursor() as cur:
            await cur.executemany(
                "INSERT INTO members(branch_id, name, role, phone, position) VALUES (%s, %s, %s, %s, %s)",
                [[bid, r["name"], r.get("role") or "党员", r.get("phone"), n] for n, r in enumerate(rows)],
            )
        secretary = next((r["name"] for r in rows if r.get("role") == "书记"), None)
        await conn.execute(
            "UPDATE branches SET secretary = coalesce(%s, secretary), change = %s WHERE id = %s",
            [secretary, await next_change(conn), bid],
        )
    return len(rows)


class BranchError(RuntimeError):
    """A branch change the hub refuses; the message says what to do instead."""


async def add_branch(
    conn: psycopg.AsyncConnection, name: str, code: str | None, secretary: str | None
) -> str:
    """A new branch (with a new uid, which it keeps for good); its uid."""
    name = name.strip()
    if not name:
        raise BranchError("支部名称不能为空")
    async with conn.transaction():
        if await _exists(conn, name):
            raise BranchError(f"已有名为“{name}”的支部。")
        uid = uuid.uuid4().hex
        await conn.execute(
            "INSERT INTO branches(uid, name, code, secretary, change) VALUES (%s, %s, %s, %s, %s)",
            [uid, name, code or None, secretary or None, await next_change(conn)],
        )
    return uid


async def rename_branch(conn: psycopg.AsyncConnection, old: str, new: str) -> None:
    """Rename a branch; it keeps its uid, so laptops rename theirs instead of adding one."""
    new = new.strip()
    if not new:
        raise BranchError("新的支部名称不能为空")
    async with conn.transaction():
        if await _exists(conn, new):
            raise BranchError(f"已有名为“{new}”的支部。")
        change = await next_change(conn)
        cur = await conn.execute(
            "UPDATE branches SET name = %s, change = %s WHERE name = %s", [new, change, old.strip()]
        )
        if cur.rowcount == 0:
            raise BranchError(f"没有名为“{old}”的支部。")


async def list_branches(conn: psycopg.AsyncConnection) -> list[dict]:
    """Every branch: name, uid, code, secretary, members, devices (active), cadence overrides."""
    rows = await (
        await conn.execute(
            "SELECT b.name, b.uid, b.code, b.secretary, b.cadence, "
            " (SELECT count(*) FROM members m WHERE m.branch_id = b.id), "
            " (SELECT count(*) FROM device_branches d JOIN devices v ON v.id = d.device_id "
            "  WHERE d.branch_id = b.id AND v.revoked_at IS NULL) "
            "FROM branches b ORDER BY b.name"
        )
    ).fetchall()
    keys = ("name", "uid", "code", "secretary", "cadence", "members", "devices")
    return [dict(zip(keys, row, strict=True)) for row in rows]


async def _exists(conn: psycopg.AsyncConnection, name: str) -> bool:
    row = await (await conn.execute("SELECT 1 FROM branches WHERE name = %s", [name])).fetchone()
    return row is not None
