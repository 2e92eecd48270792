"""Fixtures shared by every room's tests. Keep them generic; room-specific ones live beside their tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest

from sync import kinds
from tests.modal_watch import ModalWatch
from tests.sync.fake_keyring import MemoryKeyring

REPO = Path(__file__).resolve().parent.parent
# Every data folder the tests make is encrypted. Its key goes into the test's in-memory keyring
# and is also wrapped with this passphrase, so the processes the tests start (which cannot see an
# in-memory keyring) open the folder by the passphrase, as a laptop without a keyring does.
TEST_PASSPHRASE = REPO / "tests" / "test-passphrase.txt"
os.environ["YICI_PASSPHRASE_FILE"] = str(TEST_PASSPHRASE)
# The keyring under every test, module fixtures included (`test_keyring` puts a fresh one on top
# for each test). Left unset, keyring's own detection would choose among every backend class
# imported so far, the tests' file keyring among them, in an order that changes between runs.
keyring.set_keyring(MemoryKeyring())


@pytest.fixture(autouse=True)
def test_keyring():
    """An in-memory keyring for every test (never the developer's keychain): the data keys of
    the folders a test makes go there. A test that wants one of its own (`memory_keyring`) or
    none at all installs it on top."""
    from forms.store import keys

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)
    keys.set_asker(None)  # a window a test opened installs its passphrase dialog: never the next's


def _watched(phase: str):
    """Run a test phase with a watch on modal dialogs (tests/modal_watch.py)."""
    watch = ModalWatch.start()
    try:
        return (yield)
    finally:
        closed = watch.stop() if watch is not None else []
        if closed:
            pytest.fail(f"a dialog waited for an answer during {phase} and was closed: " + "; ".join(closed))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    return (yield from _watched("the test"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    return (yield from _watched("teardown"))


@pytest.fixture(autouse=True)
def target_kinds_installed() -> None:
    """The target kinds installed as the app installs them at start (`sync.kinds.install`):
    tests open stores directly, without going through the desktop start or the command line."""
    kinds.install()


@pytest.fixture
def in_china(monkeypatch):
    """The laptop's clock set to China's zone (Asia/Shanghai) for the test, as the cadres' are:
    photo times with an offset are compared in it. Use with `pytest.mark.usefixtures`."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, not yet created data folder for this test."""
    return tmp_path / "data"


@pytest.fixture
def yici_env(data_dir: Path) -> dict[str, str]:
    """Environment for running Yici in a subprocess: UTF-8 C locale, offscreen Qt, the tmp data folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YICI_", "LC_")) and k not in ("PYTHONPATH", "LANGUAGE")
    }
    env.update(
        LANG="C.UTF-8",
        QT_QPA_PLATFORM="offscreen",
        YICI_DATA_DIR=str(data_dir),
        PYTHONPATH=str(REPO),
        YICI_PASSPHRASE_FILE=str(TEST_PASSPHRASE),
    )
    return env


@pytest.fixture
def yici(yici_env: dict[str, str], tmp_path: Path):
    """Run the `yici` command line in a subprocess: `yici("forms", "list", input=..., env={...})`.

    Returns the CompletedProcess (text, UTF-8). Runs in `tmp_path`, so relative paths land there.
    """

    def run(
        *args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "desktop.cli", *map(str, args)],
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**yici_env, **(env or {})},
            cwd=tmp_path,
            timeout=timeout,
        )

    return run


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """A fresh in-memory keyring for the test (never the developer's keychain); the previous
    backend comes back afterwards. `.entries` holds what was stored."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
