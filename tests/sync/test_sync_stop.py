"""`yici sync` as a real process stops within 2 s of SIGTERM or Ctrl+C (SIGINT) at any point, even
while a platform holds a request without answering, and leaves the states a crash would: nothing
lost, nothing sent twice, a robot message that may have arrived uncertain."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms.store.cipher import sqlite3
from sync import secrets as keyring_secrets
from tests.helpers import open_database
from tests.sync.engine_setup import OTHER_BRANCH, open_village
from tests.sync.fake_keyring import ENV, env_for
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def _states(data_dir: Path) -> list[tuple[str, str]]:
    conn = open_database(data_dir / "yici.db")
    try:
        return conn.execute(
            "SELECT t.kind, d.state FROM deliveries d JOIN targets t ON t.id = d.target_id ORDER BY d.id"
        ).fetchall()
    finally:
        conn.close()


def _setup(data_dir: Path, memory_keyring, rest: PlatformServer, robot: DingTalkServer, records: int) -> dict:
    village = open_village(data_dir)
    store = village.store
    rest_t = store.add_target(
        "党建平台",
        "rest",
        url=f"{rest.url}/api/records",
        options={"auth": "bearer", "success_path": "code", "remote_id_path": "data.id"},
    )
    keyring_secrets.set_secret(store, rest_t, "token", rest.token)
    robot_t = store.add_target("钉钉群", "dingtalk", branches=[OTHER_BRANCH])
    keyring_secrets.set_secret(store, robot_t, "webhook", robot.webhook)
    for n in range(records):
        village.final(n)
    village.final(1000, branch_id=village.other_branch_id)
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YICI_", "PYTHONPATH", "LC_"))}
    env.update(
        PYTHONPATH=str(REPO),
        LANG="C.UTF-8",
        PYTHON_KEYRING_BACKEND="tests.sync.fake_keyring.EnvKeyring",
        NO_PROXY="127.0.0.1,localhost",
        YICI_OPERATOR="测试员",
        **{ENV: env_for(memory_keyring.entries)},
    )
    return env


def _sync(data_dir: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "sync", "--data-dir", str(data_dir)],
        cwd=str(REPO),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def _stop_and_time(proc: subprocess.Popen, signum: int) -> tuple[float, str]:
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("yici sync did not stop within 10 s")
    return time.monotonic() - sent, err


def _wait_for(condition, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_sync_stops_within_2s_while_platforms_hold_requests(data_dir, memory_keyring, signum):
    with PlatformServer(slow_seconds=60) as rest, DingTalkServer() as robot:
        robot.delay = 60
        rest.flaky("slow")
        env = _setup(data_dir, memory_keyring, rest, robot, records=3)
        proc = _sync(data_dir, env)
        _wait_for(lambda: rest.request_count >= 1 and robot.received >= 1)
        took, err = _stop_and_time(proc, signum)
        assert took < 2.0, err
        assert "Traceback" not in err
        states = _states(data_dir)
        # The REST record waits for the next run (same Idempotency-Key); the robot message went
        # out and got no answer: a person decides, it is never resent by itself.
        assert [s for k, s in states if k == "rest"] == ["pending"] * 4
        assert [s for k, s in states if k == "dingtalk"] == ["uncertain"]
        robot.delay = 0
        rest.slow_seconds = 0
        done = _sync(data_dir, env)
        done.communicate(timeout=60)
    assert [s for k, s in _states(data_dir) if k == "rest"] == ["delivered"] * 4
    assert len(rest.records) == 4
    assert robot.received == 1  # the uncertain message was not sent again


def test_sync_stops_within_2s_at_any_point(data_dir, memory_keyring):
    rng = random.Random(os.environ.get("YICI_CRASH_SEED", "9"))
    with PlatformServer(slow_seconds=2.5) as rest, DingTalkServer() as robot:
        robot.delay = 2.5
        rest.flaky_random(seed=3, rate=0.2, faults=("slow",))
        env = _setup(data_dir, memory_keyring, rest, robot, records=60)
        for _ in range(5):
            proc = _sync(data_dir, env)
            time.sleep(rng.uniform(0.0, 1.5))
            took, err = _stop_and_time(proc, rng.choice([signal.SIGTERM, signal.SIGINT]))
            assert took < 2.0, err
            assert "Traceback" not in err, err
        rest.flaky_random(seed=3, rate=0.0)
        robot.delay = 0
        for _ in range(3):
            _sync(data_dir, env).communicate(timeout=120)
        states = _states(data_dir)
    assert [s for k, s in states if k == "rest"] == ["delivered"] * 61
    assert len(rest.records) == 61  # nothing lost, nothing twice
    assert robot.received == len(robot.accepted) <= 1
