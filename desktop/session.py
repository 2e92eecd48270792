"""The open data folder as the desktop sees it: store, form catalog, record steps, operator.

One `Session` lives for the life of the window. Database work runs on the main thread: local
SQLite writes take milliseconds and keeping one writer avoids locking surprises.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.store import Store


@dataclass
class Session:
    """Everything a window needs to read and write records."""

    data_dir: Path
    store: Store
    catalog: Catalog
    records: Records

    @classmethod
    def open(cls, data_dir: Path) -> Session:
        """Open (creating if needed) the store in `data_dir`."""
        data_dir = Path(data_dir)
        store = Store.open(data_dir)
        catalog = Catalog(data_dir)
        return cls(data_dir, store, catalog, Records(store, catalog))

    @property
    def operator(self) -> str:
        """The person typing on this laptop (录入人); empty until first run asks."""
        return self.store.get_setting("operator", "") or ""

    @operator.setter
    def operator(self, name: str) -> None:
        self.store.set_setting("operator", name.strip())

    def operator_or_login(self) -> str:
        return self.operator or getpass.getuser()

    def reopen(self) -> None:
        """Open the data folder again, in place (after a restore swapped its database file):
        everything holding this session reads the new store from here on."""
        self.store.close()
        fresh = Session.open(self.data_dir)
        self.store, self.catalog, self.records = fresh.store, fresh.catalog, fresh.records

    def close(self) -> None:
        self.store.close()
