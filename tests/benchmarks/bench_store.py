"""Store benchmarks at 100,000 records (DESIGN §10), each against a bare-sqlite3 baseline
measured in the same run on the same file.

    python tests/benchmarks/bench_store.py [--records 100000] [--runs 200]
    pytest tests/benchmarks/bench_store.py -s

(a) finalize one record (new draft + finalize, validated by forms.lifecycle.Records) vs bare
    sqlite3 doing the same writes (record insert + audit, then update + revision + audit, two
    transactions, same pragmas). Target: median ≤ 10 ms.
(b) list/filter queries vs bare sqlite3 running the same SELECTs. Target: ≤ 50 ms each.
    The due view (window query + forms.cadence.due_items) has a target of 20 ms; its bare
    figure is the same SELECT without decoding or evaluating anything.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

from forms.store.cipher import sqlite3

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forms.catalog import Catalog  # noqa: E402
from forms.lifecycle import Records  # noqa: E402
from forms.store import Store, timestamp  # noqa: E402

FINALIZE_TARGET_MS = 10.0
QUERY_TARGET_MS = 50.0
BRANCHES = 40
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽华桂兰国庆海燕春梅玉珍德明晓东红霞永福"
WORDS = [
    "学习贯彻",
    "党的二十大精神",
    "乡村振兴",
    "人居环境整治",
    "防汛抗旱",
    "党员发展",
    "集体经济",
    "产业发展",
    "矛盾纠纷排查",
    "民生实事",
    "村规民约",
    "安全生产",
    "屋顶漏水",
    "低保申请",
    "医疗保险",
    "道路硬化",
    "饮水安全",
    "护林防火",
]
TYPES = ["支部党员大会", "支部委员会", "党小组会", "党课"]
FORMS = ["sanhui-yike", "zhuti-dangri", "ruhu-zoufang", "dangfei", "zuzhi-shenghuohui", "minzhu-pingyi"]
SELECT = (
    "SELECT uuid, form_id, form_version, branch_id, status, data, revision, operator, "
    "occurred_on, summary, created_at, updated_at, finalized_at, void_reason, void_at "
    "FROM records"
)
ORDER = " ORDER BY occurred_on DESC, id DESC"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def build(data_dir: Path, n: int, seed: int = 7) -> tuple[Store, list[int]]:
    """A store with `n` records spread over branches, forms and two years, bulk-inserted in
    one transaction (with their revisions and audit lines), plus a real roster per branch."""
    rng = random.Random(seed)
    store = Store.open(data_dir)
    catalog = Catalog(data_dir)
    for form in catalog.all():
        store.remember_form(form)
    branch_ids, rosters = [], {}
    for b in range(BRANCHES):
        branch = store.add_branch(f"第{b + 1}村党支部", code=f"{b + 1:03d}")
        names = list(dict.fromkeys(_name(rng) for _ in range(40)))[:25]
        store.import_members(
            branch.id, [{"name": names[0], "role": "书记"}] + [{"name": x} for x in names[1:]]
        )
        branch_ids.append(branch.id)
        rosters[branch.id] = names
    versions = {f.id: f.version for f in catalog.all()}
    now = timestamp()
    records, revisions, audits = [], [], []
    for i in range(n):
        branch_id = rng.choice(branch_ids)
        form_id = FORMS[i % len(FORMS)] if FORMS[i % len(FORMS)] in versions else "sanhui-yike"
        day = f"{rng.choice((2025, 2026))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people = rng.sample(rosters[branch_id], rng.randint(5, 20))
        kind = rng.choice(TYPES)
        data = {
            "meeting_type": kind,
            "title": f"{day[:4]}年{kind}",
            "held_at": day + "T09:00",
            "place": "村党群服务中心",
            "host": rosters[branch_id][0],
            "attendees": people,
            "attend_count": len(people),
            "content": "，".join(rng.sample(WORDS, 4)) + "。",
        }
        status = "draft" if i % 20 == 0 else ("void" if i % 97 == 0 else "final")
        uid = str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
        revision = 0 if status == "draft" else 1
        records.append(
            (
                uid,
                form_id,
                versions.get(form_id, 1),
                branch_id,
                status,
                json.dumps(data, ensure_ascii=False),
                revision,
                "基准",
                day,
                f"{kind} · {day} · {len(people)}人",
                now,
                now,
                None if status == "draft" else now,
            )
        )
        audits.append((now, "基准", "created", uid, 0))
        if revision:
            revisions.append((uid, 1, "final", records[-1][5], "基准", now, ""))
            audits.append((now, "基准", "finalized", uid, 1))
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, revision, "
            "operator, occurred_on, summary, created_at, updated_at, finalized_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            records,
        )
        store.db.conn.executemany("INSERT INTO record_revisions VALUES (?,?,?,?,?,?,?)", revisions)
        store.db.conn.executemany(
            "INSERT INTO audit(at, operator, action, record_uuid, revision) VALUES (?,?,?,?,?)", audits
        )
    store.db.execute("ANALYZE")
    return store, branch_ids


def _ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bare_connection(path: Path) -> sqlite3.Connection:
    """The same file in bare SQLite (with the folder's data key: the encryption is not what the
    store's figures are compared against here; tests/benchmarks/bench_encryption.py does that)."""
    from forms.store import cipher, keys

    conn = cipher.connect_file(path, keys.unlocked(Path(path).parent), isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


# The committee meeting each finalize benchmark makes final (bench_encryption.py too).
MEETING = {
    "meeting_type": "支部委员会",
    "title": "十一月支部委员会",
    "topics": "学习贯彻二十大精神",
    "content": "传达学习上级文件精神，讨论本月重点工作。",
    "place": "村委会",
}


def bench_finalize(store: Store, branch_id: int, runs: int) -> dict[str, float]:
    """Median ms of new draft + finalize (total, and the finalize step alone) through Records
    (validated), through the Store alone, and as the same writes in bare sqlite3; the three
    are interleaved so disk hiccups hit all alike."""
    records = Records(store, Catalog(store.data_dir))
    form = records.form("sanhui-yike")
    values = MEETING

    def through_records(laps):
        record, _ = records.new("sanhui-yike", branch_id, values, "基准")
        laps.append(time.perf_counter())
        records.finalize(record.uuid, "基准")

    def through_store(laps):
        record = store.create_record(
            form, branch_id, values, "基准", occurred_on="2026-11-05", summary="支部委员会"
        )
        laps.append(time.perf_counter())
        store.finalize(record.uuid, "基准", data=values)

    conn = bare_connection(store.path)
    data = json.dumps(values, ensure_ascii=False)

    def bare(laps):
        uid, now = str(uuidlib.uuid4()), timestamp()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, "
            "revision, operator, occurred_on, summary, created_at, updated_at) "
            "VALUES (?,?,?,?,'draft',?,0,'基准','2026-11-05','支部委员会',?,?)",
            [uid, form.id, form.version, branch_id, data, now, now],
        )
        conn.execute(
            "INSERT INTO audit(at, operator, action, record_uuid, revision) "
            "VALUES (?, '基准', 'created', ?, 0)",
            [now, uid],
        )
        conn.execute("COMMIT")
        laps.append(time.perf_counter())
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE records SET status='final', revision=1, data=?, finalized_at=?, "
            "updated_at=? WHERE uuid=?",
            [data, now, now, uid],
        )
        conn.execute(
            "INSERT INTO record_revisions VALUES (?, 1, 'final', ?, '基准', ?, '')", [uid, data, now]
        )
        conn.execute(
            "INSERT INTO audit(at, operator, action, record_uuid, revision) "
            "VALUES (?, '基准', 'finalized', ?, 1)",
            [now, uid],
        )
        conn.execute("COMMIT")

    ways = {"records": through_records, "store": through_store, "bare": bare}
    for way in ways.values():
        for _ in range(5):
            way([])
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, way in ways.items():
            laps = [time.perf_counter()]
            way(laps)
            laps.append(time.perf_counter())
            times.setdefault(name + " total", []).append((laps[2] - laps[0]) * 1000)
            times.setdefault(name + " finalize", []).append((laps[2] - laps[1]) * 1000)
    conn.close()
    return {name: statistics.median(t) for name, t in times.items()}


TODAY = "2026-11-20"


def due(store: Store, branch_id: int) -> list:
    """The due view of one branch as the desktop can now get it: one windowed query."""
    from forms import cadence

    forms = Catalog(store.data_dir).all() if not hasattr(due, "forms") else due.forms
    due.forms = forms
    window = cadence.window(forms, {}, TODAY)
    return cadence.due_items(forms, {}, store.records_for_cadence(branch_id, window), TODAY)


def due_by_month(store: Store, branch_id: int) -> list:
    """The due view as the desktop did it: a records() query per month since the window."""
    from forms import cadence

    forms = due.forms
    records = []
    for year, month in [(y, m) for y in (2025, 2026) for m in range(1, 13)][:23]:
        records.extend(store.records(branch_id=branch_id, status="final", month=f"{year}-{month:02d}"))
    return cadence.due_items(forms, {}, records, TODAY)


def bench_queries(store: Store, branch_id: int, runs: int = 30) -> list[tuple]:
    """(name, store median ms, bare median ms, target ms or None) for the records table's
    list/filter queries."""
    conn = bare_connection(store.path)
    month = "2026-03"
    fts = "SELECT rowid FROM records_fts WHERE records_fts MATCH ?"
    match = "(t.summary LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\')"
    by_id = f"EXISTS (SELECT 1 FROM record_text t WHERE t.id = records.id AND {match})"
    one_pass = f"id IN (SELECT t.id FROM record_text t WHERE {match})"
    page = f"{ORDER} LIMIT 100 OFFSET 0"
    chars = "SELECT rowid FROM records_chars WHERE records_chars MATCH ?"
    chars_count = "records_chars WHERE records_chars MATCH ?"
    cases = [
        (
            "branch page (100 newest)",
            lambda: store.records(branch_id=branch_id, limit=100),
            f"{SELECT} WHERE branch_id = ?{page}",
            [branch_id],
        ),
        (
            "form + month",
            lambda: store.records(form_id="sanhui-yike", month=month, limit=100),
            f"{SELECT} WHERE form_id = ? AND occurred_on BETWEEN ? AND ?{page}",
            ["sanhui-yike", month + "-01", month + "-31"],
        ),
        (
            "status = draft",
            lambda: store.records(status="draft", limit=100),
            f"{SELECT} WHERE status = ?{page}",
            ["draft"],
        ),
        (
            "branch + status + form",
            lambda: store.records(branch_id=branch_id, status="draft", form_id="dangfei", limit=100),
            f"{SELECT} WHERE branch_id = ? AND form_id = ? AND status = ?{page}",
            [branch_id, "dangfei", "draft"],
        ),
        (
            "text 4 chars, common",
            lambda: store.records(text="学习贯彻", limit=100),
            f"{SELECT} WHERE +id IN ({fts}){page}",
            ['"学习贯彻"'],
        ),
        # Few matches: the store counts them first, then starts from them (bare: no count).
        (
            "text 3 chars, rare name",
            lambda: store.records(text="王建国", limit=100),
            f"{SELECT} WHERE id IN ({fts}){page}",
            ['"王建国"'],
        ),
        (
            "text 4 chars, no match",
            lambda: store.records(text="没有这个", limit=100),
            f"{SELECT} WHERE id IN ({fts}){page}",
            ['"没有这个"'],
        ),
        (
            "text 2 chars + branch",
            lambda: store.records(branch_id=branch_id, text="漏雨", limit=100),
            f"{SELECT} WHERE branch_id = ? AND {by_id}{page}",
            [branch_id, "%漏雨%", "%漏雨%"],
        ),
        (
            "text 1 char, common",
            lambda: store.records(text="王", limit=100),
            f"{SELECT} WHERE {by_id}{page}",
            ["%王%", "%王%"],
        ),
        ("count all", lambda: store.count_records(), "SELECT count(*) FROM records", []),
        (
            "count branch + final",
            lambda: store.count_records(branch_id=branch_id, status="final"),
            "SELECT count(*) FROM records WHERE branch_id = ? AND status = ?",
            [branch_id, "final"],
        ),
        (
            "count text 4 chars, common",
            lambda: store.count_records(text="学习贯彻"),
            "SELECT count(*) FROM records_fts WHERE records_fts MATCH ?",
            ['"学习贯彻"'],
        ),
        (
            "uuids of a branch",
            lambda: store.record_uuids(branch_id=branch_id),
            f"SELECT uuid FROM records WHERE branch_id = ?{ORDER}",
            [branch_id],
        ),
        # Beyond the 50 ms bar, printed so we see them: every id (the table model's first
        # fetch, bar 200 ms) and a 2-character search with nothing else to narrow it.
        ("uuids of all 100k", lambda: store.record_uuids(), f"SELECT uuid FROM records{ORDER}", []),
        (
            "count text 2 chars, no filter",
            lambda: store.count_records(text="漏雨"),
            f"SELECT count(*) FROM records WHERE {one_pass}",
            ["%漏雨%", "%漏雨%"],
        ),
        # m005: 1-2 character terms from the character index, counts by branch + status, the
        # day range and the due view's one query (bare: the same SELECT, rows not decoded).
        (
            "text 1 char + branch, count",
            lambda: store.count_records(branch_id=branch_id, text="王"),
            f"SELECT count(*) FROM records WHERE branch_id = ? AND {by_id}",
            [branch_id, "%王%", "%王%"],
        ),
        (
            "text 2 chars + branch, count",
            lambda: store.count_records(branch_id=branch_id, text="建国"),
            f"SELECT count(*) FROM records WHERE branch_id = ? AND {by_id}",
            [branch_id, "%建国%", "%建国%"],
        ),
        (
            "text 2 chars, page",
            lambda: store.records(text="建国", limit=100),
            f"{SELECT} WHERE id IN ({chars}){page}",
            ['"建 国"'],
        ),
        (
            "count text 1 char, no filter",
            lambda: store.count_records(text="王"),
            f"SELECT count(*) FROM {chars_count}",
            ['"王"'],
        ),
        (
            "count text 2 chars, rare",
            lambda: store.count_records(text="漏雨"),
            f"SELECT count(*) FROM {chars_count}",
            ['"漏 雨"'],
        ),
        (
            "count text 2 chars + final",
            lambda: store.count_records(status="final", text="建国"),
            f"SELECT count(*) FROM records WHERE status = ? AND +id IN ({chars})",
            ["final", '"建 国"'],
        ),
        (
            "count text 2 chars + final, LIKE",
            lambda: store.count_records(status="final", text="建国"),
            f"SELECT count(*) FROM records WHERE status = ? AND {by_id}",
            ["final", "%建国%", "%建国%"],
        ),
        (
            "count branch + status",
            lambda: store.count_records(branch_id=branch_id, status="draft"),
            "SELECT count(*) FROM records WHERE branch_id = ? AND status = ?",
            [branch_id, "draft"],
        ),
        (
            "since: branch, 2 months",
            lambda: store.records(branch_id=branch_id, since="2026-11-01"),
            f"{SELECT} WHERE branch_id = ? AND occurred_on >= ?{ORDER}",
            [branch_id, "2026-11-01"],
        ),
        (
            "due view: window + due_items",
            lambda: due(store, branch_id),
            "SELECT form_id, status, occurred_on, data FROM records WHERE branch_id = ? AND "
            f"status = 'final' AND occurred_on >= ?{ORDER}",
            [branch_id, "2025-01-01"],
        ),
        (
            "due view, old: 24 month queries",
            lambda: due_by_month(store, branch_id),
            "SELECT form_id, status, occurred_on, data FROM records WHERE branch_id = ? AND "
            f"status = 'final' AND occurred_on >= ?{ORDER}",
            [branch_id, "2025-01-01"],
        ),
    ]
    targets = {
        "uuids of all 100k": 200.0,
        "count text 2 chars, no filter": None,
        "count text 2 chars + final, LIKE": None,
        "due view, old: 24 month queries": None,
        "due view: window + due_items": 20.0,
    }
    results = []
    for name, ours, sql, args in cases:
        ours()
        conn.execute(sql, args).fetchall()
        results.append(
            (
                name,
                _ms(ours, runs),
                _ms(lambda sql=sql, args=args: conn.execute(sql, args).fetchall(), runs),
                targets.get(name, QUERY_TARGET_MS),
            )
        )
    conn.close()
    return results


def run(n: int = 100_000, runs: int = 200) -> dict:
    """Build, measure, print the table; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="yici-bench-") as tmp:
        start = time.perf_counter()
        store, branch_ids = build(Path(tmp) / "data", n)
        built = time.perf_counter() - start
        try:
            count = store.count_records()
            finalize = bench_finalize(store, branch_ids[0], runs)
            queries = bench_queries(store, branch_ids[1])
        finally:
            store.close()
    print(f"\nStore benchmark: {count:,} records (built in {built:.1f} s), SQLite {sqlite3.sqlite_version}")
    print(f"{'measure':<32} {'yici ms':>9} {'bare ms':>9} {'ratio':>7} {'target':>9}")
    rows = [
        (
            "finalize step, Records",
            finalize["records finalize"],
            finalize["bare finalize"],
            FINALIZE_TARGET_MS,
        ),
        (
            "new draft + finalize, Records",
            finalize["records total"],
            finalize["bare total"],
            FINALIZE_TARGET_MS,
        ),
        ("new draft + finalize, Store", finalize["store total"], finalize["bare total"], FINALIZE_TARGET_MS),
    ]
    rows += queries
    for name, ours, bare, target in rows:
        ratio = ours / bare if bare else float("inf")
        flag = "" if target is None else ("ok" if ours <= target else "SLOW")
        goal = "-" if target is None else f"{target:.0f} ms"
        print(f"{name:<32} {ours:>9.2f} {bare:>9.2f} {ratio:>6.2f}x {goal:>9} {flag}")
    return {"rows": rows, "count": count}


def test_store_benchmark():
    """pytest entry (the benchmarks folder is excluded from the default run)."""
    figures = run()
    slow = [
        (name, ours) for name, ours, _bare, target in figures["rows"] if target is not None and ours > target
    ]
    assert not slow, slow


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    run(options.records, options.runs)
