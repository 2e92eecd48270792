"""The store's statements over its one connection: `execute` and `atomic`, as sqlite-utils's
`Database` has them, and nothing more.

The store's everyday reads and writes need only these two. sqlite-utils itself (with click,
pluggy, dateutil and tabulate behind it, ~11 MB resident in the window) is imported where its
larger API is used: the schema steps (forms/migrations.py) and the schema check
(store/verify.py). The semantics follow sqlite-utils 4 so the store behaves the same either way:
a write outside a transaction commits at once; a block inside an open transaction is a savepoint.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from forms.store.cipher import sqlite3

# Statements that manage transactions themselves: never committed behind their back.
_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}
_savepoints = itertools.count(1)  # names only need to differ between nested blocks


def _first_keyword(sql: str) -> str:
    words = sql.lstrip().split(None, 1)
    return words[0].upper().rstrip(";") if words else ""


class Sql:
    """Statements on `conn` for the store's mixins (reached as `store.db`)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement. Python's sqlite3 opens a transaction before a write on its own:
        outside one already open, the write is committed here, so nothing waits uncommitted
        (and holds the write lock) until some later call."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's own transaction
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    @contextmanager
    def atomic(self) -> Iterator[Sql]:
        """All of the block or none of it: a transaction, or a savepoint inside an open one."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"yici_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # A trigger's RAISE(ROLLBACK) may have ended the whole transaction already:
                # undoing a savepoint that is gone would hide the real error.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
