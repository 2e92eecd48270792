"""Rolling daily backups, manual backups, and restoring one safely."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forms.migrations import MIGRATION_SET
from forms.store import (
    BackupInfo,
    NewerSchema,
    RestoreRefused,
    Store,
    database_in_use,
    ensure_daily_backup,
    inspect_database,
    keys,
    list_backups,
    manual_backup,
    restore,
)
from forms.store import times as store_times
from forms.store.backup_files import rotation_leftovers
from forms.store.cipher import sqlite3
from tests.helpers import open_database

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def day(monkeypatch):
    """Move the store's clock: `day(2026, 11, 5)` makes it that day at 09:00."""

    def set_day(*ymd, hour=9):
        moment = dt.datetime(*ymd, hour, 0, 0).astimezone()
        monkeypatch.setattr(store_times, "clock", lambda: moment)

    return set_day


def branch_names(data_dir) -> list[str]:
    with Store.open(data_dir) as store:
        return [b.name for b in store.branches()]


def test_one_automatic_backup_per_day(data_dir, day):
    store = Store.open(data_dir)
    day(2026, 11, 5)
    first = ensure_daily_backup(store)
    assert first is not None and first.parent == data_dir / "backups"
    day(2026, 11, 5, hour=17)
    assert ensure_daily_backup(store) is None  # same day: nothing new
    day(2026, 11, 6)
    assert ensure_daily_backup(store) is not None
    assert [b.kind for b in list_backups(data_dir)] == ["auto", "auto"]
    store.close()


def test_old_automatic_backups_are_rotated_but_never_manual_or_pre_migration(data_dir, day):
    store = Store.open(data_dir)
    day(2026, 10, 1)
    manual = manual_backup(store)
    premigration = data_dir / "backups" / "yici-before-m002_records-20250101-080000.db"
    premigration.write_bytes(manual.read_bytes())
    for d in range(1, 21):
        day(2026, 10, d)
        ensure_daily_backup(store, keep_days=14)
    autos = [b for b in list_backups(data_dir) if b.kind == "auto"]
    # The last 14 days, plus the newest of the week before them (Sunday 4 October).
    assert [b.day.day for b in autos] == list(range(20, 6, -1)) + [4]
    assert manual.exists() and premigration.exists()
    store.close()


def test_keep_days_comes_from_the_setting(data_dir, day):
    store = Store.open(data_dir)
    store.set_setting("backup_keep_days", 3)
    for d in range(1, 8):
        day(2026, 10, d)
        ensure_daily_backup(store)
    # Three days (5-7 October), and Sunday 4 October for the week before.
    assert [b.day.day for b in list_backups(data_dir) if b.kind == "auto"] == [7, 6, 5, 4]
    store.close()


def _autos(first: dt.date, days: int) -> list[BackupInfo]:
    return [
        BackupInfo(Path(f"yici-auto-{d:%Y%m%d}-090000.db"), "auto", f"{d:%Y-%m-%d} 09:00:00", 1)
        for d in (first + dt.timedelta(days=n) for n in range(days))
    ]


def test_rotation_keeps_14_days_8_weeks_and_12_months():
    autos = _autos(dt.date(2025, 1, 1), 500)  # a daily copy for 500 days
    gone = {b.path for b in rotation_leftovers(autos)}
    days = sorted((b.day for b in autos if b.path not in gone), reverse=True)
    newest = days[0]
    assert days[:14] == [newest - dt.timedelta(days=n) for n in range(14)]
    assert len({d.isocalendar()[:2] for d in days}) >= 8
    assert len({(d.year, d.month) for d in days}) == 12
    assert len(days) <= 14 + 8 + 12
    # The newest copy of each of the last 12 months: damage noticed late can be undone from
    # before it began, up to most of a year back.
    assert min(days) == dt.date(2025, 6, 30) and newest == dt.date(2026, 5, 15)


def test_rotation_never_deletes_the_newest_and_keeps_gaps_alive():
    one = _autos(dt.date(2026, 3, 1), 1)
    assert rotation_leftovers(one, daily=1, weekly=0, monthly=0) == []
    # Backups stopped for months (the laptop was in a drawer): the old ones are all still kept
    # as the newest of their days.
    sparse = _autos(dt.date(2025, 1, 1), 3) + _autos(dt.date(2026, 6, 1), 2)
    assert rotation_leftovers(sparse) == []


def test_backup_holds_the_data_and_restore_brings_it_back(data_dir, tmp_path):
    store = Store.open(data_dir)
    store.add_branch("红星村党支部")
    saved = manual_backup(store, tmp_path / "copy.db")
    assert saved == tmp_path / "copy.db"
    assert inspect_database(saved, keys.unlocked(data_dir)).branches == 1
    store.add_branch("错误添加的支部")
    store.close()

    result = restore(data_dir, saved)

    assert branch_names(data_dir) == ["红星村党支部"]
    assert result.contents.branches == 1
    # What was replaced was backed up first, and can itself be restored.
    assert result.previous_backup is not None and result.previous_backup.exists()
    restore(data_dir, result.previous_backup)
    assert branch_names(data_dir) == ["红星村党支部", "错误添加的支部"]


def test_restore_removes_stale_wal_files(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        store.add_branch("甲")
        saved = manual_backup(store, tmp_path / "copy.db")
    wal = data_dir / "yici.db-wal"
    wal.write_bytes(b"left over from a crash")
    restore(data_dir, saved)
    assert not wal.exists() or wal.read_bytes() != b"left over from a crash"
    assert branch_names(data_dir) == ["甲"]


def test_restore_refuses_what_is_not_a_yici_database(data_dir, tmp_path):
    Store.open(data_dir).close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(RestoreRefused, match="不是一次的数据库"):
        restore(data_dir, junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes(x)")
    conn.commit()
    conn.close()
    with pytest.raises(RestoreRefused, match="不是一次的数据库"):
        restore(data_dir, other)
    with pytest.raises(RestoreRefused, match="找不到"):
        restore(data_dir, tmp_path / "missing.db")
    assert not list_backups(data_dir)  # refused before touching anything


def test_restore_refuses_a_backup_from_a_newer_yici(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        newer = manual_backup(store, tmp_path / "newer.db")
    conn = open_database(newer, data_dir)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_from_the_future', '2030-01-01')",
        [MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchema, match="更新版本"):
        restore(data_dir, newer)


def test_restore_refuses_while_another_process_has_the_data_open(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        store.add_branch("甲")
        saved = manual_backup(store, tmp_path / "copy.db")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(REPO)!r})
            from forms.store import Store
            s = Store.open({str(data_dir)!r}); s.branches()
            print("open", flush=True); time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        assert database_in_use(data_dir / "yici.db", keys.unlocked(data_dir))
        with pytest.raises(RestoreRefused, match="正在被使用"):
            restore(data_dir, saved)
    finally:
        holder.kill()
        holder.wait()
    assert not database_in_use(data_dir / "yici.db", keys.unlocked(data_dir))
    restore(data_dir, saved)
