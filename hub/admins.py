"""The township's administrators: people who log in to the township page, with argon2id-hashed
passwords (argon2-cffi's defaults, RFC 9106's second recommended parameters)."""

from __future__ import annotations

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
    if row is None:
        return False
    try:
        return PasswordHasher().verify(row[0], password)
    except (VerificationError, InvalidHashError):
        return False
