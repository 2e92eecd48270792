"""`./dev hub` (hub/trial.py) end to end: it makes a PostgreSQL cluster in a folder, prints an
enrolment code and the `yici hub join` line, serves a hub that code joins over HTTP, stops hub and
cluster on Ctrl+C (SIGINT), and on the next run reuses the cluster with everything in it."""

from __future__ import annotations

import asyncio
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from hub.admins import check_password
from hub.cluster import free_port
from tests.hub.conftest import REPO, hub_env


class Trial:
    """`python -m hub.trial` in a subprocess, its standard output read line by line."""

    def __init__(self, folder: Path, port: int, *extra: str, password: str | None = None) -> None:
        listen = f"127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hub.trial", "--folder", str(folder), "--listen", listen, *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=hub_env(), cwd=REPO,
            text=True, encoding="utf-8",
        )  # fmt: skip
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write((password or "") + "\n")
        self.process.stdin.close()
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, pattern: str, seconds: float = 120) -> re.Match:
        """The first line (from here on) matching `pattern`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matched {pattern!r}:\n" + "\n".join(self.seen))

    def interrupt(self) -> int:
        """Ctrl+C, as a person stops it; its exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(60)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def _ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v1", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("the hub did not answer")


@pytest.fixture
def folder():
    # Under the system temp folder itself: as root, PostgreSQL runs as `postgres`, which must be
    # able to reach the folder (pytest's own temp folders are private to root).
    made = Path(tempfile.mkdtemp(prefix="yici-dev-hub-"))
    made.chmod(0o755)
    yield made / "hub"
    shutil.rmtree(made, ignore_errors=True)


def test_dev_hub_prints_a_code_that_joins_and_stops_and_reuses_its_cluster(folder):
    port = free_port()
    first = Trial(folder, port)
    try:
        password = first.until(r"管理员：admin  密码：(\S+)（只显示这一次")[1]
        joining = first.until(r"^  yici hub join (http://127\.0\.0\.1:\d+) --code ([A-Z0-9-]+)$")
        url, code = joining[1], joining[2]
        assert url == f"http://127.0.0.1:{port}"
        _ready(url)
        answer = requests.post(url + "/api/v1/join", json={"code": code, "device_name": "PC"}, timeout=30)
        assert answer.status_code == 201, answer.text
        token = answer.json()["token"]
        assert sorted(b["name"] for b in answer.json()["branches"]) == ["东风村党支部", "红星村党支部"]
        pulled = requests.get(url + "/api/v1/pull", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        rosters = {b["name"]: [m["name"] for m in b["members"]] for b in pulled.json()["branches"]}
        assert rosters["红星村党支部"][0] == "王建国" and len(rosters["东风村党支部"]) == 3
        assert first.interrupt() == 0
        first.until("乡镇平台和数据库已停止")
    finally:
        first.kill()
    assert not (folder / "data" / "postmaster.pid").exists()  # PostgreSQL shut down cleanly

    second = Trial(folder, port, "--read-password", password="新的密码-2026")
    try:
        second.until(f"沿用 {re.escape(str(folder.absolute()))} 里的数据库集群")
        database = second.until(r"^数据库：(postgresql://\S+?)（")[1]
        second.until(r"^管理员：admin（密码已更新）")
        again = second.until(r"^  yici hub join \S+ --code ([A-Z0-9-]+)$")[1]
        assert again != code
        _ready(url)
        # The first laptop's token still works: the data stayed in the folder.
        still = requests.get(url + "/api/v1/pull", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert still.status_code == 200
        with psycopg.connect(database) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM devices ORDER BY id")]
            assert names == ["演示电脑", "演示电脑2"]  # the joined one kept, a new one enrolled
            assert conn.execute("SELECT count(*) FROM members").fetchone() == (7,)  # not doubled

        async def checks() -> tuple[bool, bool]:
            async with await psycopg.AsyncConnection.connect(database) as conn:
                return await check_password(conn, "admin", "新的密码-2026"), await check_password(
                    conn, "admin", password
                )

        assert asyncio.run(checks()) == (True, False)
        assert second.interrupt() == 0
    finally:
        second.kill()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs PostgreSQL as another user")
def test_as_root_a_folder_postgres_cannot_reach_is_refused_plainly(tmp_path):
    trial = Trial(tmp_path / "hub", free_port())  # pytest's temp folders are private to root
    try:
        trial.until("进不了")
        assert trial.process.wait(60) == 1
    finally:
        trial.kill()


def test_a_port_already_taken_is_said_before_anything_starts(folder):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        trial = Trial(folder, taken.getsockname()[1])
        try:
            trial.until("已被别的程序占用")
            assert trial.process.wait(60) == 2
        finally:
            trial.kill()
    assert not (folder / "data").exists()  # no cluster was made
