"""A keyring backend for tests only: values in a JSON file named by $YICI_TEST_KEYRING_FILE.

The command-line tests run `yici` in subprocesses, where an in-memory keyring set by a fixture
cannot reach; they select this one with
PYTHON_KEYRING_BACKEND=tests.desktop.file_keyring.FileKeyring. Never used by the product: a
plain-text keyring is exactly what Yici refuses to fall back to.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV = "YICI_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    """{service: {username: password}} in one JSON file; rewritten whole on each change."""

    priority = 1

    @property
    def _path(self) -> Path:
        name = os.environ.get(ENV)
        if not name:
            raise RuntimeError(f"{ENV} is not set: the test keyring needs a file")
        return Path(name)

    def _load(self) -> dict:
        try:
            return json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict) -> None:
        self._path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(username)
        del data[service][username]
        self._save(data)
