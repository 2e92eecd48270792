"""Branches as the township keeps them on the hub: replacing a branch's roster (what its laptops
receive on their next pull)."""

from __future__ import annotations

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
