"""The year's final records grouped as the overview needs them, read from PostgreSQL: per branch,
form and the values the form's cadence rules read, with the months they fell in (a bit mask).

Kept by each app server between views and read again only for the branches whose revisions came
after the change number it last read up to (hub/changes.py's settled cursor, so nothing still
being written is skipped): a view after a few pushes reads a few branches, not the county's year.
The cache is an app server's own and is checked against the database on every view; a server
without it (just started, or many branches changed) reads everything, with the same result.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import psycopg

from forms.expressions import ExpressionError, compile_expression
from forms.model import Form
from hub.changes import settled_cursor

KEPT = 8  # years × form choices kept per app server


def read_names(form: Form) -> list[str]:
    """The record values the form's cadence rules look at (their `when` expressions' names)."""
    names: set[str] = set()
    for rule in form.cadence:
        if rule.when:
            try:
                names |= compile_expression(rule.when).names
            except ExpressionError:
                pass  # such a rule counts nothing (forms/cadence.py): no value is needed for it
    return sorted(names)


def held_query(forms: list[Form], year: int, branch_ids: list[int] | None) -> tuple[bytes, list]:
    """One pass over the year's final records (of these branches, or all), grouped by branch, form
    and, for the forms given, the values their rules read (as JSON text: [present, value, ...]),
    with the months they fell in. Other forms' rows say when a branch started."""
    span = [dt.date(year, 1, 1), dt.date(year, 12, 31)]
    mine = " AND branch_id = ANY(%s)" if branch_ids is not None else ""
    chosen: list[Any] = [] if branch_ids is None else [branch_ids]
    cases: list[str] = []
    params: list[Any] = []
    for form in forms:
        names = read_names(form)
        if names:
            values = ", ".join("data ? %s, data -> %s" for _ in names)
            cases.append(f"WHEN %s THEN jsonb_build_array({values})")
            params += [form.id, *(n for name in names for n in (name, name))]
    join = ""
    if cases:  # only the values the rules read, only of the revisions that count: a narrow join
        join = (
            f"LEFT JOIN (SELECT uuid, revision, (CASE form_id {' '.join(cases)} END)::text AS seen "
            f"FROM record_revisions WHERE form_id = ANY(%s) AND occurred_on BETWEEN %s AND %s{mine}) v "
            "ON v.uuid = r.uuid AND v.revision = r.revision "
        )
        params += [[form.id for form in forms if read_names(form)], *span, *chosen]
    seen = "coalesce(v.seen, '[]')" if cases else "'[]'"
    query = (
        f"SELECT r.branch_id, r.form_id, {seen}, bit_or(1 << (extract(month FROM r.occurred_on)::int - 1)) "
        f"FROM records r {join}WHERE r.status = 'final' AND r.occurred_on BETWEEN %s AND %s"
        + (" AND r.branch_id = ANY(%s)" if branch_ids is not None else "")
        + " GROUP BY 1, 2, 3"
    )
    return query.encode(), params + span + chosen


@dataclass
class _Kept:
    cursor: int
    rows: dict[int, list[tuple]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


_kept: OrderedDict[tuple, _Kept] = OrderedDict()


async def _read(conn: psycopg.AsyncConnection, forms: list[Form], year: int, ids: list[int] | None) -> dict:
    query, params = held_query(forms, year, ids)
    by_branch: dict[int, list[tuple]] = {}
    for row in await (await conn.execute(query, params)).fetchall():
        by_branch.setdefault(row[0], []).append(row)
    return by_branch


async def held_rows(conn: psycopg.AsyncConnection, forms: list[Form], year: int) -> list[tuple]:
    """Every branch's held rows for the year, as `held_query` reads them."""
    key = (year, tuple((f.id, f.version, hashlib.sha256(f.source.encode()).hexdigest()) for f in forms))
    kept = _kept.get(key)
    if kept is None:
        kept = _kept[key] = _Kept(cursor=-1)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    _kept.move_to_end(key)
    async with kept.lock:
        cursor = await settled_cursor(conn)
        if kept.cursor != cursor:
            changed = None
            if 0 <= kept.cursor < cursor:
                found = await (
                    await conn.execute(
                        "SELECT DISTINCT branch_id FROM record_revisions WHERE change > %s AND change <= %s",
                        [kept.cursor, cursor],
                    )
                ).fetchall()
                changed = [row[0] for row in found]
            # When half the branches changed, one pass over the year is quicker than asking by branch.
            if changed is None or 2 * len(changed) > max(len(kept.rows), 100):
                kept.rows = await _read(conn, forms, year, None)
            elif changed:
                fresh = await _read(conn, forms, year, changed)
                for branch_id in changed:
                    kept.rows.pop(branch_id, None)
                kept.rows.update(fresh)
            kept.cursor = cursor
        return [row for rows in kept.rows.values() for row in rows]
