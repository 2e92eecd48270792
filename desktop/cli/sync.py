"""`yici sync [--target NAME] [--watch]`: deliver what is due now, print a summary per platform,
and end with the exit code the deliveries call for; with --watch, again every few seconds until
Ctrl+C (or SIGTERM), which lets the request in flight finish.

Named after the command; imports are absolute, so `sync.…` below is always the core package.
sync/ modules are imported inside the handler: building the parser must stay quick.
"""

from __future__ import annotations

import datetime
import gc
import signal
import sys
import threading
import time
from pathlib import Path

from desktop.cli.context import open_session
from desktop.cli.delivery_status import delivery_exit_code
from desktop.cli.exits import EXIT_OK, EXIT_PENDING, CliError
from desktop.cli.logs import log_to_file
from desktop.cli.output import err
from desktop.cli.usage import CommandTree, seconds


def add_commands(tree: CommandTree) -> None:
    """Register `yici sync`."""
    p = tree.command(
        "sync",
        sync,
        "立即发送待发送的记录，并显示结果",
        description="立即发送待发送的记录，并显示每个平台的结果。"
        "退出码：0 全部送达，3 还有待发送，4 有需要处理的问题。",
    )
    p.add_argument("--target", metavar="NAME", help="只同步这个平台")
    p.add_argument(
        "--watch", action="store_true", help="持续运行：之后每隔 --interval 秒自动同步，按 Ctrl+C 停止"
    )
    p.add_argument(
        "--interval", type=seconds, default=60, metavar="SECONDS", help="--watch 的间隔秒数（默认 60）"
    )


def epoch_text(when: float | None) -> str:
    """Epoch seconds as local time: 'HH:MM:SS' today, else 'YYYY-MM-DD HH:MM'."""
    if not when:
        return ""
    moment = datetime.datetime.fromtimestamp(when)
    if moment.date() == datetime.date.today():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


# How often the main thread looks whether Ctrl+C or SIGTERM came, during a run and between runs.
_LOOK_EVERY = 0.1


class _StopRequests:
    """Ctrl+C and SIGTERM while `yici sync` works. Once runs may start, the handler only counts.

    Python's own Ctrl+C raises KeyboardInterrupt wherever the main thread happens to be, also
    inside threading's code (`Thread.start`, `Event.wait`): there it can release a lock twice or
    leave one held that every new thread needs, and the command then waits forever for a run
    that cannot start. So from the first run on (`defer`) the handler only counts, and the main
    thread looks at the count between short waits, where stopping is safe. Before that, with no
    thread of ours yet, a signal stops at once like Ctrl+C anywhere else (SIGTERM included).
    Restores the previous handlers on exit.
    """

    def __init__(self) -> None:
        self.count = 0
        self.deferred = False
        self._previous: dict = {}

    def __call__(self, signum, frame) -> None:
        self.count += 1
        if not self.deferred:
            raise KeyboardInterrupt

    def defer(self) -> None:
        """From now on only count: no lock, no output, no exception in the handler."""
        self.deferred = True

    def _unraisable(self, unraisable) -> None:
        # A signal raised inside a callback Python cannot raise from (a weak reference's, in
        # importlib's module locks) would be printed as "Exception ignored" with a traceback and
        # dropped. It is counted already: the next look at the count stops the command.
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            return
        self._previous_hook(unraisable)

    def __enter__(self) -> _StopRequests:
        self._previous_hook = sys.unraisablehook
        sys.unraisablehook = self._unraisable
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                self._previous[signum] = signal.signal(signum, self)
            except ValueError:  # not the main thread: signals are not ours to handle
                break
        return self

    def __exit__(self, *exc_info) -> None:
        sys.unraisablehook = self._previous_hook
        for signum, handler in self._previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._previous.clear()


def _run_once(deliverer, requests: _StopRequests, *, target: str | None, manual: bool):
    """One run on a worker thread, so Ctrl+C or SIGTERM stops it at a safe point: the run aborts
    the requests on their way and returns within about a second (sync/engine.py), leaving what
    got no answer as a crash would: (summary, interrupted). A second Ctrl+C leaves at once
    (main says 已中断)."""
    if requests.count:
        raise KeyboardInterrupt  # asked to stop before this run began: nothing is in flight
    stop, done = threading.Event(), threading.Event()
    result: dict = {}

    def work() -> None:
        try:
            result["summary"] = deliverer.run(target=target, manual=manual, stop=stop)
        except BaseException as exc:  # handed to the main thread, which reports it
            result["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="yici-sync", daemon=True).start()
    while not done.wait(_LOOK_EVERY):
        if requests.count and not stop.is_set():
            stop.set()
            err("正在停止：未得到平台答复的推送留待下次同步处理……")
        if requests.count >= 2:
            raise KeyboardInterrupt
    if "error" in result:
        raise result["error"]
    return result["summary"], requests.count > 0


def _wait_for_next_run(seconds: float, requests: _StopRequests) -> bool:
    """Wait `seconds` between runs; True (at once) when asked to stop."""
    end = time.monotonic() + seconds
    while not requests.count:
        left = end - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(left, _LOOK_EVERY))
    return True


def _summary(
    store, summary, *, target_name: str | None, manual: bool, quiet_code: int | None = None
) -> tuple[int, list[str], list[str]]:
    """The exit code the state calls for, and the lines that say so: (code, stdout, stderr).

    Worked out before anything is printed, so a Ctrl+C while the lines go out cannot lose the
    code. `quiet_code`: (--watch) no lines when this run did nothing and the code is unchanged."""
    from sync import xlsx

    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if summary.busy:
        from sync.lock import BUSY_MESSAGE

        return EXIT_PENDING, [], [f"{now} {BUSY_MESSAGE}"]
    targets = [t for t in store.targets() if target_name is None or t.name == target_name]
    counts = store.delivery_counts()
    code = delivery_exit_code(targets, counts)
    active = (
        any(r.delivered or r.retrying or r.failed or r.written for r in summary.targets.values())
        or summary.requeued
        or summary.found_uncertain
    )
    if quiet_code is not None and not active and code == quiet_code:
        return code, [], []
    out = [f"{now} {'同步' if manual else '自动同步'}完成："]
    if summary.hub:
        out.append(f"  {summary.hub}")
    if not any(t.enabled for t in targets):
        out.append(
            "  没有启用的平台。可用 `yici targets add` 添加，或 `yici targets edit 名称 --enable` 启用。"
        )
    if summary.requeued or summary.found_uncertain:
        out.append(
            f"  上次同步中断：{summary.requeued} 条已重新排队，"
            f"{summary.found_uncertain} 条可能已发送，请确认。"
        )
    for t in targets:
        if not t.enabled:
            continue
        report = summary.targets.get(t.name)
        c = counts.get(t.name, {})
        line = (
            f"  {t.name}：送达 {report.delivered if report else 0}、"
            f"重试 {report.retrying if report else 0}、"
            f"失败 {report.failed if report else 0}、待上传 {report.written if report else 0}"
        )
        waiting = c.get("pending", 0) + c.get("sending", 0)
        if waiting:
            line += f"；还有 {waiting} 条待发送"
            due = store.next_due_at(t.id, manual=False)
            if due and due > time.time():
                line += f"，下次重试 {epoch_text(due)}"
        if c.get("awaiting_upload"):
            line += f"；{c['awaiting_upload']} 条待上传"
        if c.get("awaiting_entry"):
            line += f"；{c['awaiting_entry']} 条待录入（`yici copy list`）"
        out.append(line)
        if c.get("awaiting_upload") and t.kind == "xlsx":
            try:
                batch = xlsx.open_batch(t.config())
            except Exception:  # noqa: BLE001 - only a hint; the folder may be unreachable now
                batch = None
            if batch is not None:
                out.append(
                    f"    导入文件：{batch}；上传到平台后运行 `yici deliveries confirm-upload {t.name}`"
                )
        attention = (report.attention if report else None) or t.attention
        if attention:
            out.append(f"    ⚠ 需要处理：{attention}")
        if c.get("failed"):
            out.append(
                f"    ⚠ {c['failed']} 条发送失败："
                f"`yici deliveries list --target {t.name} --state failed` 查看原因"
            )
        if c.get("uncertain"):
            out.append(
                f"    ⚠ {c['uncertain']} 条可能已发送，"
                "请确认：`yici deliveries list --state uncertain`，"
                "再 `yici deliveries resend ID` 或 `yici deliveries mark-delivered ID`"
            )
    if code == EXIT_OK and any(t.enabled for t in targets):
        out.append("  全部已送达。")
    return code, out, []


def _say(out: list[str], errors: list[str]) -> None:
    """Print a summary's lines, then flush: a reader may act on them as soon as they arrive."""
    if errors:
        err(*errors)
    for line in out:
        print(line)
    sys.stdout.flush()


def sync(args, data_dir: Path) -> int:
    """`yici sync [--target NAME] [--watch]`: deliver what is due now and print a summary.

    Exit 0 all delivered, 3 some still on their way (or another process is syncing), 4 something
    needs a person. With --watch: a manual run, then automatic runs every --interval seconds
    until Ctrl+C, which ends with the last run's exit code."""
    code = None
    with _StopRequests() as requests:
        from sync.engine import Deliverer

        log_to_file(data_dir)
        with open_session(data_dir) as session:
            store = session.store
            target_name = None
            if args.target:
                target = store.target(args.target)
                if not target.enabled:
                    raise CliError(
                        f"平台“{target.name}”已停用。可用 `yici targets edit {target.name} --enable` 启用。"
                    )
                target_name = target.name
            deliverer = Deliverer(store)
            requests.defer()  # runs use threads: from here on a signal only asks to stop
            try:
                summary, interrupted = _run_once(deliverer, requests, target=target_name, manual=True)
                # `code` is set before the first summary line goes out: a reader that stops us
                # as soon as it sees one (Ctrl+C) gets this code, not 已中断.
                code, out, errors = _summary(store, summary, target_name=target_name, manual=True)
                _say(out, errors)
                if not args.watch:
                    return code
                if not interrupted:
                    err(f"每 {args.interval} 秒自动同步一次，按 Ctrl+C 停止。")
                while not interrupted and not _wait_for_next_run(args.interval, requests):
                    summary, interrupted = _run_once(deliverer, requests, target=target_name, manual=False)
                    code, out, errors = _summary(
                        store, summary, target_name=target_name, manual=False, quiet_code=code
                    )
                    _say(out, errors)
            except KeyboardInterrupt:
                # A second Ctrl+C, or one before the first run began. Before the first summary
                # there is none: main says 已中断; after it, the last summary stands.
                if code is None:
                    raise
            finally:
                deliverer.http.close()
    if args.watch:
        err("已停止自动同步。")
    if requests.count:
        # Stopping on a signal: everything is written and closed. Spare the process the
        # collector's last walk over every object at exit (0.1-0.2 s, several times that on a
        # busy laptop), so the whole stop stays within the 2 s a person or a service manager waits.
        gc.freeze()
    return code
