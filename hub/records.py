"""Record revisions on the hub: storing a pushed revision exactly once, refusing one made on a
stale base, and reading revisions back in the shape they were pushed (for a 409 and a handover).

The same revision pushed again (same number, base, status, data and void reason) is answered
"already"; a different revision under a number the hub holds is a conflict. A push takes a
per-record advisory lock, so two laptops pushing corrections of the same record at
the same moment are ordered: the first is stored, the second sees the new latest revision and gets
409. Nothing is ever overwritten: every revision stays in `record_revisions`.
"""

from __future__ import annotations

import contextlib
import json

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb

from hub import attachments
from hub.changes import CHANGE_LOCKED
from hub.devices import Device
from hub.errors import Refused
from hub.record_shape import Pushed

_COLUMNS = (
    "r.uuid, b.uid, r.form_id, r.form_version, r.form_source, r.revision, r.base_revision, r.status, "
    "r.data, r.summary, r.occurred_on, r.operator, r.finalized_at, r.void_reason, r.change"
)
_KEYS = (
    "uuid branch_uid form_id form_version form_source revision base_revision status data summary "
    "occurred_on operator finalized_at void_reason change"
).split()


async def push(conn: psycopg.AsyncConnection, device: Device, rec: Pushed) -> tuple[int, dict]:
    """Store one revision: (201, stored), (200, already), or Refused 403/409/422."""
    branch_id = device.branches.get(rec.branch_uid)
    if branch_id is None:
        raise Refused(403, "这台电脑没有这个支部的权限。请联系乡镇管理员。", branch_uid=rec.branch_uid)
    # One round trip opens the transaction, takes the record's lock and reads (in that order: the
    # read's snapshot is taken after the lock is held). Several statements go only as literals in
    # one simple query, so the transaction is opened and ended here rather than by psycopg.
    opened = sql.SQL(
        "BEGIN; SELECT pg_advisory_xact_lock(hashtextextended({uuid}, 0)); "
        "SELECT r.branch_id, r.revision, r.status, s.same FROM (SELECT 1) AS one "
        "LEFT JOIN records r ON r.uuid = {uuid} "
        "LEFT JOIN LATERAL (SELECT base_revision = {base} AND status = {status} AND data = {data}::jsonb "
        "  AND void_reason IS NOT DISTINCT FROM {void}::text AS same FROM record_revisions "
        "  WHERE uuid = {uuid} AND revision = {revision}) s ON true"
    ).format(
        uuid=sql.Literal(rec.uuid), base=sql.Literal(rec.base_revision), status=sql.Literal(rec.status),
        data=sql.Literal(json.dumps(rec.data, ensure_ascii=False)), void=sql.Literal(rec.void_reason),
        revision=sql.Literal(rec.revision),
    )  # fmt: skip
    try:
        cur = await conn.execute(opened)
        cur.nextset()
        cur.nextset()
        found = await cur.fetchone()
        answer = await _decided(conn, device, rec, branch_id, found)
        await conn.execute(b"COMMIT")
        return answer
    except BaseException:
        if conn.info.transaction_status != TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):  # a broken connection: the pool drops it
                await conn.execute(b"ROLLBACK")
        raise


async def _decided(
    conn: psycopg.AsyncConnection, device: Device, rec: Pushed, branch_id: int, found: tuple | None
) -> tuple[int, dict]:
    """Inside the push's transaction, the record's lock held: stored, already, or refused."""
    assert found is not None
    current = found[:3] if found[0] is not None else None
    seen = (found[3],) if found[3] is not None else None
    if current and current[0] not in device.branches.values():
        raise Refused(403, "这条记录属于这台电脑无权访问的支部。")
    if current and current[0] != branch_id:
        raise Refused(422, "记录不能从一个支部改到另一个支部。", field="branch_uid")
    if seen and seen[0]:
        return 200, {"status": "already", "uuid": rec.uuid, "revision": rec.revision}
    latest = current[1] if current else 0
    # Another laptop's revision of the same number is a conflict too, never "already".
    if seen or rec.base_revision != latest or (current and current[2] == "void"):
        shape = await revision(conn, rec.uuid, latest) if current else None
        raise Refused(
            409,
            "这条记录已被另一台电脑修改过，本次修改基于旧的版本，未保存。请比较两个版本后再决定。",
            current=shape,
        )
    absent = await attachments.missing(conn, [a["sha256"] for a in rec.attachments])
    if absent:
        raise Refused(422, "附件尚未上传到乡镇平台，请先上传。", missing=absent)
    change = await _store(conn, device, rec, branch_id)
    return 201, {"status": "stored", "uuid": rec.uuid, "revision": rec.revision, "change": change}


async def _store(conn: psycopg.AsyncConnection, device: Device, rec: Pushed, branch_id: int) -> int:
    """The revision's rows in one statement (one round trip on the busiest path): the revision takes
    its change number itself, under the change lock (hub/changes.py); its audit entries and
    attachments, and the record's latest row, come with it."""
    row = await (
        await conn.execute(
            "WITH rev AS ("
            " INSERT INTO record_revisions(uuid, revision, base_revision, branch_id, form_id,"
            "  form_version, form_source, status, data, summary, occurred_on, operator, finalized_at,"
            "  void_reason, device_id, change)"
            " SELECT %(uuid)s, %(revision)s, %(base)s, %(branch)s, %(form)s, %(version)s, %(source)s,"
            "  %(status)s, %(data)s, %(summary)s, %(on)s, %(operator)s, %(finalized)s, %(void)s, %(device)s,"
            f"  nextval('hub_changes') FROM {CHANGE_LOCKED} RETURNING change),"
            " audit AS ("
            " INSERT INTO record_audit(uuid, revision, position, at, operator, action, note)"
            " SELECT %(uuid)s, %(revision)s, a.n - 1, a.at, a.operator, a.action, a.note"
            " FROM unnest(%(at)s::text[], %(who)s::text[], %(action)s::text[], %(note)s::text[])"
            "  WITH ORDINALITY AS a(at, operator, action, note, n)),"
            " files AS ("
            " INSERT INTO record_attachments(uuid, revision, position, sha256, name)"
            " SELECT %(uuid)s, %(revision)s, f.n - 1, f.sha256, f.name"
            " FROM unnest(%(sha256)s::text[], %(names)s::text[]) WITH ORDINALITY AS f(sha256, name, n)),"
            " latest AS ("
            " INSERT INTO records(uuid, branch_id, form_id, revision, status, occurred_on, summary, change)"
            " SELECT %(uuid)s, %(branch)s, %(form)s, %(revision)s, %(status)s, %(on)s, %(summary)s, change"
            " FROM rev ON CONFLICT (uuid) DO UPDATE SET revision = EXCLUDED.revision,"
            "  status = EXCLUDED.status, occurred_on = EXCLUDED.occurred_on, summary = EXCLUDED.summary,"
            "  change = EXCLUDED.change, updated_at = now())"
            " SELECT change FROM rev",
            {
                "uuid": rec.uuid,
                "revision": rec.revision,
                "base": rec.base_revision,
                "branch": branch_id,
                "form": rec.form_id,
                "version": rec.form_version,
                "source": rec.form_source,
                "status": rec.status,
                "data": Jsonb(rec.data),
                "summary": rec.summary,
                "on": rec.occurred_on,
                "operator": rec.operator,
                "finalized": rec.finalized_at,
                "void": rec.void_reason,
                "device": device.id,
                "at": [a["at"] for a in rec.audit],
                "who": [a["operator"] for a in rec.audit],
                "action": [a["action"] for a in rec.audit],
                "note": [a["note"] for a in rec.audit],
                "sha256": [a["sha256"] for a in rec.attachments],
                "names": [a["name"] for a in rec.attachments],
            },
        )  # fmt: skip
    ).fetchone()
    assert row is not None
    return int(row[0])


async def _shapes(
    conn: psycopg.AsyncConnection, where: str, params: list, limit: int | None = None
) -> list[dict]:
    """Revisions matching `where`, oldest change first, each with its audit and attachments."""
    query = (
        f"SELECT {_COLUMNS} FROM record_revisions r JOIN branches b ON b.id = r.branch_id "
        f"WHERE {where} ORDER BY r.change" + (" LIMIT %s" if limit else "")
    )
    rows = await (await conn.execute(query.encode(), params + ([limit] if limit else []))).fetchall()
    shapes = [dict(zip(_KEYS, row, strict=True)) for row in rows]
    if not shapes:
        return []
    keys = [[s["uuid"], s["revision"]] for s in shapes]
    by_key = {(s["uuid"], s["revision"]): s for s in shapes}
    for s in shapes:
        s["occurred_on"] = s["occurred_on"].isoformat() if s["occurred_on"] else None
        s["audit"], s["attachments"] = [], []
    uuids, revisions = [k[0] for k in keys], [k[1] for k in keys]
    pairs = "(uuid, revision) IN (SELECT * FROM unnest(%s::text[], %s::int[]))"
    for row in await (
        await conn.execute(
            f"SELECT uuid, revision, at, operator, action, note FROM record_audit WHERE {pairs} "
            "ORDER BY uuid, revision, position".encode(),
            [uuids, revisions],
        )
    ).fetchall():
        by_key[(row[0], row[1])]["audit"].append(
            dict(zip(("at", "operator", "action", "note"), row[2:], strict=True))
        )
    for row in await (
        await conn.execute(
            f"SELECT uuid, revision, sha256, name FROM record_attachments WHERE {pairs} "
            "ORDER BY uuid, revision, position".encode(),
            [uuids, revisions],
        )
    ).fetchall():
        by_key[(row[0], row[1])]["attachments"].append({"sha256": row[2], "name": row[3]})
    return shapes


async def revision(conn: psycopg.AsyncConnection, uuid: str, number: int) -> dict | None:
    """One revision of a record in its pushed shape (plus its change number)."""
    found = await _shapes(conn, "r.uuid = %s AND r.revision = %s", [uuid, number])
    return found[0] if found else None


async def branch_revisions(
    conn: psycopg.AsyncConnection, branch_id: int, since: int, upto: int, limit: int
) -> list[dict]:
    """A branch's revisions with since < change <= upto, oldest first, at most `limit`."""
    return await _shapes(
        conn, "r.branch_id = %s AND r.change > %s AND r.change <= %s", [branch_id, since, upto], limit
    )
