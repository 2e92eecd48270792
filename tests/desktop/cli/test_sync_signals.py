"""`yici sync --watch` stops within 2 s of Ctrl+C or SIGTERM, whenever the signal comes.

Python's own Ctrl+C raises KeyboardInterrupt at whatever line the main thread is on. Inside
threading's code (starting a run's thread, waiting for it) that released a lock twice or left
one held that every new thread needs, and the command waited forever for a run that could not
start. One test raises a real signal at each line the main thread runs inside threading.py while
`sync --watch` starts, runs and waits; the other signals real processes from outside, after
delays from 0 to 3 s. Both lift the 5-second minimum of --interval, so runs follow each other
closely and a signal lands in every part of a run.
"""

from __future__ import annotations

import selectors
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.desktop.cli.helpers import TOKEN

# Moments: the n-th line the main thread runs in threading.py. One run takes about 150, so
# these cover starting up, the first (manual) run and the first automatic run.
MOMENTS = range(1, 221)
STOP_WITHIN = 2.0

# Runs `sync --watch` once per moment, in one process: at that moment a real signal is raised
# (SIGINT at odd moments, SIGTERM at even ones); prints the moment, the seconds from the signal
# to the end of the command, and how the command ended.
AT_EACH_MOMENT = r"""
import argparse, signal, sys, threading, time
from pathlib import Path
from desktop.cli import sync as command
from sync.kinds import install

install()
data_dir = Path(sys.argv[1])
for moment in map(int, sys.argv[2:]):
    signum = signal.SIGINT if moment % 2 else signal.SIGTERM
    seen, raised = [0], [None]

    def tracer(frame, event, arg):
        if event == "line" and frame.f_code.co_filename == threading.__file__:
            seen[0] += 1
            if seen[0] == moment:
                raised[0] = time.monotonic()
                signal.raise_signal(signum)
        return tracer

    sys.settrace(tracer)
    try:
        ending = f"code {command.sync(argparse.Namespace(target=None, watch=True, interval=0.01), data_dir)}"
    except KeyboardInterrupt:
        ending = "interrupted"
    except BaseException as exc:
        ending = f"failed {exc!r}"
    finally:
        sys.settrace(None)
    took = time.monotonic() - raised[0] if raised[0] else -1
    print("moment", moment, f"{took:.2f}", ending, flush=True)
"""

# `yici sync --watch --interval 0.05`; says "ready" once the command handles signals itself
# (before that, SIGTERM ends any Python program at once).
WATCH = r"""
import sys
from desktop.cli import main, sync

sync.seconds = float
handling = sync._StopRequests.__enter__

def announced(requests):
    handled = handling(requests)
    print("ready", flush=True)
    return handled

sync._StopRequests.__enter__ = announced
sys.exit(main(["sync", "--watch", "--interval", "0.05"]))
"""


def _platform_with_a_record(cli, platform) -> None:
    cli(
        "targets",
        "add",
        "平台",
        "--kind",
        "rest",
        "--url",
        f"{platform.url}/api/records",
        "--option",
        "auth=bearer",
    )
    cli("targets", "secret", "平台", input=TOKEN)
    cli.record()


def _dump_and_fail(process: subprocess.Popen, what: str) -> None:
    process.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack
    try:
        _, errors = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    raise AssertionError(f"{what}\n{errors[-6000:]}")


def test_a_signal_at_any_line_of_starting_or_awaiting_a_run_stops_sync(yici_env, cli, platform, tmp_path):
    _platform_with_a_record(cli, platform)
    process = subprocess.Popen(
        [sys.executable, "-c", AT_EACH_MOMENT, str(cli.data_dir), *map(str, MOMENTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**yici_env, "PYTHONFAULTHANDLER": "1"},
        cwd=tmp_path,
    )
    endings: dict[int, tuple[float, str]] = {}
    with selectors.DefaultSelector() as ready:
        ready.register(process.stdout, selectors.EVENT_READ)
        while True:
            if not ready.select(timeout=10):
                last = max(endings, default=0)
                _dump_and_fail(process, f"sync did not stop after a signal at moment {last + 1}")
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("moment "):
                _, moment, took, ending = line.split(" ", 3)
                endings[int(moment)] = (float(took), ending.strip())
    process.wait(timeout=10)
    errors = process.stderr.read()
    assert process.returncode == 0 and "Traceback" not in errors, (
        f"exit {process.returncode} after a signal at moment {max(endings, default=0) + 1}\n{errors[-3000:]}"
    )
    assert sorted(endings) == list(MOMENTS)
    # Code 3: the stop aborted the record's request on its way, so it is still waiting for the
    # next sync (as after a crash); nothing is lost and the command still ended in time.
    wrong = {m: e for m, (_, e) in endings.items() if e not in ("code 0", "code 3", "interrupted")}
    slow = {m: took for m, (took, _) in endings.items() if took > STOP_WITHIN}
    assert not wrong and not slow, (wrong, slow)
    # Most signals land while a run starts or is awaited: those runs end with their summary.
    assert sum(e == "code 0" for _, e in endings.values()) > len(MOMENTS) // 2


def _watch_and_signal(env: dict, cwd, delay: float, signum: int) -> str | None:
    """What went wrong when `sync --watch` got `signum` `delay` seconds after it began; None if
    it stopped cleanly within STOP_WITHIN seconds."""
    process = subprocess.Popen(
        [sys.executable, "-c", WATCH],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
    )
    try:
        if process.stdout.readline().strip() != "ready":
            return f"did not start: {process.communicate(timeout=30)[1][-2000:]}"
        time.sleep(delay)
        process.send_signal(signum)
        try:
            _, errors = process.communicate(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            try:
                _dump_and_fail(
                    process, f"{signum!r} after {delay:.2f} s: still running after {STOP_WITHIN} s"
                )
            except AssertionError as exc:
                return str(exc)
        # 130: stopped before the first run began (已中断); 0 or 3: the last run's summary stands.
        if process.returncode not in (0, 3, 130) or "Traceback" in errors:
            return f"{signum!r} after {delay:.2f} s: exit {process.returncode}\n{errors[-3000:]}"
        if process.returncode != 130 and "已停止自动同步" not in errors:
            return f"{signum!r} after {delay:.2f} s: ended without saying so\n{errors[-3000:]}"
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_sync_watch_stops_within_two_seconds_of_a_signal_from_outside(yici_env, cli, platform, tmp_path):
    _platform_with_a_record(cli, platform)
    lanes = 4
    folders = []
    for lane in range(lanes):  # a data folder each, so the lanes never wait on each other
        folder = tmp_path / f"lane{lane}"
        shutil.copytree(cli.data_dir, folder)
        folders.append(folder)
    trials = [(i * 0.2, signal.SIGINT if i % 2 == 0 else signal.SIGTERM) for i in range(16)]

    def lane_of(lane: int) -> list[str]:
        env = {**yici_env, "YICI_DATA_DIR": str(folders[lane]), "PYTHONFAULTHANDLER": "1"}
        return [
            problem
            for delay, signum in trials[lane::lanes]
            if (problem := _watch_and_signal(env, tmp_path, delay, signum))
        ]

    with ThreadPoolExecutor(lanes) as pool:
        problems = [p for found in pool.map(lane_of, range(lanes)) for p in found]
    assert not problems, "\n\n".join(problems)
