"""Form definitions as records were entered with them: each version's YAML text is kept, so an
old record always renders and validates against its own definition."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms.model import Form
from forms.store.connection import Connection
from forms.store.errors import guarded
from forms.store.times import timestamp

if TYPE_CHECKING:
    from forms.store.sql import Sql as Database


def remember(db: Database, form: Form) -> None:
    """Keep this form version's text unless it is already kept (the first text stays)."""
    db.execute(
        "INSERT OR IGNORE INTO form_versions(form_id, version, title, source, "
        "remembered_at) VALUES (?, ?, ?, ?, ?)",
        [form.id, form.version, form.title, form.source, timestamp()],
    )


class FormVersionsMixin(Connection):
    """Store methods for remembered form versions."""

    @guarded
    def remember_form(self, form: Form) -> None:
        """Keep this form version's definition, so its records always render and validate.
        The first text kept for an id and version stays (records were entered with it)."""
        with self._write() as db:
            remember(db, form)

    @guarded
    def stored_form_source(self, form_id: str, version: int) -> str | None:
        """The YAML text a form version was remembered with, or None."""
        row = self.db.execute(
            "SELECT source FROM form_versions WHERE form_id = ? AND version = ?", [form_id, version]
        ).fetchone()
        return None if row is None else row[0]

    @guarded
    def remembered_title(self, form_id: str) -> str | None:
        """The title of the latest version of a form that records were entered with, or None:
        the records list names forms by it before the form catalog is read."""
        row = self.db.execute(
            "SELECT title FROM form_versions WHERE form_id = ? ORDER BY version DESC LIMIT 1", [form_id]
        ).fetchone()
        return None if row is None else row[0]

    @guarded
    def form_versions(self) -> list[tuple[str, int, str, str, str]]:
        """(form_id, version, title, source, remembered_at) of every remembered form version."""
        return [
            tuple(r)
            for r in self.db.execute(
                "SELECT form_id, version, title, source, remembered_at FROM form_versions "
                "ORDER BY form_id, version"
            )
        ]
