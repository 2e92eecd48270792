"""One record: readable (every field with its label, its revisions and audit, its files, a void
shown plainly), printable in its 记录本 layout (forms/paper, the desktop's own), and its files
served to a logged-in administrator."""

from __future__ import annotations

import datetime as dt
import mimetypes
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from forms.catalog import UnknownForm
from forms.engine import Context
from forms.loader import FormProblem
from forms.paper.layouts import LayoutProblem
from forms.paper.page_context import page_context
from forms.paper.print_values import cn_when
from forms.store.audit import ACTION_WORDS
from hub.township import reading
from hub.township.forms_known import hub_forms
from hub.township.login import admin_only
from hub.township.paper_store import held_files, paper_of
from hub.township.web import BASE, SECURITY, disposition, message, page

_UUID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
# Pictures a browser shows in the page; any other file is offered as a download.
INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}


def _chosen(request: Request, revisions: list[reading.HubRecord]) -> reading.HubRecord:
    text = request.query_params.get("revision", "")
    wanted = [r for r in revisions if text.isdigit() and r.record.revision == int(text)]
    return wanted[0] if wanted else revisions[-1]


async def _revisions(request: Request) -> list[reading.HubRecord]:
    uuid = request.path_params["uuid"]
    if not _UUID.match(uuid):
        return []
    async with request.app.state.pool.connection() as conn:
        return await reading.revisions(conn, uuid)


@admin_only
async def record_view(request: Request) -> Response:
    """GET /township/records/{uuid}[?revision=N]: the record as a page to read."""
    revisions = await _revisions(request)
    if not revisions:
        return await message(
            request, 404, "没有这条记录", "乡镇平台没有这条记录。它可能还没有从电脑同步上来。"
        )
    item = _chosen(request, revisions)
    record = item.record
    uuid = record.uuid
    async with request.app.state.pool.connection() as conn:
        known = await hub_forms(conn)
        found = await reading.branch_by_id(conn, record.branch_id)
        roster = await reading.members(conn, record.branch_id)
        held = await held_files(conn, uuid)
        audit = await (
            await conn.execute(
                "SELECT revision, at, operator, action, note FROM record_audit WHERE uuid = %s "
                "ORDER BY revision, position",
                [uuid],
            )
        ).fetchall()
        files = await (
            await conn.execute(
                "SELECT a.sha256, a.name, f.size FROM record_attachments a "
                "LEFT JOIN attachments f ON f.sha256 = a.sha256 WHERE a.uuid = %s AND a.revision = %s "
                "ORDER BY a.position",
                [uuid, record.revision],
            )
        ).fetchall()
    try:
        form = known.version_of(record.form_id, record.form_version, item.form_source)
    except UnknownForm:
        form = None

    def photo(stored: dict) -> dict:
        sha = str(stored.get("sha256") or "").lower()
        taken = stored.get("taken_at")
        return {
            "src": f"{BASE}/records/{uuid}/photo-{sha}" if sha in held else None,
            "name": str(stored.get("name") or ""),
            "time_label": f"拍摄于 {cn_when(taken)}" if isinstance(taken, str) and cn_when(taken) else "",
            "time_kind": "taken" if taken else "",
            "missing": sha not in held,
            # The warnings the laptop kept with the photo (taken far from the meeting, no time,
            # used in another record), in Chinese as the laptop kept them.
            "warnings": [
                str(w.get("text"))
                for w in stored.get("warnings") or []
                if isinstance(w, dict) and w.get("text")
            ],
        }

    fields = []
    if form is not None:
        context = page_context(
            form,
            record.data,
            branch={"name": found.branch.name},
            record={"status": record.status},
            roles={m.name: m.role for m in roster},
            photo=photo,
            variables=Context(roster=roster, today=dt.date.today()).variables(),
        )
        fields = context["fields"]
    return await page(
        request,
        "record.html",
        item=item,
        record=record,
        revisions=revisions,
        latest=revisions[-1].record.revision,
        branch=found.branch,
        uid=found.uid,
        form=form,
        title=form.title if form else record.form_id,
        fields=fields,
        data=record.data,
        audit=[
            (rev, cn_when(at), who, ACTION_WORDS.get(action, action), note)
            for rev, at, who, action, note in audit
        ],
        files=files,
        held=held,
        cn_when=cn_when,
    )


@admin_only
async def record_print(request: Request) -> Response:
    """GET /township/records/{uuid}/print[?revision=N]: its 记录本 page, for the browser to print on A4."""
    revisions = await _revisions(request)
    if not revisions:
        return await message(request, 404, "没有这条记录", "乡镇平台没有这条记录。")
    item = _chosen(request, revisions)
    async with request.app.state.pool.connection() as conn:
        known = await hub_forms(conn)
        held = await held_files(conn, item.record.uuid)
        try:
            make = await paper_of(conn, known, item, held)
        except UnknownForm:
            make = None
    try:
        if make is None:
            raise UnknownForm("")
        paper = await run_in_threadpool(make)
    except (UnknownForm, FormProblem, LayoutProblem) as exc:
        text = getattr(exc, "message", "") or str(exc)
        return await message(
            request, 422, "无法按版式打印", f"这条记录的表单或打印版式有问题，请改用记录页面查看。{text}"
        )
    back = f"{BASE}/records/{item.record.uuid}?revision={item.record.revision}"
    bar = (
        f'<div class="toolbar"><a href="{back}">返回记录</a>　'
        "用浏览器的“打印”（Ctrl+P）打印，纸张选 A4。</div>"
    )
    html = paper.html
    link = f'<link rel="stylesheet" href="{BASE}/style.css"><title>{_escape(paper.title)}</title>'
    head = _HEAD.search(html)
    html = html[: head.end()] + link + html[head.end() :] if head else link + html
    body = _BODY.search(html)
    html = html[: body.end()] + bar + html[body.end() :] if body else bar + html
    html = html.replace("<body", '<body class="paper"', 1) if body else html
    return HTMLResponse("<!DOCTYPE html>\n" + html, headers=SECURITY)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def _file(request: Request, sha: str, name: str, uuid: str | None) -> Response:
    """A held file a record names (that record's, when `uuid`), under the name it was given."""
    if not _SHA.match(sha):
        return await message(request, 404, "没有这个附件", "没有这个附件。")
    async with request.app.state.pool.connection() as conn:
        names = [
            row[0]
            for row in await (
                await conn.execute(
                    "SELECT DISTINCT name FROM record_attachments WHERE sha256 = %s"
                    + (" AND uuid = %s" if uuid else ""),
                    [sha, uuid] if uuid else [sha],
                )
            ).fetchall()
        ]
        row = None
        if names:
            row = await (
                await conn.execute("SELECT data FROM attachments WHERE sha256 = %s", [sha])
            ).fetchone()
    if row is None:
        return await message(request, 404, "没有这个附件", "乡镇平台没有这个附件，它可能还没有上传完。")
    name = name if name in names else sorted(names)[0]
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = kind in INLINE
    headers = {
        **SECURITY,
        "Content-Disposition": disposition(name, inline),
        "Cache-Control": "private, max-age=86400",  # content-addressed: never changes
    }
    return Response(bytes(row[0]), media_type=kind if inline else "application/octet-stream", headers=headers)


@admin_only
async def record_photo(request: Request) -> Response:
    """GET /township/records/{uuid}/photo-{sha256}: a file of that record (the pages' pictures)."""
    return await _file(request, request.path_params["sha256"], "", request.path_params["uuid"])


@admin_only
async def attachment(request: Request) -> Response:
    """GET /township/attachments/{sha256}?name=: a record's file, to look at or download."""
    return await _file(request, request.path_params["sha256"], request.query_params.get("name", ""), None)
