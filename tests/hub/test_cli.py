"""`yici-hub` as installed: its help in Chinese, usage errors that exit 2, and HTTPS when given a
certificate (checked by the client against the intranet's CA, as a laptop will)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from hub.cli import main
from tests.hub.conftest import Hub, hub_env, joined
from tests.sync.rest_server import make_tls_files


def test_the_installed_command_speaks_chinese():
    program = shutil.which("yici-hub", path=str(Path(sys.executable).parent))
    assert program, "yici-hub is not installed beside this Python (pip install -e '.[hub]')"
    done = subprocess.run([program, "--help"], capture_output=True, text=True, env=hub_env(), timeout=60)
    assert done.returncode == 0
    for word in ("用法：", "migrate", "serve", "admin", "enrol", "revoke"):
        assert word in done.stdout


def test_usage_errors_are_chinese_and_exit_2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["enrol", "--name", "甲"])
    assert stop.value.code == 2
    assert "缺少必需的参数：--branches" in capsys.readouterr().err
    assert main(["serve", "--database", "postgresql://x@127.0.0.1/x", "--listen", "8470"]) == 2
    assert "主机:端口" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["migrate", "--databse", "postgresql://yici:s3cret-Passw0rd@127.0.0.1/x"])
    assert "s3cret-Passw0rd" not in capsys.readouterr().err


def test_serve_speaks_https_with_a_certificate(hub_db, tmp_path):
    ca = make_tls_files(tmp_path)[0]
    served = Hub(
        hub_db, tmp_path / "hub.log", (str(tmp_path / "server.pem"), str(tmp_path / "server.key"), ca)
    )
    served.start()
    try:
        token = joined(served)["token"]
        assert served.get("/api/v1/pull", token).status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(served.url + "/api/v1", timeout=10)  # not the system's CAs
    finally:
        served.stop()


def test_serve_with_several_workers(hub_db, tmp_path):
    served = Hub(hub_db, tmp_path / "hub.log", extra=("--workers", "2")).start()
    try:
        token = joined(served)["token"]
        for _ in range(6):
            assert served.get("/api/v1/pull", token).status_code == 200
        served.stop()
    finally:
        served.stop()
    log = served.log_text()
    assert log.count("GET /api/v1/pull 200 张三的电脑") == 6  # each worker writes the request log
    assert log.count("Started server process") == 2
    assert token not in log
