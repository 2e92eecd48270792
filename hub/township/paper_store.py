"""What forms/paper/record_page.py asks of a store, answered from rows already read from
PostgreSQL: so a record on the hub prints in its 记录本 layout by the desktop's own code.

Photos are named `photo-<sha256>` in the page, as on the desktop; the print page's address is
`/township/records/<uuid>/print`, so a browser asks `/township/records/<uuid>/photo-<sha256>`
for them, a route that serves the record's own files only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from forms.paper import Paper
from forms.paper.record_page import record_page
from forms.paper.sequence import record_year
from forms.store import NotFound
from forms.store.rows import Branch, Member, Record
from hub.township import reading
from hub.township.forms_known import HubForms


class PaperStore:
    """The few store methods record_page calls, over one record's facts."""

    def __init__(
        self,
        branch: Branch,
        members: list[Member],
        sources: dict[tuple[str, int], str],
        held: set[str],
        year_finals: list[Record],
    ):
        self._branch = branch
        self._members = members
        self._sources = sources
        self._held = held
        self._finals = year_finals

    def branch(self, branch_id: int) -> Branch:
        return self._branch

    def members(self, branch_id: int) -> list[Member]:
        return self._members

    def stored_form_source(self, form_id: str, version: int) -> str | None:
        return self._sources.get((form_id, version))

    def attachment_times(self, uuid: str) -> dict[str, str]:
        return {}  # the hub knows when a photo was taken (its item says), not when it was added

    def attachment_path(self, sha256: str) -> Path:
        if sha256 not in self._held:
            raise NotFound(f"乡镇平台没有这个附件：{sha256}")
        return Path(sha256)  # only a name: the browser fetches the photo through the page

    def records(self, **filters: Any) -> list[Record]:
        """The branch's final records of the form in the year (what 第 N 次 counts)."""
        return self._finals


async def held_files(conn: psycopg.AsyncConnection, uuid: str) -> set[str]:
    """The SHA-256 of every file a revision of this record names that the hub holds."""
    rows = await (
        await conn.execute(
            "SELECT DISTINCT a.sha256 FROM record_attachments a JOIN attachments f ON f.sha256 = a.sha256 "
            "WHERE a.uuid = %s",
            [uuid],
        )
    ).fetchall()
    return {row[0] for row in rows}


async def paper_of(
    conn: psycopg.AsyncConnection, known: HubForms, item: reading.HubRecord, held: set[str]
) -> Callable[[], Paper]:
    """A function making the revision's Paper (to call off the event loop: a layout renders)."""
    record = item.record
    found = await reading.branch_by_id(conn, record.branch_id)
    roster = await reading.members(conn, record.branch_id)
    form = known.version_of(record.form_id, record.form_version, item.form_source)
    year = record_year(form, record)
    finals: list[Record] = []
    if year:
        rows = await reading.records(
            conn,
            first=dt.date(int(year), 1, 1),
            last=dt.date(int(year), 12, 31),
            branch_id=record.branch_id,
            form_id=record.form_id,
            status="final",
            limit=None,
        )
        finals = [row.record for row in rows]
    sources = {(record.form_id, record.form_version): item.form_source} if item.form_source else {}
    store = PaperStore(found.branch, roster, sources, held, finals)

    def make() -> Paper:
        return record_page(store, known, record)

    return make
