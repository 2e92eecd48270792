"""Making backups of the open database: one automatic copy a day (rotated), manual ones, and the
check the window runs at start.

Every copy is verified before it counts (forms/store/copies.py), so a damaged database raises
DatabaseDamaged instead of being copied, and rotation runs only after a good copy was made:
copies older than any damage are never rotated out by damaged ones. Rotation keeps the newest
automatic copy of each of the last 14 days (setting `backup_keep_days`), 8 weeks and 12 months,
and never the last one. Only automatic copies are ever deleted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from forms.store.backup_files import AUTO_LABEL, backup_folder, list_backups, rotation_leftovers
from forms.store.copies import folder_must_exist
from forms.store.core import Store
from forms.store.key_file import write_side_key_file
from forms.store.times import file_stamp

KEEP_SETTING = "backup_keep_days"
DEFAULT_KEEP_DAYS = 14


def ensure_daily_backup(store: Store, keep_days: int | None = None) -> Path | None:
    """Make today's automatic backup unless there is one, then rotate the automatic ones (the
    daily part keeps `keep_days`, default: setting `backup_keep_days`, else 14). Returns the new
    file, or None. Raises DatabaseDamaged, deleting nothing, when the database is damaged."""
    if keep_days is None:
        try:
            keep_days = int(store.get_setting(KEEP_SETTING, DEFAULT_KEEP_DAYS))
        except (TypeError, ValueError):
            keep_days = DEFAULT_KEEP_DAYS
    keep_days = max(1, keep_days)
    today = file_stamp()[:8]
    autos = [b for b in list_backups(store.data_dir) if b.kind == "auto"]
    made = None
    if not any(b.path.name.startswith(f"yici-{AUTO_LABEL}-{today}-") for b in autos):
        made = store.backup(AUTO_LABEL)  # verified, or DatabaseDamaged: then nothing is rotated
        autos = [b for b in list_backups(store.data_dir) if b.kind == "auto"]
    for old in rotation_leftovers(autos, daily=keep_days):
        old.path.unlink(missing_ok=True)
    tidy_leftovers(store.data_dir)
    return made


# Half-written copies a killed process left behind (forms/atomic.py names them ".<what>-….tmp").
# They never count as a database or a backup; a day later no process is still writing them.
_LEFTOVERS = (".backup-*.tmp*", ".restore-*.tmp*", ".copy-*.tmp*")
LEFTOVER_AGE_SECONDS = 24 * 3600


def tidy_leftovers(data_dir: Path) -> None:
    """Delete half-written copies older than a day from the data folder and its backups."""
    now = time.time()
    for folder in (data_dir, backup_folder(data_dir)):
        for pattern in _LEFTOVERS:
            for path in folder.glob(pattern) if folder.is_dir() else ():
                try:
                    if now - path.stat().st_mtime > LEFTOVER_AGE_SECONDS:
                        path.unlink()
                except OSError:
                    pass  # gone meanwhile, or not ours to delete


def check_and_back_up(store: Store) -> Path | None:
    """What the window does at start, beside it: the quick check (about 0.3 s at 100,000
    records; damage raises DatabaseDamaged), then today's backup."""
    store.quick_check()
    return ensure_daily_backup(store)


def manual_backup(store: Store, to: str | Path | None = None) -> Path:
    """A backup made by a person: into the backups folder, or to the file (or into the existing
    folder) `to`, with `<file>.key.json` beside it. A folder that does not exist is refused,
    never created."""
    if to is None:
        return store.backup("manual")
    named_a_folder = str(to).endswith(("/", os.sep))
    target = Path(to).expanduser()
    if target.is_dir():
        target = target / f"yici-manual-{file_stamp()}.db"
    elif named_a_folder:
        folder_must_exist(target / "x")
    copied = store.copy_to(target)
    # Beside the copy, the folder's wrapped keys: on another laptop, it is restored with them and
    # the recovery key (the key file holds no key, only wrapped copies and a check value).
    write_side_key_file(store.data_dir, copied)
    return copied
