"""Test-only keyrings: an in-memory backend, and one a subprocess loads by name.

`MemoryKeyring` is installed with `keyring.set_keyring` by the `memory_keyring` fixture.
`EnvKeyring` is for child processes in crash tests: PYTHON_KEYRING_BACKEND=
"tests.sync.fake_keyring.EnvKeyring" and YICI_TEST_KEYRING='{"yici": {"target-1:token": "…"}}'.
Nothing in the app ever points at this module: it exists only under tests/.
"""

from __future__ import annotations

import json
import os

import keyring.errors
from keyring.backend import KeyringBackend

ENV = "YICI_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so tests never touch the developer's keychain."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("not there")
        del self.entries[(service, username)]


class EnvKeyring(MemoryKeyring):
    """A MemoryKeyring filled from the YICI_TEST_KEYRING environment variable (JSON)."""

    def __init__(self):
        super().__init__()
        for service, entries in json.loads(os.environ.get(ENV) or "{}").items():
            for username, password in entries.items():
                self.entries[(service, username)] = password


def env_for(entries: dict[tuple[str, str], str]) -> str:
    """The YICI_TEST_KEYRING value for a MemoryKeyring's entries."""
    out: dict[str, dict[str, str]] = {}
    for (service, username), password in entries.items():
        out.setdefault(service, {})[username] = password
    return json.dumps(out)
