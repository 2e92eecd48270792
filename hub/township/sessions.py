"""Who is logged in to the township page: sessions kept in PostgreSQL, and the lockout after
repeated wrong passwords.

A session is a random token in an HttpOnly cookie, signed with the hub's key
(hub/township/keys.py); the database keeps only the token's SHA-256, so a copy of the database
logs nobody in. A session ends at logout, after IDLE without a request, after LONGEST in all,
and when the administrator's password is set anew (`yici-hub admin add`). Five wrong passwords
for a name within LOCK_MINUTES lock that name for the rest of that time, right password or not.
Device tokens are never looked up here: the laptops' API and the township page do not mix.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import psycopg

from hub.township.keys import signed, unsigned

COOKIE = "yici_township"
PURPOSE = "session"
IDLE_MINUTES = 120
LONGEST_HOURS = 12
MAX_FAILURES = 5
LOCK_MINUTES = 15
# What a session row must still match: the admin's password hash as it was at login.
_MARK = "encode(sha256(convert_to(a.password_hash, 'UTF8')), 'hex')"


@dataclass(frozen=True)
class Admin:
    """The administrator a request comes from, and the session it belongs to."""

    id: int
    name: str
    session: str  # SHA-256 of the session token (what the CSRF token is made from)


def _hash(token: str) -> str:
    return hashlib.sha256(("township:" + token).encode()).hexdigest()


async def start(conn: psycopg.AsyncConnection, key: bytes, admin_id: int, address: str) -> str:
    """A new session for the administrator: the cookie's value."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        f"INSERT INTO township_sessions(token_hash, admin_id, password_mark, address) "
        f"SELECT %s, a.id, {_MARK}, %s FROM admins a WHERE a.id = %s",
        [_hash(token), address[:100], admin_id],
    )
    return signed(key, PURPOSE, token)


async def find(conn: psycopg.AsyncConnection, key: bytes, cookie: str | None) -> Admin | None:
    """The administrator whose session the cookie names, if it is still open; marks it used."""
    token = unsigned(key, PURPOSE, cookie)
    if token is None:
        return None
    digest = _hash(token)
    row = await (
        await conn.execute(
            f"UPDATE township_sessions s SET last_seen_at = now() FROM admins a "
            f"WHERE s.token_hash = %s AND a.id = s.admin_id AND s.password_mark = {_MARK} "
            f"AND s.last_seen_at > now() - make_interval(mins => %s) "
            f"AND s.created_at > now() - make_interval(hours => %s) "
            f"RETURNING a.id, a.name",
            [digest, IDLE_MINUTES, LONGEST_HOURS],
        )
    ).fetchone()
    return Admin(row[0], row[1], digest) if row else None


async def end(conn: psycopg.AsyncConnection, key: bytes, cookie: str | None) -> None:
    """Log out: the session's row is removed (the cookie is then worth nothing anywhere)."""
    token = unsigned(key, PURPOSE, cookie)
    if token is not None:
        await conn.execute("DELETE FROM township_sessions WHERE token_hash = %s", [_hash(token)])
    # Ended sessions of everyone are swept now and then, here rather than by a timer.
    await conn.execute(
        "DELETE FROM township_sessions WHERE last_seen_at < now() - make_interval(mins => %s) "
        "OR created_at < now() - make_interval(hours => %s)",
        [IDLE_MINUTES, LONGEST_HOURS],
    )


def _name_key(name: str) -> str:
    return name.strip().casefold()[:200]


async def locked_minutes(conn: psycopg.AsyncConnection, name: str) -> int:
    """Minutes until this name may try again (0: it may now)."""
    row = await (
        await conn.execute(
            "SELECT count(*), max(at) FROM township_login_failures "
            "WHERE name = %s AND at > now() - make_interval(mins => %s)",
            [_name_key(name), LOCK_MINUTES],
        )
    ).fetchone()
    if not row or row[0] < MAX_FAILURES:
        return 0
    left = await (
        await conn.execute(
            "SELECT ceil(extract(epoch FROM %s + make_interval(mins => %s) - now()) / 60)",
            [row[1], LOCK_MINUTES],
        )
    ).fetchone()
    return max(1, int(left[0])) if left else 1


async def failed(conn: psycopg.AsyncConnection, name: str) -> None:
    """Count a wrong password for this name (and forget this name's old ones)."""
    key = _name_key(name)
    async with conn.transaction():
        await conn.execute(
            "DELETE FROM township_login_failures WHERE name = %s AND at < now() - make_interval(mins => %s)",
            [key, LOCK_MINUTES],
        )
        await conn.execute("INSERT INTO township_login_failures(name) VALUES (%s)", [key])


async def succeeded(conn: psycopg.AsyncConnection, name: str) -> None:
    """A right password: this name's wrong ones are forgotten."""
    await conn.execute("DELETE FROM township_login_failures WHERE name = %s", [_name_key(name)])
