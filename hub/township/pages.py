"""The overview (every branch × the year's periods) and a branch's page (its cadence over the
year, its records newest first, its roster, each member's attendance)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from forms.catalog import UnknownForm
from forms.model import Form
from forms.paper.book_attendance import attendance_lines
from hub.township import overview, reading
from hub.township.forms_known import HubForms, hub_forms
from hub.township.grid import grid_body
from hub.township.login import admin_only
from hub.township.web import message, page, span_of, span_words, year_of

QUARTERS = "一二三四"


def column_label(period: overview.Period, every: str) -> str:
    """A column's heading, short enough for twelve in a row: 3月, 一季度, 上半年, 全年."""
    if every == "month":
        return f"{period.first.month}月"
    if every == "quarter":
        return f"{QUARTERS[(period.first.month - 1) // 3]}季度"
    if every == "half-year":
        return "上半年" if period.first.month == 1 else "下半年"
    return "全年"


def kind_of(columns: list[overview.Period]) -> str:
    """Which kind of period the columns are."""
    return {12: "month", 4: "quarter", 2: "half-year"}.get(len(columns), "year")


def counted_forms(known: HubForms, branch_cadences: list) -> list[Form]:
    """The forms that have a cadence (built in, or turned on by some branch), in catalog order."""
    named = {key.split(":", 1)[0] for stored in branch_cadences for key in overview.overrides_of(stored)}
    return [form for form in known.all() if form.cadence or form.id in named]


def chosen_form(known: HubForms, request: Request) -> Form | None:
    """?form=ID when the hub knows it."""
    form_id = request.query_params.get("form", "")
    if not form_id:
        return None
    try:
        return known.get(form_id)
    except UnknownForm:
        return None


async def overview_view(
    request: Request, year: int, branch_id: int | None = None, lines: bool = False
) -> tuple[overview.Overview, list[Form], Form | None, HubForms]:
    """The overview of a year the request asks for (one form or all), computed off the loop."""
    today = dt.date.today()
    async with request.app.state.pool.connection() as conn:
        known = await hub_forms(conn)
        cadences = await (await conn.execute("SELECT DISTINCT cadence FROM branches")).fetchall()
        choices = counted_forms(known, [row[0] for row in cadences])
        form = chosen_form(known, request)
        forms = [form] if form is not None else choices
        branches, held = await overview.overview(conn, forms, year, branch_id)
    titles = {f.id: f.title for f in known.all()}
    view = await run_in_threadpool(
        overview.compute, forms, year, today, branches, held, lines=lines, titles=titles
    )
    return view, choices, form, known


@admin_only
async def overview_page(request: Request) -> Response:
    """GET /township/: which branch is behind."""
    view, choices, form, _ = await overview_view(request, year_of(request))
    sort = request.query_params.get("sort", "name")
    rows = sorted(view.rows, key=lambda r: (-r.overdue, -r.due)) if sort == "behind" else view.rows
    every = kind_of(view.columns)
    links = urlencode(
        {
            **({"year": view.year} if view.year != view.today.year else {}),
            **({"form": form.id} if form else {}),
        }
    )
    body = await run_in_threadpool(grid_body, view, rows, f"&{links}" if links else "")
    return await page(
        request,
        "overview.html",
        view=view,
        body=body,
        labels=[column_label(c, every) for c in view.columns],
        one_kind=every != "month",
        several=view.several,
        choices=choices,
        form=form,
        sort=sort,
        query=urlencode({"year": view.year, **({"form": form.id} if form else {}), "sort": sort}),
        years=list(range(view.today.year + 1, view.today.year - 6, -1)),
    )


@admin_only
async def branch_page(request: Request) -> Response:
    """GET /township/branches/{uid}: a branch's cadence, records, roster and attendance; ?c=N
    (a column of the overview) shows the records of that cell's periods."""
    async with request.app.state.pool.connection() as conn:
        found = await reading.branch_by_uid(conn, request.path_params["uid"])
        known = await hub_forms(conn)
    if found is None:
        return await message(request, 404, "没有这个支部", "没有找到这个支部，它可能已改名或被删除。")
    column = request.query_params.get("c", "")
    first, last = span_of(request)
    year = year_of(request) if column else first.year
    view, _, form, _ = await overview_view(request, year, found.branch.id, lines=True)
    if column.isdigit() and int(column) < len(view.columns) and view.rows:
        first, last = view.rows[0].firsts[int(column)], view.columns[int(column)].last
    async with request.app.state.pool.connection() as conn:
        roster = await reading.members(conn, found.branch.id)
        listed = await reading.records(
            conn,
            first=first,
            last=last,
            branch_id=found.branch.id,
            form_id=form.id if form else None,
            undated=(first.month, first.day, last.month, last.day) == (1, 1, 12, 31),
        )
        finals = await reading.records(
            conn,
            first=first,
            last=last,
            branch_id=found.branch.id,
            status="final",
            limit=None,
            oldest_first=True,
        )
    meetings = [
        (item.record, known.version_of(item.record.form_id, item.record.form_version, item.form_source))
        for item in finals
    ]
    people, counted = await run_in_threadpool(attendance_lines, roster, meetings)
    filters = {"from": first.isoformat(), "to": last.isoformat(), **({"form": form.id} if form else {})}
    return await page(
        request,
        "branch.html",
        branch=found.branch,
        uid=found.uid,
        lines=view.rows[0].lines if view.rows else [],
        year=view.year,
        span=span_words(first, last),
        first=first,
        last=last,
        form=form,
        forms=known.all(),
        records=listed,
        shown_limit=reading.RECORDS_SHOWN,
        titles={f.id: f.title for f in known.all()},
        roster=roster,
        people=people,
        meetings=counted,
        export=urlencode({"branch": found.uid, **filters}),
    )
