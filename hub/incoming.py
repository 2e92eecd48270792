"""Reading what a request carries, within limits: the body (413 past a size), JSON (400 when
unreadable), whole-number query parameters; and the device behind the request's token."""

from __future__ import annotations

import json
from typing import Any

import psycopg
from starlette.requests import Request

from hub import devices
from hub.errors import Refused
from hub.requestlog import note_device


async def body(request: Request, limit: int) -> bytes:
    """The request body; 413 when it is larger than `limit` bytes."""
    too_big = Refused(413, f"请求太大（最多 {limit // 2**20} MB），请分段上传。", limit=limit)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, limit: int) -> Any:
    """The body read as JSON; 400 when it is not."""
    raw = await body(request, limit)
    try:
        return json.loads(raw, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError, RecursionError):  # NaN, Infinity: not JSON, not for jsonb
        raise Refused(400, "请求内容不是有效的 JSON。") from None


def _not_json(constant: str) -> Any:
    raise ValueError(constant)


def whole(request: Request, name: str, default: int, least: int = 0, most: int | None = None) -> int:
    """A whole-number query parameter; 400 when it is not one."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < least or (most is not None and int(text) > most):
        raise Refused(400, f"参数 {name} 应是不小于 {least} 的整数", field=name)
    return int(text)


async def device(request: Request, conn: psycopg.AsyncConnection) -> devices.Device:
    """The device the request's token belongs to (401 otherwise), named in the request log."""
    found = await devices.authenticate(conn, request.headers.get("authorization"))
    note_device(request.scope, found.name)
    return found
