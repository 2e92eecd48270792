"""Benchmark: draining 10,000 deliveries to a loopback REST platform vs a bare requests loop.

    python tests/benchmarks/bench_drain.py [--count 10000]

DESIGN §10: `Deliverer.run()` should reach ≥ 0.8 × the throughput of a bare `requests.Session`
loop posting the same JSON bodies with the same headers to the same server in the same run
(issue 8 raised the bar to 0.9 × the median of the rounds).
The platform (tests/sync/rest_server.PlatformServer) runs in its own process so the server's
work does not share our GIL. Resident memory is sampled during the drain: it must stay flat.
Setup inserts the final records and their deliveries directly (the finalize path has its own
benchmark); everything timed goes through the real store, engine, keyring and HTTP client.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuid_module
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import keyring  # noqa: E402
import requests  # noqa: E402

from forms.catalog import Catalog  # noqa: E402
from forms.lifecycle import Records  # noqa: E402
from forms.store import Store  # noqa: E402
from sync import kinds  # noqa: E402
from sync import secrets as keyring_secrets  # noqa: E402
from sync.engine import Deliverer  # noqa: E402
from sync.rest import default_body  # noqa: E402
from tests.sync.fake_keyring import MemoryKeyring  # noqa: E402

kinds.install()  # as the app does at start: the store learns the target kinds
TOKEN = "tok-3f9a7c1e55"  # PlatformServer's default bearer token
TARGET = 0.9  # median ratio engine / bare loop to reach
SERVER = """
import sys
from tests.sync.rest_server import PlatformServer
server = PlatformServer().start()
print(server.url, flush=True)
sys.stdin.read()
"""


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class MemorySampler(threading.Thread):
    """VmRSS every `every` seconds until stopped: start, peak, end (KiB)."""

    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        self.every, self.samples, self._stop_event = every, [rss_kib()], threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            self.samples.append(rss_kib())

    def stop(self) -> dict:
        self._stop_event.set()
        self.join()
        self.samples.append(rss_kib())
        return {
            "start": self.samples[0],
            "peak": max(self.samples),
            "end": self.samples[-1],
            "samples": len(self.samples),
        }


def queue_deliveries(store: Store, target_id: int, count: int) -> None:
    """`count` final 三会一课 records, each with a pending delivery to the target, inserted directly."""
    records = Records(store, Catalog())
    branch = store.add_branch("红星村党支部")
    values = {
        "meeting_type": "支部委员会",
        "title": "第1次支部委员会",
        "host": "王建国",
        "topics": "1. 学习党章\n2. 研究低保户评议名单",
        "content": "王建国同志传达了上级精神。",
    }
    template, _ = records.new("sanhui-yike", branch.id, values, "张干事", final=True)
    db = store.db
    cols = (
        "form_id, form_version, branch_id, status, data, revision, operator, occurred_on, "
        "summary, created_at, updated_at, finalized_at"
    )
    row = db.execute(f"SELECT {cols} FROM records WHERE uuid = ?", [template.uuid]).fetchone()
    data = json.loads(row[4])
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        rec_rows, rev_rows, del_rows = [], [], []
        for n in range(1, count):
            uuid = str(uuid_module.uuid4())
            body = json.dumps(
                {**data, "title": f"第{n + 1}次支部委员会"}, ensure_ascii=False, separators=(",", ":")
            )
            rec_rows.append((uuid, row[0], row[1], row[2], row[3], body, *row[5:]))
            rev_rows.append((uuid, 1, "final", body, row[6], row[10], ""))
            del_rows.append((uuid, 1, target_id, "pending", 0, "", "", row[9], row[9]))
        conn.executemany(f"INSERT INTO records(uuid, {cols}) VALUES ({','.join('?' * 13)})", rec_rows)
        conn.executemany(
            "INSERT INTO record_revisions(uuid, revision, status, data, operator, saved_at, "
            "note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rev_rows,
        )
        conn.executemany(
            "INSERT INTO deliveries(record_uuid, revision, target_id, state, attempts, "
            "message, payload, queued_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            del_rows,
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def baseline_payloads(store: Store, target) -> list[tuple[str, bytes]]:
    """(Idempotency-Key, body bytes) exactly as the engine sends them (default body)."""
    from sync.kind import Outgoing

    title = "三会一课"
    out = []
    for d in sorted(store.deliveries(target_id=target.id), key=lambda d: d.id):
        src = store.delivery_sources([d.id])[d.id]
        item = Outgoing(
            target=target.config(),
            secrets={},
            record_uuid=d.record_uuid,
            revision=d.revision,
            form_id=src.form_id,
            form_title=title,
            branch=src.branch,
            operator=src.operator,
            status=src.status,
            data=src.data,
            labels={},
        )
        body = json.dumps(default_body(item), ensure_ascii=False, separators=(",", ":")).encode()
        out.append((item.idempotency_key, body))
    return out


def bare_loop(url: str, payloads: list[tuple[str, bytes]]) -> float:
    session = requests.Session()
    started = time.perf_counter()
    for key, body in payloads:
        response = session.post(
            url,
            data=body,
            headers={
                "Idempotency-Key": key,
                "Accept": "application/json",
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=30,
        )
        if response.status_code != 200 or response.json().get("code") != 0:
            raise SystemExit(f"baseline request failed: {response.status_code} {response.text[:200]}")
    elapsed = time.perf_counter() - started
    session.close()
    return elapsed


def one_round(url: str, count: int, engine_first: bool) -> dict:
    """Queue `count` deliveries in a fresh data folder; time the engine and the bare loop."""
    with tempfile.TemporaryDirectory(prefix="yici-bench-") as tmp:
        store = Store.open(Path(tmp) / "data")
        target = store.add_target(
            "党建平台",
            "rest",
            url=url,
            options={
                "auth": "bearer",
                "success_path": "code",
                "success_value": "0",
                "remote_id_path": "data.id",
            },
        )
        keyring_secrets.set_secret(store, target, "token", TOKEN)
        t0 = time.perf_counter()
        queue_deliveries(store, target.id, count)
        setup = time.perf_counter() - t0
        payloads = baseline_payloads(store, target)
        assert len(payloads) == count
        # An untimed pass first, so the platform already holds every key and both timed loops
        # meet the same (dedupe) path on the server: the same server work on both sides.
        bare_loop(url, payloads)
        result = {"setup": setup}
        if not engine_first:
            result["bare"] = bare_loop(url, payloads)
        sampler = MemorySampler()
        sampler.start()
        t0 = time.perf_counter()
        summary = Deliverer(store).run()
        result["engine"] = time.perf_counter() - t0
        result["memory"] = sampler.stop()
        counts = store.delivery_counts()["党建平台"]
        assert summary.delivered == count and counts == {"delivered": count}, (summary, counts)
        if engine_first:
            result["bare"] = bare_loop(url, payloads)
        store.close()
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds, alternating which goes first; the median ratio is the figure",
    )
    args = parser.parse_args()

    keyring.set_keyring(MemoryKeyring())
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        cwd=str(REPO),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        url = f"{server.stdout.readline().strip()}/api/records"
        warm = requests.Session()  # the server's threads and code paths, with throwaway keys
        for i in range(300):
            warm.post(
                url,
                data=b'{"uuid":"warm"}',
                timeout=30,
                headers={
                    "Idempotency-Key": f"warm:{i}",
                    "Authorization": f"Bearer {TOKEN}",
                    "Content-Type": "application/json; charset=utf-8",
                },
            )
        warm.close()
        # The order alternates between rounds, so a machine that slows down part-way hurts both.
        rounds = [one_round(url, args.count, engine_first=(i % 2 == 0)) for i in range(args.rounds)]
    finally:
        server.stdin.close()
        server.wait(timeout=10)

    n = args.count
    for i, r in enumerate(rounds, 1):
        print(
            f"round {i} ({'engine' if i % 2 else 'bare'} first): bare {n / r['bare']:6.0f}/s, "
            f"engine {n / r['engine']:6.0f}/s, ratio {r['bare'] / r['engine']:.2f}"
        )
    bare_rate = n / min(r["bare"] for r in rounds)
    engine_rate = n / min(r["engine"] for r in rounds)
    ratio = engine_rate / bare_rate
    ratios = sorted(r["bare"] / r["engine"] for r in rounds)
    median = ratios[len(ratios) // 2]
    print(f"setup: {n} deliveries queued in {rounds[0]['setup']:.1f} s per round")
    print(f"bare requests.Session loop (best): {bare_rate:6.0f} deliveries/s")
    print(f"Deliverer.run() (best):            {engine_rate:6.0f} deliveries/s")
    print(f"ratio of the best rates:           {ratio:.2f}")
    print(
        f"median ratio of the rounds:        {median:.2f} "
        f"(target >= {TARGET:.2f}: {'met' if median >= TARGET else 'MISSED'})"
    )
    for i, r in enumerate(rounds, 1):
        m = r["memory"]
        print(
            f"memory during drain {i} (VmRSS, MiB): start {m['start'] / 1024:.1f}, "
            f"peak {m['peak'] / 1024:.1f}, end {m['end'] / 1024:.1f} ({m['samples']} samples)"
        )


if __name__ == "__main__":
    main()
