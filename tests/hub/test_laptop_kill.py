"""SIGKILL of a laptop's `yici sync` (a real subprocess) in the middle of a large upload over a slow
line to the real hub, then a new `yici sync`: nothing lost, nothing stored twice (rows counted in
PostgreSQL), and the upload goes on from where the hub's stands instead of from the start."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import keyring
import pytest

from sync.hub_join import join
from sync.hub_upload import PART_SIZE
from tests.desktop.file_keyring import ENV, FileKeyring
from tests.hub.conftest import REPO, enrolled, sql
from tests.hub.laptop import hub_count, laptop_at
from tests.hub.slow_link import SlowLink

PARTS = 6


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    """The keyring a `yici` subprocess can read too (a JSON file in tmp_path)."""
    monkeypatch.setenv(ENV, str(tmp_path / "keyring.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield tmp_path / "keyring.json"
    keyring.set_keyring(previous)


def _sync(data_dir, keyring_file) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICI_") and "proxy" not in k.lower()}
    env.update(
        LANG="C.UTF-8",
        PYTHONPATH=str(REPO),
        NO_PROXY="127.0.0.1",
        YICI_DATA_DIR=str(data_dir),
        PYTHON_KEYRING_BACKEND="tests.desktop.file_keyring.FileKeyring",
        **{ENV: str(keyring_file)},
    )
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "sync"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_sync_killed_mid_upload_loses_nothing_and_doubles_nothing(hub, tmp_path, file_keyring):
    link = SlowLink(hub.port)
    laptop = laptop_at(tmp_path / "laptop")
    try:
        join(laptop.store, link.url, enrolled(hub.database, "张三的电脑", ["红星村党支部"]), http=laptop.http)
        photo = os.urandom(PARTS * PART_SIZE)
        sha = hashlib.sha256(photo).hexdigest()
        small = [laptop.final(n) for n in (1, 2)]
        big = laptop.final(3)
        laptop.store.add_attachment(big.uuid, photo, "大照片.jpg")
        laptop.correct(big.uuid, title="带大照片")
        uuids = [r.uuid for r in small] + [big.uuid]
    finally:
        laptop.close()
    link.rate = 1.5 * PART_SIZE  # bytes a second: the big photo takes about four seconds
    first = _sync(tmp_path / "laptop", file_keyring)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            got = sql(hub.database, "SELECT received FROM attachment_uploads WHERE sha256 = %s", (sha,))
            if got and got[0][0] >= 2 * PART_SIZE:
                break
            assert first.poll() is None, first.communicate()
            time.sleep(0.02)
        else:
            pytest.fail("the upload never got under way")
        os.kill(first.pid, signal.SIGKILL)  # as when the power goes
        first.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
    received = sql(hub.database, "SELECT received FROM attachment_uploads WHERE sha256 = %s", (sha,))[0][0]
    assert 0 < received < len(photo) and hub_count(hub, "attachments") == 0
    puts_before = hub.log_text().count("PUT /api/v1/attachments/")

    link.rate = None
    second = _sync(tmp_path / "laptop", file_keyring)
    out, errors = second.communicate(timeout=120)
    assert second.returncode == 0, out + errors
    # Everything arrived once: one row per revision, the photo whole, stored once.
    assert hub_count(hub, "record_revisions") == 4  # 1, 2, and the big one's 1 and 2
    for uuid in uuids:
        assert hub_count(hub, "records", "uuid = %s", (uuid,)) == 1
    assert sql(hub.database, "SELECT size FROM attachments WHERE sha256 = %s", (sha,)) == [(len(photo),)]
    assert hub_count(hub, "attachment_uploads") == 0
    resumed = hub.log_text().count("PUT /api/v1/attachments/") - puts_before
    assert resumed <= PARTS - received // PART_SIZE  # from where the hub stood, not from byte 0
    link.close()
