"""The command line on data folders that are wrong (a file, a system folder, unreadable, a typo) and
on a database that was emptied or lost: plain messages, nothing created, never a fresh start."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from forms.store.cipher import sqlite3
from tests.helpers import bad, ok, open_database, passphrase_file

REPO = Path(__file__).resolve().parents[3]

READING = [
    ("status",),
    ("records", "list"),
    ("branches", "list"),
    ("targets", "list"),
    ("deliveries", "list"),
    ("forms", "list"),
    ("backup",),
    ("backup", "--list"),
]


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_reading_commands_on_a_missing_data_folder_say_so_and_create_nothing(yici, tmp_path, command):
    typo = tmp_path / "yici-dta"
    result = bad(yici(*command, "--data-dir", typo))
    assert "数据文件夹不存在" in result.stderr and "内部错误" not in result.stderr
    assert not typo.exists()


def test_a_file_a_system_folder_and_an_unreadable_folder_get_plain_messages(yici, tmp_path):
    file = tmp_path / "data.txt"
    file.write_text("notes")
    for command in (("status",), ("branches", "add", "红星村党支部")):
        result = bad(yici(*command, "--data-dir", file))
        assert "是一个文件" in result.stderr and "内部错误" not in result.stderr
    assert file.read_text() == "notes"
    for folder in ("/", "/etc", "/usr/lib/yici"):
        result = bad(yici("branches", "add", "红星村党支部", "--data-dir", folder))
        assert "系统文件夹" in result.stderr and "内部错误" not in result.stderr
    assert not os.path.exists("/usr/lib/yici")
    if os.geteuid() != 0:  # root reads every folder
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0)
        try:
            result = bad(yici("branches", "add", "红星村党支部", "--data-dir", locked))
            assert "没有权限" in result.stderr and "内部错误" not in result.stderr
        finally:
            locked.chmod(0o755)


def test_backup_to_and_export_into_a_missing_folder_are_refused(yici, data_dir, tmp_path):
    ok(yici("branches", "add", "红星村党支部"))
    for args in (
        ("backup", "--to", tmp_path / "missing" / "copy.db"),
        ("backup", "--to", f"{tmp_path / 'missing'}{os.sep}"),
        ("export", tmp_path / "missing" / "handover.zip", "--passphrase-file", passphrase_file(tmp_path)),
    ):
        result = bad(yici(*args))
        assert "文件夹不存在" in result.stderr
    assert not (tmp_path / "missing").exists()
    (tmp_path / "there").mkdir()
    ok(yici("backup", "--to", tmp_path / "there"))
    ok(yici("export", tmp_path / "there" / "handover.zip", "--passphrase-file", passphrase_file(tmp_path)))


def test_backup_to_and_export_never_write_over_the_folders_own_files(yici, data_dir, tmp_path):
    ok(yici("branches", "add", "红星村党支部"))
    ok(yici("backup"))
    own = ["yici.db", "yici.db-wal", "yici.db-shm", "yici.db-journal", "yici-folder.json", "yici-key.json"]
    secret = passphrase_file(tmp_path)
    before = {name: (data_dir / name).read_bytes() for name in own if (data_dir / name).exists()}
    for name in own:
        for args in (
            ("backup", "--to", data_dir / name),
            ("export", data_dir / name, "--passphrase-file", secret),
        ):
            result = bad(yici(*args))
            assert "数据文件夹自己的文件" in result.stderr and "内部错误" not in result.stderr
    assert {name: (data_dir / name).read_bytes() for name in own if (data_dir / name).exists()} == before
    assert "红星村党支部" in ok(yici("branches", "list")).stdout


def test_an_emptied_database_is_refused_with_the_backup_offered(yici, data_dir):
    ok(yici("branches", "add", "红星村党支部"))
    made = ok(yici("backup")).stdout.strip()
    (data_dir / "yici.db").write_bytes(b"")
    for command in (("status",), ("branches", "add", "新支部"), ("records", "list")):
        result = yici(*command)
        assert result.returncode == 4, result.stderr
        assert "0 字节" in result.stderr and made in result.stderr and "内部错误" not in result.stderr
    assert (data_dir / "yici.db").stat().st_size == 0
    ok(yici("restore", made))
    assert "红星村党支部" in ok(yici("branches", "list")).stdout


def test_restore_refuses_a_file_that_only_looks_like_a_backup(yici, data_dir, tmp_path):
    ok(yici("branches", "add", "红星村党支部"))
    made = ok(yici("backup")).stdout.strip()
    forged = tmp_path / "forged.db"
    forged.write_bytes(open(made, "rb").read())
    conn = open_database(forged, data_dir)
    conn.execute("CREATE TRIGGER t AFTER INSERT ON records BEGIN DELETE FROM records; END")
    conn.commit()
    conn.close()
    before = (data_dir / "yici.db").read_bytes()
    result = bad(yici("restore", forged))
    assert "多出 t" in result.stderr and "Traceback" not in result.stderr
    assert (data_dir / "yici.db").read_bytes() == before


def test_restore_refuses_records_that_could_not_have_been_typed_here(yici, data_dir, tmp_path):
    ok(yici("branches", "add", "红星村党支部"))
    made = ok(yici("backup")).stdout.strip()
    forged = tmp_path / "forged.db"
    forged.write_bytes(open(made, "rb").read())
    source = (REPO / "forms" / "library" / "sanhui-yike.yaml").read_text(encoding="utf-8")
    conn = open_database(forged, data_dir)
    conn.execute(
        "INSERT OR IGNORE INTO form_versions(form_id, version, title, source, remembered_at) "
        "VALUES ('sanhui-yike', 1, '三会一课', ?, '2026-11-01T00:00:00')",
        [source],
    )
    invalid = json.dumps({"meeting_type": "没有这种会"}, ensure_ascii=False)
    uuid = "0b6a2c6e-1111-4aaa-8bbb-000000000002"
    conn.execute(
        "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, revision, operator, "
        "created_at, updated_at) VALUES (?, 'sanhui-yike', 1, 1, 'final', ?, 1, '某人', 'x', 'x')",
        [uuid, invalid],
    )
    conn.execute(
        "INSERT INTO record_revisions(uuid, revision, status, data, operator, saved_at) "
        "VALUES (?, 1, 'final', ?, '某人', '2026-11-06T10:00:00')",
        [uuid, invalid],
    )
    conn.commit()
    conn.close()
    before = (data_dir / "yici.db").read_bytes()
    result = bad(yici("restore", forged))
    assert "不符合表单" in result.stderr and "数据没有任何改动" in result.stderr
    assert (data_dir / "yici.db").read_bytes() == before
