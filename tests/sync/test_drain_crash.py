"""Killing a sync at random points (SIGKILL, many times) loses nothing, duplicates nothing on the
idempotent platform, and never silently resends a robot message that may already have gone."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from forms.secrecy import origin_of
from forms.store.cipher import sqlite3
from tests.helpers import keyring_name, open_database
from tests.sync.engine_setup import OTHER_BRANCH, open_village
from tests.sync.fake_keyring import ENV, env_for
from tests.sync.rest_server import PlatformServer
from tests.sync.robot_servers import DingTalkServer

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from forms.store import Store
from sync.engine import Deliverer
from tests.sync.robot_servers import SessionHttp
store = Store.open(sys.argv[1])
deliverer = Deliverer(store, http=SessionHttp())
print("ready", flush=True)
summary = deliverer.run()
print("done", summary.pending, summary.busy, flush=True)
"""
RECORDS = 300
ROBOT_RECORDS = 5
ROUNDS = 18

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]


def _states(db_path: Path) -> dict[int, tuple[str, str]]:
    conn = open_database(db_path)
    try:
        return {
            r[0]: (r[1], r[2])
            for r in conn.execute(
                "SELECT d.id, t.kind, d.state FROM deliveries d JOIN targets t ON t.id = d.target_id"
            )
        }
    finally:
        conn.close()


def test_sigkill_during_drain_loses_and_duplicates_nothing(data_dir, tmp_path):
    rng = random.Random(os.environ.get("YICI_CRASH_SEED", "7"))
    with PlatformServer() as rest, DingTalkServer(secret="SECcrash0123456789") as robot:
        # Every request a few ms late, some answers lost after the record was taken.
        # Slow enough that the drain outlasts most kills (300 × 15 ms ≈ 4.5 s of sending).
        rest.slow_seconds = 0.015
        rest.flaky_random(seed=11, rate=1.0, faults=("slow",) * 19 + ("lost",))
        robot.delay = 0.15

        village = open_village(data_dir)
        store = village.store
        rest_t = store.add_target(
            "党建平台",
            "rest",
            url=f"{rest.url}/api/records",
            options={"auth": "bearer", "success_path": "code", "remote_id_path": "data.id"},
        )
        robot_t = store.add_target("钉钉群", "dingtalk", branches=[OTHER_BRANCH])
        for n in range(RECORDS):
            village.final(n)
        for n in range(ROBOT_RECORDS):
            village.final(1000 + n, branch_id=village.other_branch_id)
        # Entered by a person: bound to where each target sends (as sync/secrets.py records it).
        store.bind_secrets(rest_t.id, origin_of(rest.url))
        store.bind_secrets(robot_t.id, origin_of(robot.webhook))
        keys = env_for(
            {
                ("yici", keyring_name(store, rest_t, "token")): rest.token,
                ("yici", keyring_name(store, robot_t, "webhook")): robot.webhook,
                ("yici", keyring_name(store, robot_t, "sign_secret")): "SECcrash0123456789",
            }
        )
        store.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("YICI_", "PYTHONPATH"))}
        env.update(
            {
                "PYTHONPATH": str(REPO),
                "PYTHON_KEYRING_BACKEND": "tests.sync.fake_keyring.EnvKeyring",
                ENV: keys,
                "YICI_PASSPHRASE_FILE": os.environ["YICI_PASSPHRASE_FILE"],  # the data key
                "NO_PROXY": "127.0.0.1,localhost",
            }
        )

        def child() -> subprocess.Popen:
            return subprocess.Popen(
                [sys.executable, "-c", CHILD, str(data_dir)],
                cwd=str(REPO),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

        db = data_dir / "yici.db"
        in_doubt: set[int] = set()  # robot deliveries found `sending` after a kill
        killed_while_sending = 0
        for _ in range(ROUNDS):
            proc = child()
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.05, 0.8))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
            states = _states(db)
            killed_while_sending += any(s == "sending" for _, s in states.values())
            in_doubt |= {i for i, (kind, s) in states.items() if kind == "dingtalk" and s == "sending"}

        for _ in range(10):  # then let it finish
            proc = child()
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            if re.search(r"^done 0 False$", out, re.M):
                break
        else:
            pytest.fail(f"deliveries still pending: {out}")

        village = open_village(data_dir)
        try:
            rest_rows = village.store.deliveries(target_id=rest_t.id)
            robot_rows = village.store.deliveries(target_id=robot_t.id)
        finally:
            village.store.close()

        # Nothing lost, nothing duplicated on the idempotent platform.
        assert len(rest_rows) == RECORDS + ROBOT_RECORDS
        assert all(d.state == "delivered" for d in rest_rows)
        for d in rest_rows:
            assert len(rest.records_with_key(f"{d.record_uuid}:{d.revision}:{rest_t.id}")) == 1
        assert len(rest.records) == len(rest_rows)
        assert killed_while_sending >= 3  # the kills really landed mid-drain

        # The robot got each message at most once; in-doubt ones wait for a person.
        titles = Counter(re.search(r"第(\d+)次", b["markdown"]["text"]).group(1) for b in robot.accepted)
        assert all(c == 1 for c in titles.values()), titles
        by_id = {d.id: d for d in robot_rows}
        assert all(by_id[i].state == "uncertain" for i in in_doubt)
        assert {d.state for d in robot_rows} <= {"delivered", "uncertain"}
        delivered = [d for d in robot_rows if d.state == "delivered"]
        assert len(delivered) <= len(robot.accepted) <= ROBOT_RECORDS
        print(
            json.dumps(
                {
                    "rest_requests": rest.request_count,
                    "rest_records": len(rest.records),
                    "robot_uncertain": len(in_doubt),
                    "robot_accepted": len(robot.accepted),
                }
            )
        )
