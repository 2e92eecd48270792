"""Getting a data folder's database back from a backup, checked like typed input.

The file must be a sound Yici database (forms/store/restoring.py: the integrity check, exactly
the schema its steps make, no broken links, no gaps in revision histories), and every record in
it must pass the form engine (forms/record_checks.py) before anything here is replaced. A refusal
says what is wrong and changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from forms.i18n import tr
from forms.record_checks import record_problems
from forms.store import DB_NAME, RestoreRefused, RestoreResult, Store
from forms.store import restore as restore_file
from forms.store.connection import copy_database
from forms.store.keys import adopt
from forms.store.verify import connect_readonly


def restore(data_dir: str | Path, source: str | Path, recovery_key: str | None = None) -> RestoreResult:
    """Replace the data folder's database with the backup `source` once it passed every check
    (see the module docstring); what it replaces is backed up or set aside first. `recovery_key`:
    that of the folder a backup copied elsewhere came from (forms/store/restoring.py)."""
    return restore_file(data_dir, source, check=check_records, recovery_key=recovery_key)


def check_records(source: Path, key: bytes | None) -> None:
    """Raise RestoreRefused when a record in the database file `source` (encrypted with `key`, or
    plain from before encryption) could not have been typed here (checked on an encrypted copy,
    brought up to date there if it is older)."""
    with tempfile.TemporaryDirectory(prefix="yici-check-") as work:
        copy = Path(work) / DB_NAME
        work_key = key or os.urandom(32)
        conn = connect_readonly(Path(source), key)
        try:
            copy_database(conn, copy, work_key, key)
        finally:
            conn.close()
        adopt(Path(work), work_key)
        with Store.open(work) as store:
            problems = record_problems(store)
    if problems:
        raise RestoreRefused(
            tr("不能从这个文件恢复：其中的记录没有通过检查（像录入时一样按表单检查）：{source}。\n").format(
                source=source
            )
            + "\n".join(f"  - {p}" for p in problems)
            + tr(
                "\n请换一个备份文件；数据没有任何改动。 / The records in this file do not pass the form "
                "checks; nothing was changed."
            )
        )
