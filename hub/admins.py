"""The township's administrators: people who log in to the township page, with argon2id-hashed
passwords (argon2-cffi's defaults, RFC 9106's second recommended parameters)."""

from __future__ import annotations

import functools
import secrets

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 8


class AdminError(RuntimeError):
    """An admin that cannot be added; the message says why."""


async def add_admin(conn: psycopg.AsyncConnection, name: str, password: str) -> None:
    """Add an administrator, or set a new password for an existing one."""
    name = name.strip()
    if not name:
        raise AdminError("管理员名称不能为空")
    if len(password) < MIN_PASSWORD:
        raise AdminError(f"密码至少 {MIN_PASSWORD} 个字符")
    digest = PasswordHasher().hash(password)
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO admins(name, password_hash) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash",
            [name, digest],
        )


async def check_password(conn: psycopg.AsyncConnection, name: str, password: str) -> bool:
    """Is this the administrator's password?"""
    row = await (await conn.execute("SELECT password_hash FROM admins WHERE name = %s", [name])).fetchone()
    return row is not None and password_matches(row[0], password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` (argon2) was made of. Slow on purpose (tens
    of milliseconds): a web handler runs it off the event loop."""
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def stand_in_hash() -> str:
    """A hash no password matches, verified against when a name is unknown: a wrong name then
    takes as long as a wrong password, so the time taken does not tell which names exist."""
    return PasswordHasher().hash(secrets.token_urlsafe(32))
