"""What the laptop-side hub tests share: a laptop (a real Store in its own data folder, the record
lifecycle, a branch) joined to the real hub of tests/hub/conftest.py, and its sync run in-process.

Import by name: `from tests.hub.laptop import Laptop, laptop_at, ...`. Tests that run `yici` in a
subprocess use the file keyring of tests/desktop/file_keyring.py instead of the memory one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.store import Store
from sync.engine import Deliverer
from sync.http import Http
from sync.hub_join import Joined, join
from tests.hub.conftest import Hub, enrolled, sql
from tests.sync.engine_setup import BRANCH, OPERATOR, meeting


@dataclass
class Laptop:
    """One laptop's data folder, open."""

    data_dir: Path
    store: Store
    records: Records
    http: Http

    def branch_id(self, name: str = BRANCH) -> int:
        found = self.store.find_branch(name)
        assert found is not None, name
        return found.id

    def final(self, n: int = 1, branch: str = BRANCH, **changes):
        record, _ = self.records.new(
            "sanhui-yike", self.branch_id(branch), meeting(n, **changes), OPERATOR, final=True
        )
        return record

    def correct(self, uuid: str, **changes):
        record = self.store.record(uuid)
        corrected, _ = self.records.correct(uuid, {**record.data, **changes}, OPERATOR)
        return corrected

    def join(self, hub: Hub, name: str, branches: tuple[str, ...] = (BRANCH,)) -> Joined:
        code = enrolled(hub.database, name, list(branches))
        return join(self.store, hub.url, code, device_name=name, http=self.http, operator=OPERATOR)

    def sync(self):
        return Deliverer(self.store, http=self.http).run(manual=True)

    def hub_delivery_states(self) -> list[tuple[int, str]]:
        target = self.store.hub_target()
        assert target is not None
        return sorted((d.revision, str(d.state)) for d in self.store.deliveries(target_id=target.id))

    def close(self) -> None:
        self.http.close()
        self.store.close()


def laptop_at(data_dir: Path, branches: tuple[str, ...] = (BRANCH,)) -> Laptop:
    """A laptop with these branches (none joined yet)."""
    store = Store.open(data_dir)
    for name in branches:
        if store.find_branch(name) is None:
            store.add_branch(name)
    return Laptop(data_dir, store, Records(store, Catalog(data_dir)), Http(timeout=(5.0, 30.0)))


def hub_count(hub: Hub, table: str, where: str = "TRUE", params: tuple = ()) -> int:
    """Rows in one of the hub's tables (counted in PostgreSQL)."""
    return int(sql(hub.database, f"SELECT count(*) FROM {table} WHERE {where}", params)[0][0])


__all__ = ["BRANCH", "OPERATOR", "Laptop", "hub_count", "laptop_at", "meeting"]
