"""Benchmark: 200 laptops pushing 50 records each at once to `yici-hub serve`, against bare psycopg
inserts of the same rows over 200 connections.

    python tests/benchmarks/bench_hub_push.py [--laptops 200] [--records 50] [--rounds 5] [--fast]

Issue 12: the hub's throughput (records stored per second) must reach ≥ 0.5 × the baseline's,
measured in the same run on the same PostgreSQL; p50 and p99 latency of a push are reported.

- The hub: a real `yici-hub serve` process (its defaults) on 127.0.0.1 over a PostgreSQL cluster
  started here from the system's binaries. 200 devices are enrolled, each for its own branch, and
  joined; then 200 threads (one per laptop, each with its own requests.Session, as a laptop keeps
  its connection) start together and each POSTs its 50 final revisions one after another:
  token check, JSON, the record's lock, the stale-base and idempotency checks, a change number,
  the revision, 2 audit rows and the latest-record row, in one transaction per record.
- The baseline: 200 threads, each with its own psycopg connection, start together and each
  inserts the same 50 records' rows, one transaction per record: the revision (its change
  number from the same sequence), the 2 audit rows (executemany) and the latest-record row. No
  HTTP, no JSON, no token, no lookups, no locks: the least work that stores the same rows.
- Each run gets a fresh database copied from one migrated and enrolled template; rounds
  alternate which side goes first. The figure is the median of the rounds' ratios.

PostgreSQL runs with its defaults (fsync and synchronous commit on), as a township's would;
`--fast` turns both off, as in the tests' cluster. The laptops' threads, the hub and PostgreSQL
share this machine's cores (2 here, shared with other work), in both runs alike: the figures
move from run to run, the ratio less so.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import psycopg  # noqa: E402
import requests  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from hub.cluster import Cluster, free_port  # noqa: E402
from hub.devices import enrol, join  # noqa: E402
from hub.migrate import migrate  # noqa: E402
from tests.hub.revisions import revision  # noqa: E402

TARGET = 0.5


def setup_template(cluster: Cluster, laptops: int) -> list[tuple[str, str]]:
    """A migrated database with `laptops` devices joined, one branch each: (token, branch uid)."""

    async def run() -> list[tuple[str, str]]:
        url = cluster.url("bench_template")
        await migrate(url)
        out = []
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            for n in range(laptops):
                code = await enrol(conn, f"电脑{n:03d}", [f"第{n:03d}村党支部"])
                joined = await join(conn, code, f"PC-{n}")
                out.append((joined["token"], joined["branches"][0]["uid"]))
        return out

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(b"CREATE DATABASE bench_template")
    return asyncio.run(run())


def fresh_database(cluster: Cluster) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE bench_template".encode())
    return cluster.url(name)


def drop(cluster: Cluster, url: str) -> None:
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)".encode())


def bodies(laptops: list[tuple[str, str]], records: int) -> list[list[dict]]:
    """Each laptop's revisions: first final revisions of new records of its branch."""
    return [[revision(branch, str(uuid.uuid4())) for _ in range(records)] for _, branch in laptops]


def at_once(count: int, work) -> tuple[float, list[float]]:
    """Run work(i, gate) in `count` threads released together: (seconds, every latency)."""
    gate = threading.Barrier(count + 1)
    latencies: list[list[float]] = [[] for _ in range(count)]
    failures: list[BaseException] = []

    def each(i: int) -> None:
        try:
            work(i, gate, latencies[i])
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
            gate.abort()

    threads = [threading.Thread(target=each, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    gate.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} laptops failed, the first: {failures[0]!r}")
    return elapsed, [x for each in latencies for x in each]


def hub_run(cluster: Cluster, laptops: list[tuple[str, str]], sent: list[list[dict]], log: Path) -> dict:
    db = fresh_database(cluster)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICI_")}
    env.update(PYTHONPATH=str(REPO), LANG="C.UTF-8")
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "hub", "serve", "--database", db, "--listen", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/api/v1", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("yici-hub serve did not start") from None
                time.sleep(0.1)

        def laptop(i: int, gate: threading.Barrier, latencies: list[float]) -> None:
            session = requests.Session()
            headers = {"Authorization": f"Bearer {laptops[i][0]}"}
            session.get(url + "/api/v1", timeout=60)  # connected, as a laptop that just synced
            gate.wait()
            for body in sent[i]:
                t0 = time.perf_counter()
                answer = session.post(url + "/api/v1/records", json=body, headers=headers, timeout=120)
                latencies.append(time.perf_counter() - t0)
                if answer.status_code != 201:
                    raise RuntimeError(f"{answer.status_code} {answer.text[:200]}")
            session.close()

        elapsed, latencies = at_once(len(laptops), laptop)
    finally:
        server.terminate()
        server.wait(30)
    stored = _count(db)
    drop(cluster, db)
    return {"seconds": elapsed, "latencies": latencies, "stored": stored}


def baseline_run(cluster: Cluster, laptops: list[tuple[str, str]], sent: list[list[dict]]) -> dict:
    db = fresh_database(cluster)
    with psycopg.connect(db) as conn:
        branch_ids = dict(conn.execute("SELECT uid, id FROM branches").fetchall())
    connections = [psycopg.connect(db) for _ in laptops]

    def laptop(i: int, gate: threading.Barrier, latencies: list[float]) -> None:
        conn, branch_id = connections[i], branch_ids[laptops[i][1]]
        gate.wait()
        for r in sent[i]:
            t0 = time.perf_counter()
            with conn.transaction():
                (change,) = conn.execute("SELECT nextval('hub_changes')").fetchone()
                conn.execute(
                    "INSERT INTO record_revisions(uuid, revision, base_revision, branch_id, form_id, "
                    "form_version, form_source, status, data, summary, occurred_on, operator, "
                    "finalized_at, void_reason, device_id, change) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    [r["uuid"], r["revision"], r["base_revision"], branch_id, r["form_id"], r["form_version"],
                     r["form_source"], r["status"], Jsonb(r["data"]), r["summary"], r["occurred_on"],
                     r["operator"], r["finalized_at"], r["void_reason"], i + 1, change],
                )  # fmt: skip
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO record_audit(uuid, revision, position, at, operator, action, note) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [[r["uuid"], r["revision"], n, a["at"], a["operator"], a["action"], a["note"]]
                         for n, a in enumerate(r["audit"])],
                    )  # fmt: skip
                conn.execute(
                    "INSERT INTO records(uuid, branch_id, form_id, revision, status, occurred_on, summary, "
                    "change) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [r["uuid"], branch_id, r["form_id"], r["revision"], r["status"], r["occurred_on"],
                     r["summary"], change],
                )  # fmt: skip
            latencies.append(time.perf_counter() - t0)

    try:
        elapsed, latencies = at_once(len(laptops), laptop)
    finally:
        for conn in connections:
            conn.close()
    stored = _count(db)
    drop(cluster, db)
    return {"seconds": elapsed, "latencies": latencies, "stored": stored}


def _count(db: str) -> int:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM record_revisions").fetchone()[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=200)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fast", action="store_true", help="PostgreSQL without fsync (a harder test)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="yici-bench-hub-"))
    folder.chmod(0o755)  # as root, PostgreSQL runs as `postgres` and must reach the folder
    cluster = Cluster(folder / "pg", fast=args.fast, settings={"max_connections": "400"})
    cluster.create()
    cluster.start()
    total = args.laptops * args.records
    try:
        laptops = setup_template(cluster, args.laptops)
        rounds = []
        for n in range(args.rounds):
            sent = bodies(laptops, args.records)
            hub_first = n % 2 == 0
            first = hub_run(cluster, laptops, sent, folder / "hub.log") if hub_first else None
            bare = baseline_run(cluster, laptops, bodies(laptops, args.records))
            hub = first or hub_run(cluster, laptops, sent, folder / "hub.log")
            assert hub["stored"] == bare["stored"] == total, (hub["stored"], bare["stored"])
            rounds.append((hub, bare))
            print(
                f"round {n + 1} ({'hub' if hub_first else 'baseline'} first): "
                f"hub {total / hub['seconds']:6.0f} records/s, "
                f"baseline {total / bare['seconds']:6.0f} records/s, "
                f"ratio {bare['seconds'] / hub['seconds']:.2f}",
                flush=True,
            )
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)

    ratios = sorted(bare["seconds"] / hub["seconds"] for hub, bare in rounds)
    median = statistics.median(ratios)
    hub_lat = [x for hub, _ in rounds for x in hub["latencies"]]
    bare_lat = [x for _, bare in rounds for x in bare["latencies"]]
    fsync = "without" if args.fast else "with"
    print(f"{args.laptops} laptops x {args.records} records, PostgreSQL {fsync} fsync")
    for name, values in (("hub push latency:       ", hub_lat), ("baseline insert latency:", bare_lat)):
        p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
        print(f"{name}   p50 {p50:6.1f} ms, p99 {p99:6.1f} ms")
    verdict = "met" if median >= TARGET else "MISSED"
    print(f"median ratio hub/baseline: {median:.2f} (target >= {TARGET:.2f}: {verdict})")
    sys.exit(0 if median >= TARGET else 1)


if __name__ == "__main__":
    main()
