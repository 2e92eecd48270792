"""An OS keychain or nothing: a keyring backend that keeps secrets in a plain or merely encoded
file (keyrings.alt's PlaintextKeyring, which Debian-based systems may have installed) is never
chosen on its own; only an administrator who names it (PYTHON_KEYRING_BACKEND or keyring's
keyringrc.cfg) gets it. The backend is installed the way a package would be (an entry point),
in a fresh Python process that has no other say in the matter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FAKE_ALT = '''\
"""Stands in for keyrings.alt.file: secrets in a plain file, as the real one keeps them."""
import json, os
from keyring.backend import KeyringBackend


class PlaintextKeyring(KeyringBackend):
    priority = 9  # higher than any OS keychain: keyring would choose it first

    @property
    def file_path(self):
        return os.environ["FAKE_PLAINTEXT_FILE"]

    def get_password(self, service, username):
        try:
            with open(self.file_path, encoding="utf-8") as f:
                return json.load(f).get(username)
        except FileNotFoundError:
            return None

    def set_password(self, service, username, password):
        data = {}
        if os.path.exists(self.file_path):
            with open(self.file_path, encoding="utf-8") as f:
                data = json.load(f)
        data[username] = password
        with open(self.file_path, "w", encoding="utf-8") as f:
            json.dump(data, f)

    def delete_password(self, service, username):
        pass
'''
CHILD = """
import json, sys
from forms.store import Store
from sync import kinds, secrets
kinds.install()
ok, words = secrets.keyring_status()
store = Store.open(sys.argv[1])
target = store.add_target("平台", "rest", url="https://a.example/api", options={"auth": "bearer"})
try:
    secrets.set_secret(store, target, "token", "tok-never-in-a-plain-file")
    kept = True
except secrets.NoKeyring:
    kept = False
print(json.dumps({"ok": ok, "words": words, "kept": kept}, ensure_ascii=False))
"""


@pytest.fixture
def alt_installed(tmp_path):
    """A site folder with a `keyrings.alt.file.PlaintextKeyring` registered as a keyring backend."""
    site = tmp_path / "site"
    (site / "keyrings" / "alt").mkdir(parents=True)
    (site / "keyrings" / "alt" / "__init__.py").write_text("", encoding="utf-8")
    (site / "keyrings" / "alt" / "file.py").write_text(FAKE_ALT, encoding="utf-8")
    info = site / "keyrings.alt-5.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: keyrings.alt\nVersion: 5.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[keyring.backends]\nfile = keyrings.alt.file\n", encoding="utf-8")
    return site


def _run(tmp_path: Path, site: Path, **env: str) -> dict:
    clean = {
        k: v
        for k, v in __import__("os").environ.items()
        if not k.startswith(("PYTHON_KEYRING", "YICI_", "XDG_", "DBUS_"))
    }
    clean.update(
        PYTHONPATH=f"{site}:{REPO}",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "share"),
        FAKE_PLAINTEXT_FILE=str(tmp_path / "plain.json"),
        DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",  # no OS keychain in this process
        YICI_PASSPHRASE_FILE=__import__("os").environ["YICI_PASSPHRASE_FILE"],  # the data key's way in
        **env,
    )
    data = tmp_path / f"data{len(list(tmp_path.glob('data*')))}"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data)],
        cwd=str(REPO),
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_plain_file_keyring_is_never_chosen_automatically(tmp_path, alt_installed):
    result = _run(tmp_path, alt_installed)
    assert not result["kept"] and not (tmp_path / "plain.json").exists()
    assert "PlaintextKeyring" not in result["words"]


def test_an_administrator_may_name_it_in_the_environment(tmp_path, alt_installed):
    result = _run(tmp_path, alt_installed, PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    assert result["ok"] and result["kept"] and "由管理员指定" in result["words"]
    assert (tmp_path / "plain.json").exists()


def test_an_administrator_may_name_it_in_keyrings_config_file(tmp_path, alt_installed):
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text(
        "[backend]\ndefault-keyring = keyrings.alt.file.PlaintextKeyring\n", encoding="utf-8"
    )
    result = _run(tmp_path, alt_installed)
    assert result["ok"] and result["kept"] and "由管理员指定" in result["words"]
