"""Attachments held by the hub, content-addressed by SHA-256, and uploads that resume.

Parts arrive in order (a part must start where the last one ended); each part commits on its own,
so an upload cut off by a dropped line or a killed hub resumes from the last whole part. When the
last byte arrives, PostgreSQL joins the parts and checks the SHA-256 of the whole in the same
transaction that makes the file held: a file is never held under a hash it does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PART = 16 * 2**20  # one request's body; a bigger file comes in parts
MAX_SIZE = 100 * 2**20  # one attachment (photos, scans; bytea and memory stay comfortable)
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class RangeError(ValueError):
    """A Content-Range header that cannot be read."""


@dataclass(frozen=True)
class Put:
    """What one PUT did: 'held' (already had it), 'stored' (complete and checked), 'partial'
    (more to come), 'offset' (the part did not start where the upload stands), 'mismatch' (the
    whole did not have its hash; the upload starts over)."""

    outcome: str
    offset: int


def content_range(header: str | None, length: int) -> tuple[int, int]:
    """(start, total) from `Content-Range: bytes START-END/TOTAL`; no header means the whole file."""
    if header is None:
        return 0, length
    match = _RANGE.match(header.strip())
    if not match:
        raise RangeError("Content-Range 应写成 bytes 开始-结束/总大小")
    start, end, total = (int(g) for g in match.groups())
    if end < start or end >= total or end - start + 1 != length:
        raise RangeError(f"Content-Range {header} 与收到的 {length} 字节不符")
    return start, total


async def held(conn: psycopg.AsyncConnection, sha256: str) -> int | None:
    """The size of a held file, None when the hub does not hold it."""
    row = await (await conn.execute("SELECT size FROM attachments WHERE sha256 = %s", [sha256])).fetchone()
    return None if row is None else int(row[0])


async def received(conn: psycopg.AsyncConnection, sha256: str) -> int:
    """Bytes of an unfinished upload received so far (0 when none is under way)."""
    row = await (
        await conn.execute("SELECT received FROM attachment_uploads WHERE sha256 = %s", [sha256])
    ).fetchone()
    return 0 if row is None else int(row[0])


async def put_part(conn: psycopg.AsyncConnection, sha256: str, start: int, total: int, data: bytes) -> Put:
    """Take one part of a file; completes and checks it when this was the last part."""
    async with conn.transaction():
        size = await held(conn, sha256)
        if size is not None:
            return Put("held", size)
        await conn.execute(
            "INSERT INTO attachment_uploads(sha256, total) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [sha256, total],
        )
        row = await (
            await conn.execute(
                "SELECT total, received FROM attachment_uploads WHERE sha256 = %s FOR UPDATE", [sha256]
            )
        ).fetchone()
        if row is None:  # another request completed it while this one waited for the lock
            size = await held(conn, sha256)
            return Put("held", size) if size is not None else Put("offset", 0)
        if int(row[0]) != total and start == 0:
            # The earlier attempt announced another size: it cannot finish, so begin again.
            await conn.execute("DELETE FROM attachment_parts WHERE sha256 = %s", [sha256])
            await conn.execute(
                "UPDATE attachment_uploads SET total = %s, received = 0 WHERE sha256 = %s", [total, sha256]
            )
            row = (total, 0)
        so_far = int(row[1])
        if int(row[0]) != total or start != so_far:
            return Put("offset", so_far)
        await conn.execute(
            "INSERT INTO attachment_parts(sha256, start, data) VALUES (%s, %s, %s)", [sha256, start, data]
        )
        so_far += len(data)
        await conn.execute(
            "UPDATE attachment_uploads SET received = %s, updated_at = now() WHERE sha256 = %s",
            [so_far, sha256],
        )
        if so_far < total:
            return Put("partial", so_far)
        cur = await conn.execute(
            "WITH whole AS (SELECT string_agg(data, ''::bytea ORDER BY start) AS data "
            "               FROM attachment_parts WHERE sha256 = %(sha)s) "
            "INSERT INTO attachments(sha256, size, data) "
            "SELECT %(sha)s, length(data), data FROM whole WHERE encode(sha256(data), 'hex') = %(sha)s "
            "ON CONFLICT (sha256) DO NOTHING",
            {"sha": sha256},
        )
        await conn.execute("DELETE FROM attachment_uploads WHERE sha256 = %s", [sha256])
        if cur.rowcount == 1:
            return Put("stored", total)
        size = await held(conn, sha256)  # held already (a parallel upload), or the hash was wrong
        return Put("held", size) if size is not None else Put("mismatch", 0)


async def missing(conn: psycopg.AsyncConnection, hashes: list[str]) -> list[str]:
    """Those of these hashes the hub does not hold, in the order given."""
    if not hashes:
        return []
    rows = await (
        await conn.execute("SELECT sha256 FROM attachments WHERE sha256 = ANY(%s)", [list(set(hashes))])
    ).fetchall()
    have = {r[0] for r in rows}
    return [h for h in dict.fromkeys(hashes) if h not in have]


async def readable(conn: psycopg.AsyncConnection, sha256: str, branch_ids: list[int]) -> bytes | None:
    """A held file's bytes, when a record of one of these branches names it."""
    row = await (
        await conn.execute(
            "SELECT a.data FROM attachments a WHERE a.sha256 = %s AND EXISTS ("
            " SELECT 1 FROM record_attachments ra JOIN record_revisions r"
            "   ON r.uuid = ra.uuid AND r.revision = ra.revision"
            " WHERE ra.sha256 = a.sha256 AND r.branch_id = ANY(%s))",
            [sha256, branch_ids],
        )
    ).fetchone()
    return None if row is None else bytes(row[0])
