"""The device token lives in the keyring only: after `yici hub join`, `yici sync`, `yici hub status`
and `yici export` (real subprocesses against the real hub), no file of the data folder (database,
logs, backups), no entry of the export, no line the commands printed and no line of the hub's
log holds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

from tests.desktop.file_keyring import ENV
from tests.helpers import passphrase_file
from tests.hub.conftest import REPO, enrolled
from tests.hub.laptop import BRANCH


def test_the_token_is_never_written_outside_the_keyring(hub, tmp_path):
    data_dir, keyring_file = tmp_path / "data", tmp_path / "keyring.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICI_") and "proxy" not in k.lower()}
    env.update(
        LANG="C.UTF-8",
        PYTHONPATH=str(REPO),
        NO_PROXY="127.0.0.1",
        YICI_DATA_DIR=str(data_dir),
        YICI_OPERATOR="张干事",
        PYTHON_KEYRING_BACKEND="tests.desktop.file_keyring.FileKeyring",
        **{ENV: str(keyring_file)},
    )
    printed: list[str] = []

    def yici(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "desktop.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        printed.extend([done.stdout, done.stderr])
        return done

    assert yici("branches", "add", BRANCH).returncode == 0
    assert yici("members", "add", BRANCH, "王建国", "--role", "书记").returncode == 0
    code = enrolled(hub.database, "张三的电脑", [BRANCH])
    joined = yici("hub", "join", hub.url, "--code", code, "--name", "张三的电脑")
    assert joined.returncode == 0, joined.stderr
    assert "已加入乡镇平台" in joined.stdout
    made = yici(
        "records",
        "new",
        "sanhui-yike",
        "--branch",
        BRANCH,
        "--final",
        "--set",
        "meeting_type=支部委员会",
        "--set",
        "title=十一月支部委员会",
        "--set",
        "host=王建国",
        "--set",
        "topics=议题",
        "--set",
        "content=内容",
    )
    assert made.returncode == 0, made.stderr
    synced = yici("sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    status = yici("hub", "status")
    assert status.returncode == 0 and "张三的电脑" in status.stdout
    assert (
        yici(
            "export", str(tmp_path / "export.zip"), "--passphrase-file", str(passphrase_file(tmp_path))
        ).returncode
        == 0
    )

    [token] = [
        v
        for entries in json.loads(keyring_file.read_text()).values()
        for name, v in entries.items()
        if not name.startswith("data-key/")  # the data folder's own key
    ]
    assert len(token) >= 32
    needle = token.encode()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
    with zipfile.ZipFile(tmp_path / "export.zip") as export:
        for name in export.namelist():
            assert needle not in export.read(name), name
    assert all(token not in text for text in printed)
    assert token not in hub.log_text() and "POST /api/v1/records 201" in hub.log_text()
