"""Desktop benchmarks (DESIGN §10), each beside a baseline measured in the same run.

Not part of the default test run. Run as a script:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_desktop.py
or through pytest: .venv/bin/pytest tests/benchmarks/bench_desktop.py -s

Figures:
- start to first window: `python -c` importing desktop.app, building the main window on a data
  folder and printing at its first paint, vs the same for a bare PySide6 window (target ≤ 1.5×);
- records table at 100,000 records: first rows (≤ 200 ms) and a filter (≤ 100 ms), each beside
  the bare sqlite3 query for the same rows;
- resident memory (VmRSS) of the window with 100,000 records vs the bare window.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RECORDS = 100_000
RUNS = 5

# Child programs print "painted <seconds since interpreter start> <VmRSS kB>" at first paint.
_FIRST_PAINT = r"""
from PySide6.QtCore import QObject, QEvent, QTimer
class _Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            rss = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS")][0]
            extra = globals().get("after_paint", lambda: "")()
            print("painted", time.perf_counter() - T0, rss, extra, flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False
"""

BARE = (
    r"""
import time; T0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
"""
    + _FIRST_PAINT
    + r"""
window = QMainWindow()
window.setCentralWidget(QLabel("Yici"))
window.resize(1280, 720)
f = _Painted(); window.installEventFilter(f)
window.show()
app.exec()
"""
)

YICI = (
    r"""
import time; T0 = time.perf_counter()
import sys; sys.path.insert(0, ROOT)
from pathlib import Path
import desktop.app as yici_app
app = yici_app.application()
"""
    + _FIRST_PAINT
    + r"""
from PySide6.QtCore import QTimer
starter = yici_app.Starter(app, Path(DATA))   # what `yici` does: the window, then the data
window = starter.window
f = _Painted(); window.installEventFilter(f)
app.exec()
# Then the data: wait until the folder is open and the table's rows are painted.
def rss():
    return [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmRSS")][0]
def ready():
    if window.session is None or (window.model.rowCount() == 0 and ROWS):
        QTimer.singleShot(1, ready)
        return
    window.table.viewport().repaint()
    at = time.perf_counter() - T0
    painted_rss = rss()
    model = window.model
    for row in range(0, model.rowCount(), 5000):   # scroll through the whole table
        model.data(model.index(row, 2))
    model.data(model.index(max(model.rowCount() - 1, 0), 2))
    print("ready", at, painted_rss, model.rowCount(), rss(), flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
starter.close()
"""
)


def _child(code: str, **names) -> tuple[float, float, int, list[str]]:
    """Run a child program: (wall seconds from launch to first paint, child-measured seconds,
    RSS kB at first paint, fields of its "ready" line if any)."""
    prelude = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", prelude + code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    line = proc.stdout.readline()
    wall = time.perf_counter() - start
    ready = proc.stdout.readline().split()
    proc.wait(timeout=120)
    parts = line.split()
    if not parts or parts[0] != "painted":
        raise RuntimeError(f"child did not paint: {line!r}")
    return wall, float(parts[1]), int(parts[2]), ready[1:] if ready[:1] == ["ready"] else []


def make_data(folder: Path, records: int) -> int:
    """A data folder with one branch holding `records` records; returns the branch id."""
    from desktop.session import Session
    from tests.desktop.bulk import bulk_insert_records

    session = Session.open(folder)
    session.operator = "张晓梅"
    session.store.set_setting("started_on", "2026-01-01")
    branch = session.store.add_branch("红星村党支部")
    session.store.add_member(branch.id, "王建国", role="书记")
    for name in ("青山村党支部", "河湾社区党支部"):
        session.store.add_branch(name)
    if records:
        bulk_insert_records(session, branch.id, records, marker_every=1000)
    session.close()
    return branch.id


def bench_start(small: Path, big: Path) -> dict:
    bare, yici, yici_big = [], [], []
    for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits both alike
        bare.append(_child(BARE))
        yici.append(_child(YICI, ROOT=str(ROOT), DATA=str(small), ROWS=0))
        yici_big.append(_child(YICI, ROOT=str(ROOT), DATA=str(big), ROWS=1))
    med = lambda runs, i: statistics.median(r[i] for r in runs)  # noqa: E731
    ready = lambda runs, i: statistics.median(float(r[3][i]) for r in runs)  # noqa: E731
    return {
        "bare_wall": med(bare, 0),
        "yici_wall": med(yici, 0),
        "yici_big_wall": med(yici_big, 0),
        "bare_child": med(bare, 1),
        "yici_child": med(yici, 1),
        "yici_ready": ready(yici, 0),
        "yici_big_ready": ready(yici_big, 0),
        "yici_big_rows": int(ready(yici_big, 2)),
        "bare_rss": med(bare, 2),
        "yici_rss": ready(yici, 1),
        "yici_big_rss": ready(yici_big, 1),
        "yici_big_rss_scrolled": ready(yici_big, 3),
    }


def bench_table(big: Path, branch_id: int) -> dict:
    """In-process: the main window's table at 100,000 records vs bare sqlite3 queries."""
    from PySide6.QtWidgets import QApplication

    import desktop.app as yici_app
    from desktop.main_window import MainWindow
    from desktop.session import Session

    app = yici_app.application()
    session = Session.open(big)
    yici_app.prepare(app, session)
    window = MainWindow(session)
    window.resize(1280, 720)
    window.show()
    QApplication.processEvents()
    visible = 30

    def paint_rows():
        window.table.viewport().repaint()  # paints the visible rows: data() for each cell

    def timed(fn, runs=7):
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    def first_rows():
        window.model.set_filters(branch_id=branch_id)
        paint_rows()

    def filtered():
        window.model.set_filters(branch_id=branch_id, status="final", text="稀有标记")
        paint_rows()

    def filtered_status():
        window.model.set_filters(branch_id=branch_id, status="final")
        paint_rows()

    def counted(fn):
        def both():
            fn()
            window.model.ensure_count()  # the count that follows from the event loop

        return both

    yici_first = timed(first_rows)
    yici_filter = timed(filtered)
    yici_filter_status = timed(filtered_status)
    yici_first_counted = timed(counted(first_rows))
    yici_filter_counted = timed(counted(filtered))
    yici_filter_status_counted = timed(counted(filtered_status))
    assert window.model.rowCount() > 0

    db = sqlite3.connect(str(Path(big) / "yici.db"))
    columns = "uuid, form_id, occurred_on, summary, status, revision, operator, updated_at"

    def bare_first():
        db.execute(
            f"SELECT {columns} FROM records WHERE branch_id = ? ORDER BY occurred_on DESC, id DESC LIMIT ?",
            [branch_id, visible],
        ).fetchall()

    def bare_filter():
        db.execute(
            f"SELECT {columns} FROM records WHERE branch_id = ? AND status = 'final' "
            "AND id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?) "
            "ORDER BY occurred_on DESC, id DESC LIMIT ?",
            [branch_id, '"稀有标记"', visible],
        ).fetchall()

    def bare_filter_status():
        db.execute(
            f"SELECT {columns} FROM records WHERE branch_id = ? AND status = 'final' "
            "ORDER BY occurred_on DESC, id DESC LIMIT ?",
            [branch_id, visible],
        ).fetchall()

    def bare_count_and_page():
        db.execute("SELECT count(*) FROM records WHERE branch_id = ?", [branch_id]).fetchone()
        bare_first()

    result = {
        "yici_first": yici_first,
        "bare_first": timed(bare_first),
        "yici_first_counted": yici_first_counted,
        "yici_filter_counted": yici_filter_counted,
        "yici_filter_status_counted": yici_filter_status_counted,
        "bare_count_and_page": timed(bare_count_and_page),
        "yici_filter": yici_filter,
        "bare_filter": timed(bare_filter),
        "yici_filter_status": yici_filter_status,
        "bare_filter_status": timed(bare_filter_status),
    }
    db.close()
    window.close()
    session.close()
    return result


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="yici-bench-") as folder:
        small, big = Path(folder) / "small", Path(folder) / "big"
        make_data(small, 0)
        print(f"filling {RECORDS:,} records…", flush=True)
        branch_id = make_data(big, RECORDS)
        start = bench_start(small, big)
        table = bench_table(big, branch_id)
        shutil.rmtree(folder, ignore_errors=True)
    ms = lambda s: f"{s * 1000:7.1f} ms"  # noqa: E731
    print()
    print("start to first window (median of runs, wall clock from launch to first paint)")
    print(f"  bare PySide6 window          {ms(start['bare_wall'])}")
    print(
        f"  Yici main window (empty)     {ms(start['yici_wall'])}   "
        f"ratio {start['yici_wall'] / start['bare_wall']:.2f}× (target ≤ 1.5×)"
    )
    print(
        f"  Yici main window (100k rec.) {ms(start['yici_big_wall'])}   "
        f"ratio {start['yici_big_wall'] / start['bare_wall']:.2f}×"
    )
    print(
        "  then the data in the window (child clock, from interpreter start; bare window "
        f"{ms(start['bare_child'])} on the same clock)"
    )
    print(
        f"  records painted, empty folder {ms(start['yici_ready'])}   "
        f"ratio {start['yici_ready'] / start['bare_child']:.2f}×"
    )
    print(
        f"  records painted, {start['yici_big_rows']:,} rows {ms(start['yici_big_ready'])}   "
        f"ratio {start['yici_big_ready'] / start['bare_child']:.2f}×"
    )
    print(f"records table at {RECORDS:,} records (median, includes painting the visible rows)")
    print(
        f"  first rows   Yici {ms(table['yici_first'])}  bare sqlite {ms(table['bare_first'])}"
        f"  ratio {table['yici_first'] / table['bare_first']:.1f}× (target ≤ 200 ms)"
    )
    print(
        f"  filter status+text  Yici {ms(table['yici_filter'])}  bare sqlite "
        f"{ms(table['bare_filter'])}  ratio {table['yici_filter'] / table['bare_filter']:.1f}×"
        " (target ≤ 100 ms)"
    )
    print(
        f"  filter status       Yici {ms(table['yici_filter_status'])}  bare sqlite "
        f"{ms(table['bare_filter_status'])}  ratio "
        f"{table['yici_filter_status'] / table['bare_filter_status']:.1f}× (target ≤ 100 ms)"
    )
    print("  with the count that follows (row count and scroll bar complete):")
    print(
        f"    first rows {ms(table['yici_first_counted'])}   status+text "
        f"{ms(table['yici_filter_counted'])}   status {ms(table['yici_filter_status_counted'])}"
        f"   (bare sqlite count + first rows {ms(table['bare_count_and_page'])})"
    )
    print("resident memory (VmRSS; Yici once its records are painted)")
    print(f"  bare window                  {start['bare_rss'] / 1024:7.1f} MB")
    print(f"  Yici, empty folder           {start['yici_rss'] / 1024:7.1f} MB")
    print(
        f"  Yici, {RECORDS:,} records      {start['yici_big_rss'] / 1024:7.1f} MB   "
        f"after scrolling to the end {start['yici_big_rss_scrolled'] / 1024:.1f} MB   "
        f"ratio to bare {start['yici_big_rss_scrolled'] / start['bare_rss']:.2f}×"
    )
    return {**start, **table}


def test_bench_desktop():
    """pytest entry (benchmarks are not in the default run: tests/benchmarks is ignored)."""
    figures = run()
    assert figures["yici_first"] < 1.0 and figures["yici_filter"] < 1.0


if __name__ == "__main__":
    run()
