"""The hub's schema steps: numbered SQL files in hub/migrations/ (NNNN_name.sql), each applied
once, in order, in its own transaction, and recorded in `hub_schema_steps`.

A database that records a step this hub does not know was migrated by a newer hub: it is refused
rather than served with the wrong code. Two `migrate` runs at once take turns (an advisory lock).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import psycopg

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_LOCK = 0x59494349  # "YICI": the advisory lock two migrators share

STEPS_TABLE = """
CREATE TABLE IF NOT EXISTS hub_schema_steps (
    step        integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)"""


class SchemaError(RuntimeError):
    """The database's schema does not fit this hub (newer steps, or steps still to apply)."""


@dataclass(frozen=True)
class Step:
    """One schema step: its number, its name and its SQL."""

    number: int
    name: str
    sql: str


def known_steps() -> list[Step]:
    """The steps shipped with this hub, in order."""
    steps = []
    for entry in resources.files("hub").joinpath("migrations").iterdir():
        match = _FILE.match(entry.name)
        if match:
            steps.append(Step(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    steps.sort(key=lambda s: s.number)
    numbers = [s.number for s in steps]
    assert numbers == list(range(1, len(steps) + 1)), f"schema steps must be numbered 1..n: {numbers}"
    return steps


async def _applied(conn: psycopg.AsyncConnection) -> dict[int, str]:
    exists = await (await conn.execute("SELECT to_regclass('hub_schema_steps') IS NOT NULL")).fetchone()
    if not exists or not exists[0]:
        return {}
    rows = await (await conn.execute("SELECT step, name FROM hub_schema_steps")).fetchall()
    return {number: name for number, name in rows}


def _refuse_newer(applied: dict[int, str], steps: list[Step]) -> None:
    known = {s.number: s.name for s in steps}
    unknown = sorted(n for n, name in applied.items() if known.get(n) != name)
    if unknown:
        names = "、".join(f"{n:04d}_{applied[n]}" for n in unknown)
        raise SchemaError(
            f"数据库里有本程序不认识的结构步骤（{names}），它可能已由更新版本的 yici-hub 升级过。"
            "请使用那个版本的 yici-hub，不要用旧版本打开它。"
        )


async def migrate(conninfo: str) -> list[str]:
    """Apply the steps the database lacks; returns their names ("0001_initial"), [] when current."""
    steps = known_steps()
    done = []
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
        try:
            await conn.execute(STEPS_TABLE)
            applied = await _applied(conn)
            _refuse_newer(applied, steps)
            for step in steps:
                if step.number in applied:
                    continue
                async with conn.transaction():
                    await conn.execute(step.sql.encode())
                    await conn.execute(
                        "INSERT INTO hub_schema_steps(step, name) VALUES (%s, %s)", [step.number, step.name]
                    )
                done.append(f"{step.number:04d}_{step.name}")
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])
    return done


async def check_current(conn: psycopg.AsyncConnection) -> None:
    """Refuse to serve a database that is behind (run migrate) or ahead (a newer hub's)."""
    steps = known_steps()
    applied = await _applied(conn)
    _refuse_newer(applied, steps)
    missing = [f"{s.number:04d}_{s.name}" for s in steps if s.number not in applied]
    if missing:
        raise SchemaError(f"数据库结构尚未更新（缺少 {'、'.join(missing)}）：请先运行 yici-hub migrate")
