"""Every public store method turns SQLite's errors into StoreErrors with a Chinese message,
the target and delivery methods included (they once skipped that)."""

from __future__ import annotations

import inspect

import pytest

from forms.model import Form
from forms.store import DELIVERED, DeliveryOutcome, NotAllowed, Store, StoreError, StoreLocked
from forms.store.cipher import sqlite3
from forms.store.core import Store as CoreStore
from tests.helpers import open_database

FORM = Form(id="sanhui-yike", version=1, title="三会一课", fields=(), source="id: sanhui-yike\n")

# Public methods that need no guard, and why: opening and closing manage the connection itself;
# `backup` and `quick_check` read through a connection of their own (translating errors
# themselves) so they never wait for the store's lock; `attachment_path` touches no database;
# `transaction` takes the lock and translates errors around the calls it groups.
UNGUARDED = {
    "open",
    "close",
    "backup",
    "quick_check",
    "attachment_path",
    "attachment_bytes",
    "attachment_copy",
    "transaction",
}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


@pytest.fixture
def queued(store):
    """A store with a branch, a REST target and one final record queued for it."""
    branch = store.add_branch("第一党支部")
    target = store.add_target("县平台", "rest", url="https://county.example/api")
    record = store.create_record(FORM, branch.id, {}, "张干事", status="final")
    delivery = store.deliveries(record_uuid=record.uuid)[0]
    return store, target, record, delivery


def test_every_public_method_is_guarded():
    public = {
        name: member
        for name, member in inspect.getmembers(CoreStore)
        if not name.startswith("_")
        and callable(member)
        and getattr(member, "__module__", "").startswith("forms.store")
    }
    unguarded = sorted(
        name
        for name, member in public.items()
        if name not in UNGUARDED and not hasattr(member, "__wrapped__")
    )
    assert "record_attempts" in public and "due_deliveries" in public
    assert unguarded == []


def _chinese(exc: BaseException) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))


def test_delivery_and_target_writes_on_a_read_only_database_say_so_in_chinese(queued):
    store, target, record, delivery = queued
    # Every write transaction now fails as it does on a read-only file or a write-protected stick.
    store.db.execute("PRAGMA query_only = ON")
    steps = [
        lambda: store.mark_sending([delivery.id]),
        lambda: store.record_attempts([DeliveryOutcome(delivery.id, DELIVERED, "ok")]),
        lambda: store.hold_target(target.id, not_before=1.0),
        lambda: store.recover_interrupted({"rest"}),
        lambda: store.set_target_attention(target.id, "停一下"),
        lambda: store.update_target(target.id, enabled=False),
        lambda: store.add_target("钉钉群", "dingtalk"),
        lambda: store.remove_target(target.id, "张干事"),
        lambda: store.queue_existing(target.id),
        lambda: store.resend(delivery.id, "张干事"),
        lambda: store.mark_delivered(delivery.id, "张干事"),
        lambda: store.confirm_upload(target.id, [f"{record.uuid}:1:{target.id}"], "张干事"),
    ]
    for step in steps:
        with pytest.raises(StoreError) as caught:
            step()
        assert "只读" in str(caught.value) and _chinese(caught.value)
        assert not isinstance(caught.value, NotAllowed)


def test_a_locked_database_makes_mark_sending_say_wait_and_retry(queued):
    store, target, record, delivery = queued
    store.db.execute("PRAGMA busy_timeout = 50")  # don't wait five seconds in a test
    other = open_database(store.path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(StoreLocked, match="数据库被占用"):
            store.mark_sending([delivery.id])
        with pytest.raises(StoreLocked, match="数据库被占用"):
            store.set_target_attention(target.id, None)
    finally:
        other.rollback()
        other.close()
    assert store.mark_sending([delivery.id]) == [delivery.id]  # works once the lock is gone


class _Broken:
    """A connection whose every statement fails as SQLite fails on a damaged or busy file."""

    def __init__(self, real, error: sqlite3.Error):
        self.real, self.error = real, error
        self.conn = real.conn

    def execute(self, *args, **kwargs):
        raise self.error


@pytest.mark.parametrize(
    "error, kind",
    [
        (sqlite3.OperationalError("database is locked"), StoreLocked),
        (sqlite3.DatabaseError("database disk image is malformed"), StoreError),
    ],
)
def test_delivery_and_target_reads_translate_sqlite_errors(queued, error, kind):
    store, target, record, delivery = queued
    real, store.db = store.db, _Broken(store.db, error)
    try:
        reads = [
            lambda: store.targets(),
            lambda: store.target(target.name),
            lambda: store.deliveries(),
            lambda: store.delivery(delivery.id),
            lambda: store.delivery_counts(),
            lambda: store.pending_count(),
            lambda: store.remote_id(record.uuid, target.id),
            lambda: store.due_deliveries(target.id, now=9e9, manual=True, tried_before=9e9),
            lambda: store.next_due_at(target.id, manual=True),
            lambda: store.delivery_sources([delivery.id]),
            lambda: store.attempt_times(target.id, since=0),
            lambda: store.revision_data(record.uuid, 1),
        ]
        for read in reads:
            with pytest.raises(kind) as caught:
                read()
            assert _chinese(caught.value) and isinstance(caught.value.__cause__, sqlite3.Error)
    finally:
        store.db = real


def test_a_programming_error_in_sql_is_not_dressed_up(store):
    """Errors users cannot act on (a bug: no such table) stay sqlite errors, with a traceback."""
    real, store.db = store.db, _Broken(store.db, sqlite3.OperationalError("no such table: nope"))
    try:
        with pytest.raises(sqlite3.OperationalError):
            store.targets()
    finally:
        store.db = real
