"""Opening a folder, reading what the window shows and writing need no sqlite-utils (~11 MB
resident with what it imports): it is imported when a schema step is due
(tests/forms/test_upgrade.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from forms.store import Store

ROOT = Path(__file__).resolve().parents[3]


def test_reads_and_writes_leave_sqlite_utils_unloaded(tmp_path):
    store = Store.open(tmp_path)
    branch = store.add_branch("红星村党支部")
    store.set_setting("language", "en")
    store.close()
    code = (
        "import sys\n"
        "from forms.store import Store\n"
        "store = Store.open(sys.argv[1])\n"
        "b = store.branches()[0]\n"
        "print(store.get_setting('language'), b.name, store.branch(b.id).name,\n"
        "      store.records(branch_id=b.id, limit=100), store.count_records(branch_id=b.id, text='会议'),\n"
        "      'sqlite_utils' in sys.modules)\n"
        "store.set_setting('language', 'zh')\n"
        "with store.transaction():\n"
        "    store.add_branch('青山村党支部')\n"
        "print(store.get_setting('language'), len(store.branches()), 'sqlite_utils' in sys.modules)\n"
        "store.close()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"en {branch.name} {branch.name} [] 0 False", "zh 2 False"]
