"""Reading branches, rosters and records from PostgreSQL in the shapes forms/ works with (the
store's Branch, Member and Record), so the page can hand them to forms/paper and forms/cadence
as the desktop does. Only the latest revision of each record, unless a page asks for another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import psycopg

from forms.store.rows import Branch, Member, Record

_RECORD = (
    "r.uuid, r.form_id, v.form_version, r.branch_id, v.status, v.data, v.revision, v.operator, "
    "v.occurred_on, v.summary, v.received_at, r.updated_at, v.finalized_at, v.void_reason, v.form_source, "
    "v.received_at"
)
RECORDS_SHOWN = 1000  # a branch page lists at most this many records of its period


@dataclass
class HubBranch:
    """A branch as the page shows it: the store's Branch plus the hub's uid and its start."""

    branch: Branch
    uid: str
    created: dt.date


@dataclass
class HubRecord:
    """A record revision read from the hub: the store's Record, the form text it came with."""

    record: Record
    form_source: str | None
    received_at: dt.datetime
    device: str | None = None  # the laptop that pushed it (when asked for)


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else str(value or "")


def hub_record(row: tuple) -> HubRecord:
    """One row of `_RECORD` columns as a HubRecord."""
    (
        uuid,
        form_id,
        version,
        branch_id,
        status,
        data,
        revision,
        operator,
        occurred_on,
        summary,
        received,
        updated,
        finalized,
        void_reason,
        source,
        received_at,
    ) = row
    record = Record(
        uuid=uuid,
        form_id=form_id,
        form_version=version,
        branch_id=branch_id,
        status=status,
        data=data if isinstance(data, dict) else {},
        revision=revision,
        operator=operator,
        occurred_on=occurred_on.isoformat() if occurred_on else None,
        summary=summary,
        created_at=_when(received),
        updated_at=_when(updated),
        finalized_at=finalized,
        void_reason=void_reason,
        void_at=_when(received) if status == "void" else None,
    )
    return HubRecord(record, source, received_at)


async def branch_by_uid(conn: psycopg.AsyncConnection, uid: str) -> HubBranch | None:
    """The branch with this uid, or None."""
    if "\x00" in uid:  # not a uid (and PostgreSQL's text cannot hold it)
        return None
    row = await (
        await conn.execute(
            "SELECT id, name, code, secretary, cadence, uid, created_at::date FROM branches WHERE uid = %s",
            [uid],
        )
    ).fetchone()
    return _branch(row) if row else None


async def branch_by_id(conn: psycopg.AsyncConnection, branch_id: int) -> HubBranch:
    """The branch with this id (it exists: a record names it)."""
    row = await (
        await conn.execute(
            "SELECT id, name, code, secretary, cadence, uid, created_at::date FROM branches WHERE id = %s",
            [branch_id],
        )
    ).fetchone()
    assert row is not None
    return _branch(row)


def _branch(row: tuple) -> HubBranch:
    cadence = row[4] if isinstance(row[4], dict) else {}
    return HubBranch(Branch(row[0], row[1], row[2], row[3], cadence), row[5], row[6])


async def members(conn: psycopg.AsyncConnection, branch_id: int) -> list[Member]:
    """The branch's roster in its order."""
    rows = await (
        await conn.execute(
            "SELECT id, branch_id, name, role, phone, position FROM members WHERE branch_id = %s "
            "ORDER BY position, id",
            [branch_id],
        )
    ).fetchall()
    return [Member(*row) for row in rows]


async def records(
    conn: psycopg.AsyncConnection,
    *,
    first: dt.date,
    last: dt.date,
    branch_id: int | None = None,
    form_id: str | None = None,
    status: str | None = None,
    undated: bool = False,
    limit: int | None = RECORDS_SHOWN,
    oldest_first: bool = False,
) -> list[HubRecord]:
    """Latest revisions of the records that happened from `first` to `last` (and those with no
    day when `undated`), newest first unless `oldest_first`."""
    where = ["(r.occurred_on BETWEEN %s AND %s" + (" OR r.occurred_on IS NULL)" if undated else ")")]
    params: list[Any] = [first, last]
    for column, value in (("r.branch_id", branch_id), ("r.form_id", form_id), ("r.status", status)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    order = "ASC NULLS LAST, r.change ASC" if oldest_first else "DESC NULLS LAST, r.change DESC"
    query = (
        f"SELECT {_RECORD} FROM records r "
        "JOIN record_revisions v ON v.uuid = r.uuid AND v.revision = r.revision "
        f"WHERE {' AND '.join(where)} ORDER BY r.occurred_on {order}" + (" LIMIT %s" if limit else "")
    )
    rows = await (await conn.execute(query.encode(), params + ([limit] if limit else []))).fetchall()
    return [hub_record(row) for row in rows]


async def revisions(conn: psycopg.AsyncConnection, uuid: str) -> list[HubRecord]:
    """Every revision of one record, oldest first ([] when the hub has none)."""
    rows = await (
        await conn.execute(
            f"SELECT {_RECORD}, d.name FROM record_revisions v JOIN records r ON r.uuid = v.uuid "
            "LEFT JOIN devices d ON d.id = v.device_id WHERE v.uuid = %s ORDER BY v.revision".encode(),
            [uuid],
        )
    ).fetchall()
    found = []
    for row in rows:
        item = hub_record(row[:-1])
        item.device = row[-1]
        found.append(item)
    return found
