"""The key the township page signs with (its session cookie, its forms' CSRF tokens): 32 random
bytes made once and kept in PostgreSQL (table township_key), read when the app starts.

In the database rather than made at each start: several app servers behind a load balancer must
sign alike, and a restart must not log everyone out. The key alone opens nothing: a session is
also a row in township_sessions (hub/township/sessions.py), so a signature is only the first,
cheap check that a cookie or form token was made here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import psycopg

KEY_BYTES = 32


async def load_key(conn: psycopg.AsyncConnection) -> bytes:
    """The hub's key, made on first use (two servers starting at once agree on one)."""
    await conn.execute(
        "INSERT INTO township_key(id, key) VALUES (true, %s) ON CONFLICT (id) DO NOTHING",
        [secrets.token_bytes(KEY_BYTES)],
    )
    row = await (await conn.execute("SELECT key FROM township_key WHERE id")).fetchone()
    assert row is not None
    return bytes(row[0])


def sign(key: bytes, purpose: str, value: str) -> str:
    """A signature of `value` for one purpose (a cookie's signature never passes as a form's)."""
    return hmac.new(key, f"{purpose}\n{value}".encode(), hashlib.sha256).hexdigest()[:43]


def signed(key: bytes, purpose: str, value: str) -> str:
    """`value.signature`."""
    return f"{value}.{sign(key, purpose, value)}"


def unsigned(key: bytes, purpose: str, text: str | None) -> str | None:
    """The value of a `value.signature` made by `signed` with this key and purpose, else None."""
    value, dot, signature = (text or "").rpartition(".")
    if not dot or not value:
        return None
    return value if hmac.compare_digest(sign(key, purpose, value), signature) else None
