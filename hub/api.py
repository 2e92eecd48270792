"""The laptops' API, except attachments (hub/api_attachments.py): join, push a record revision,
pull what the township publishes, list a branch's revisions for a handover. docs/HUB.md describes
each call; every refusal is JSON {"error": 中文, ...} (hub/errors.py)."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import JSONResponse

from hub import devices, incoming, pull, records
from hub.changes import settled_cursor
from hub.errors import Refused
from hub.record_shape import pushed
from hub.requestlog import note_device

API_VERSION = 1
MAX_RECORD = 8 * 2**20  # one revision's JSON, form source included
PAGE = 200  # revisions per page of a handover listing


async def about(request: Request) -> JSONResponse:
    """GET /api/v1: what answers here (no token needed; a laptop checks the address with it).
    With a token: also which device it is and its branches (401 for a token not valid here)."""
    answer: dict = {"service": "yici-hub", "api": API_VERSION}
    if request.headers.get("authorization"):
        async with request.app.state.pool.connection() as conn:
            device = await incoming.device(request, conn)
            rows = await (
                await conn.execute(
                    "SELECT name FROM branches WHERE id = ANY(%s) ORDER BY name",
                    [list(device.branches.values())],
                )
            ).fetchall()
        answer.update(device=device.name, branches=[r[0] for r in rows])
    return JSONResponse(answer)


async def join(request: Request) -> JSONResponse:
    """POST /api/v1/join {code, device_name}: the device's token and branches, once per code;
    429 with Retry-After after too many wrong codes from one address (hub/join_limit.py)."""
    body = await incoming.json_body(request, 64 * 1024)
    code = body.get("code") if isinstance(body, dict) else None
    name = body.get("device_name") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code.strip():
        raise Refused(422, "请填写登记码。", field="code")
    limit, address = request.app.state.join_limit, request.client.host if request.client else "-"
    wait = limit.wait(address)
    if wait:
        raise Refused(
            429,
            f"登记码输错的次数太多，请 {math.ceil(wait / 60)} 分钟后再试。"
            "请对照乡镇管理员给的登记码逐个字符核对（没有数字 0、1、2、5、8）。",
            {"Retry-After": str(wait)},
            retry_after=wait,
        )
    async with request.app.state.pool.connection() as conn:
        try:
            joined = await devices.join(conn, code, name if isinstance(name, str) else "")
        except Refused as exc:
            if exc.status == 403:  # unknown, used or expired: each costs one of the address's tries
                limit.failed(address)
            raise
        row = await (
            await conn.execute("SELECT name FROM devices WHERE id = %s", [joined["device_id"]])
        ).fetchone()
    note_device(request.scope, row[0] if row else "-")
    return JSONResponse(joined, 201)


async def push_record(request: Request) -> JSONResponse:
    """POST /api/v1/records: one final or void revision with its audit and attachments."""
    async with request.app.state.pool.connection() as conn:
        device = await incoming.device(request, conn)
    revision = pushed(await incoming.json_body(request, MAX_RECORD))
    async with request.app.state.pool.connection() as conn:
        status, answer = await records.push(conn, device, revision)
    return JSONResponse(answer, status)


async def pull_changes(request: Request) -> JSONResponse:
    """GET /api/v1/pull?since=CURSOR: branches, rosters, cadence, forms, settings changed since."""
    since = incoming.whole(request, "since", 0)
    async with request.app.state.pool.connection() as conn:
        device = await incoming.device(request, conn)
        upto = await settled_cursor(conn)
        since, reset = _restarted(since, upto)
        answer = {
            "cursor": upto,
            "reset": reset,
            "branch_uids": sorted(device.branches),
            "branches": await pull.branches(conn, device, since, upto),
            "forms": await pull.forms(conn, since, upto),
            "settings": await pull.settings(conn, since, upto),
        }
    return JSONResponse(answer)


async def list_records(request: Request) -> JSONResponse:
    """GET /api/v1/records?branch=UID&since=CURSOR&limit=N: a branch's revisions, oldest first."""
    since = incoming.whole(request, "since", 0)
    limit = incoming.whole(request, "limit", PAGE, least=1, most=1000)
    uid = request.query_params.get("branch", "")
    async with request.app.state.pool.connection() as conn:
        device = await incoming.device(request, conn)
        if uid not in device.branches:
            raise Refused(403, "这台电脑没有这个支部的权限。请联系乡镇管理员。", branch_uid=uid)
        upto = await settled_cursor(conn)
        since, reset = _restarted(since, upto)
        found = await records.branch_revisions(conn, device.branches[uid], since, upto, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    cursor = found[-1]["change"] if more else upto
    return JSONResponse({"revisions": found, "cursor": cursor, "more": more, "reset": reset})


def _restarted(since: int, upto: int) -> tuple[int, bool]:
    """A cursor past every change the hub has handed out comes from before a restore of an older
    backup: start again from 0 (and say so), or the laptop would miss what the hub now has."""
    return (0, True) if since > upto else (since, False)
