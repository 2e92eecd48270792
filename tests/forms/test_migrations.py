"""Schema steps: from an empty file, from every earlier step (data survives, a backup is
made first), and refusal of files written by a newer Yici."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from forms.migrations import MIGRATION_SET, known_names, migrations
from forms.model import Form
from forms.store import NewerSchema, Store
from forms.store.cipher import sqlite3
from tests.helpers import open_database

STEPS = known_names()
FORM = Form(id="sanhui-yike", version=1, title="三会一课", fields=(), source="id: sanhui-yike")


def applied_names(path) -> list[str]:
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


def test_steps_are_small_and_numbered():
    assert STEPS == sorted(STEPS) and len(STEPS) >= 3
    assert all(name[:1] == "m" and name[1:4].isdigit() for name in STEPS)


def test_empty_folder_gets_every_step_and_no_backup(tmp_path):
    with Store.open(tmp_path) as store:
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "settings",
        "branches",
        "members",
        "form_versions",
        "records",
        "record_revisions",
        "audit",
        "attachments",
        "records_fts",
    } <= tables
    assert applied_names(tmp_path / "yici.db") == STEPS
    assert not (tmp_path / "backups").exists()


def test_reopening_an_up_to_date_file_makes_no_backup(tmp_path):
    Store.open(tmp_path).close()
    Store.open(tmp_path).close()
    assert not (tmp_path / "backups").exists()


def _fill(db: Database, step_index: int) -> None:
    """Data a user could have entered with only the first `step_index` steps applied."""
    if step_index < 1:
        return
    db.execute(
        "INSERT INTO branches(id, name, code, cadence, created_at) "
        "VALUES (1, '老支部', '007', '{}', '2025-01-01T08:00:00+08:00')"
    )
    db.execute("INSERT INTO members(branch_id, name, role, position) VALUES (1, '张三', '书记', 1)")
    db.execute("INSERT INTO settings(key, value) VALUES ('operator', ?)", [json.dumps("老王")])
    if step_index < 2:
        return
    db.execute(
        "INSERT INTO form_versions VALUES ('sanhui-yike', 1, '三会一课', 'id: sanhui-yike', "
        "'2025-01-01T08:00:00+08:00')"
    )
    db.execute(
        "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, revision, "
        "operator, occurred_on, summary, created_at, updated_at, finalized_at) VALUES "
        "('11111111-aaaa', 'sanhui-yike', 1, 1, 'final', ?, 1, '老王', '2025-01-02', "
        "'支部委员会 · 2025-01-02', '2025-01-02T09:00:00+08:00', "
        "'2025-01-02T09:00:00+08:00', '2025-01-02T09:00:00+08:00')",
        [json.dumps({"topic": "学习党章党规"}, ensure_ascii=False)],
    )
    db.execute(
        "INSERT INTO record_revisions VALUES ('11111111-aaaa', 1, 'final', '{}', '老王', "
        "'2025-01-02T09:00:00+08:00', '')"
    )
    db.execute(
        "INSERT INTO audit(at, operator, action, record_uuid, revision) VALUES "
        "('2025-01-02T09:00:00+08:00', '老王', 'finalized', '11111111-aaaa', 1)"
    )


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[f"before-{s}" for s in STEPS])
def test_upgrade_from_every_earlier_step_keeps_data_and_backs_up(tmp_path, index):
    path = tmp_path / "yici.db"
    db = Database(path)
    migrations.apply(db, stop_before=STEPS[index])
    assert applied_names(path) == STEPS[:index]
    with db.atomic():
        _fill(db, index)
    db.close()

    with Store.open(tmp_path) as store:
        assert applied_names(path) == STEPS
        if index >= 1:
            branch = store.find_branch("老支部")
            assert branch.code == "007" and branch.cadence == {}
            assert [m.name for m in store.members(branch.id)] == ["张三"]
            assert store.get_setting("operator") == "老王"
        if index >= 2:
            record = store.record("11111111-aaaa")
            assert record.status == "final" and record.data == {"topic": "学习党章党规"}
            # rows written before the search step are searchable after it
            assert [r.uuid for r in store.records(text="党章党规")] == ["11111111-aaaa"]
            for short in ("党章", "规", "02"):  # 1-2 characters: m005's index
                assert store.count_records(text=short) == 1, short
                assert [r.uuid for r in store.records(text=short, limit=10)] == ["11111111-aaaa"]
            assert store.count_records(text="章党规学") == 0
            assert store.records_for_cadence(1, "2025-01-01")[0][0] == "sanhui-yike"
            assert store.count_records(branch_id=1, status="final", since="2025-01-02") == 1
            assert store.records(month="2025-01", branch_id=1)[0].uuid == "11111111-aaaa"
            assert store.audit("11111111-aaaa")[0].action == "finalized"
        # the upgraded file works end to end
        store.add_branch("新支部")
        assert store.check() == ["ok"]

    backups = list((tmp_path / "backups").glob(f"yici-before-{STEPS[index]}-*.db"))
    if index == 0:
        assert backups == []  # no step had run: there was nothing to keep
        return
    assert len(backups) == 1
    assert applied_names(backups[0]) == STEPS[:index]  # the file as it was before


def test_newer_schema_is_refused_untouched(tmp_path):
    Store.open(tmp_path).close()
    conn = open_database(tmp_path / "yici.db")
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_from_the_future', '2030-01-01')",
        [MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    before = (tmp_path / "yici.db").read_bytes()
    with pytest.raises(NewerSchema, match="更新版本") as info:
        Store.open(tmp_path)
    assert "m999_from_the_future" in str(info.value) and "升级" in str(info.value)
    assert not (tmp_path / "backups").exists()
    assert applied_names(tmp_path / "yici.db")[-1] == "m999_from_the_future"
    assert (tmp_path / "yici.db").read_bytes() == before


def test_other_migration_sets_in_the_file_are_not_ours_to_judge(tmp_path):
    Store.open(tmp_path).close()
    conn = open_database(tmp_path / "yici.db")
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES ('some-plugin', 'm001_plugin', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    Store.open(tmp_path).close()


def test_m005_indexes_every_character_and_keeps_it_in_step(tmp_path):
    """From empty: the character index and the branch/status index exist, and the replaced
    text triggers keep both search indices in step with inserts, edits and deletes."""
    with Store.open(tmp_path) as store:
        names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        assert {
            "records_chars",
            "records_branch_status_day",
            "records_text_insert",
            "records_text_update",
            "records_text_delete",
        } <= names
        db = store.db
        db.execute("INSERT INTO branches(id, name, cadence, created_at) VALUES (1, 'b', '{}', 'x')")
        db.execute("INSERT INTO form_versions VALUES ('f', 1, 'F', '', 'x')")
        db.execute(
            "INSERT INTO records(id, uuid, form_id, form_version, branch_id, status, data, "
            "operator, summary, created_at, updated_at) VALUES (7, 'u', 'f', 1, 1, 'draft', "
            "?, 'o', 'A-b', 'x', 'x')",
            [json.dumps({"k": ["王五", "x1"]}, ensure_ascii=False)],
        )

        def match(q):
            return [
                r[0] for r in db.execute("SELECT rowid FROM records_chars WHERE records_chars MATCH ?", [q])
            ]

        assert match('"王 五"') == [7] and match('"a u45 b"') == [7] and match('"x 1"') == [7]
        assert match('"五 u32 x"') == [7]  # values are joined by a space
        db.execute("UPDATE records SET status = 'final' WHERE id = 7")  # text unchanged
        assert match('"王 五"') == [7]
        db.execute('UPDATE records SET data = \'{"k": "李四"}\' WHERE id = 7')
        assert match('"王 五"') == [] and match('"李 四"') == [7]
        db.execute("DELETE FROM records WHERE id = 7")
        assert match('"李 四"') == [] and match("a") == []
        assert store.check() == ["ok"]


def test_m010_keeps_every_row_and_id_and_the_audit_stays_append_only(tmp_path):
    """The audit is rebuilt by m010: every line comes across with its id, new lines are
    numbered after the old ones, and it still refuses changes; the history is untouched."""
    path = tmp_path / "yici.db"
    db = Database(path)
    migrations.apply(db, stop_before="m010_fewer_pages_per_save")
    with db.atomic():
        _fill(db, len(STEPS))
        for n in range(3):  # ids with a gap, as an older Yici could have left them
            db.execute(
                "INSERT INTO audit(id, at, operator, action, record_uuid, revision) "
                "VALUES (?, '2025-01-03T09:00:00+08:00', '老王', 'printed', '11111111-aaaa', 1)",
                [10 + 5 * n],
            )
    before = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    db.close()

    with Store.open(tmp_path) as store:
        assert store.db.execute("SELECT * FROM audit ORDER BY id").fetchall() == before
        assert [r.revision for r in store.history("11111111-aaaa")] == [1]
        assert store.record("11111111-aaaa").status == "final"
        draft = store.create_record(FORM, 1, {"topic": "新"}, "老王", occurred_on="2025-02-01")
        store.finalize(draft.uuid, "老王")
        ids = [r[0] for r in store.db.execute("SELECT id FROM audit ORDER BY id")]
        assert ids[-2:] == [21, 22]  # after the highest, never reusing a gap
        for change in ("UPDATE audit SET operator = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                store.db.execute(change)
        assert store.check() == ["ok"]
