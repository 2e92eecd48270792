"""Fixtures of the hub's tests: one real PostgreSQL cluster per test run, a fresh database per test
(copied from a migrated template, which is fast), and the hub served for real by `yici-hub serve`
in a subprocess on 127.0.0.1, spoken to over HTTP with requests.

Every test here is skipped, with the reason, when the PostgreSQL programs are not on the machine.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests

from hub.devices import enrol
from hub.migrate import migrate
from tests.hub.postgres import Cluster, free_port, why_not

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TEMPLATE = "hub_template"


def pytest_collection_modifyitems(config, items):
    reason = why_not()
    if reason:
        for item in items:
            if HERE in Path(str(item.fspath)).resolve().parents:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def cluster():
    """The PostgreSQL cluster of this test run."""
    started = Cluster().start()
    try:
        yield started
    finally:
        started.stop()


def sql(url: str, query: str, params: list | tuple = ()) -> list[tuple]:
    """Run one statement on a database (autocommit); its rows, [] when it returns none."""
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(query.encode(), params)
        return cur.fetchall() if cur.description else []


@pytest.fixture(scope="session")
def template(cluster) -> str:
    """A database migrated once, copied for every test."""
    sql(cluster.url(), f"CREATE DATABASE {TEMPLATE}")
    asyncio.run(migrate(cluster.url(TEMPLATE)))
    return TEMPLATE


@pytest.fixture
def empty_db(cluster) -> str:
    """A fresh database with nothing in it (not migrated); its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    sql(cluster.url(), f"CREATE DATABASE {name}")
    yield cluster.url(name)
    sql(cluster.url(), f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def hub_db(cluster, template) -> str:
    """A fresh migrated database for this test; its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    sql(cluster.url(), f"CREATE DATABASE {name} TEMPLATE {template}")
    yield cluster.url(name)
    sql(cluster.url(), f"DROP DATABASE {name} WITH (FORCE)")


def hub_env() -> dict[str, str]:
    """The environment of a `yici-hub` subprocess: no YICI_* from outside, this checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICI_") and k != "PYTHONPATH"}
    env.update(LANG="C.UTF-8", PYTHONPATH=str(REPO))
    return env


class Hub:
    """`yici-hub serve` running in a subprocess on a free port of 127.0.0.1."""

    def __init__(
        self, database: str, log: Path, tls: tuple[str, str, str] | None = None, extra: tuple[str, ...] = ()
    ) -> None:
        """`tls`: (certificate file, key file, CA file) to serve HTTPS checked against that CA;
        `extra`: more arguments of `yici-hub serve`."""
        self.database = database
        self.log = log
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.tls_args = ["--tls-cert", tls[0], "--tls-key", tls[1]] if tls else []
        self.verify: str | bool = tls[2] if tls else True
        self.extra = extra
        self.process: subprocess.Popen | None = None

    def start(self) -> Hub:
        """Start it and wait until it answers."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hub", "serve", "--database", self.database, "--listen",
                 f"127.0.0.1:{self.port}", "--pool", "4", *self.tls_args, *self.extra],
                stdout=out, stderr=subprocess.STDOUT, env=hub_env(), cwd=REPO,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"yici-hub serve exited {self.process.returncode}:\n{self.log_text()}")
            try:
                if requests.get(self.url + "/api/v1", timeout=2, verify=self.verify).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"yici-hub serve did not answer:\n{self.log_text()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the power goes."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return requests.get(self.url + path, headers=bearer(token), timeout=30, verify=self.verify, **kwargs)

    def post(self, path: str, token: str | None = None, **kwargs) -> requests.Response:
        return requests.post(self.url + path, headers=bearer(token), timeout=30, verify=self.verify, **kwargs)

    def put(
        self, path: str, token: str | None = None, headers: dict | None = None, **kwargs
    ) -> requests.Response:
        return requests.put(
            self.url + path, headers={**bearer(token), **(headers or {})}, timeout=30, **kwargs
        )

    def head(self, path: str, token: str | None = None) -> requests.Response:
        return requests.head(self.url + path, headers=bearer(token), timeout=30, verify=self.verify)


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture
def hub(hub_db, tmp_path):
    """The hub served over this test's database."""
    served = Hub(hub_db, tmp_path / "hub.log").start()
    try:
        yield served
    finally:
        served.stop()


def enrolled(database: str, name: str, branches: list[str]) -> str:
    """Enrol a device straight through hub/devices.py; its one-time code."""

    async def run() -> str:
        async with await psycopg.AsyncConnection.connect(database, autocommit=True) as conn:
            return await enrol(conn, name, branches)

    return asyncio.run(run())


def joined(hub: Hub, name: str = "张三的电脑", branches: tuple[str, ...] = ("红星村党支部",)) -> dict:
    """Enrol and join a device: the join answer (token, device_id, branches)."""
    code = enrolled(hub.database, name, list(branches))
    answer = hub.post("/api/v1/join", json={"code": code, "device_name": name})
    assert answer.status_code == 201, answer.text
    return answer.json()
