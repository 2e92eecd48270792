"""Attachments over HTTP: PUT a file or a part of it (Content-Range), HEAD to learn whether the hub
holds it or how far an upload got (Upload-Offset), GET it back for a handover."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub import attachments, incoming
from hub.errors import Refused


def _sha256(request: Request) -> str:
    sha = str(request.path_params["sha256"]).lower()
    if not attachments.SHA256.match(sha):
        raise Refused(404, "地址里的 SHA-256 应是 64 位十六进制。")
    return sha


async def put(request: Request) -> Response:
    """PUT /api/v1/attachments/{sha256}: the whole file, or the part named by Content-Range."""
    sha = _sha256(request)
    async with request.app.state.pool.connection() as conn:
        await incoming.device(request, conn)
    data = await incoming.body(request, attachments.MAX_PART)
    try:
        start, total = attachments.content_range(request.headers.get("content-range"), len(data))
    except attachments.RangeError as exc:
        raise Refused(400, str(exc)) from None
    if total > attachments.MAX_SIZE:
        raise Refused(413, f"附件太大（最多 {attachments.MAX_SIZE // 2**20} MB）。")
    async with request.app.state.pool.connection() as conn:
        result = await attachments.put_part(conn, sha, start, total, data)
    offset = {"Upload-Offset": str(result.offset)}
    if result.outcome == "held":
        return JSONResponse({"status": "held", "size": result.offset}, 200, headers=offset)
    if result.outcome == "stored":
        return JSONResponse({"status": "stored", "size": result.offset}, 201, headers=offset)
    if result.outcome == "partial":
        return JSONResponse({"status": "partial", "offset": result.offset}, 202, headers=offset)
    if result.outcome == "offset":
        raise Refused(409, "上传位置不对：请从已收到的位置继续。", offset, offset=result.offset)
    raise Refused(422, "文件内容与 SHA-256 不符，已丢弃。请重新上传。", offset, offset=0)


async def head(request: Request) -> Response:
    """HEAD /api/v1/attachments/{sha256}: 200 when held, else 404 with the bytes received so far."""
    sha = _sha256(request)
    async with request.app.state.pool.connection() as conn:
        await incoming.device(request, conn)
        size = await attachments.held(conn, sha)
        if size is not None:
            return Response(status_code=200, headers={"Upload-Offset": str(size), "Upload-Length": str(size)})
        so_far = await attachments.received(conn, sha)
    return Response(status_code=404, headers={"Upload-Offset": str(so_far)})


async def get(request: Request) -> Response:
    """GET /api/v1/attachments/{sha256}: the file, when a record of the device's branches names it."""
    sha = _sha256(request)
    async with request.app.state.pool.connection() as conn:
        device = await incoming.device(request, conn)
        data = await attachments.readable(conn, sha, list(device.branches.values()))
    if data is None:
        raise Refused(404, "乡镇平台没有这个附件，或它不属于这台电脑的支部。")
    return Response(data, media_type="application/octet-stream")
