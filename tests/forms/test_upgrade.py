"""Upgrading Yici keeps the data: a file from the oldest schema opens with today's code, with a
backup made first; a file from a newer Yici is refused and left untouched."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from forms.migrations import MIGRATION_SET, known_names, migrations
from forms.store import NewerSchema, Store, list_backups, restore
from forms.store.cipher import sqlite3
from tests.helpers import open_database

STEPS = known_names()


def applied(path) -> list[str]:
    conn = open_database(path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET]
            )
        ]
    finally:
        conn.close()


def oldest_database(path) -> None:
    """A database as the first released Yici left it: only the first step, data typed in."""
    db = Database(path)
    migrations.apply(db, stop_before=STEPS[1])
    with db.atomic():
        db.execute("INSERT INTO settings(key, value) VALUES ('operator', ?)", [json.dumps("老王")])
        db.execute("INSERT INTO settings(key, value) VALUES ('font_size', ?)", [json.dumps("large")])
        db.execute(
            "INSERT INTO branches(id, name, code, secretary, cadence, created_at) VALUES "
            "(1, '红星村党支部', 'HX01', '张三', ?, '2025-01-01T08:00:00+08:00')",
            [json.dumps({"sanhui-yike": "quarter"})],
        )
        db.execute(
            "INSERT INTO members(branch_id, name, role, phone, position) VALUES "
            "(1, '张三', '书记', '13800138000', 1), (1, '李四', '党员', NULL, 2)"
        )
    db.close()


def test_the_oldest_schema_opens_with_data_kept_and_a_backup_first(data_dir):
    data_dir.mkdir()
    path = data_dir / "yici.db"
    oldest_database(path)
    assert applied(path) == STEPS[:1]

    with Store.open(data_dir) as store:
        assert store.get_setting("operator") == "老王"
        (branch,) = store.branches()
        assert (branch.name, branch.code, branch.secretary) == ("红星村党支部", "HX01", "张三")
        assert branch.cadence == {"sanhui-yike": "quarter"}
        assert [(m.name, m.role, m.phone) for m in store.members(1)] == [
            ("张三", "书记", "13800138000"),
            ("李四", "党员", None),
        ]
        assert store.count_records() == 0 and store.targets() == []
        assert store.check() == ["ok"]
        store.add_target("县平台", "rest", url="https://county.example/api")  # a later step's table

    assert applied(path) == STEPS
    (backup,) = [b for b in list_backups(data_dir) if b.kind == "before-migration"]
    assert backup.kind == "before-migration"
    assert backup.path.parent == data_dir / "backups"
    assert backup.path.name.startswith(f"yici-before-{STEPS[1]}-")
    # The backup is the file exactly as the old version left it.
    assert applied(backup.path) == STEPS[:1]
    conn = open_database(backup.path)
    assert conn.execute("SELECT name FROM branches").fetchall() == [("红星村党支部",)]
    conn.close()


def test_restoring_an_old_backup_brings_it_up_to_date(data_dir, tmp_path):
    old = tmp_path / "old.db"
    oldest_database(old)
    restore(data_dir, old)
    assert applied(data_dir / "yici.db") == STEPS
    with Store.open(data_dir) as store:
        assert [b.name for b in store.branches()] == ["红星村党支部"]


def test_a_database_with_an_unknown_newer_step_is_refused(data_dir):
    with Store.open(data_dir) as store:
        store.add_branch("红星村党支部")
    path = data_dir / "yici.db"
    conn = open_database(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_from_a_newer_yici', '2030-01-01')",
        [MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()

    with pytest.raises(NewerSchema) as caught:
        Store.open(data_dir)

    message = str(caught.value)
    assert "更新版本" in message and "m999_from_a_newer_yici" in message and "升级" in message
    assert path.read_bytes() == before
    assert not (data_dir / "backups").exists()
