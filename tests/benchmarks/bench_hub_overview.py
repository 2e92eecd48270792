"""The township page's overview at 2,000 branches × 12 months (issue 12, "Scale, measured"):
the whole response in ≤ 300 ms of server time, median over several requests, with the p95; and,
measured in the same run on the same database, the bare SQL the overview stands on (its one
grouping query run by psycopg alone), as a ratio.

    python tests/benchmarks/bench_hub_overview.py [--branches 2000] [--runs 15]
    pytest tests/benchmarks/bench_hub_overview.py -s

A real PostgreSQL (tests/hub/postgres.py) is seeded with COPY: every branch with a roster and, in
each month of the year, a 支部委员会 and a 党小组会 and a 主题党日 (about one in ten left out, so
branches fall behind), a 支部党员大会 and a 党课 each quarter: 100,000-odd records with the
data a laptop pushes. `yici-hub serve` serves it; an administrator logs in; GET /township/ is
timed by the hub's own request log (from the request's first byte to the response's last).
Exit code 1 when the target is missed. Needs the PostgreSQL programs (./dev installs them).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psycopg  # noqa: E402

from forms.catalog import Catalog  # noqa: E402
from hub.migrate import migrate  # noqa: E402
from hub.township.held import held_query  # noqa: E402
from tests.hub.conftest import Hub, joined  # noqa: E402
from tests.hub.postgres import Cluster, why_not  # noqa: E402
from tests.hub.township_data import ADMIN, admin, logged_in, meeting  # noqa: E402

TARGET_MS = 300.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽华桂兰国庆海燕春梅玉珍德明晓东红霞永福"
MONTHLY: list[tuple[str, str | None]] = [
    ("sanhui-yike", "支部委员会"),
    ("sanhui-yike", "党小组会"),
    ("zhuti-dangri", None),
]
QUARTERLY: list[tuple[str, str | None]] = [("sanhui-yike", "支部党员大会"), ("sanhui-yike", "党课")]


def _people(rng: random.Random) -> list[str]:
    return [rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)) for _ in range(rng.randint(8, 30))]


def _meetings(rng: random.Random, rosters: dict[int, list[str]], year: int, last_month: int):
    """(branch, form id, day, data) of every meeting held: about one in ten left out."""
    for n, people in rosters.items():
        for month in range(1, last_month + 1):
            for form_id, kind in MONTHLY + (QUARTERLY if month % 3 == 0 else []):
                if rng.random() < 0.1:
                    continue  # a meeting not held: the branch falls behind
                day = dt.date(year, month, rng.randint(1, 28))
                came = rng.sample(people, max(1, len(people) - 2))
                data = {
                    "title": f"{month}月{kind or '主题党日'}",
                    "held_at": f"{day.isoformat()}T19:00",
                    "place": "村党群服务中心",
                    "attendees": came,
                    "absences": [{"name": p, "reason": "外出务工"} for p in people if p not in came],
                    "content": "传达学习上级精神，研究本村工作。" * 5,
                    **({"meeting_type": kind} if kind else {}),
                }
                yield n, form_id, day, data


REVISIONS = (
    "COPY record_revisions (uuid, revision, base_revision, branch_id, form_id, form_version, status, "
    "data, summary, occurred_on, operator, finalized_at, change) FROM STDIN"
)
RECORDS = "COPY records (uuid, branch_id, form_id, revision, status, occurred_on, summary, change) FROM STDIN"


def seed(url: str, branches: int, year: int, seed_value: int = 12) -> int:
    """Branches, rosters and a year of records, written with COPY; the number of records."""
    rng = random.Random(seed_value)
    today = dt.date.today()
    rosters = {n: _people(rng) for n in range(1, branches + 1)}
    rows = []
    for change, (n, form_id, day, data) in enumerate(
        _meetings(rng, rosters, year, 12 if year < today.year else today.month), start=branches + 1
    ):
        rows.append((str(uuidlib.uuid4()), n, form_id, day, data, change))
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy("COPY branches (id, uid, name, secretary, change, created_at) FROM STDIN") as copy:
                for n in rosters:
                    copy.write_row(
                        [n, uuidlib.uuid4().hex, f"第{n}村党支部", None, n, f"{year}-01-01T00:00+08"]
                    )
            with cur.copy("COPY members (branch_id, name, role, position) FROM STDIN") as copy:
                for n, people in rosters.items():
                    for position, name in enumerate(people):
                        copy.write_row([n, name, "书记" if position == 0 else "党员", position])
            with cur.copy(REVISIONS) as copy:
                for uuid, n, form_id, day, data, change in rows:
                    when = f"{day.isoformat()}T21:00:00+08:00"
                    text = json.dumps(data, ensure_ascii=False)
                    copy.write_row(
                        [uuid, 1, 0, n, form_id, 3, "final", text, data["title"], day, "张三", when, change]
                    )
            with cur.copy(RECORDS) as copy:
                for uuid, n, form_id, day, data, change in rows:
                    copy.write_row([uuid, n, form_id, 1, "final", day, data["title"], change])
            cur.execute("SELECT setval('hub_changes', %s)", [branches + len(rows)])
            cur.execute("SELECT setval('branches_id_seq', %s)", [branches])
        conn.execute("VACUUM ANALYZE")
    return len(rows)


def bare_sql(url: str, year: int, runs: int) -> list[float]:
    """Milliseconds of the overview's grouping query alone, run by psycopg."""
    forms = [f for f in Catalog().all() if f.cadence]
    query, params = held_query(forms, year, None)
    times = []
    with psycopg.connect(url, autocommit=True) as conn:
        for n in range(runs + 1):
            start = time.perf_counter()
            conn.execute(query, params).fetchall()
            if n:
                times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def run(branches: int = 2000, runs: int = 15) -> dict:
    reason = why_not()
    if reason:
        raise SystemExit(reason)
    year = dt.date.today().year
    cluster = Cluster().start()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench")
        url = cluster.url("bench")
        asyncio.run(migrate(url))
        print(f"seeding {branches:,} branches…", flush=True)
        started = time.perf_counter()
        records = seed(url, branches, year)
        print(f"  {records:,} records in {time.perf_counter() - started:.1f} s", flush=True)
        admin(url)
        with tempfile.TemporaryDirectory() as tmp:
            hub = Hub(url, Path(tmp) / "hub.log").start()
            try:
                session = logged_in(hub)
                laptop = joined(hub, "张三的电脑", tuple(f"第{n}村党支部" for n in range(1, 21)))
                uids = [b["uid"] for b in laptop["branches"]]
                rng = random.Random(5)

                def view() -> float:
                    start = time.perf_counter()
                    page = session.get(hub.url + "/township/", timeout=120)
                    took = (time.perf_counter() - start) * 1000
                    assert page.status_code == 200 and f"支部共 <b>{branches}</b> 个" in page.text, page.text[
                        :500
                    ]
                    figures["size"] = len(page.content)
                    return took

                figures: dict = {"records": records}
                view()  # the first view after start: the whole year read
                figures["client"] = [view() for _ in range(runs)]  # nothing changed in between
                for _ in range(runs):  # a laptop pushed a record just before each view
                    body = meeting(rng.choice(uids), dt.date(year, rng.randint(1, 12), 9))
                    assert hub.post("/api/v1/records", laptop["token"], json=body).status_code == 201
                    view()
            finally:
                hub.stop()
            logged = [
                float(ms) for ms in re.findall(rf"GET /township/ 200 管理员:{ADMIN} (\d+)ms", hub.log_text())
            ]
        figures["cold"] = logged[0]
        figures["server"] = logged[1 : runs + 1]
        figures["pushed"] = logged[runs + 1 :]
        figures["bare"] = bare_sql(url, year, runs)
        figures["load"] = os.getloadavg()[0]
    finally:
        cluster.stop()
    return figures


def report(figures: dict, branches: int) -> list[str]:
    server, pushed, bare = figures["server"], figures["pushed"], figures["bare"]
    median, after = statistics.median(server), statistics.median(pushed)
    print(
        f"\nthe overview: {branches:,} branches × 12 months, {figures['records']:,} records, "
        f"page {figures['size'] / 1e6:.1f} MB; median and p95 of {len(server)} views each; "
        f"load average {figures['load']:.1f} on {os.cpu_count()} cores"
    )
    print("  server time (request log), times in ms     median      p95   target")
    print(
        f"  nothing changed since the last view       {median:7.1f}  {_p95(server):7.1f}   ≤ {TARGET_MS:.0f}"
    )
    print(
        f"  a laptop pushed a record just before      {after:7.1f}  {_p95(pushed):7.1f}   ≤ {TARGET_MS:.0f}"
    )
    print(f"  the first view after start (whole year)   {figures['cold']:7.1f}")
    print(
        f"  at the client, nothing changed            {statistics.median(figures['client']):7.1f}  "
        f"{_p95(figures['client']):7.1f}"
    )
    print(f"  bare SQL: the year's grouping query alone {statistics.median(bare):7.1f}  {_p95(bare):7.1f}")
    print(f"    ratio view after a push / bare SQL      {after / statistics.median(bare):.2f}×")
    print(f"    ratio first view / bare SQL             {figures['cold'] / statistics.median(bare):.2f}×")
    return [
        f"overview median {value:.0f} ms > {TARGET_MS:.0f} ms ({what})"
        for what, value in (("unchanged", median), ("after a push", after))
        if value > TARGET_MS
    ]


def test_bench_hub_overview():
    """pytest entry (benchmarks are not in the default run: tests/benchmarks is ignored)."""
    assert report(run(), 2000) == []


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    missed = report(run(options.branches, options.runs), options.branches)
    for line in missed:
        print("MISSED:", line)
    sys.exit(1 if missed else 0)
