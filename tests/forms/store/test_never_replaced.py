"""A database is never silently replaced: a missing, emptied or foreign file where it was is refused
with the newest sound backup offered; damage is found before the next backup, and a damaged
database is never copied over good backups."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil

import pytest

from forms.store import (
    DatabaseDamaged,
    DatabaseRefused,
    DataFolderProblem,
    Store,
    ensure_daily_backup,
    list_backups,
    restore,
)
from forms.store import marker as marker_module
from forms.store import times as store_times
from forms.store.cipher import sqlite3


@pytest.fixture
def day(monkeypatch):
    def set_day(*ymd, hour=9):
        moment = dt.datetime(*ymd, hour, 0, 0).astimezone()
        monkeypatch.setattr(store_times, "clock", lambda: moment)

    return set_day


def fill(store: Store, members: int = 200) -> None:
    branch = store.add_branch("红星村党支部")
    for i in range(members):
        store.add_member(branch.id, f"成员{i:04d}" + "名字很长" * 6)


@pytest.fixture
def used(data_dir, day):
    """A data folder in use for three days: a branch with a roster, one automatic backup a day."""
    with Store.open(data_dir) as store:
        fill(store)
        for d in (3, 4, 5):
            day(2026, 11, d)
            ensure_daily_backup(store)
    return data_dir


def folder_state(folder) -> dict:
    """Every file under `folder` with a hash of its content."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def damage(path) -> None:
    """Overwrite the start of a b-tree page near the end of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 - 2
    data[page * 4096 : page * 4096 + 40] = b"\xde\xad\xbe\xef" * 10
    path.write_bytes(bytes(data))


def test_an_emptied_database_is_refused_not_started_again(used):
    newest = list_backups(used)[0]
    (used / "yici.db").write_bytes(b"")
    before = folder_state(used)

    with pytest.raises(DatabaseRefused, match="0 字节") as refused:
        Store.open(used)

    assert refused.value.kind == "empty"
    assert refused.value.backup == newest.path and refused.value.backup_time == newest.made_at
    assert newest.path.name in str(refused.value) and "restore" in str(refused.value)
    assert folder_state(used) == before  # nothing written: no new empty database, no backup


def test_a_missing_database_is_refused_and_not_recreated(used):
    (used / "yici.db").unlink()
    with pytest.raises(DatabaseRefused, match="不见了") as refused:
        Store.open(used)
    assert refused.value.kind == "missing" and refused.value.backup is not None
    assert not (used / "yici.db").exists()


def test_backups_alone_prove_a_database_was_here(used):
    (used / "yici.db").unlink()
    (used / marker_module.MARKER).unlink()
    with pytest.raises(DatabaseRefused):
        Store.open(used)
    assert not (used / "yici.db").exists()


def test_random_bytes_a_stranger_sqlite_file_and_another_folders_database_are_refused(used, tmp_path):
    other = tmp_path / "other"
    with Store.open(other) as store:
        store.add_branch("别的乡镇的支部")
    stranger = tmp_path / "stranger.db"
    conn = sqlite3.connect(stranger)
    conn.execute("CREATE TABLE notes(x)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    for file, said in (
        (None, "不是这个数据文件夹的加密数据库"),
        (stranger, "别的程序"),
        (other / "yici.db", "不是这个数据文件夹的加密数据库"),  # another key: which folder, unknown
    ):
        if file is None:
            (used / "yici.db").write_bytes(os.urandom(64 * 1024))
        else:
            shutil.copyfile(file, used / "yici.db")
        before = folder_state(used)
        with pytest.raises(DatabaseRefused, match=said) as refused:
            Store.open(used)
        assert refused.value.kind == "foreign" and refused.value.backup is not None
        assert folder_state(used) == before  # not migrated into, not backed up, not touched


def test_a_new_folder_starts_fresh(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        assert store.branches() == []
    assert (data_dir / marker_module.MARKER).is_file()
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    Store.open(empty).close()
    # A database file a power cut left at 0 bytes before anything was in it: nothing to lose.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    (crashed / "yici.db").write_bytes(b"")
    Store.open(crashed).close()


def test_reading_commands_never_create_a_folder_or_a_database(tmp_path):
    with pytest.raises(DataFolderProblem, match="不存在"):
        Store.open(tmp_path / "typo", create=False)
    assert not (tmp_path / "typo").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFolderProblem, match="还没有"):
        Store.open(tmp_path / "empty", create=False)
    assert list((tmp_path / "empty").iterdir()) == []


def test_damage_is_found_before_the_next_backup_and_good_backups_are_kept(used, day, monkeypatch):
    monkeypatch.setattr(marker_module, "QUICK_CHECK_AT_OPEN_BYTES", 0)  # as for a large file
    store = Store.open(used)
    backups_before = folder_state(used / "backups")
    damage(used / "yici.db")
    for d in (6, 7, 30):
        day(2026, 11, d)
        with pytest.raises(DatabaseDamaged, match="已损坏") as found:
            ensure_daily_backup(store, keep_days=1)
        assert found.value.backup is not None
        assert folder_state(used / "backups") == backups_before  # nothing made, nothing rotated
    store.close()
    # The folder remembers: the next start checks even a large file, and refuses.
    with pytest.raises(DatabaseDamaged):
        Store.open(used)


def test_a_small_database_is_checked_every_time_it_opens(used):
    damage(used / "yici.db")
    with pytest.raises(DatabaseDamaged) as found:
        Store.open(used)
    assert found.value.backup == list_backups(used)[0].path


def test_the_offer_is_the_newest_backup_that_passes_the_integrity_check(used):
    newest, older = list_backups(used)[:2]
    damage(newest.path)
    (used / "yici.db").write_bytes(b"")
    with pytest.raises(DatabaseRefused) as refused:
        Store.open(used)
    assert refused.value.backup == older.path


def test_a_backup_of_another_folder_is_never_offered(used, tmp_path, day):
    other = tmp_path / "other"
    with Store.open(other) as store:
        store.add_branch("别的乡镇的支部")
        day(2026, 12, 1)
        stranger = store.backup("manual")
    shutil.copy(stranger, used / "backups" / stranger.name)
    (used / "yici.db").write_bytes(b"")
    with pytest.raises(DatabaseRefused) as refused:
        Store.open(used)
    assert refused.value.backup is not None and refused.value.backup.name.startswith("yici-auto-")


def test_restoring_the_offered_backup_sets_the_bad_file_aside(used, tmp_path):
    foreign = os.urandom(32 * 1024)
    (used / "yici.db").write_bytes(foreign)
    with pytest.raises(DatabaseRefused) as refused:
        Store.open(used)

    result = restore(used, refused.value.backup)

    assert result.set_aside is not None and result.set_aside.read_bytes() == foreign
    with Store.open(used) as store:
        assert [b.name for b in store.branches()] == ["红星村党支部"]
    # And a damaged database is set aside the same way.
    damage(used / "yici.db")
    with pytest.raises(DatabaseDamaged) as found:
        Store.open(used)
    again = restore(used, found.value.backup)
    assert again.set_aside is not None and again.previous_backup is None
    with Store.open(used) as store:
        assert len(store.members(store.branches()[0].id)) == 200


def test_a_file_where_the_folder_should_be_and_system_folders_are_refused(tmp_path):
    file = tmp_path / "data.txt"
    file.write_text("not a folder")
    with pytest.raises(DataFolderProblem, match="是一个文件"):
        Store.open(file)
    for system in ("/", "/etc", "/usr/share/yici", "/var"):
        with pytest.raises(DataFolderProblem, match="系统文件夹"):
            Store.open(system)
    assert not os.path.exists("/usr/share/yici") and not os.path.exists("/etc/yici.db")
