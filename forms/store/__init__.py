"""The local store (DESIGN §6): one SQLite file in the data folder, the only place with SQL.

Every write is one short transaction with one audit row; nothing final is ever deleted. SQLite's
errors reach callers as `StoreError` subclasses with a Chinese message saying what to do.
One module per concern, each adding its methods to `Store`:

    connection     opening, pragmas, schema steps (after a backup), the one-writer lock
    errors         StoreError and its kinds; SQLite error -> the store's message
    times          the clock every stored time comes from
    rows           the dataclasses handed out (Record, Branch, Target, Delivery, ...)
    states         delivery states (one StrEnum) and a try's `DeliveryOutcome`
    settings, form_versions, branches, records, search, attachments, audit
    targets        platforms, the secrets policy on their settings, queueing deliveries
    sending        the delivery engine's side; deliveries: lists and a person's decisions
    copies         backups and copies of the open file; backups: listing and restoring them
    merge          taking in another laptop's rows (handover import)
"""

from __future__ import annotations

from forms.secrecy import url_secret_keys
from forms.store.attachments import attachment_file
from forms.store.backups import (
    AUTO_LABEL,
    DEFAULT_KEEP_DAYS,
    KEEP_SETTING,
    BackupInfo,
    DatabaseSummary,
    RestoreRefused,
    RestoreResult,
    backup_folder,
    database_in_use,
    ensure_daily_backup,
    inspect_database,
    list_backups,
    manual_backup,
    restore,
)
from forms.store.branches import ROLES, RosterPlan
from forms.store.connection import BACKUP_FOLDER, BUSY_TIMEOUT_MS, DB_NAME
from forms.store.core import Store
from forms.store.deliveries import NeverSent, never_sent
from forms.store.errors import (
    NewerSchema,
    NotAllowed,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
)
from forms.store.records import EDIT_AUDIT_WINDOW_SECONDS, STATUSES
from forms.store.rows import (
    Attachment,
    AuditEntry,
    Branch,
    Delivery,
    Member,
    Record,
    Revision,
    SourceRow,
    Target,
    where_equal,
)
from forms.store.states import (
    AWAITING_UPLOAD,
    CANCELLED,
    DELIVERED,
    DELIVERY_STATES,
    FAILED,
    PENDING,
    SENDING,
    STATE_TITLES,
    SUPERSEDED,
    UNCERTAIN,
    UNCERTAIN_MESSAGE,
    DeliveryOutcome,
    DeliveryState,
)
from forms.store.targets import secret_problems
from forms.store.times import timestamp
from forms.target_kinds import TargetConfig

__all__ = [
    "Attachment",
    "attachment_file",
    "AuditEntry",
    "AUTO_LABEL",
    "AWAITING_UPLOAD",
    "BACKUP_FOLDER",
    "backup_folder",
    "BackupInfo",
    "Branch",
    "BUSY_TIMEOUT_MS",
    "CANCELLED",
    "database_in_use",
    "DatabaseSummary",
    "DB_NAME",
    "DEFAULT_KEEP_DAYS",
    "DELIVERED",
    "Delivery",
    "DELIVERY_STATES",
    "DeliveryOutcome",
    "DeliveryState",
    "EDIT_AUDIT_WINDOW_SECONDS",
    "ensure_daily_backup",
    "FAILED",
    "inspect_database",
    "KEEP_SETTING",
    "list_backups",
    "manual_backup",
    "Member",
    "never_sent",
    "NeverSent",
    "NewerSchema",
    "NotAllowed",
    "NotFound",
    "PENDING",
    "Record",
    "restore",
    "RestoreRefused",
    "RestoreResult",
    "Revision",
    "ROLES",
    "RosterPlan",
    "secret_problems",
    "SENDING",
    "SourceRow",
    "STATE_TITLES",
    "STATUSES",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreFull",
    "StoreLocked",
    "SUPERSEDED",
    "Target",
    "TargetConfig",
    "timestamp",
    "UNCERTAIN",
    "UNCERTAIN_MESSAGE",
    "url_secret_keys",
    "where_equal",
]
