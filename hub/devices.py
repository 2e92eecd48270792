"""Devices (laptops) and the branches each may read and write: enrolment with a one-time code,
joining with it for a token, revoking, and knowing a device again by its token.

Only hashes of codes and tokens are stored (hub/tokens.py). One device of a name is active at a
time; a revoked device keeps its row, so the hub still knows who sent what.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import psycopg

from hub import tokens
from hub.changes import next_change
from hub.errors import Refused

CODE_DAYS = 7


class EnrolError(RuntimeError):
    """An enrolment the hub refuses; the message says what to do instead."""


@dataclass
class Device:
    """The device a request came from, with its branches (hub uid -> database id)."""

    id: int
    name: str
    branches: dict[str, int] = field(default_factory=dict)


async def branch_id(conn: psycopg.AsyncConnection, name: str) -> int:
    """The branch of this name, created (with a new uid) when the hub does not have it yet."""
    row = await (await conn.execute("SELECT id FROM branches WHERE name = %s", [name])).fetchone()
    if row:
        return int(row[0])
    change = await next_change(conn)
    row = await (
        await conn.execute(
            "INSERT INTO branches(uid, name, change) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id",
            [uuid.uuid4().hex, name, change],
        )
    ).fetchone()
    assert row is not None
    return int(row[0])


async def enrol(
    conn: psycopg.AsyncConnection, name: str, branch_names: list[str], days: int = CODE_DAYS
) -> str:
    """A one-time code for the device `name`, linked to these branches (created if missing).

    A device enrolled but not yet joined gets a new code (the old one stops working)."""
    name = name.strip()
    names = [b.strip() for b in branch_names if b.strip()]
    if not name:
        raise EnrolError("设备名称不能为空")
    if not names:
        raise EnrolError("请至少写一个支部名称，例如 --branches 第一党支部,第二党支部")
    code = tokens.new_code()
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT id, joined_at FROM devices WHERE name = %s AND revoked_at IS NULL FOR UPDATE", [name]
            )
        ).fetchone()
        if row and row[1] is not None:
            raise EnrolError(
                f"设备“{name}”已经加入。要换一台电脑，先运行 yici-hub revoke {name}，再重新登记。"
            )
        params = [tokens.code_hash(code), f"{days} days"]
        if row:
            device_id = int(row[0])
            await conn.execute(
                "UPDATE devices SET code_hash = %s, code_expires_at = now() + %s::interval WHERE id = %s",
                [*params, device_id],
            )
        else:
            inserted = await (
                await conn.execute(
                    "INSERT INTO devices(name, code_hash, code_expires_at) "
                    "VALUES (%s, %s, now() + %s::interval) RETURNING id",
                    [name, *params],
                )
            ).fetchone()
            assert inserted is not None
            device_id = int(inserted[0])
        branch_ids = [await branch_id(conn, b) for b in dict.fromkeys(names)]
        await conn.execute("DELETE FROM device_branches WHERE device_id = %s", [device_id])
        change = await next_change(conn)
        for bid in branch_ids:
            await conn.execute(
                "INSERT INTO device_branches(device_id, branch_id, change) VALUES (%s, %s, %s)",
                [device_id, bid, change],
            )
    return code


async def join(conn: psycopg.AsyncConnection, code: str, device_name: str) -> dict:
    """Use a one-time code: the device's id, its new token (shown this once) and its branches."""
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT id, code_expires_at < now() FROM devices "
                "WHERE code_hash = %s AND revoked_at IS NULL FOR UPDATE",
                [tokens.code_hash(code)],
            )
        ).fetchone()
        if row is None:
            raise Refused(403, "登记码无效或已经用过。请向乡镇管理员要一个新的登记码。")
        if row[1]:
            raise Refused(403, f"登记码已过期（有效 {CODE_DAYS} 天）。请向乡镇管理员要一个新的登记码。")
        device_id, token = int(row[0]), tokens.new_token()
        await conn.execute(
            "UPDATE devices SET token_hash = %s, code_hash = NULL, joined_as = %s, joined_at = now(), "
            "last_seen_at = now() WHERE id = %s",
            [tokens.token_hash(token), device_name[:200], device_id],
        )
        branches = await (
            await conn.execute(
                "SELECT b.uid, b.name, b.code FROM device_branches d JOIN branches b ON b.id = d.branch_id "
                "WHERE d.device_id = %s ORDER BY b.name",
                [device_id],
            )
        ).fetchall()
    return {
        "device_id": device_id,
        "token": token,
        "branches": [{"uid": uid, "name": name, "code": code} for uid, name, code in branches],
    }


async def revoke(conn: psycopg.AsyncConnection, name: str) -> bool:
    """Revoke the active device of this name; False when there is none."""
    async with conn.transaction():
        cur = await conn.execute(
            "UPDATE devices SET revoked_at = now(), code_hash = NULL WHERE name = %s AND revoked_at IS NULL",
            [name.strip()],
        )
    return cur.rowcount > 0


async def authenticate(conn: psycopg.AsyncConnection, authorization: str | None) -> Device:
    """The device whose token is in `Authorization: Bearer TOKEN`; 401 otherwise."""
    scheme, _, token = (authorization or "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="yici-hub"'}
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused(401, "缺少设备凭据：请先用登记码加入乡镇平台。", challenge)
    # One round trip for the device and its branches (every request of every laptop asks this).
    row = await (
        await conn.execute(
            "SELECT v.id, v.name, v.revoked_at IS NOT NULL, "
            " v.last_seen_at IS NULL OR v.last_seen_at < now() - interval '1 minute', "
            " coalesce(array_agg(b.uid) FILTER (WHERE b.id IS NOT NULL), '{}'), "
            " coalesce(array_agg(b.id) FILTER (WHERE b.id IS NOT NULL), '{}') "
            "FROM devices v LEFT JOIN device_branches d ON d.device_id = v.id "
            "LEFT JOIN branches b ON b.id = d.branch_id WHERE v.token_hash = %s GROUP BY v.id",
            [tokens.token_hash(token.strip())],
        )
    ).fetchone()
    if row is None:
        raise Refused(401, "设备凭据无效：请用新的登记码重新加入乡镇平台。", challenge)
    if row[2]:
        raise Refused(401, "这台电脑已被乡镇撤销，不能再同步。请联系乡镇管理员。", challenge, revoked=True)
    device = Device(int(row[0]), row[1])
    device.branches = {uid: int(bid) for uid, bid in zip(row[4], row[5], strict=True)}
    if row[3]:  # last seen noted at most once a minute: no write on every request
        await conn.execute("UPDATE devices SET last_seen_at = now() WHERE id = %s", [device.id])
    return device


async def list_devices(conn: psycopg.AsyncConnection) -> list[dict]:
    """Every device, revoked ones too: name, branches, enrolled, joined, last seen, revoked."""
    rows = await (
        await conn.execute(
            "SELECT v.name, coalesce(array_agg(b.name ORDER BY b.name) FILTER (WHERE b.name IS NOT NULL), "
            "'{}'), v.created_at, v.joined_at, v.joined_as, v.last_seen_at, v.revoked_at, v.code_expires_at "
            "FROM devices v LEFT JOIN device_branches d ON d.device_id = v.id "
            "LEFT JOIN branches b ON b.id = d.branch_id GROUP BY v.id ORDER BY v.name, v.id"
        )
    ).fetchall()
    keys = ("name", "branches", "enrolled", "joined", "joined_as", "last_seen", "revoked", "code_expires")
    return [dict(zip(keys, row, strict=True)) for row in rows]
