"""Copies of the open database go through the one atomic write: a finished copy or nothing."""

from __future__ import annotations

import pytest

from forms.store import Store, StoreError, copies
from forms.store.cipher import sqlite3
from tests.helpers import open_database


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        s.add_branch("第一党支部")
        yield s


def test_backup_and_copy_leave_only_the_finished_file(store, tmp_path):
    (tmp_path / "out").mkdir()
    made = store.backup("manual")
    copy = store.copy_to(tmp_path / "out" / "copy.db")
    assert [p.name for p in made.parent.iterdir()] == [made.name]
    assert [p.name for p in copy.parent.iterdir()] == ["copy.db"]
    for path in (made, copy):
        conn = open_database(path, store.data_dir)
        try:
            assert conn.execute("SELECT name FROM branches").fetchall() == [("第一党支部",)]
        finally:
            conn.close()


def test_a_copy_that_fails_halfway_leaves_nothing_behind(store, tmp_path, monkeypatch):
    def half_then_fail(source, partial, *keys):
        partial.write_bytes(b"SQLite format 3\x00 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(copies, "copy_database", half_then_fail)
    (tmp_path / "out").mkdir()
    with pytest.raises(OSError):
        store.copy_to(tmp_path / "out" / "copy.db")
    assert list((tmp_path / "out").iterdir()) == []


def test_a_copy_into_a_folder_that_does_not_exist_is_refused(store, tmp_path):
    with pytest.raises(StoreError, match="文件夹不存在"):
        store.copy_to(tmp_path / "typo" / "copy.db")
    assert not (tmp_path / "typo").exists()
