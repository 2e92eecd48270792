"""Where the backup functions used to live; they are in forms/store/backups.py now.

Kept only so the desktop and command-line code that imports `forms.backups` goes on working
while it moves to `forms.store`; import from `forms.store` in new code.
"""
from __future__ import annotations

from forms.store.backups import (AUTO_LABEL, BACKUP_FOLDER, DEFAULT_KEEP_DAYS, KEEP_SETTING,
                                 KIND_TITLES, BackupInfo, DatabaseSummary, RestoreRefused,
                                 RestoreResult, backup_folder, database_in_use,
                                 ensure_daily_backup, inspect_database, list_backups,
                                 manual_backup, restore)

__all__ = ["AUTO_LABEL", "BACKUP_FOLDER", "DEFAULT_KEEP_DAYS", "KEEP_SETTING", "KIND_TITLES",
           "BackupInfo", "DatabaseSummary", "RestoreRefused", "RestoreResult", "backup_folder",
           "database_in_use", "ensure_daily_backup", "inspect_database", "list_backups",
           "manual_backup", "restore"]
