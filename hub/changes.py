"""Change numbers: every row a laptop may pull carries one, from the sequence `hub_changes`, and a
pull asks for the changes after its cursor.

A sequence alone hands numbers out in order but they commit out of order: a pull could see change
8 while 7 is still being written, move its cursor to 8 and never see 7. So every writer holds a
shared advisory lock from taking its number to its commit, and a reader takes the same lock
exclusively for a moment to read the highest number handed out: at that moment nothing below it
is still in flight. The cursor a pull returns is never past a change it could not see.
"""

from __future__ import annotations

import psycopg

_KEY = 0x59494348  # the advisory lock every change number is taken under
# For a statement that takes its number itself (the busiest path, a record push, saves a round
# trip): `... nextval('hub_changes') FROM {CHANGE_LOCKED}`. The subquery is volatile, so it is
# never merged into the outer query: the lock is held before the number is taken.
CHANGE_LOCKED = f"(SELECT pg_advisory_xact_lock_shared({_KEY})) AS change_lock"


async def next_change(conn: psycopg.AsyncConnection) -> int:
    """A new change number, inside the caller's transaction (held until it commits)."""
    row = await (await conn.execute(f"SELECT nextval('hub_changes') FROM {CHANGE_LOCKED}")).fetchone()
    assert row is not None
    return int(row[0])


async def settled_cursor(conn: psycopg.AsyncConnection) -> int:
    """The highest change number below which every change has committed or rolled back.

    Runs in its own short transaction on `conn` (which must not be inside one)."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_KEY])
        row = await (await conn.execute("SELECT last_value, is_called FROM hub_changes")).fetchone()
    assert row is not None
    return int(row[0]) if row[1] else 0
