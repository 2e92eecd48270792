"""What encryption at rest costs, as ratios in one run against the same code with the key left out
(docs/SECURITY.md, "Encryption at rest").

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_encryption.py [--records N]

The baseline is Yici itself with `forms.store.cipher.connect` told to apply no key: every
statement, transaction, check and copy is the same, only SQLCipher's page encryption is absent.
Targets: finalize (median, through forms.lifecycle.Records) and the records table (first rows,
a filter, in the real main window) at 100,000 records ≤ 1.3×; start to records painted (the
installed program's start, `yici --data-dir DIR`, until the table paints its rows) ≤ 1.2×.
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from forms.store import cipher  # noqa: E402
from tests.benchmarks import bench_desktop, bench_store  # noqa: E402

TARGETS = {"finalize": 1.3, "table": 1.3, "start": 1.2}
# The child's start with the key left out: the same program, `connect` applying no key.
PLAIN_PRELUDE = """
import forms.store.cipher as _cipher
_real = _cipher.connect
_cipher.connect = lambda path, key, **kw: _real(path, None, **kw)
_cipher.is_plain = lambda path: False
"""


@contextlib.contextmanager
def plain() -> Iterator[None]:
    """Inside: every database file is opened without its key (the baseline)."""
    real_connect, real_is_plain = cipher.connect, cipher.is_plain
    cipher.connect = lambda path, key, **kw: real_connect(path, None, **kw)  # type: ignore[assignment]
    cipher.is_plain = lambda path: False  # type: ignore[assignment]
    try:
        yield
    finally:
        cipher.connect, cipher.is_plain = real_connect, real_is_plain  # type: ignore[assignment]


def finalize_ms(encrypted: Path, baseline: Path, branch_id: int, runs: int) -> tuple[float, float]:
    """Median ms of making a new draft final through forms.lifecycle.Records (validated, as the
    window does), encrypted and plain: both folders open at once and the two finalizes taken in
    turn, one each, first one then the other, so a busy moment on the machine hits both alike
    (measured in blocks, one folder after the other, the ratio moved by 0.1 from run to run)."""
    from forms.catalog import Catalog
    from forms.lifecycle import Records
    from forms.store import Store

    with Store.open(encrypted) as ours, contextlib.ExitStack() as stack:
        with plain():
            base = stack.enter_context(Store.open(baseline))
        ways = [(Records(ours, Catalog(ours.data_dir)), []), (Records(base, Catalog(base.data_dir)), [])]
        for n in range(runs + 10):  # the first 10 of each warm the caches
            for records, times in ways if n % 2 else ways[::-1]:
                record, _ = records.new("sanhui-yike", branch_id, bench_store.MEETING, "基准")
                start = time.perf_counter()
                records.finalize(record.uuid, "基准")
                if n >= 10:
                    times.append((time.perf_counter() - start) * 1000)
        return statistics.median(ways[0][1]), statistics.median(ways[1][1])


def starts(encrypted: Path, baseline: Path, env: dict) -> tuple[list[float], list[float]]:
    """Start to records painted, seconds, each way RUNS times, interleaved, after a warm-up."""
    ours, base = [], []
    code_plain = PLAIN_PRELUDE + bench_desktop.YICI
    for n in range(bench_desktop.RUNS + 1):
        a = bench_desktop._child(bench_desktop.YICI, ROOT=str(ROOT), DATA=str(encrypted), ROWS=1, SETTLE_MS=0)
        b = bench_desktop._child(code_plain, ROOT=str(ROOT), DATA=str(baseline), ROWS=1, SETTLE_MS=0)
        if n:
            ours.append(a["records"][0])
            base.append(b["records"][0])
    return ours, base


def run(records: int, runs: int) -> dict[str, tuple[float, float]]:
    import keyring

    from tests.desktop.file_keyring import ENV, FileKeyring

    figures: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="yici-bench-cipher-") as tmp:
        # A keyring the children can read too (as a laptop's keychain is there for every start).
        os.environ[ENV] = str(Path(tmp) / "keyring.json")
        os.environ["PYTHON_KEYRING_BACKEND"] = "tests.desktop.file_keyring.FileKeyring"
        os.environ.pop("YICI_PASSPHRASE_FILE", None)
        keyring.set_keyring(FileKeyring())
        encrypted, baseline = Path(tmp) / "encrypted", Path(tmp) / "plain"
        branch = bench_desktop.make_data(encrypted, records)
        with plain():
            bench_desktop.make_data(baseline, records)
        figures["finalize"] = finalize_ms(encrypted, baseline, branch, runs)
        table = bench_desktop.bench_table(encrypted, branch)
        with plain():
            table_plain = bench_desktop.bench_table(baseline, branch)
        figures["table first rows"] = (table["yici_first"] * 1000, table_plain["yici_first"] * 1000)
        figures["table filter"] = (table["yici_filter"] * 1000, table_plain["yici_filter"] * 1000)
        ours_start, base_start = starts(encrypted, baseline, dict(os.environ))
        figures["start to records painted"] = (statistics.median(ours_start), statistics.median(base_start))
    return figures


def report(figures: dict[str, tuple[float, float]]) -> bool:
    print(f"\nEncryption at rest: SQLCipher on SQLite {cipher.sqlite3.sqlite_version}, ratios in one run")
    print(f"{'measure':<28} {'encrypted':>10} {'plain':>10} {'ratio':>7} {'target':>7}")
    ok = True
    for name, (ours, base) in figures.items():
        target = TARGETS["start" if name.startswith("start") else "table" if "table" in name else "finalize"]
        ratio = ours / base if base else float("inf")
        unit = "s" if name.startswith("start") else "ms"
        flag = "ok" if ratio <= target else "SLOW"
        ok = ok and ratio <= target
        print(f"{name:<28} {ours:>8.2f}{unit:>2} {base:>8.2f}{unit:>2} {ratio:>6.2f}x {target:>6.1f}x {flag}")
    print(json.dumps({k: round(v[0] / v[1], 3) for k, v in figures.items()}))
    return ok


def test_encryption_benchmark():
    """pytest entry (the benchmarks folder is excluded from the default run)."""
    assert report(run(100_000, 300))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    options = parser.parse_args()
    sys.exit(0 if report(run(options.records, options.runs)) else 1)
