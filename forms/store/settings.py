"""Settings kept in the database (operator, language, font size, backup days …), any JSON value."""

from __future__ import annotations

import json
from typing import Any

from forms.store.connection import Connection
from forms.store.errors import guarded
from forms.store.rows import dumps


class SettingsMixin(Connection):
    """Store methods for settings."""

    @guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        """A setting's value (any JSON value), or `default`."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    @guarded
    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting (any JSON value)."""
        with self._write() as db:
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, dumps(value)],
            )

    @guarded
    def all_settings(self) -> dict[str, Any]:
        """Every stored setting, {key: value}."""
        return {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM settings")}
