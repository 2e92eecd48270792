"""The store's statements (store/sql.py) commit and roll back as sqlite-utils's would: another
process must see a write at once, and a failed block must leave nothing behind."""

from __future__ import annotations

import pytest

from forms.store.cipher import sqlite3
from forms.store.sql import Sql


@pytest.fixture
def two(tmp_path):
    """The store's connection and a second one, as another process would read the file."""
    path = tmp_path / "t.db"
    mine = sqlite3.connect(path)
    mine.execute("CREATE TABLE t (v TEXT UNIQUE)")
    mine.commit()
    other = sqlite3.connect(path)
    yield Sql(mine), other
    mine.close()
    other.close()


def values(conn) -> list[str]:
    return [v for (v,) in conn.execute("SELECT v FROM t ORDER BY v")]


def test_a_write_outside_a_transaction_is_committed_at_once(two):
    sql, other = two
    sql.execute("INSERT INTO t VALUES (?)", ["a"])
    assert not sql.conn.in_transaction  # no write lock left behind for the next process
    assert values(other) == ["a"]


def test_a_failed_write_leaves_no_transaction_open(two):
    sql, other = two
    sql.execute("INSERT INTO t VALUES ('a')")
    with pytest.raises(sqlite3.IntegrityError):
        sql.execute("INSERT INTO t VALUES ('a')")
    assert not sql.conn.in_transaction
    sql.execute("INSERT INTO t VALUES ('b')")
    assert values(other) == ["a", "b"]


def test_a_block_is_all_or_nothing(two):
    sql, other = two
    with pytest.raises(sqlite3.IntegrityError):
        with sql.atomic():
            sql.execute("INSERT INTO t VALUES ('a')")
            sql.execute("INSERT INTO t VALUES ('a')")
    assert values(other) == []
    with sql.atomic():
        sql.execute("INSERT INTO t VALUES ('a')")
        assert values(other) == []  # not before the block ends
    assert values(other) == ["a"]


def test_a_nested_block_undoes_only_itself(two):
    sql, other = two
    with sql.atomic():
        sql.execute("INSERT INTO t VALUES ('outer')")
        with pytest.raises(ValueError):
            with sql.atomic():
                sql.execute("INSERT INTO t VALUES ('inner')")
                raise ValueError
        with sql.atomic():
            sql.execute("INSERT INTO t VALUES ('kept')")
    assert values(other) == ["kept", "outer"]


def test_a_transaction_statement_is_not_committed_behind_the_callers_back(two):
    sql, other = two
    sql.execute("BEGIN IMMEDIATE")
    sql.execute("INSERT INTO t VALUES ('a')")
    assert sql.conn.in_transaction
    assert values(other) == []
    sql.execute("ROLLBACK")
    assert values(other) == []
