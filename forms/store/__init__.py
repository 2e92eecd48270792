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
    verify         whether a file is a sound Yici database, and whose
    marker         the data folder's memory of its database: never replaced silently
    copies         verified copies of the open file, the quick check; backup_files: which backups
                   there are, rotation, the newest sound one; backups: making them;
                   restoring: putting one back
    merge          taking in another laptop's rows (handover import)
    hub_branches, hub_revisions, hub_conflicts
                   the township hub: branches by their hub uid, a revision in the hub's shape
                   and its number there, conflicts a person resolves
"""

from __future__ import annotations

from forms.secrecy import url_secret_keys
from forms.store.attachments import attachment_file
from forms.store.backup_files import (
    AUTO_LABEL,
    BACKUP_FOLDER,
    KIND_TITLES,
    BackupInfo,
    backup_folder,
    list_backups,
    newest_sound_backup,
)
from forms.store.backups import (
    DEFAULT_KEEP_DAYS,
    KEEP_SETTING,
    check_and_back_up,
    ensure_daily_backup,
    manual_backup,
)
from forms.store.branches import ROLES, RosterPlan
from forms.store.browser_entries import Proof
from forms.store.connection import BUSY_TIMEOUT_MS, DB_NAME
from forms.store.core import Store
from forms.store.deliveries import NeverSent, never_sent
from forms.store.errors import (
    BadDatabaseFile,
    DamagedFile,
    DatabaseDamaged,
    DatabaseRefused,
    DataFolderProblem,
    NewerSchema,
    NotAllowed,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
)
from forms.store.hub_conflicts import KEEPS, HubConflict
from forms.store.hub_revisions import HUB_KIND, hub_numbers
from forms.store.marker import require_existing_data
from forms.store.photo_facts import SAME_PICTURE_BITS, PhotoUse
from forms.store.records import EDIT_AUDIT_WINDOW_SECONDS, STATUSES
from forms.store.restoring import (
    DatabaseSummary,
    RestoreRefused,
    RestoreResult,
    database_in_use,
    inspect_database,
    restore,
)
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
    AWAITING_ENTRY,
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
from forms.store.target_guards import secret_problems
from forms.store.times import timestamp
from forms.target_kinds import TargetConfig

__all__ = [
    "PhotoUse",
    "SAME_PICTURE_BITS",
    "Proof",
    "Attachment",
    "attachment_file",
    "AuditEntry",
    "AUTO_LABEL",
    "AWAITING_ENTRY",
    "AWAITING_UPLOAD",
    "BACKUP_FOLDER",
    "BadDatabaseFile",
    "backup_folder",
    "BackupInfo",
    "Branch",
    "HUB_KIND",
    "HubConflict",
    "hub_numbers",
    "KEEPS",
    "BUSY_TIMEOUT_MS",
    "CANCELLED",
    "check_and_back_up",
    "DamagedFile",
    "database_in_use",
    "DatabaseDamaged",
    "DatabaseRefused",
    "DatabaseSummary",
    "DataFolderProblem",
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
    "KIND_TITLES",
    "list_backups",
    "manual_backup",
    "Member",
    "never_sent",
    "NeverSent",
    "newest_sound_backup",
    "NewerSchema",
    "NotAllowed",
    "NotFound",
    "PENDING",
    "Record",
    "require_existing_data",
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
