"""What the store hands out: one dataclass per kind of row, and how rows are read into them.

The column lists here are the only place that says which columns make each object, so a
SELECT and the dataclass it fills cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from forms.store.cipher import sqlite3
from forms.store.states import DeliveryState
from forms.target_kinds import TargetConfig


@dataclass
class Branch:
    """A party branch (党支部); `cadence` holds per-branch overrides of form cadences."""

    id: int
    name: str
    code: str | None
    secretary: str | None
    cadence: dict = field(default_factory=dict)
    hub_uid: str | None = None  # the branch's uid on the township hub, once this laptop joined one
    latitude: float | None = None  # where the village is (decimal degrees), when someone said
    longitude: float | None = None


@dataclass
class Member:
    """One person on a branch roster; `position` is the roster order."""

    id: int
    branch_id: int
    name: str
    role: str
    phone: str | None
    position: int


@dataclass
class Record:
    """One entered record; `revision` is 0 while a draft, 1 once final, +1 per correction."""

    uuid: str
    form_id: str
    form_version: int
    branch_id: int
    status: str
    data: dict
    revision: int
    operator: str
    occurred_on: str | None
    summary: str
    created_at: str
    updated_at: str
    finalized_at: str | None
    void_reason: str | None
    void_at: str | None = None


@dataclass
class Revision:
    """A final revision of a record, kept forever."""

    uuid: str
    revision: int
    status: str
    data: dict
    operator: str
    saved_at: str
    note: str


@dataclass
class AuditEntry:
    """One line of the append-only audit: who did what to which record, when."""

    id: int
    at: str
    operator: str
    action: str
    record_uuid: str | None
    revision: int | None
    detail: dict


@dataclass
class Attachment:
    """A file attached to a record, stored once under its SHA-256."""

    sha256: str
    name: str
    size: int
    record_uuid: str


@dataclass
class Target:
    """A configured platform; its secrets live in the OS keyring, never here."""

    id: int
    name: str
    kind: str
    url: str | None
    forms: list[str]
    branches: list[str]
    template: str | None
    options: dict[str, str]
    enabled: bool
    attention: str | None  # why the target is stopped (needs attention), or None
    created_at: str
    updated_at: str
    uid: str = ""  # never reused; names its keyring entries (with the data folder's id)
    # "scheme://host:port" (space-separated when several) its secrets were entered for; None
    # until a person enters one. Not secret: it says where the secrets may go.
    secret_origin: str | None = None

    def config(self) -> TargetConfig:
        """The `TargetConfig` the delivery code works with (a copy: changing it changes nothing)."""
        return TargetConfig(
            id=self.id,
            name=self.name,
            kind=self.kind,
            url=self.url,
            forms=list(self.forms),
            branches=list(self.branches),
            template=self.template,
            options=dict(self.options),
            enabled=self.enabled,
            uid=self.uid,
        )

    def matches(self, form_id: str, branch_name: str) -> bool:
        """Does a record of this form for this branch go to this target?"""
        return in_scope(self.forms, self.branches, form_id, branch_name)


def in_scope(forms: list[str], branches: list[str], form_id: str, branch_name: str) -> bool:
    """Is a record of this form for this branch within a target's scope (empty lists: all)?"""
    return (not forms or form_id in forms) and (not branches or branch_name in branches)


@dataclass
class Delivery:
    """One record revision on its way to one target."""

    id: int
    record_uuid: str
    revision: int
    target_id: int
    target_name: str
    state: DeliveryState  # (plain text if written by a newer Yici)
    attempts: int
    next_attempt_at: float | None  # automatic retries wait until then (backoff)
    not_before: float | None  # nobody sends before then (Retry-After, rate limits)
    message: str  # the platform's last answer, secrets removed
    remote_id: str | None
    payload: str  # what was last sent, secrets removed
    queued_at: str
    sent_at: str | None  # when `sending` was last written
    delivered_at: str | None
    updated_at: str
    extra: dict = field(default_factory=dict)


@dataclass
class SourceRow:
    """A delivery's record revision as the engine builds the request from it."""

    form_id: str
    form_version: int
    branch: str
    operator: str
    status: str
    data: dict
    remote_id: str | None


RECORD_COLUMNS = (
    "uuid, form_id, form_version, branch_id, status, data, revision, operator, "
    "occurred_on, summary, created_at, updated_at, finalized_at, void_reason, void_at"
)
BRANCH_COLUMNS = "id, name, code, secretary, cadence, hub_uid, latitude, longitude"
MEMBER_COLUMNS = "id, branch_id, name, role, phone, position"
TARGET_COLUMNS = (
    "id, name, kind, url, forms, branches, template, options, enabled, attention, created_at, updated_at, "
    "uid, secret_origin"
)
DELIVERY_COLUMNS = (
    "d.id, d.record_uuid, d.revision, d.target_id, t.name, d.state, d.attempts, "
    "d.next_attempt_at, d.not_before, d.message, d.remote_id, d.payload, "
    "d.queued_at, d.sent_at, d.delivered_at, d.updated_at"
)


_KNOWN_STATES = frozenset(DeliveryState)


def dumps(value: Any) -> str:
    """JSON as the store keeps it: compact, Chinese kept as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_from(row: tuple) -> Record:
    """A Record from a row of RECORD_COLUMNS."""
    values = list(row)
    values[5] = json.loads(values[5])  # data
    return Record(*values)


def branch_from(row: tuple) -> Branch:
    """A Branch from a row of BRANCH_COLUMNS."""
    return Branch(row[0], row[1], row[2], row[3], json.loads(row[4] or "{}"), row[5], row[6], row[7])


def target_from(row: tuple) -> Target:
    """A Target from a row of TARGET_COLUMNS."""
    return Target(
        row[0],
        row[1],
        row[2],
        row[3],
        json.loads(row[4]),
        json.loads(row[5]),
        row[6],
        json.loads(row[7]),
        bool(row[8]),
        row[9],
        row[10],
        row[11],
        row[12] or "",
        row[13],
    )


def delivery_from(row: tuple) -> Delivery:
    """A Delivery from a row of DELIVERY_COLUMNS."""
    values = list(row)
    # A state this version does not know (written by a newer Yici) stays plain text rather
    # than making the whole row unreadable; it still compares and prints as before.
    if values[5] in _KNOWN_STATES:
        values[5] = DeliveryState(values[5])
    return Delivery(*values)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id SQLite gave the row an INSERT just added."""
    # sqlite3 types lastrowid as optional for other statements; after an INSERT it is set.
    if cursor.lastrowid is None:
        raise RuntimeError("an INSERT left no row id")
    return cursor.lastrowid


def where_equal(columns: dict[str, Any]) -> tuple[list[str], list]:
    """`column = ?` conditions, and their arguments, for the columns whose value is not None."""
    given = {column: value for column, value in columns.items() if value is not None}
    return [f"{column} = ?" for column in given], list(given.values())
