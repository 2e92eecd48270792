"""What the delivery engine tests share: a real store in tmp_path with a branch, final records
of the built-in 三会一课 form, and a quiet HTTP client for 127.0.0.1.

Import the fixtures by name in a test module (`from tests.sync.engine_setup import ...`);
the in-memory keyring is `memory_keyring` from tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.store import Store
from forms.store.cipher import sqlite3
from sync import secrets as keyring_secrets
from sync.engine import Deliverer
from tests.helpers import open_database
from tests.sync.rest_server import PlatformServer

BRANCH = "红星村党支部"
OTHER_BRANCH = "青山村党支部"
OPERATOR = "张干事"


def meeting(n: int = 1, **changes) -> dict:
    """Values of a valid final 三会一课 record, distinct per `n`."""
    values = {
        "meeting_type": "支部委员会",
        "title": f"第{n}次支部委员会",
        "host": "王建国",
        "topics": f"议题{n}：学习党章",
        "content": f"会议内容{n}：传达上级精神。",
    }
    values.update(changes)
    return values


@dataclass
class Village:
    """A data folder with a store, the record lifecycle and two branches."""

    data_dir: Path
    store: Store
    records: Records
    branch_id: int
    other_branch_id: int

    def final(self, n: int = 1, branch_id: int | None = None, form_id: str = "sanhui-yike", **values):
        record, _ = self.records.new(
            form_id,
            branch_id or self.branch_id,
            meeting(n, **values) if form_id == "sanhui-yike" else values,
            OPERATOR,
            final=True,
        )
        return record

    def correct(self, uuid: str, **changes):
        record = self.store.record(uuid)
        corrected, _ = self.records.correct(uuid, {**record.data, **changes}, OPERATOR)
        return corrected

    def states(self, target_id: int | None = None) -> list[str]:
        return [d.state for d in sorted(self.store.deliveries(target_id=target_id), key=lambda d: d.id)]

    def committed_state(self, delivery_id: int) -> str:
        """The state as another connection sees it (what survives a crash)."""
        conn = open_database(self.store.path)
        try:
            return conn.execute("SELECT state FROM deliveries WHERE id = ?", [delivery_id]).fetchone()[0]
        finally:
            conn.close()


def open_village(data_dir: Path) -> Village:
    store = Store.open(data_dir)
    branches = {b.name: b.id for b in store.branches()}
    branch_id = branches.get(BRANCH) or store.add_branch(BRANCH).id
    other_id = branches.get(OTHER_BRANCH) or store.add_branch(OTHER_BRANCH).id
    return Village(Path(data_dir), store, Records(store, Catalog()), branch_id, other_id)


@pytest.fixture
def village(data_dir):
    v = open_village(data_dir)
    yield v
    v.store.close()


@pytest.fixture
def loopback_http(http):
    """The quiet client for 127.0.0.1: the `http` fixture of tests/sync/conftest.py."""
    return http


@pytest.fixture
def platform():
    with PlatformServer() as server:
        yield server


def rest_target(
    village: Village, server: PlatformServer, name: str = "党建平台", *, secret: bool = True, **options
):
    """A REST target on the test platform with bearer auth (token in the keyring)."""
    opts = {
        "auth": "bearer",
        "success_path": "code",
        "success_value": "0",
        "remote_id_path": "data.id",
        "update_url": f"{server.url}/api/records/{{remote_id}}",
    }
    opts.update({k: str(v) for k, v in options.items()})
    target = village.store.add_target(name, "rest", url=f"{server.url}/api/records", options=opts)
    if secret:
        keyring_secrets.set_secret(village.store, target, "token", server.token)
    return target


def robot_target(
    village: Village, kind: str, server, name: str | None = None, *, sign_secret: str | None = None, **options
):
    target = village.store.add_target(
        name or f"{kind}群", kind, options={k: str(v) for k, v in options.items()}
    )
    keyring_secrets.set_secret(village.store, target, "webhook", server.webhook)
    if sign_secret:
        keyring_secrets.set_secret(village.store, target, "sign_secret", sign_secret)
    return target


def deliverer(village: Village, http, **kwargs) -> Deliverer:
    return Deliverer(village.store, http=http, **kwargs)


def drain(d: Deliverer, *, rounds: int = 200, pause: float = 0.05, manual: bool = True):
    """Run until nothing is pending, sleeping while everything left waits (Retry-After)."""
    summary = None
    for _ in range(rounds):
        summary = d.run(manual=manual)
        if not summary.pending:
            return summary
        if not summary.delivered:
            import time

            time.sleep(pause)
    raise AssertionError(f"still pending after {rounds} runs: {summary}")
