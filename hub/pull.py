"""What flows down to a laptop: its branches with rosters and cadence overrides, the forms and
the non-secret platform settings the township publishes, each changed since the laptop's cursor."""

from __future__ import annotations

import psycopg

from hub.devices import Device


async def branches(conn: psycopg.AsyncConnection, device: Device, since: int, upto: int) -> list[dict]:
    """The device's branches that changed (or were given to it) after `since`, with their rosters."""
    rows = await (
        await conn.execute(
            "SELECT b.id, b.uid, b.name, b.code, b.secretary, b.cadence FROM branches b "
            "JOIN device_branches d ON d.branch_id = b.id AND d.device_id = %s "
            "WHERE (b.change > %s AND b.change <= %s) OR (d.change > %s AND d.change <= %s) ORDER BY b.name",
            [device.id, since, upto, since, upto],
        )
    ).fetchall()
    out = {
        bid: {"uid": uid, "name": name, "code": code, "secretary": sec, "cadence": cadence, "members": []}
        for bid, uid, name, code, sec, cadence in rows
    }
    if out:
        members = await (
            await conn.execute(
                "SELECT branch_id, name, role, phone, position FROM members WHERE branch_id = ANY(%s) "
                "ORDER BY branch_id, position, id",
                [list(out)],
            )
        ).fetchall()
        for bid, name, role, phone, position in members:
            out[bid]["members"].append({"name": name, "role": role, "phone": phone, "position": position})
    return list(out.values())


async def forms(conn: psycopg.AsyncConnection, since: int, upto: int) -> list[dict]:
    """Form versions the township published after `since`."""
    rows = await (
        await conn.execute(
            "SELECT id, version, source, print_layout FROM forms WHERE change > %s AND change <= %s "
            "ORDER BY id, version",
            [since, upto],
        )
    ).fetchall()
    return [{"id": i, "version": v, "source": s, "print_layout": p} for i, v, s, p in rows]


async def settings(conn: psycopg.AsyncConnection, since: int, upto: int) -> list[dict]:
    """Platform settings (never secrets) the township published after `since`."""
    rows = await (
        await conn.execute(
            "SELECT name, kind, settings FROM platform_settings "
            "WHERE change > %s AND change <= %s ORDER BY name",
            [since, upto],
        )
    ).fetchall()
    return [{"name": n, "kind": k, "settings": s} for n, k, s in rows]
