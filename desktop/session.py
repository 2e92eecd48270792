"""The open data folder as the desktop sees it: store, form catalog, record steps, operator.

One `Session` lives for the life of the window. Database work runs on the main thread: local
SQLite writes take milliseconds and keeping one writer avoids locking surprises.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

from forms.store import Store

if TYPE_CHECKING:
    from forms.catalog import Catalog
    from forms.lifecycle import Records


class Session:
    """Everything a window needs to read and write records. The form catalog and the record
    steps are made on first use: reading the forms (YAML, expressions, templates) is not needed
    to show the records list, and the window shows it first."""

    def __init__(
        self, data_dir: Path, store: Store, catalog: Catalog | None = None, records: Records | None = None
    ):
        self.data_dir = Path(data_dir)
        self.store = store
        self._catalog = catalog
        self._records = records

    @classmethod
    def open(cls, data_dir: Path) -> Session:
        """Open (creating if needed) the store in `data_dir`. First, plain photo copies a killed
        run left in the temporary folder are removed."""
        from forms.store.attachments import remove_stale_copies

        remove_stale_copies()
        data_dir = Path(data_dir)
        return cls(data_dir, Store.open(data_dir))

    @property
    def catalog(self) -> Catalog:
        """The forms there are (built-in and installed in this folder), read on first use."""
        if self._catalog is None:
            from forms.catalog import Catalog

            self._catalog = Catalog(self.data_dir)
        return self._catalog

    @property
    def catalog_read(self) -> bool:
        """True once the form catalog was read."""
        return self._catalog is not None

    @property
    def records(self) -> Records:
        """The record steps (new, save, finalize, ...) over the store and the catalog."""
        if self._records is None:
            from forms.lifecycle import Records

            self._records = Records(self.store, self.catalog)
        return self._records

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
        self.store = Store.open(self.data_dir)
        self._catalog = self._records = None

    def close(self) -> None:
        self.store.close()
