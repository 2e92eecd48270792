"""Real processes killed with SIGKILL while they back up and restore: a backup file exists only
once it is complete and verified, and a restore leaves the old database or the new one, never
a mix, a half-written file or a folder that no longer knows its database."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms.store import Store, ensure_daily_backup, list_backups
from forms.store.cipher import sqlite3
from tests.helpers import open_database

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL")

BACKUP_LOOP = r"""
import sys
from forms.store import Store
store = Store.open(sys.argv[1])
print("ready", flush=True)
while True:
    path = store.backup("manual")
    print("made", path, flush=True)
"""

RESTORE_LOOP = r"""
import sys
from forms.recovery import restore
print("ready", flush=True)
while True:
    for source in sys.argv[2:]:
        restore(sys.argv[1], source)
        print("restored", source, flush=True)
"""


def big(data_dir: Path, branch: str, members: int = 40_000) -> None:
    """A data folder of some megabytes, so a copy takes long enough to be killed halfway."""
    with Store.open(data_dir) as store:
        b = store.add_branch(branch)
        with store.transaction():
            store.db.conn.executemany(
                "INSERT INTO members(branch_id, name, role, phone, position) VALUES (?, ?, '党员', '', ?)",
                [(b.id, f"成员{i:06d}" + "名字" * 40, i) for i in range(members)],
            )


def run_and_kill(script: str, args: list[str], delay: float) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert "Traceback" not in err, err
    return [line for line in out.splitlines() if line]


def test_sigkill_during_backups_leaves_only_complete_verified_files(tmp_path):
    data = tmp_path / "data"
    big(data, "红星村党支部")
    rng = random.Random(7)
    reported: set[str] = set()
    for _ in range(6):
        lines = run_and_kill(BACKUP_LOOP, [str(data)], rng.uniform(0.05, 1.0))
        reported |= {line.split(" ", 1)[1] for line in lines if line.startswith("made ")}
        named = {str(b.path) for b in list_backups(data)}
        assert reported <= named  # nothing reported as made is missing
        for backup in list_backups(data):
            conn = open_database(backup.path)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 40_000
            conn.close()  # every named file is complete and sound
    with Store.open(data) as store:  # the database itself is untouched
        assert store.check() == ["ok"] and store.branches()[0].name == "红星村党支部"


def test_sigkill_during_restores_leaves_one_whole_database(tmp_path):
    data, one, two = tmp_path / "data", tmp_path / "one", tmp_path / "two"
    big(data, "原来的支部")
    sources = []
    for folder, name in ((one, "甲"), (two, "乙")):
        big(folder, name)
        with Store.open(folder) as store:
            sources.append(str(store.backup("manual")))
    # The data folder restores them in turn (its identity becomes theirs each time).
    rng = random.Random(11)
    for _ in range(6):
        run_and_kill(RESTORE_LOOP, [str(data), *sources], rng.uniform(0.1, 1.5))
        with Store.open(data) as store:  # never refused: the folder knows what it holds
            assert store.check() == ["ok"]
            assert store.branches()[0].name in ("原来的支部", "甲", "乙")
            assert len(store.members(store.branches()[0].id)) == 40_000
        marker = json.loads((data / "yici-folder.json").read_text(encoding="utf-8"))
        assert marker["damage"] == []
    # What a killed restore left half-written never counts, and is tidied a day later.
    leftovers = [p for p in data.iterdir() if p.name.startswith(".restore-")]
    assert all(p.name.endswith((".tmp", ".tmp-journal")) for p in leftovers)
    for p in leftovers:
        os.utime(p, (time.time() - 2 * 24 * 3600,) * 2)
    with Store.open(data) as store:
        ensure_daily_backup(store)
    assert not [p for p in data.iterdir() if p.name.startswith(".restore-")]
