"""Excel files from the township page (openpyxl): the records of a form (or of every form, a sheet
each) for a branch or all, over a period; and the overview as it is shown. Headers in Chinese, values
as a person reads them (2026年11月5日 19:00, 张三、李四), never a formula Excel would run, and
Chinese file names that browsers keep (Content-Disposition filename*)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from forms.catalog import UnknownForm
from forms.model import Form
from forms.paper.print_values import cn_when, record_values
from hub.township import overview, reading
from hub.township.forms_known import HubForms, hub_forms
from hub.township.login import admin_only
from hub.township.pages import chosen_form, column_label, kind_of, overview_view
from hub.township.web import STATE_WORDS, disposition, span_of, span_words, year_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SHEET_TITLE = 31  # Excel's limit
_BOLD = Font(bold=True)
_FIXED = ["支部", "日期", "状态", "版本", "录入人", "定稿时间"]


def _cell(ws: Any, value: Any, bold: bool = False) -> WriteOnlyCell:
    """One cell; text is cleaned of what Excel cannot hold and never becomes a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32_000]
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if bold:
        cell.font = _BOLD
    return cell


def _no_photo(item: dict) -> dict:
    return {
        "src": None,
        "name": str(item.get("name") or ""),
        "time_label": "",
        "time_kind": "",
        "missing": False,
    }


def _columns(form: Form) -> list[tuple[str, str]]:
    """(key, label) of the form's fields, in order (groups opened)."""
    return [(f.key, f.label) for f in form.walk() if f.type != "group"]


def records_book(
    known: HubForms, groups: list[tuple[str, list[reading.HubRecord]]], names: dict[int, str]
) -> bytes:
    """A workbook with a sheet per form: fixed columns, then one per field (the latest version's),
    then 记录编号. A form the hub does not know gets its records' summaries."""
    book = Workbook(write_only=True)
    for form_id, items in groups:
        try:
            form: Form | None = known.get(form_id)
        except UnknownForm:
            form = None
        ws = book.create_sheet(title=_sheet_title(form.title if form else form_id, book))
        columns = _columns(form) if form else [("", "内容")]
        ws.append([_cell(ws, text, True) for text in (*_FIXED, *(label for _, label in columns), "记录编号")])
        for item in items:
            record = item.record
            try:
                own = known.version_of(record.form_id, record.form_version, item.form_source)
                values, _ = record_values(own, record.data, {}, _no_photo, {})
                texts = [values[key].text for key, _ in columns]
            except UnknownForm:
                texts = [record.summary]
            status = f"已作废：{record.void_reason or ''}" if record.status == "void" else "定稿"
            row = [
                names.get(record.branch_id, ""),
                record.occurred_on or "",
                status,
                record.revision,
                record.operator,
                cn_when(record.finalized_at),
                *texts,
                record.uuid,
            ]
            ws.append([_cell(ws, value) for value in row])
        for number, width in enumerate([24, 12, 10, 6, 10, 20] + [18] * len(columns) + [38], start=1):
            ws.column_dimensions[get_column_letter(number)].width = width
    if not groups:
        ws = book.create_sheet(title="记录")
        ws.append([_cell(ws, "没有符合条件的记录")])
    return _saved(book)


def overview_book(view: overview.Overview, title: str, labels: list[str]) -> bytes:
    """The overview as a sheet: counts at the top, then a branch a row with each column's state."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(title="各支部完成情况")
    ws.append([_cell(ws, title, True)])
    ws.append(
        [
            _cell(ws, text)
            for text in (
                f"支部共 {len(view.rows)} 个",
                f"有逾期（落后）{view.behind} 个",
                f"无逾期、有待办 {view.waiting} 个",
                f"全部按时 {view.on_time} 个",
            )
        ]
    )
    ws.append([])
    ws.append([_cell(ws, text, True) for text in ("支部", *labels, "逾期项数", "待办项数", "完成项数")])
    for row in view.rows:
        cells = [_cell_text(c, view.several) for c in row.cells(view.columns)]
        ws.append([_cell(ws, value) for value in (row.name, *cells, row.overdue, row.due, row.held)])
    ws.column_dimensions["A"].width = 30
    return _saved(book)


def _cell_text(cell: overview.Cell, several: bool) -> str:
    """What a cell says, as on the page, with the state in words: 逾期 1/3."""
    if not cell.shown:
        return ""
    word = STATE_WORDS[cell.state]
    return f"{word} {cell.done}/{cell.counted}" if several and cell.counted else word


def _sheet_title(title: str, book: Workbook) -> str:
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:MAX_SHEET_TITLE] or "记录"
    taken = set(book.sheetnames)
    name, n = clean, 2
    while name in taken:
        name = f"{clean[: MAX_SHEET_TITLE - 4]}（{n}）"
        n += 1
    return name


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _file(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": disposition(name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@admin_only
async def export_records(request: Request) -> Response:
    """GET /township/export/records.xlsx?form=&branch=&from=&to=|year=: the records as Excel."""
    first, last = span_of(request)
    async with request.app.state.pool.connection() as conn:
        known = await hub_forms(conn)
        form = chosen_form(known, request)
        branch = await reading.branch_by_uid(conn, request.query_params.get("branch", ""))
        found = await reading.records(
            conn,
            first=first,
            last=last,
            branch_id=branch.branch.id if branch else None,
            form_id=form.id if form else None,
            limit=None,
            oldest_first=True,
        )
        ids = sorted({item.record.branch_id for item in found})
        rows = await (
            await conn.execute("SELECT id, name FROM branches WHERE id = ANY(%s)", [ids])
        ).fetchall()
    names = dict(rows)
    by_form: dict[str, list[reading.HubRecord]] = {}
    for item in found:
        by_form.setdefault(item.record.form_id, []).append(item)
    groups = sorted(by_form.items())
    content = await run_in_threadpool(records_book, known, groups, names)
    parts = [
        branch.branch.name if branch else "",
        form.title if form else "全部表单",
        span_words(first, last),
    ]
    return _file(content, "-".join(p for p in parts if p) + ".xlsx")


@admin_only
async def export_overview(request: Request) -> Response:
    """GET /township/export/overview.xlsx?year=&form=&sort=: the overview as Excel."""
    view, _, form, _ = await overview_view(request, year_of(request))
    if request.query_params.get("sort") == "behind":
        view.rows.sort(key=lambda r: (-r.overdue, -r.due))
    every = kind_of(view.columns)
    labels = [column_label(c, every) for c in view.columns]
    title = f"各支部完成情况 {view.year}年" + (f" {form.title}" if form else "")
    content = await run_in_threadpool(
        overview_book, view, title + f"（{view.today.isoformat()} 导出）", labels
    )
    return _file(content, title.replace(" ", "-") + ".xlsx")
